using System;
using NeuralNet.Gen;

namespace FoodGatherer;

/// <summary>
/// The last <see cref="Capacity"/> transitions (s, a, r, s′) in preallocated arrays, the oldest overwritten first.
/// Sampling draws uniformly with replacement, as the DQN paper does.
/// </summary>
public sealed class ReplayBuffer
{
    private readonly int _observationSize;
    private readonly float[] _observations;
    private readonly float[] _nextObservations;
    private readonly int[] _actions;
    private readonly float[] _rewards;
    private int _next;

    /// <summary>Allocates room for <paramref name="capacity"/> transitions of <paramref name="observationSize"/>-value observations.</summary>
    public ReplayBuffer(int capacity, int observationSize)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "Expected a capacity of at least 1.");
        if (observationSize < 1) throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "Expected an observation size of at least 1.");
        Capacity = capacity;
        _observationSize = observationSize;
        _observations = new float[capacity * observationSize];
        _nextObservations = new float[capacity * observationSize];
        _actions = new int[capacity];
        _rewards = new float[capacity];
    }

    /// <summary>Transitions the buffer holds at most.</summary>
    public int Capacity { get; }

    /// <summary>Transitions held.</summary>
    public int Count { get; private set; }

    /// <summary>Stores one transition, replacing the oldest when full.</summary>
    public void Add(ReadOnlySpan<float> observation, int action, float reward, ReadOnlySpan<float> nextObservation)
    {
        if (observation.Length != _observationSize)
            throw new ArgumentException($"Expected an observation of length {_observationSize}, got {observation.Length}.", nameof(observation));
        if (nextObservation.Length != _observationSize)
            throw new ArgumentException($"Expected a next observation of length {_observationSize}, got {nextObservation.Length}.", nameof(nextObservation));
        observation.CopyTo(_observations.AsSpan(_next * _observationSize, _observationSize));
        nextObservation.CopyTo(_nextObservations.AsSpan(_next * _observationSize, _observationSize));
        _actions[_next] = action;
        _rewards[_next] = reward;
        _next = (_next + 1) % Capacity;
        if (Count < Capacity) Count++;
    }

    /// <summary>
    /// Fills a minibatch of <paramref name="actions"/>.Length transitions drawn uniformly with replacement;
    /// observations row-major, one row per transition.
    /// </summary>
    public void Sample(ref DeterministicRandom random, Span<float> observations, Span<int> actions, Span<float> rewards, Span<float> nextObservations)
    {
        int batchSize = actions.Length;
        if (Count == 0) throw new InvalidOperationException("The replay buffer is empty.");
        if (observations.Length != batchSize * _observationSize)
            throw new ArgumentException($"Expected {batchSize * _observationSize} observation values for {batchSize} transitions, got {observations.Length}.", nameof(observations));
        if (nextObservations.Length != batchSize * _observationSize)
            throw new ArgumentException($"Expected {batchSize * _observationSize} next-observation values for {batchSize} transitions, got {nextObservations.Length}.", nameof(nextObservations));
        if (rewards.Length != batchSize)
            throw new ArgumentException($"Expected {batchSize} rewards, got {rewards.Length}.", nameof(rewards));
        for (int i = 0; i < batchSize; i++)
        {
            int k = random.NextInt32(Count);
            _observations.AsSpan(k * _observationSize, _observationSize).CopyTo(observations.Slice(i * _observationSize, _observationSize));
            _nextObservations.AsSpan(k * _observationSize, _observationSize).CopyTo(nextObservations.Slice(i * _observationSize, _observationSize));
            actions[i] = _actions[k];
            rewards[i] = _rewards[k];
        }
    }
}
