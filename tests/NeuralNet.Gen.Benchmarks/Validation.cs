using System;
using System.Collections.Generic;
using System.Linq;

namespace NeuralNet.Gen.Benchmarks;

/// <summary>
/// Before timing anything: every peer, from the same initial parameters, gives our outputs to 1e-5 (ONNX Runtime
/// on the exported .onnx file included), and follows our training steps. A peer that computes something else
/// would make its figures meaningless, so a mismatch stops the run.
/// </summary>
public static class Validation
{
    private const float InferenceTolerance = 1e-5f;
    private const int Samples = 32, Steps = 5;

    /// <summary>Bytes our generated code allocates per call on the calling thread, by network and figure (single, batch256, training).</summary>
    public static Dictionary<(string Network, string Figure), double> OursAllocated { get; } = new();

    public static void Run()
    {
        foreach (var arch in Architecture.All)
        {
            var ours = PeerFactory.CreateOurs(arch.Name);
            var data = PeerFactory.DataFor(arch.Name);
            float[] expected = new float[Samples * arch.OutputSize], expectedBatch = new float[Dataset.InferenceBatch * arch.OutputSize];
            for (int s = 0; s < Samples; s++) ours.Forward(data.Sample(s), expected.AsSpan(s * arch.OutputSize, arch.OutputSize));
            ours.Forward(data.InferenceInputs, expectedBatch, Dataset.InferenceBatch);

            foreach (string name in PeerFactory.InferencePeers.Where(p => p != PeerFactory.Ours))
            {
                using var peer = PeerFactory.Create(arch.Name, name);
                float[] single = new float[Samples * arch.OutputSize], batch = new float[expectedBatch.Length];
                for (int s = 0; s < Samples; s++) peer.Forward(s, single.AsSpan(s * arch.OutputSize, arch.OutputSize));
                peer.ForwardBatch(batch);
                float difference = Math.Max(MaxDifference(expected, single), MaxDifference(expectedBatch, batch));
                Console.WriteLine($"{arch.Name,-10} {name,-20} inference max |difference| {difference:E2}");
                if (!(difference <= InferenceTolerance))
                    throw new InvalidOperationException($"{name} does not compute {arch.Name} as we do (max difference {difference:E2} > {InferenceTolerance:E0}).");
            }

            // Training: the same five steps from the same start; losses and the resulting outputs should follow ours.
            var reference = PeerFactory.Create(arch.Name, PeerFactory.Ours);
            float[] referenceLosses = Enumerable.Range(0, Steps).Select(reference.TrainStep).ToArray();
            float[] referenceOutputs = Outputs(reference);
            foreach (string name in PeerFactory.TrainingPeers.Where(p => p != PeerFactory.Ours))
            {
                using var peer = PeerFactory.Create(arch.Name, name);
                float[] losses = Enumerable.Range(0, Steps).Select(peer.TrainStep).ToArray();
                float lossDifference = MaxDifference(referenceLosses, losses), outputDifference = MaxDifference(referenceOutputs, Outputs(peer));
                Console.WriteLine($"{arch.Name,-10} {name,-20} after {Steps} training steps: max |loss difference| {lossDifference:E2}, max |output difference| {outputDifference:E2}");
                if (!(lossDifference <= 1e-3f && outputDifference <= 1e-3f))
                    throw new InvalidOperationException($"{name} does not train {arch.Name} as we do.");
            }
            reference.Dispose();

            float[] output = new float[arch.OutputSize], outputs = new float[Dataset.InferenceBatch * arch.OutputSize];
            OursAllocated[(arch.Name, "single")] = AllocatedPerCall(arch.Name, (p, i) => p.Forward(i & (Dataset.SampleCount - 1), output));
            OursAllocated[(arch.Name, "batch256")] = AllocatedPerCall(arch.Name, (p, i) => p.ForwardBatch(outputs));
            OursAllocated[(arch.Name, "training")] = AllocatedPerCall(arch.Name, (p, i) => p.TrainStep(i % p.Data.BatchCount));
            Console.WriteLine($"{arch.Name,-10} NeuralNet.Gen bytes allocated on this thread, per call (warmed up, 100 calls): " +
                $"single {OursAllocated[(arch.Name, "single")]}, batch-256 {OursAllocated[(arch.Name, "batch256")]}, training {OursAllocated[(arch.Name, "training")]}");

            if (PeerFactory.OursSupportsParallelism && arch.BatchSize > 1)
            {
                float[] first = TrainedParameters(arch.Name), second = TrainedParameters(arch.Name);
                bool identical = first.AsSpan().SequenceEqual(second);
                Console.WriteLine($"{arch.Name,-10} all-cores training, two runs of {Steps} steps: parameters {(identical ? "bit-identical" : "DIFFER")}");
            }
        }
        if (!PeerFactory.OursSupportsParallelism)
            Console.WriteLine($"Generated networks have no multi-thread training path yet (no settable int '{PeerFactory.ParallelismProperty}'): the all-cores row is not available.");
    }

    /// <summary>GC.GetAllocatedBytesForCurrentThread around 100 calls after a warm-up that lets tiered compilation finish.</summary>
    private static double AllocatedPerCall(string network, Action<OursPeer, int> call)
    {
        using var peer = (OursPeer)PeerFactory.Create(network, PeerFactory.Ours);
        for (int i = 0; i < 100; i++) call(peer, i);
        System.Threading.Thread.Sleep(150);
        for (int i = 0; i < 100; i++) call(peer, i);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) call(peer, i);
        return (GC.GetAllocatedBytesForCurrentThread() - before) / 100.0;
    }

    private static float[] TrainedParameters(string network)
    {
        using var peer = new OursPeer(PeerFactory.DataFor(network), PeerFactory.CreateOurs(network, Environment.ProcessorCount));
        for (int step = 0; step < Steps; step++) peer.TrainStep(step);
        return peer.Network.Parameters.ToArray();
    }

    private static float[] Outputs(Peer peer)
    {
        int size = peer.Architecture.OutputSize;
        float[] outputs = new float[Samples * size];
        for (int s = 0; s < Samples; s++) peer.Forward(s, outputs.AsSpan(s * size, size));
        return outputs;
    }

    internal static float MaxDifference(float[] expected, float[] actual)
    {
        float max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            float d = MathF.Abs(expected[i] - actual[i]);
            if (!(d <= max)) max = float.IsNaN(d) ? float.NaN : d;
            if (float.IsNaN(max)) return max;
        }
        return max;
    }
}
