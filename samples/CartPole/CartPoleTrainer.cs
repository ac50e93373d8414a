using System;
using NeuralNet.Gen;

namespace CartPole;

/// <summary>What one generation of <see cref="CartPoleTrainer"/> achieved.</summary>
/// <param name="Generation">1 for the first generation.</param>
/// <param name="BestLength">The best individual's mean episode length (steps) over this generation's episodes.</param>
/// <param name="MeanLength">The population's mean episode length.</param>
/// <param name="ValidationLength">The best individual's mean length over the validation episodes, or 0 when it was not validated.</param>
/// <param name="IsSolved">True when the best individual balanced the pole for 500 steps in every validation episode.</param>
public readonly record struct GenerationResult(int Generation, float BestLength, float MeanLength, float ValidationLength, bool IsSolved);

/// <summary>
/// Neuroevolution for CartPole: a population of parameter vectors for <see cref="CartPolePolicy"/>, each scored by
/// playing episodes through the static, pure <c>CartPolePolicy.Forward(parameters, input, output)</c>, the top
/// <c>eliteCount</c> kept unchanged and the rest replaced by Gaussian mutations of them (a truncation-selection
/// genetic algorithm without crossover).
/// </summary>
/// <remarks>
/// Every buffer is allocated in the constructor; <see cref="RunGeneration"/> and <see cref="RunEpisode"/> allocate
/// nothing. Single-threaded, with all randomness from one seeded <see cref="DeterministicRandom"/>, so the same seed
/// gives the same parameters bit for bit on the same machine type and runtime.
/// </remarks>
public sealed class CartPoleTrainer
{
    private const int N = CartPolePolicy.ParameterCount;

    private readonly int _populationSize;
    private readonly int _eliteCount;
    private readonly float _mutationScale;
    private readonly int _validationEpisodes;
    private DeterministicRandom _random;
    private float[] _population;
    private float[] _offspring;
    private readonly float[] _fitness;
    private readonly int[] _order;
    private readonly CartPoleEnvironment[] _starts;
    private readonly float[] _best = new float[N];
    private readonly float[] _observation = new float[CartPolePolicy.InputSize];
    private readonly float[] _action = new float[CartPolePolicy.OutputSize];

    /// <summary>Creates the first generation from <paramref name="seed"/>.</summary>
    /// <param name="seed">Seeds every random choice: initial parameters, episode start states, selection, mutation.</param>
    /// <param name="populationSize">Parameter vectors per generation.</param>
    /// <param name="eliteCount">Best individuals kept unchanged and used as parents.</param>
    /// <param name="mutationScale">Standard deviation of the Gaussian noise added to each parameter of a child.</param>
    /// <param name="episodesPerEvaluation">Episodes (shared start states) each individual plays per generation.</param>
    /// <param name="validationEpisodes">Fresh episodes the generation's best must balance for 500 steps to count as solved.</param>
    public CartPoleTrainer(int seed, int populationSize = 64, int eliteCount = 8, float mutationScale = 0.1f,
        int episodesPerEvaluation = 3, int validationEpisodes = 100)
    {
        if (populationSize < 2) throw new ArgumentOutOfRangeException(nameof(populationSize), populationSize, "Expected a population of at least 2.");
        if (eliteCount < 1 || eliteCount >= populationSize)
            throw new ArgumentOutOfRangeException(nameof(eliteCount), eliteCount, $"Expected 1 <= eliteCount < populationSize ({populationSize}).");
        if (!(mutationScale > 0) || float.IsInfinity(mutationScale))
            throw new ArgumentOutOfRangeException(nameof(mutationScale), mutationScale, "Expected a positive, finite mutation scale.");
        if (episodesPerEvaluation < 1) throw new ArgumentOutOfRangeException(nameof(episodesPerEvaluation), episodesPerEvaluation, "Expected at least 1 episode per evaluation.");
        if (validationEpisodes < 1) throw new ArgumentOutOfRangeException(nameof(validationEpisodes), validationEpisodes, "Expected at least 1 validation episode.");

        _populationSize = populationSize;
        _eliteCount = eliteCount;
        _mutationScale = mutationScale;
        _validationEpisodes = validationEpisodes;
        _random = new DeterministicRandom(seed);
        _population = new float[populationSize * N];
        _offspring = new float[populationSize * N];
        _fitness = new float[populationSize];
        _order = new int[populationSize];
        _starts = new CartPoleEnvironment[episodesPerEvaluation];

        // One agent, its brain initialised by the network's own (Glorot) initialiser from the seed; the first
        // generation is it and mutations of it, so what the population reaches it has learned, not drawn.
        var network = new CartPolePolicy();
        network.InitializeParameters(seed);
        for (int i = 0; i < populationSize; i++)
        {
            Span<float> individual = _population.AsSpan(i * N, N);
            network.Parameters.CopyTo(individual);
            if (i == 0) continue;
            for (int p = 0; p < N; p++) individual[p] += mutationScale * (float)_random.NextNormal();
        }
    }

    /// <summary>Generations run so far.</summary>
    public int Generation { get; private set; }

    /// <summary>Calls of <c>CartPolePolicy.Forward</c> so far: one per simulated step (frame).</summary>
    public long NetworkEvaluations { get; private set; }

    /// <summary>True once a generation's best balanced the pole for 500 steps in every validation episode.</summary>
    public bool IsSolved { get; private set; }

    /// <summary>The best parameter vector of the last generation (all zeros before the first).</summary>
    public ReadOnlySpan<float> BestParameters => _best;

    /// <summary>Scores every individual, keeps the best, validates it if it balanced every episode, then breeds the next generation.</summary>
    public GenerationResult RunGeneration()
    {
        Generation++;
        for (int k = 0; k < _starts.Length; k++) _starts[k].Reset(ref _random);

        float total = 0;
        for (int i = 0; i < _populationSize; i++)
        {
            ReadOnlySpan<float> parameters = _population.AsSpan(i * N, N);
            int steps = 0;
            for (int k = 0; k < _starts.Length; k++)
            {
                CartPoleEnvironment environment = _starts[k];
                steps += RunEpisode(parameters, ref environment);
            }
            _fitness[i] = (float)steps / _starts.Length;
            total += _fitness[i];
            _order[i] = i;
        }
        SortByFitnessDescending();

        int best = _order[0];
        _population.AsSpan(best * N, N).CopyTo(_best);
        float validation = 0;
        if (_fitness[best] >= CartPoleEnvironment.MaxSteps)
        {
            validation = Validate(_best);
            IsSolved = validation >= CartPoleEnvironment.MaxSteps;
        }

        Breed();
        return new GenerationResult(Generation, _fitness[best], total / _populationSize, validation, IsSolved);
    }

    /// <summary>
    /// The game loop of one episode from <paramref name="environment"/>'s current state until it is done: observe,
    /// decide with the network, step the physics. Returns the steps played.
    /// </summary>
    public int RunEpisode(ReadOnlySpan<float> parameters, ref CartPoleEnvironment environment)
    {
        int start = environment.Steps;
        while (!environment.IsDone)
        {
            environment.Step(Decide(parameters, environment, _observation, _action));
        }
        NetworkEvaluations += environment.Steps - start;
        return environment.Steps - start;
    }

    /// <summary>One frame's decision: true pushes the cart right.</summary>
    public static bool Decide(ReadOnlySpan<float> parameters, in CartPoleEnvironment environment, Span<float> observation, Span<float> action)
    {
        environment.Observe(observation);
        CartPolePolicy.Forward(parameters, observation, action);
        return action[0] > 0;
    }

    private float Validate(ReadOnlySpan<float> parameters)
    {
        int steps = 0;
        var environment = new CartPoleEnvironment();
        for (int e = 0; e < _validationEpisodes; e++)
        {
            environment.Reset(ref _random);
            steps += RunEpisode(parameters, ref environment);
        }
        return (float)steps / _validationEpisodes;
    }

    // Insertion sort of indices, ties broken by index: a fixed order independent of any library sort's details.
    private void SortByFitnessDescending()
    {
        for (int i = 1; i < _order.Length; i++)
        {
            int item = _order[i];
            int j = i - 1;
            while (j >= 0 && (_fitness[_order[j]] < _fitness[item] || (_fitness[_order[j]] == _fitness[item] && _order[j] > item)))
            {
                _order[j + 1] = _order[j];
                j--;
            }
            _order[j + 1] = item;
        }
    }

    private void Breed()
    {
        for (int e = 0; e < _eliteCount; e++)
        {
            _population.AsSpan(_order[e] * N, N).CopyTo(_offspring.AsSpan(e * N, N));
        }
        for (int c = _eliteCount; c < _populationSize; c++)
        {
            ReadOnlySpan<float> parent = _population.AsSpan(_order[_random.NextInt32(_eliteCount)] * N, N);
            Span<float> child = _offspring.AsSpan(c * N, N);
            for (int p = 0; p < N; p++)
            {
                child[p] = parent[p] + _mutationScale * (float)_random.NextNormal();
            }
        }
        (_population, _offspring) = (_offspring, _population);
    }
}
