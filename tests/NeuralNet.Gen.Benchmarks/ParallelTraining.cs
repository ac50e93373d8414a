using BenchmarkDotNet.Attributes;

namespace NeuralNet.Gen.Benchmarks;

/// <summary>
/// Batch-256 training at one and two threads (<c>MaxDegreeOfParallelism</c>), the same bits either way:
/// <c>dotnet run -c Release --project tests/NeuralNet.Gen.Benchmarks -- --parallel-training [--quick]</c>.
/// The ratio of the two rows is the speed-up; on a shared machine the Min column is the steadiest figure.
/// </summary>
[MinColumn, MedianColumn]
public class ParallelTrainingBenchmarks
{
    private const int Batch = 256;
    private Mnist50Net _mnist = null!;
    private Fashion256Net _fashion = null!;
    private float[] _mnistInputs = null!, _mnistTargets = null!, _fashionInputs = null!, _fashionTargets = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _mnist = new Mnist50Net { MaxDegreeOfParallelism = Threads };
        _fashion = new Fashion256Net { MaxDegreeOfParallelism = Threads };
        (_mnistInputs, _mnistTargets) = Data(Mnist50Net.InputSize, Mnist50Net.OutputSize);
        (_fashionInputs, _fashionTargets) = Data(Fashion256Net.InputSize, Fashion256Net.OutputSize);
    }

    [Benchmark] public float Mnist50TrainStep256() => _mnist.TrainStep(_mnistInputs, _mnistTargets, Batch);

    [Benchmark] public float Fashion256TrainStep256() => _fashion.TrainStep(_fashionInputs, _fashionTargets, Batch);

    private static (float[] Inputs, float[] Targets) Data(int inputSize, int classes)
    {
        var random = new DeterministicRandom(4);
        var inputs = new float[Batch * inputSize];
        var targets = new float[Batch * classes];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = (float)random.NextDouble();
        for (int s = 0; s < Batch; s++) targets[s * classes + random.NextInt32(classes)] = 1f;
        return (inputs, targets);
    }
}
