using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using NeuralNet.Gen;

namespace NeuralNet.Gen.Benchmarks;

/// <summary>Builds a peer for a network by name, every peer starting from our network's initial parameters.</summary>
public static class PeerFactory
{
    public const string Ours = "NeuralNetGen", OursAllCores = "NeuralNetGenAllCores", Naive = "Naive", Primitives = "TensorPrimitives",
        OnnxRuntime = "OnnxRuntime", RtNeural = "RTNeural", Torch1 = "TorchSharp1Thread", TorchAll = "TorchSharpAllCores";

    /// <summary>The generated networks' multi-thread switch, looked up by name; null while the generator has none.</summary>
    public const string ParallelismProperty = "MaxDegreeOfParallelism";

    public static bool TorchAvailable { get; set; }
    public static string[] NetworkNames { get; set; } = Architecture.All.Select(a => a.Name).ToArray();

    public static IEnumerable<string> InferencePeers
    {
        get
        {
            var peers = new List<string> { Ours, Naive, Primitives, OnnxRuntime };
            if (RtNeuralInference.Available) peers.Add(RtNeural);
            if (TorchAvailable) peers.AddRange([Torch1, TorchAll]);
            return peers;
        }
    }

    /// <summary>Peers timed on a loop of single-sample calls: RTNeural (with --rtneural) and ours beside it.</summary>
    public static IEnumerable<string> SampleLoopPeers => RtNeuralInference.Available ? [Ours, RtNeural] : [Ours];

    public static IEnumerable<string> TrainingPeers
    {
        get
        {
            var peers = new List<string> { Ours };
            if (OursSupportsParallelism) peers.Add(OursAllCores);
            peers.AddRange([Naive, Primitives]);
            if (TorchAvailable) peers.AddRange([Torch1, TorchAll]);
            return peers;
        }
    }

    /// <summary>Whether the generated networks expose a settable int <see cref="ParallelismProperty"/>.</summary>
    public static bool OursSupportsParallelism =>
        typeof(Fashion256Net).GetProperty(ParallelismProperty, BindingFlags.Public | BindingFlags.Instance) is { CanWrite: true } p && p.PropertyType == typeof(int);

    private static readonly Dictionary<string, Dataset> Datasets = new();

    public static Dataset DataFor(string network)
    {
        lock (Datasets)
        {
            if (!Datasets.TryGetValue(network, out var data)) Datasets[network] = data = new Dataset(Architecture.Get(network));
            return data;
        }
    }

    /// <summary>Our network for <paramref name="network"/>, with its seeded initial parameters and the given thread count.</summary>
    public static ITrainableNetwork<float> CreateOurs(string network, int threads = 1)
    {
        var net = Architecture.Get(network).Create();
        if (threads != 1) net.GetType().GetProperty(ParallelismProperty)!.SetValue(net, threads);
        return net;
    }

    public static Peer Create(string network, string peer)
    {
        var data = DataFor(network);
        var ours = CreateOurs(network);
        float[] parameters = ours.Parameters.ToArray();
        return peer switch
        {
            Ours => new OursPeer(data, ours),
            OursAllCores => new OursPeer(data, CreateOurs(network, Environment.ProcessorCount)),
            Naive => new NaivePeer(data, parameters),
            Primitives => new TensorPrimitivesPeer(data, parameters),
            OnnxRuntime => new OnnxRuntimePeer(data, ours),
            RtNeural => new RtNeuralInferencePeer(data, parameters),
            Torch1 => new TorchSharpPeer(data, parameters, threads: 1),
            TorchAll => new TorchSharpPeer(data, parameters, threads: Environment.ProcessorCount),
            _ => throw new ArgumentException($"Unknown peer '{peer}'.", nameof(peer)),
        };
    }
}
