using System;
using NeuralNet.Gen;

namespace FoodGatherer;

/// <summary>
/// Deep Q-learning (Mnih et al. 2015, "Human-level control through deep reinforcement learning", Nature 518):
/// an online <see cref="GathererQNetwork"/> trained every frame on a minibatch from the replay buffer toward
/// r + γ·max Q_target(s′, ·), and a target network, a second instance whose <c>Parameters</c> are copied from the
/// online one every <see cref="TargetUpdatePeriod"/> training steps. ε-greedy exploration, ε falling linearly.
/// </summary>
/// <remarks>
/// Episodes end only by the time limit, which the observation does not show, so every transition bootstraps from
/// s′ (a time-out is not a terminal state; Pardo et al. 2018, "Time limits in reinforcement learning").
/// Every buffer is allocated in the constructor and the networks' batch buffers by the first training step:
/// <see cref="Act"/>, <see cref="Remember"/> and <see cref="Learn"/> allocate nothing after that.
/// </remarks>
public sealed class DqnAgent
{
    /// <summary>Transitions per training step.</summary>
    public const int BatchSize = 32;

    private const int ObservationSize = GathererQNetwork.InputSize;
    private const int ActionCount = GathererQNetwork.OutputSize;

    private readonly GathererQNetwork _online = new();
    private readonly GathererQNetwork _target = new();
    private readonly ReplayBuffer _replay;
    private DeterministicRandom _random;
    private readonly float[] _q = new float[ActionCount];
    private readonly float[] _observations = new float[BatchSize * ObservationSize];
    private readonly float[] _nextObservations = new float[BatchSize * ObservationSize];
    private readonly int[] _actions = new int[BatchSize];
    private readonly float[] _rewards = new float[BatchSize];
    private readonly float[] _targets = new float[BatchSize * ActionCount];
    private readonly float[] _nextQ = new float[BatchSize * ActionCount];

    /// <summary>Creates the agent; <paramref name="seed"/> draws the initial parameters, the exploration and the minibatches.</summary>
    /// <param name="seed">Seeds every random choice of the agent.</param>
    /// <param name="discount">γ, the weight of the next frame's estimated return.</param>
    /// <param name="replayCapacity">Transitions the replay buffer keeps.</param>
    /// <param name="warmupFrames">Transitions collected before the first training step.</param>
    /// <param name="targetUpdatePeriod">Training steps between copies of the online parameters into the target network.</param>
    /// <param name="explorationFrames">Frames over which ε falls from 1 to <paramref name="finalExploration"/>.</param>
    /// <param name="finalExploration">ε after <paramref name="explorationFrames"/> frames.</param>
    public DqnAgent(int seed, float discount = 0.9f, int replayCapacity = 10_000, int warmupFrames = 500,
        int targetUpdatePeriod = 200, int explorationFrames = 4_000, float finalExploration = 0.05f)
    {
        if (!(discount >= 0 && discount < 1)) throw new ArgumentOutOfRangeException(nameof(discount), discount, "Expected 0 <= discount < 1.");
        if (warmupFrames < BatchSize) throw new ArgumentOutOfRangeException(nameof(warmupFrames), warmupFrames, $"Expected at least {BatchSize} warm-up frames (one minibatch).");
        if (replayCapacity < warmupFrames) throw new ArgumentOutOfRangeException(nameof(replayCapacity), replayCapacity, $"Expected a replay capacity of at least warmupFrames ({warmupFrames}).");
        if (targetUpdatePeriod < 1) throw new ArgumentOutOfRangeException(nameof(targetUpdatePeriod), targetUpdatePeriod, "Expected a target update period of at least 1.");
        if (explorationFrames < 1) throw new ArgumentOutOfRangeException(nameof(explorationFrames), explorationFrames, "Expected at least 1 exploration frame.");
        if (!(finalExploration >= 0 && finalExploration <= 1)) throw new ArgumentOutOfRangeException(nameof(finalExploration), finalExploration, "Expected 0 <= finalExploration <= 1.");

        Discount = discount;
        WarmupFrames = warmupFrames;
        TargetUpdatePeriod = targetUpdatePeriod;
        ExplorationFrames = explorationFrames;
        FinalExploration = finalExploration;
        _replay = new ReplayBuffer(replayCapacity, ObservationSize);
        _random = new DeterministicRandom(seed);
        _online.InitializeParameters(seed);
        _online.Parameters.CopyTo(_target.Parameters);
    }

    public float Discount { get; }
    public int WarmupFrames { get; }
    public int TargetUpdatePeriod { get; }
    public int ExplorationFrames { get; }
    public float FinalExploration { get; }

    /// <summary>The network that acts and learns.</summary>
    public GathererQNetwork Online => _online;

    /// <summary>Transitions remembered so far.</summary>
    public long Frames { get; private set; }

    /// <summary>Calls of <c>TrainStep</c> so far.</summary>
    public long TrainSteps { get; private set; }

    /// <summary>The probability that <see cref="Act"/> moves at random now.</summary>
    public float Exploration => Frames >= ExplorationFrames ? FinalExploration : 1 - (1 - FinalExploration) * Frames / ExplorationFrames;

    /// <summary>ε-greedy: a random move with probability <see cref="Exploration"/>, else the greedy one.</summary>
    public int Act(ReadOnlySpan<float> observation)
    {
        // Both draws are taken every frame, so the random stream does not depend on the network's answers.
        double coin = _random.NextDouble();
        int randomAction = _random.NextInt32(ActionCount);
        return coin < Exploration ? randomAction : Greedy(observation);
    }

    /// <summary>The move with the largest estimated return (the first on a tie).</summary>
    public int Greedy(ReadOnlySpan<float> observation)
    {
        _online.Forward(observation, _q);
        return ArgMax(_q);
    }

    /// <summary>Stores the frame's transition in the replay buffer.</summary>
    public void Remember(ReadOnlySpan<float> observation, int action, float reward, ReadOnlySpan<float> nextObservation)
    {
        _replay.Add(observation, action, reward, nextObservation);
        Frames++;
    }

    /// <summary>
    /// One training step on a minibatch from the replay buffer, once <see cref="WarmupFrames"/> transitions are in it.
    /// Returns the minibatch's Huber loss, or NaN while warming up.
    /// </summary>
    /// <remarks>
    /// The target of every action not taken is the online network's own current estimate, so its error and its
    /// gradient are zero and only Q(s, a) of the action taken moves: the generated loss covers every output.
    /// </remarks>
    public float Learn()
    {
        if (_replay.Count < WarmupFrames) return float.NaN;
        _replay.Sample(ref _random, _observations, _actions, _rewards, _nextObservations);
        _target.Forward(_nextObservations, _nextQ, BatchSize);
        _online.Forward(_observations, _targets, BatchSize);
        for (int i = 0; i < BatchSize; i++)
        {
            float best = _nextQ[i * ActionCount];
            for (int a = 1; a < ActionCount; a++) best = MathF.Max(best, _nextQ[i * ActionCount + a]);
            _targets[i * ActionCount + _actions[i]] = _rewards[i] + Discount * best;
        }
        float loss = _online.TrainStep(_observations, _targets, BatchSize);
        TrainSteps++;
        if (TrainSteps % TargetUpdatePeriod == 0) _online.Parameters.CopyTo(_target.Parameters);
        return loss;
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best]) best = i;
        }
        return best;
    }
}
