using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;

namespace NeuralNet.Gen.Benchmarks;

/// <summary>Single-sample latency and batch-256 throughput of every peer on every network.</summary>
public class InferenceBenchmarks
{
    private Peer _peer = null!;
    private float[] _output = [], _batchOutput = [];
    private int _sample;

    [ParamsSource(nameof(Networks))]
    public string Network { get; set; } = "";

    [ParamsSource(nameof(Peers))]
    public string Peer { get; set; } = "";

    public static IEnumerable<string> Networks => PeerFactory.NetworkNames;
    public static IEnumerable<string> Peers => PeerFactory.InferencePeers;

    [GlobalSetup]
    public void Setup()
    {
        _peer = PeerFactory.Create(Network, Peer);
        _output = new float[_peer.Architecture.OutputSize];
        _batchOutput = new float[Dataset.InferenceBatch * _peer.Architecture.OutputSize];
    }

    [GlobalCleanup]
    public void Cleanup() => _peer.Dispose();

    /// <summary>One sample, cycling through the dataset.</summary>
    [Benchmark]
    public float SingleSample()
    {
        _sample = (_sample + 1) & (Dataset.SampleCount - 1);
        _peer.Forward(_sample, _output);
        return _output[0];
    }

    /// <summary>256 samples in one call.</summary>
    [Benchmark]
    public float Batch256()
    {
        _peer.ForwardBatch(_batchOutput);
        return _batchOutput[0];
    }
}

/// <summary>
/// Single-sample latency without a call boundary per sample: the dataset's first 256 samples, one single-sample call
/// each, per sample. RTNeural (C++) runs its 256 <c>forward</c> calls inside one P/Invoke, so the transition (several ns,
/// a large share of a 30 ns figure) is paid once; ours are 256 <c>Forward</c> calls in a C# loop. Run with --rtneural.
/// </summary>
public class SampleLoopBenchmarks
{
    private Peer _peer = null!;
    private float[] _outputs = [];

    [ParamsSource(nameof(Networks))]
    public string Network { get; set; } = "";

    [ParamsSource(nameof(Peers))]
    public string Peer { get; set; } = "";

    public static IEnumerable<string> Networks => PeerFactory.NetworkNames;
    public static IEnumerable<string> Peers => PeerFactory.SampleLoopPeers;

    [GlobalSetup]
    public void Setup()
    {
        _peer = PeerFactory.Create(Network, Peer);
        _outputs = new float[Dataset.InferenceBatch * _peer.Architecture.OutputSize];
    }

    [GlobalCleanup]
    public void Cleanup() => _peer.Dispose();

    [Benchmark(OperationsPerInvoke = Dataset.InferenceBatch)]
    public float SingleSampleLoop()
    {
        _peer.ForwardEach(_outputs);
        return _outputs[0];
    }
}

/// <summary>One training step (forward, backward, optimizer update) at each network's batch size.</summary>
public class TrainingBenchmarks
{
    private Peer _peer = null!;
    private int _batch;

    [ParamsSource(nameof(Networks))]
    public string Network { get; set; } = "";

    [ParamsSource(nameof(Peers))]
    public string Peer { get; set; } = "";

    public static IEnumerable<string> Networks => PeerFactory.NetworkNames;
    public static IEnumerable<string> Peers => PeerFactory.TrainingPeers;

    [GlobalSetup]
    public void Setup() => _peer = PeerFactory.Create(Network, Peer);

    [GlobalCleanup]
    public void Cleanup() => _peer.Dispose();

    /// <summary>Cycles through the dataset's batches.</summary>
    [Benchmark]
    public float TrainStep()
    {
        _batch++;
        if (_batch == _peer.Data.BatchCount) _batch = 0;
        return _peer.TrainStep(_batch);
    }
}
