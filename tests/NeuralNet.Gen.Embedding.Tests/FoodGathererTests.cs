using System;
using System.Text;
using FoodGatherer;
using NeuralNet.Gen;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Embedding.Tests;

/// <summary>The FoodGatherer sample: the game's rules, the replay buffer, and deep Q-learning inside the game loop.</summary>
public class FoodGathererTests(ITestOutputHelper output)
{
    [Fact]
    public void ResetPlacesTheAgentFoodAndHazardsOnDistinctCells()
    {
        var field = new GatheringField();
        for (long seed = 0; seed < 50; seed++)
        {
            field.Reset(seed);
            (int food, int hazards) = CountCells(field);
            Assert.Equal(GatheringField.FoodCount, food);
            Assert.Equal(GatheringField.HazardCount, hazards);
            Assert.Equal(Cell.Empty, field[field.AgentX, field.AgentY]);
            Assert.Equal(0, field.Frame);
            Assert.Equal(0, field.Score);
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameLayoutAndAnotherSeedAnother()
    {
        var a = new GatheringField();
        var b = new GatheringField();
        a.Reset(7);
        b.Reset(7);
        Assert.Equal(Draw(a), Draw(b));
        b.Reset(8);
        Assert.NotEqual(Draw(a), Draw(b));
    }

    [Fact]
    public void ScoreIsFoodEatenMinusHazardsTouchedAndTheCountsStay()
    {
        var field = new GatheringField();
        var random = new DeterministicRandom(5);
        for (long seed = 0; seed < 20; seed++)
        {
            field.Reset(seed);
            int sum = 0;
            while (!field.IsOver)
            {
                int reward = field.Step(random.NextInt32(GatheringField.ActionCount));
                Assert.InRange(reward, -1 - GatheringField.HazardCount, 1);
                sum += reward;
                (int food, int hazards) = CountCells(field);
                Assert.Equal(GatheringField.FoodCount, food);
                Assert.Equal(GatheringField.HazardCount, hazards);
                Assert.Equal(Cell.Empty, field[field.AgentX, field.AgentY]); // eaten food regrows elsewhere; a hazard that stings jumps away
            }
            Assert.Equal(GatheringField.FramesPerEpisode, field.Frame);
            Assert.Equal(sum, field.Score);
            Assert.Equal(field.FoodEaten - field.HazardsTouched, field.Score);
        }
    }

    [Fact]
    public void EatingFoodScoresOne()
    {
        var field = new GatheringField();
        var observation = new float[GatheringField.ObservationSize];
        for (long seed = 0; seed < 200; seed++)
        {
            field.Reset(seed);
            field.Observe(observation);
            // The cell to the agent's right (view centre + 1 column): food there is eaten by moving right.
            int right = (GatheringField.ViewRadius * GatheringField.ViewSize + GatheringField.ViewRadius + 1) * GatheringField.ChannelCount;
            if (observation[right] != 1) continue;
            Assert.Equal(1, field.Step(3));
            Assert.Equal(1, field.FoodEaten);
            return;
        }
        Assert.Fail("No layout among 200 had food right of the agent.");
    }

    [Fact]
    public void TheAgentMovesOneCellAndWallsStopIt()
    {
        var field = new GatheringField();
        var random = new DeterministicRandom(11);
        int blocked = 0;
        for (long seed = 0; seed < 10; seed++)
        {
            field.Reset(seed);
            while (!field.IsOver)
            {
                int action = random.NextInt32(GatheringField.ActionCount);
                // Up, down, left, right; y grows downwards.
                int x = field.AgentX + (action == 2 ? -1 : action == 3 ? 1 : 0);
                int y = field.AgentY + (action == 0 ? -1 : action == 1 ? 1 : 0);
                bool inside = GatheringField.IsInside(x, y);
                if (!inside) (x, y, blocked) = (field.AgentX, field.AgentY, blocked + 1);
                field.Step(action);
                Assert.Equal((x, y), (field.AgentX, field.AgentY));
            }
        }
        Assert.True(blocked > 0);
    }

    [Fact]
    public void TheObservationShowsTheViewAroundTheAgent()
    {
        var field = new GatheringField();
        var observation = new float[GatheringField.ObservationSize];
        field.Reset(21);
        field.Step(0);
        field.Observe(observation);
        int i = 0;
        for (int dy = -GatheringField.ViewRadius; dy <= GatheringField.ViewRadius; dy++)
        {
            for (int dx = -GatheringField.ViewRadius; dx <= GatheringField.ViewRadius; dx++, i += GatheringField.ChannelCount)
            {
                int x = field.AgentX + dx, y = field.AgentY + dy;
                bool inside = GatheringField.IsInside(x, y);
                Assert.Equal(inside && field[x, y] == Cell.Food ? 1f : 0f, observation[i]);
                Assert.Equal(inside && field[x, y] == Cell.Hazard ? 1f : 0f, observation[i + 1]);
                Assert.Equal(inside ? 0f : 1f, observation[i + 2]);
            }
        }
    }

    [Fact]
    public void WrongLengthsAndActionsAreRefused()
    {
        var field = new GatheringField();
        field.Reset(1);
        var error = Assert.Throws<ArgumentException>(() => field.Observe(new float[GatheringField.ObservationSize - 1]));
        Assert.Contains(GatheringField.ObservationSize.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => field.Step(GatheringField.ActionCount));
        var replay = new ReplayBuffer(4, 3);
        Assert.Throws<ArgumentException>(() => replay.Add(new float[2], 0, 0, new float[3]));
        Assert.Equal(0, replay.Count);
    }

    [Fact]
    public void TheReplayBufferKeepsTheNewestTransitions()
    {
        var replay = new ReplayBuffer(capacity: 3, observationSize: 2);
        for (int t = 0; t < 5; t++) replay.Add([t, t], action: t % 4, reward: t, nextObservation: [t + 1, t + 1]);
        Assert.Equal(3, replay.Count);

        // Transitions 0 and 1 were overwritten: every sample is one of 2, 3, 4, whole and consistent.
        var random = new DeterministicRandom(1);
        var observations = new float[64 * 2];
        var next = new float[64 * 2];
        var actions = new int[64];
        var rewards = new float[64];
        replay.Sample(ref random, observations, actions, rewards, next);
        var seen = new bool[5];
        for (int i = 0; i < 64; i++)
        {
            int t = (int)rewards[i];
            Assert.InRange(t, 2, 4);
            seen[t] = true;
            Assert.Equal(t % 4, actions[i]);
            Assert.Equal([t, t], observations.AsSpan(i * 2, 2).ToArray());
            Assert.Equal([t + 1, t + 1], next.AsSpan(i * 2, 2).ToArray());
        }
        Assert.True(seen[2] && seen[3] && seen[4]);
    }

    [Fact]
    public void PairedDifferenceMatchesTheClosedForm()
    {
        // Differences 1, 2, 3, 6: mean 3, sample variance 14 / 3, standard error sqrt(14 / 3 / 4).
        (double mean, double standardError) = PolicyComparison.PairedDifference([3, 4, 5, 9], [2, 2, 2, 3]);
        Assert.Equal(3, mean, 12);
        Assert.Equal(Math.Sqrt(14.0 / 12), standardError, 12);
    }

    [Fact]
    public void BeatingRandomNeedsAWholeWindowAboveTheNoise()
    {
        var random = new int[40];
        var learner = new int[40];
        for (int e = 0; e < 40; e++)
        {
            random[e] = e % 2 == 0 ? -1 : 1;
            learner[e] = e < 25 ? random[e] : random[e] + 5 + e % 3;
        }
        // Windows of 10 cross 3 standard errors once 6 improved episodes are in (mean 3.6, standard error 1.0): episode 31.
        Assert.Equal(31, PolicyComparison.FirstEpisodeBeatingRandom(learner, random, window: 10));
        Assert.Equal(0, PolicyComparison.FirstEpisodeBeatingRandom(random, random, window: 10));
    }

    [Fact]
    public void AShortSeededRunBeatsTheRandomPolicyOnHeldOutLayouts()
    {
        const int Seed = 1, Episodes = 30, Evaluation = 40;
        var game = new LearningGame(Seed);
        var scores = new int[Episodes];
        for (int e = 0; e < Episodes; e++) scores[e] = game.PlayEpisode();

        int[] greedy = PolicyComparison.GreedyScores(game.Agent, Seed, PolicyComparison.HeldOutEpisode, Evaluation);
        int[] random = PolicyComparison.RandomScores(Seed, PolicyComparison.HeldOutEpisode, Evaluation);
        (double difference, double standardError) = PolicyComparison.PairedDifference(greedy, random);
        output.WriteLine($"After {Episodes} episodes: greedy {PolicyComparison.Mean(greedy):F2}, random {PolicyComparison.Mean(random):F2}, difference {difference:F2} ± {standardError:F2}");

        // A random walk scores about 0 here (as much food as hazards); 30 episodes of learning gather several food
        // more per episode, far outside the noise.
        Assert.True(difference > 5, $"greedy {PolicyComparison.Mean(greedy):F2} vs random {PolicyComparison.Mean(random):F2}");
        Assert.True(difference > 5 * standardError, $"difference {difference:F2} ± {standardError:F2}");
        // And while learning, with exploration on, on the layouts it learned from.
        int[] randomWhileLearning = PolicyComparison.RandomScores(Seed, 0, Episodes);
        int beatsAt = PolicyComparison.FirstEpisodeBeatingRandom(scores, randomWhileLearning);
        output.WriteLine($"Clearly beats random while learning from episode {beatsAt}");
        Assert.InRange(beatsAt, 20, Episodes);
        Assert.True(game.Agent.TrainSteps > 2000);
    }

    [Fact]
    public void TheSameSeedLearnsTheSameEpisodesBitForBit()
    {
        (int[] scoresA, float[] parametersA) = Learn(seed: 4, episodes: 5);
        (int[] scoresB, float[] parametersB) = Learn(seed: 4, episodes: 5);
        (int[] scoresC, float[] parametersC) = Learn(seed: 5, episodes: 5);

        Assert.Equal(scoresA, scoresB);
        Assert.Equal(Bits(parametersA), Bits(parametersB));
        Assert.NotEqual(Bits(parametersA), Bits(parametersC));
        Assert.NotEqual(scoresA, scoresC);
    }

    [Fact]
    public void AFrameWithLearningOnAllocatesNothingOnceWarm()
    {
        var game = new LearningGame(seed: 2, new DqnAgent(seed: 2, warmupFrames: 100));
        game.PlayEpisode();
        game.PlayEpisode(); // the first training steps size the networks' batch buffers
        long trainSteps = game.Agent.TrainSteps;

        // The least of three rounds, as the other allocation tests: a runtime's one-off (tiering, a timer) is not the frame's.
        long least = long.MaxValue;
        game.BeginEpisode();
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int frame = 0; frame < 30; frame++) game.Frame();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, least);
        Assert.Equal(trainSteps + 90, game.Agent.TrainSteps); // every measured frame trained
    }

    [Fact]
    public void TheRendererDrawsWallsAgentFoodAndHazards()
    {
        var field = new GatheringField();
        field.Reset(9);
        string board = Draw(field);
        Assert.Equal(FieldRenderer.BoardSize, board.Length);
        Assert.Equal(new string('#', FieldRenderer.BoardWidth), board[..FieldRenderer.BoardWidth]);
        Assert.Equal(1, Count(board, '@'));
        Assert.Equal(GatheringField.FoodCount, Count(board, '*'));
        Assert.Equal(GatheringField.HazardCount, Count(board, 'X'));
        Assert.Equal('@', board[(field.AgentY + 1) * FieldRenderer.BoardWidth + field.AgentX + 1]);

        var text = new StringBuilder();
        FieldRenderer.AppendSideBySide(text, (board + board).AsSpan(), 2, ["f0", "f1"]);
        string[] lines = text.ToString().Split(Environment.NewLine);
        Assert.Equal(FieldRenderer.BoardHeight + 2, lines.Length); // captions, the rows, and the empty rest after the last line break
        Assert.Equal(board[..FieldRenderer.BoardWidth] + "  " + board[..FieldRenderer.BoardWidth], lines[1]);
    }

    private static (int[] Scores, float[] Parameters) Learn(int seed, int episodes)
    {
        var game = new LearningGame(seed, new DqnAgent(seed, warmupFrames: 100));
        var scores = new int[episodes];
        for (int e = 0; e < episodes; e++) scores[e] = game.PlayEpisode();
        return (scores, game.Agent.Online.Parameters.ToArray());
    }

    private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);

    private static (int Food, int Hazards) CountCells(GatheringField field)
    {
        int food = 0, hazards = 0;
        for (int y = 0; y < GatheringField.Height; y++)
        {
            for (int x = 0; x < GatheringField.Width; x++)
            {
                if (field[x, y] == Cell.Food) food++;
                else if (field[x, y] == Cell.Hazard) hazards++;
            }
        }
        return (food, hazards);
    }

    private static string Draw(GatheringField field)
    {
        var board = new char[FieldRenderer.BoardSize];
        FieldRenderer.Draw(field, board);
        return new string(board);
    }

    private static int Count(string text, char c)
    {
        int n = 0;
        foreach (char x in text) n += x == c ? 1 : 0;
        return n;
    }
}
