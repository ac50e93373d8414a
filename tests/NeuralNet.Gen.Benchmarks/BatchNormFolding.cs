using System;
using BenchmarkDotNet.Attributes;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Benchmarks;

/// <summary>Conv2D(32, 3) then BatchNorm on 28x28 images: the BatchNorm is folded into the filters at inference.</summary>
[Network(Seed = 3)]
[Input(28, 28, 1)]
[Conv2D(32, 3)]
[BatchNorm]
[MaxPool2D(2)]
[Flatten]
[Dense(10, Softmax)]
public partial class FoldedBatchNormCnn { }

/// <summary>The same network with Dropout(0), the identity at inference, between the two: the BatchNorm runs as its own pass.</summary>
[Network(Seed = 3)]
[Input(28, 28, 1)]
[Conv2D(32, 3)]
[Dropout(0)]
[BatchNorm]
[MaxPool2D(2)]
[Flatten]
[Dense(10, Softmax)]
public partial class UnfoldedBatchNormCnn { }

/// <summary>
/// What folding a BatchNorm into the convolution before it saves at inference: <c>dotnet run -c Release --project
/// tests/NeuralNet.Gen.Benchmarks -- --batchnorm-folding</c>. Both networks hold the same parameters and running statistics;
/// on a shared machine the Min column is the steadiest figure.
/// </summary>
[MinColumn, MedianColumn]
public class BatchNormFoldingBenchmarks
{
    private const int Batch = 64;
    private readonly FoldedBatchNormCnn _folded = new();
    private readonly UnfoldedBatchNormCnn _unfolded = new();
    private readonly float[] _inputs = new float[Batch * FoldedBatchNormCnn.InputSize];
    private readonly float[] _outputs = new float[Batch * FoldedBatchNormCnn.OutputSize];

    [GlobalSetup]
    public void Setup()
    {
        var random = new DeterministicRandom(1);
        for (int i = 0; i < _inputs.Length; i++) _inputs[i] = (float)random.NextDouble();
        for (int i = 0; i < _folded.Buffers.Length; i++) _folded.Buffers[i] = (float)random.NextDouble(0.5, 1.5);
        _folded.Parameters.CopyTo(_unfolded.Parameters);
        _folded.Buffers.CopyTo(_unfolded.Buffers);
        _folded.Forward(_inputs, _outputs, Batch);
        var expected = new float[_outputs.Length];
        _unfolded.Forward(_inputs, expected, Batch);
        for (int i = 0; i < expected.Length; i++)
        {
            if (Math.Abs(expected[i] - _outputs[i]) > 1e-5f) throw new InvalidOperationException($"folded and unfolded outputs differ at {i}: {_outputs[i]} against {expected[i]}");
        }
    }

    [Benchmark] public void FoldedSingleSample() => _folded.Forward(_inputs.AsSpan(0, FoldedBatchNormCnn.InputSize), _outputs.AsSpan(0, FoldedBatchNormCnn.OutputSize));

    [Benchmark] public void UnfoldedSingleSample() => _unfolded.Forward(_inputs.AsSpan(0, FoldedBatchNormCnn.InputSize), _outputs.AsSpan(0, FoldedBatchNormCnn.OutputSize));

    [Benchmark] public void FoldedBatch64() => _folded.Forward(_inputs, _outputs, Batch);

    [Benchmark] public void UnfoldedBatch64() => _unfolded.Forward(_inputs, _outputs, Batch);
}
