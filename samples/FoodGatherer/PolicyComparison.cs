using System;
using NeuralNet.Gen;

namespace FoodGatherer;

/// <summary>The learner against a random policy, episode by episode on the same starting layouts.</summary>
public static class PolicyComparison
{
    /// <summary>Episodes from this index on are never played while learning: held-out layouts for evaluation.</summary>
    public const int HeldOutEpisode = 1_000_000;

    /// <summary>Scores of a uniformly random policy on the layouts of episodes [<paramref name="firstEpisode"/>, +<paramref name="count"/>).</summary>
    public static int[] RandomScores(int seed, int firstEpisode, int count)
    {
        var field = new GatheringField();
        var random = new DeterministicRandom(~(long)seed); // a stream of its own, not the agent's
        var scores = new int[count];
        for (int e = 0; e < count; e++) scores[e] = LearningGame.PlayRandom(field, LearningGame.EpisodeSeed(seed, firstEpisode + e), ref random);
        return scores;
    }

    /// <summary>Scores of the agent's greedy policy (no exploration, no learning) on the layouts of episodes [<paramref name="firstEpisode"/>, +<paramref name="count"/>).</summary>
    public static int[] GreedyScores(DqnAgent agent, int seed, int firstEpisode, int count)
    {
        var field = new GatheringField();
        var observation = new float[GatheringField.ObservationSize];
        var scores = new int[count];
        for (int e = 0; e < count; e++) scores[e] = LearningGame.PlayGreedy(agent, field, LearningGame.EpisodeSeed(seed, firstEpisode + e), observation);
        return scores;
    }

    /// <summary>The mean of <paramref name="a"/>[i] − <paramref name="b"/>[i] and its standard error.</summary>
    public static (double Mean, double StandardError) PairedDifference(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"Expected {a.Length} paired scores, got {b.Length}.", nameof(b));
        if (a.Length < 2) throw new ArgumentException("Expected at least 2 pairs.", nameof(a));
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] - b[i];
        double mean = sum / a.Length, squares = 0;
        for (int i = 0; i < a.Length; i++) squares += (a[i] - b[i] - mean) * (a[i] - b[i] - mean);
        return (mean, Math.Sqrt(squares / (a.Length - 1) / a.Length));
    }

    /// <summary>
    /// The first episode (1-based) that ends a window of <paramref name="window"/> episodes in which the learner
    /// out-scored the random policy on the same layouts by more than <paramref name="standardErrors"/> standard
    /// errors of the paired difference; 0 when no window does.
    /// </summary>
    public static int FirstEpisodeBeatingRandom(ReadOnlySpan<int> learner, ReadOnlySpan<int> random, int window = 20, double standardErrors = 3)
    {
        if (learner.Length != random.Length) throw new ArgumentException($"Expected {learner.Length} random scores, got {random.Length}.", nameof(random));
        for (int end = window; end <= learner.Length; end++)
        {
            (double mean, double standardError) = PairedDifference(learner.Slice(end - window, window), random.Slice(end - window, window));
            if (mean > 0 && mean > standardErrors * standardError) return end;
        }
        return 0;
    }

    public static double Mean(ReadOnlySpan<int> values)
    {
        double sum = 0;
        foreach (int value in values) sum += value;
        return values.Length == 0 ? 0 : sum / values.Length;
    }
}
