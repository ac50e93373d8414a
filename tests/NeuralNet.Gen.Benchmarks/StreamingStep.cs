using System;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Streaming;

namespace NeuralNet.Gen.Benchmarks;

/// <summary>
/// RTNeural's benchmark model (samples/Streaming: Dense(8, Tanh), causal Conv1D(4, 3, Tanh, Dilation = 2), GRU(8),
/// Dense(1)) streamed one sample per <c>Step</c>, as an audio plug-in runs it: <c>dotnet run -c Release --project
/// tests/NeuralNet.Gen.Benchmarks -- --streaming</c>. <see cref="Block"/> streams one 48 kHz block of 480 samples (10 ms);
/// 10 ms divided by its time is the real-time factor. With <c>--rtneural /path/to/RTNeural</c>, <see cref="RtNeuralBlock"/>
/// streams the same block through RTNeural's compile-time <c>ModelT</c> (Eigen backend) with the same weights
/// (<see cref="RtNeuralPeer"/>); without it that row is left out. The benchmark methods are compiled optimised from the
/// first call, as the generated <c>Step</c> is: the quick job is too short for tiered compilation to reach them.
/// </summary>
[MinColumn, MedianColumn]
public class StreamingStepBenchmarks
{
    private const int BlockSize = SignalTask.SampleRate / 100;
    private readonly StreamingNet _net = new();
    private float[] _signal = [];
    private readonly float[] _output = new float[BlockSize];
    private int _position;

    [GlobalSetup]
    public void Setup()
    {
        var random = new DeterministicRandom(4);
        _signal = SignalTask.Signal(SignalTask.SampleRate, ref random);
        // Step must give Forward's outputs: the benchmark times the real computation.
        var forward = new float[SignalTask.Window];
        _net.Forward(_signal.AsSpan(0, SignalTask.Window), forward);
        var streamed = SignalTask.Stream(_net, _signal.AsSpan(0, SignalTask.Window));
        if (!forward.AsSpan().SequenceEqual(streamed)) throw new InvalidOperationException("Step does not reproduce Forward");
        _net.ResetState();
        if (RtNeuralPeer.Library is null) return;
        // RTNeural runs our weights and must give our outputs (to 1e-4: its tanh is an approximation) before it is timed.
        RtNeuralPeer.Load(_net.Parameters);
        var theirs = new float[SignalTask.Window];
        RtNeuralPeer.Process(_signal.AsSpan(0, SignalTask.Window), theirs);
        double worst = 0;
        for (int t = 0; t < theirs.Length; t++) worst = Math.Max(worst, Math.Abs(theirs[t] - forward[t]));
        Console.WriteLine($"// RTNeural ModelT against Step over {theirs.Length} samples: largest difference {worst:E2}");
        if (!(worst <= 1e-4)) throw new InvalidOperationException($"RTNeural's outputs differ from ours by {worst:E2} (more than 1e-4): the weights did not map");
        RtNeuralPeer.Reset();
    }

    /// <summary>One sample.</summary>
    [Benchmark]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Step()
    {
        _net.Step(_signal.AsSpan(_position, 1), _output.AsSpan(0, 1));
        _position = _position + 1 == _signal.Length ? 0 : _position + 1;
    }

    /// <summary>One 10 ms block at 48 kHz, sample by sample.</summary>
    [Benchmark(OperationsPerInvoke = BlockSize)]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Block()
    {
        if (_position + BlockSize > _signal.Length) _position = 0;
        for (int t = 0; t < BlockSize; t++) _net.Step(_signal.AsSpan(_position + t, 1), _output.AsSpan(t, 1));
        _position += BlockSize;
    }

    /// <summary>The same 10 ms block through RTNeural's <c>ModelT</c>, one forward call per sample, in one P/Invoke.</summary>
    [Benchmark(OperationsPerInvoke = BlockSize)]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RtNeuralBlock()
    {
        if (_position + BlockSize > _signal.Length) _position = 0;
        RtNeuralPeer.Process(_signal.AsSpan(_position, BlockSize), _output);
        _position += BlockSize;
    }
}
