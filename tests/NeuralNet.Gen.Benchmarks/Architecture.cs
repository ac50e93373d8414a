using System;
using System.Linq;
using NeuralNet.Gen;

namespace NeuralNet.Gen.Benchmarks;

/// <summary>One benchmarked network: its shape and training setup, shared by every peer, and our generated version.</summary>
public sealed class Architecture
{
    public required string Name { get; init; }
    /// <summary>Layer widths, input first.</summary>
    public required int[] Sizes { get; init; }
    /// <summary>One activation per Dense layer.</summary>
    public required Activation[] Activations { get; init; }
    public required LossFunction Loss { get; init; }
    public required OptimizerKind Optimizer { get; init; }
    public required float LearningRate { get; init; }
    public required int BatchSize { get; init; }
    public required Func<ITrainableNetwork<float>> Create { get; init; }

    public int InputSize => Sizes[0];
    public int OutputSize => Sizes[^1];
    public int LayerCount => Sizes.Length - 1;

    /// <summary>Forward FLOPs per sample: 2·Σ in·out (training counts 3× that).</summary>
    public long ForwardFlops => 2L * Enumerable.Range(0, LayerCount).Sum(l => (long)Sizes[l] * Sizes[l + 1]);

    private int[]? _weightOffsets;

    /// <summary>Our parameter layout: per layer weight [out, in] row-major, then bias. Computed once: the peers call it in their inner loops.</summary>
    public int WeightOffset(int layer)
    {
        if (_weightOffsets is null)
        {
            var offsets = new int[LayerCount];
            for (int l = 1; l < LayerCount; l++) offsets[l] = offsets[l - 1] + Sizes[l - 1] * Sizes[l] + Sizes[l];
            _weightOffsets = offsets;
        }
        return _weightOffsets[layer];
    }

    public int BiasOffset(int layer) => WeightOffset(layer) + Sizes[layer] * Sizes[layer + 1];

    public NetworkDescription Description =>
        NetworkDescription.DenseStack(Precision.Single, InputSize, Enumerable.Range(0, LayerCount).Select(l => (Sizes[l + 1], Activations[l])).ToArray());

    public override string ToString() => Name;

    public static readonly Architecture[] All =
    [
        new() { Name = "circles", Sizes = [2, 4, 6, 6, 4, 1], Activations = [Activation.Relu, Activation.Relu, Activation.Relu, Activation.Relu, Activation.Sigmoid],
                Loss = LossFunction.BinaryCrossEntropy, Optimizer = OptimizerKind.Adam, LearningRate = 0.01f, BatchSize = 32, Create = () => new CirclesNet() },
        new() { Name = "gender", Sizes = [2, 2, 1], Activations = [Activation.Sigmoid, Activation.Sigmoid],
                Loss = LossFunction.MeanSquaredError, Optimizer = OptimizerKind.Sgd, LearningRate = 0.1f, BatchSize = 1, Create = () => new GenderNet() },
        new() { Name = "mnist50", Sizes = [784, 50, 10], Activations = [Activation.Sigmoid, Activation.Softmax],
                Loss = LossFunction.CategoricalCrossEntropy, Optimizer = OptimizerKind.Sgd, LearningRate = 0.1f, BatchSize = 100, Create = () => new Mnist50Net() },
        new() { Name = "fashion256", Sizes = [784, 256, 128, 10], Activations = [Activation.Relu, Activation.Relu, Activation.Softmax],
                Loss = LossFunction.CategoricalCrossEntropy, Optimizer = OptimizerKind.Adam, LearningRate = 0.001f, BatchSize = 64, Create = () => new Fashion256Net() },
    ];

    public static Architecture Get(string name) => All.First(a => a.Name == name);
}

/// <summary>The same synthetic data for every peer: 1024 samples shaped like each task's (no downloads on this machine).</summary>
public sealed class Dataset
{
    public const int SampleCount = 1024, InferenceBatch = 256;

    public Dataset(Architecture architecture)
    {
        Architecture = architecture;
        Inputs = new float[SampleCount * architecture.InputSize];
        Targets = new float[SampleCount * architecture.OutputSize];
        var random = new DeterministicRandom(20261122);
        for (int s = 0; s < SampleCount; s++)
        {
            Span<float> x = Inputs.AsSpan(s * architecture.InputSize, architecture.InputSize);
            Span<float> y = Targets.AsSpan(s * architecture.OutputSize, architecture.OutputSize);
            switch (architecture.Name)
            {
                case "circles": // inside or outside a circle of radius 0.7
                    x[0] = (float)random.NextDouble(-1, 1);
                    x[1] = (float)random.NextDouble(-1, 1);
                    y[0] = x[0] * x[0] + x[1] * x[1] < 0.49f ? 1 : 0;
                    break;
                case "gender": // weight - 135 lb, height - 66 in, as the tutorial shifts them
                    x[0] = (float)(random.NextNormal() * 20);
                    x[1] = (float)(random.NextNormal() * 4);
                    y[0] = x[0] + 3 * x[1] < 0 ? 1 : 0;
                    break;
                default: // 28×28 pixels in [0, 1], one-hot label
                    for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble();
                    y[random.NextInt32(y.Length)] = 1;
                    break;
            }
        }
        InferenceInputs = Inputs.AsSpan(0, InferenceBatch * architecture.InputSize).ToArray();
        BatchCount = SampleCount / architecture.BatchSize;
    }

    public Architecture Architecture { get; }
    public float[] Inputs { get; }
    public float[] Targets { get; }
    /// <summary>The first 256 samples, in their own array (ONNX Runtime binds it without a copy).</summary>
    public float[] InferenceInputs { get; }
    /// <summary>Training batches of the architecture's batch size.</summary>
    public int BatchCount { get; }

    public ReadOnlySpan<float> Sample(int index) => Inputs.AsSpan(index * Architecture.InputSize, Architecture.InputSize);
    public ReadOnlySpan<float> BatchInputs(int batch) => Inputs.AsSpan(batch * Architecture.BatchSize * Architecture.InputSize, Architecture.BatchSize * Architecture.InputSize);
    public ReadOnlySpan<float> BatchTargets(int batch) => Targets.AsSpan(batch * Architecture.BatchSize * Architecture.OutputSize, Architecture.BatchSize * Architecture.OutputSize);
}
