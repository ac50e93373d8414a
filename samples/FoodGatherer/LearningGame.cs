using System;
using System.Diagnostics;
using NeuralNet.Gen;

namespace FoodGatherer;

/// <summary>
/// The game loop with learning on: every frame the agent observes, acts, the field steps, the transition is
/// remembered and the agent takes one training step (<c>TrainStep</c> on a minibatch of 32). Frame times are
/// measured against <see cref="FrameBudget"/>.
/// </summary>
/// <remarks>
/// The number of training steps per frame is fixed (one), not adapted to the clock, so a seed gives the same
/// episodes on every run; the budget is checked, not enforced. Nothing here allocates after the first training step.
/// </remarks>
public sealed class LearningGame
{
    private readonly int _seed;
    private readonly float[] _observation = new float[GatheringField.ObservationSize];
    private readonly float[] _nextObservation = new float[GatheringField.ObservationSize];

    /// <summary>Creates the field and the agent; <paramref name="seed"/> fixes the layouts and the agent's randomness.</summary>
    public LearningGame(int seed, DqnAgent? agent = null, double frameBudgetMilliseconds = 1.0)
    {
        if (!(frameBudgetMilliseconds > 0)) throw new ArgumentOutOfRangeException(nameof(frameBudgetMilliseconds), frameBudgetMilliseconds, "Expected a positive frame budget.");
        _seed = seed;
        Agent = agent ?? new DqnAgent(seed);
        FrameBudget = TimeSpan.FromMilliseconds(frameBudgetMilliseconds);
        FrameTimes = new FrameTimes(Stopwatch.Frequency * frameBudgetMilliseconds / 1000);
    }

    public GatheringField Field { get; } = new();

    public DqnAgent Agent { get; }

    /// <summary>The time one frame of game, decision and learning may take: 1 ms by default, a sixteenth of a 60 Hz frame, leaving the rest to drawing and the game's other work.</summary>
    public TimeSpan FrameBudget { get; }

    /// <summary>Learning frames measured so far.</summary>
    public FrameTimes FrameTimes { get; }

    /// <summary>Episodes started so far.</summary>
    public int Episode { get; private set; }

    /// <summary>The seed of episode <paramref name="episode"/>'s starting layout: the same for every policy that plays it.</summary>
    public static long EpisodeSeed(int seed, int episode) => seed * 1_000_003L + episode;

    /// <summary>Starts the next episode's field.</summary>
    public void BeginEpisode()
    {
        Field.Reset(EpisodeSeed(_seed, Episode));
        Field.Observe(_observation);
        Episode++;
    }

    /// <summary>One frame with learning on. Returns true when the episode is over.</summary>
    public bool Frame()
    {
        long start = Stopwatch.GetTimestamp();
        int action = Agent.Act(_observation);
        int reward = Field.Step(action);
        Field.Observe(_nextObservation);
        Agent.Remember(_observation, action, reward, _nextObservation);
        Agent.Learn();
        _nextObservation.AsSpan().CopyTo(_observation);
        FrameTimes.Add(Stopwatch.GetTimestamp() - start);
        return Field.IsOver;
    }

    /// <summary>Plays the next episode with learning on; returns its score.</summary>
    public int PlayEpisode()
    {
        BeginEpisode();
        while (!Frame()) { }
        return Field.Score;
    }

    /// <summary>Plays the layout of <paramref name="episodeSeed"/> with the greedy policy and no learning; returns the score.</summary>
    public static int PlayGreedy(DqnAgent agent, GatheringField field, long episodeSeed, Span<float> observation)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(field);
        field.Reset(episodeSeed);
        while (!field.IsOver)
        {
            field.Observe(observation);
            field.Step(agent.Greedy(observation));
        }
        return field.Score;
    }

    /// <summary>Plays the layout of <paramref name="episodeSeed"/> with uniformly random moves; returns the score.</summary>
    public static int PlayRandom(GatheringField field, long episodeSeed, ref DeterministicRandom random)
    {
        ArgumentNullException.ThrowIfNull(field);
        field.Reset(episodeSeed);
        while (!field.IsOver) field.Step(random.NextInt32(GatheringField.ActionCount));
        return field.Score;
    }
}

/// <summary>A histogram of frame times (10 µs bins up to 100 ms), so percentiles cost no allocation per frame.</summary>
public sealed class FrameTimes
{
    private const int BinMicroseconds = 10;
    private readonly long[] _bins = new long[10_001];
    private readonly double _budgetTicks;

    internal FrameTimes(double budgetTicks) => _budgetTicks = budgetTicks;

    public long Count { get; private set; }
    public long OverBudget { get; private set; }
    public long TotalTicks { get; private set; }
    public long MaxTicks { get; private set; }

    /// <summary>Frames per second over the measured frames: game, decision and learning, nothing else.</summary>
    public double FramesPerSecond => TotalTicks == 0 ? 0 : Count * (double)Stopwatch.Frequency / TotalTicks;

    public double MaxMilliseconds => MaxTicks * 1000.0 / Stopwatch.Frequency;

    public void Add(long ticks)
    {
        Count++;
        TotalTicks += ticks;
        if (ticks > MaxTicks) MaxTicks = ticks;
        if (ticks > _budgetTicks) OverBudget++;
        long microseconds = ticks * 1_000_000 / Stopwatch.Frequency;
        _bins[Math.Min(microseconds / BinMicroseconds, _bins.Length - 1)]++;
    }

    /// <summary>The frame time (ms, upper edge of its 10 µs bin) below which <paramref name="fraction"/> of the frames fell.</summary>
    public double Percentile(double fraction)
    {
        long rank = (long)Math.Ceiling(fraction * Count), seen = 0;
        for (int i = 0; i < _bins.Length; i++)
        {
            seen += _bins[i];
            if (seen >= rank && seen > 0) return (i + 1) * BinMicroseconds / 1000.0;
        }
        return 0;
    }

    public void Clear()
    {
        Array.Clear(_bins);
        Count = OverBudget = TotalTicks = MaxTicks = 0;
    }
}
