using System;
using System.Linq;
using CartPole;
using Xunit;

namespace NeuralNet.Gen.Samples.Tests;

public class CartPoleTrainerTests
{
    [Fact]
    public void SameSeedGivesBitIdenticalParametersAndDifferentSeedDoesNot()
    {
        // Lockstep multiplayer and replays need two runs with one seed to agree to the last bit.
        var (first, firstLog) = Train(seed: 5, generations: 12);
        var (second, secondLog) = Train(seed: 5, generations: 12);
        var (other, _) = Train(seed: 6, generations: 12);

        Assert.Equal(Bits(first), Bits(second));
        Assert.Equal(firstLog, secondLog);
        Assert.NotEqual(Bits(first), Bits(other));
    }

    [Fact]
    public void LearnsToBalanceThePoleForTheFull500Steps()
    {
        var trainer = new CartPoleTrainer(seed: 2);
        GenerationResult first = trainer.RunGeneration();
        Assert.True(first.BestLength < CartPoleEnvironment.MaxSteps, "seed 2 should start from a network that cannot yet balance");
        while (!trainer.IsSolved && trainer.Generation < 300) trainer.RunGeneration();

        Assert.True(trainer.IsSolved, $"not solved in {trainer.Generation} generations");
        // 100 fresh start states that training never drew: Gym's bar for solving CartPole-v1 is a mean of 475
        // over 100 episodes; ask also that nearly all of them last the full 500 steps.
        var random = new DeterministicRandom(123456);
        var environment = new CartPoleEnvironment();
        int total = 0, full = 0;
        for (int episode = 0; episode < 100; episode++)
        {
            environment.Reset(ref random);
            int steps = trainer.RunEpisode(trainer.BestParameters, ref environment);
            total += steps;
            if (steps == CartPoleEnvironment.MaxSteps) full++;
        }
        Assert.True(total / 100.0 >= 475, $"mean length {total / 100.0}");
        Assert.True(full >= 95, $"{full} of 100 episodes lasted 500 steps");
    }

    [Fact]
    public void AGenerationAndAnEpisodeAllocateNothingOnceWarm()
    {
        var trainer = new CartPoleTrainer(seed: 3, populationSize: 32, eliteCount: 4, validationEpisodes: 5);
        long generations = Allocations.Steady(() => trainer.RunGeneration(), 5);

        float[] parameters = trainer.BestParameters.ToArray();
        int steps = 0;
        long episode = Allocations.Steady(() =>
        {
            var environment = new CartPoleEnvironment();
            environment.Reset(0.01, 0, 0.02, 0);
            steps = trainer.RunEpisode(parameters, ref environment);
        });

        Assert.Equal(0, generations);
        Assert.Equal(0, episode);
        Assert.True(steps > 0);
    }

    [Fact]
    public void CountsOneNetworkEvaluationPerSimulatedStep()
    {
        var trainer = new CartPoleTrainer(seed: 4);
        var environment = new CartPoleEnvironment();
        environment.Reset(0, 0, 0.01, 0);
        int steps = trainer.RunEpisode(new float[CartPolePolicy.ParameterCount], ref environment);
        // All-zero parameters output tanh(0) = 0: always push left, so the pole falls within a few dozen steps.
        Assert.InRange(steps, 2, 100);
        Assert.Equal(steps, trainer.NetworkEvaluations);
        Assert.True(environment.IsTerminated);
    }

    [Fact]
    public void GenerationResultsStayWithinTheEpisodeLimits()
    {
        var trainer = new CartPoleTrainer(seed: 9);
        for (int g = 0; g < 10; g++)
        {
            GenerationResult result = trainer.RunGeneration();
            Assert.Equal(g + 1, result.Generation);
            Assert.InRange(result.MeanLength, 1, CartPoleEnvironment.MaxSteps);
            Assert.InRange(result.BestLength, result.MeanLength, CartPoleEnvironment.MaxSteps);
            Assert.Equal(result.BestLength >= CartPoleEnvironment.MaxSteps, result.ValidationLength > 0);
        }
    }

    [Fact]
    public void TrainersShareNoStateSoInterleavingChangesNothing()
    {
        // A game may evolve many agents side by side; one trainer's run must not depend on another's.
        var (alone, _) = Train(seed: 5, generations: 6);
        var a = new CartPoleTrainer(5);
        var b = new CartPoleTrainer(6);
        for (int g = 0; g < 6; g++)
        {
            b.RunGeneration();
            a.RunGeneration();
        }
        Assert.Equal(Bits(alone), Bits(a.BestParameters.ToArray()));
    }

    [Theory]
    [InlineData(1, 1, 0.1f, 3, 100, "populationSize")]
    [InlineData(8, 0, 0.1f, 3, 100, "eliteCount")]
    [InlineData(8, 8, 0.1f, 3, 100, "eliteCount")]
    [InlineData(8, 2, 0f, 3, 100, "mutationScale")]
    [InlineData(8, 2, float.NaN, 3, 100, "mutationScale")]
    [InlineData(8, 2, 0.1f, 0, 100, "episodesPerEvaluation")]
    [InlineData(8, 2, 0.1f, 3, 0, "validationEpisodes")]
    public void RejectsBadSettingsNamingTheArgument(int population, int elites, float mutation, int episodes, int validation, string name)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CartPoleTrainer(1, population, elites, mutation, episodes, validation));
        Assert.Equal(name, error.ParamName);
    }

    private static (float[] Best, GenerationResult[] Log) Train(int seed, int generations)
    {
        var trainer = new CartPoleTrainer(seed);
        var log = new GenerationResult[generations];
        for (int g = 0; g < generations; g++) log[g] = trainer.RunGeneration();
        return (trainer.BestParameters.ToArray(), log);
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
