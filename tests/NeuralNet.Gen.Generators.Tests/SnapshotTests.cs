using System.Linq;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Generators.Tests;

/// <summary>
/// The generated source of several networks against committed snapshots. Each test also checks that the output
/// compiles without warnings, that it is the same text on a second, independent run, and that running the same
/// driver again is served entirely from the cache.
/// </summary>
public class SnapshotTests(ITestOutputHelper output)
{
    [Fact] public void Circles() => Verify(nameof(Circles), TestSources.Circles, "Circles.CirclesNet.g.cs");
    [Fact] public void DoublePrecision() => Verify(nameof(DoublePrecision), TestSources.DoublePrecision, "Samples.Precise.PreciseNet.g.cs");
    [Fact] public void InferenceOnly() => Verify(nameof(InferenceOnly), TestSources.InferenceOnly, "Samples.Edge.SensorNet.g.cs");
    [Fact] public void LoopLayers() => Verify(nameof(LoopLayers), TestSources.LoopLayers, "Samples.Digits.MnistNet.g.cs");
    [Fact] public void NestedInNamespaceAndTypes() => Verify(nameof(NestedInNamespaceAndTypes), TestSources.Nested, "Game.AI.Brains.Holder.NpcBrain.g.cs");

    [Fact] public void FashionCnn() => Verify(nameof(FashionCnn), TestSources.FashionCnn, "FashionMnistCnn.FashionCnn.g.cs");
    [Fact] public void PaddedCnn() => Verify(nameof(PaddedCnn), TestSources.PaddedCnn, "Samples.Vision.PaddedCnn.g.cs");
    [Fact] public void RecurrentStack() => Verify(nameof(RecurrentStack), TestSources.RecurrentStack, "Samples.Sequences.RecurrentStack.g.cs");
    [Fact] public void SequenceTagger() => Verify(nameof(SequenceTagger), TestSources.SequenceTagger, "Samples.Sequences.SequenceTagger.g.cs");
    [Fact] public void StreamingConv() => Verify(nameof(StreamingConv), TestSources.StreamingConv, "Samples.Sequences.StreamingConv.g.cs");
    [Fact] public void SparseLabels() => Verify(nameof(SparseLabels), TestSources.SparseLabels, "Samples.Classes.IrisNet.g.cs");
    [Fact] public void BatchNormCnn() => Verify(nameof(BatchNormCnn), TestSources.BatchNormCnn, "Samples.Vision.BatchNormCnn.g.cs");
    [Fact] public void ResidualCnn() => Verify(nameof(ResidualCnn), TestSources.ResidualCnn, "Samples.Vision.ResidualCnn.g.cs");
    [Fact] public void PooledSequence() => Verify(nameof(PooledSequence), TestSources.PooledSequence, "Samples.Sequences.PooledSequence.g.cs");
    [Fact] public void PooledCnn() => Verify(nameof(PooledCnn), TestSources.PooledCnn, "Samples.Vision.PooledCnn.g.cs");
    [Fact] public void ActivationMlp() => Verify(nameof(ActivationMlp), TestSources.ActivationMlp, "Samples.Layers.ActivationMlp.g.cs");
    [Fact] public void NormalizedTagger() => Verify(nameof(NormalizedTagger), TestSources.NormalizedTagger, "Samples.Layers.NormalizedTagger.g.cs");
    [Fact] public void NoBiasCnn() => Verify(nameof(NoBiasCnn), TestSources.NoBiasCnn, "Samples.Vision.NoBiasCnn.g.cs");

    /// <summary>A network with an error (the missing [Flatten]): only its public surface, every member throwing.</summary>
    [Fact]
    public void BrokenNetworkSurface()
    {
        const string source = "using NeuralNet.Gen;\nusing static NeuralNet.Gen.Activation;\nnamespace Samples.Broken;\n[Network]\n[Input(28, 28, 1)]\n[Conv2D(8, 3, Relu)]\n[Dropout(0.25f)]\n[Dense(10, Softmax)]\n[Loss(LossFunction.CategoricalCrossEntropy)]\npublic partial class Classifier { }\n";
        var (driver, result, compilation) = GeneratorHarness.Run(source);
        var generated = Assert.Single(result.GeneratedSources);
        Assert.Equal("Samples.Broken.Classifier.g.cs", generated.HintName);
        string text = generated.SourceText.ToString();
        Assert.Empty(GeneratorHarness.Problems(compilation));
        SnapshotAssert.Matches(nameof(BrokenNetworkSurface), text);
        Assert.Equal(text, GeneratorHarness.SingleSource(GeneratorHarness.Run(source).Result));

        // Incremental: the same input again is served from the cache.
        var rerun = driver.RunGenerators(GeneratorHarness.Compile(source).Clone()).GetRunResult().Results.Single();
        Assert.All(rerun.TrackedSteps[TrackingNames.BrokenNetworks].SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is Microsoft.CodeAnalysis.IncrementalStepRunReason.Cached or Microsoft.CodeAnalysis.IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
        Assert.All(rerun.TrackedOutputSteps.SelectMany(p => p.Value).SelectMany(s => s.Outputs),
            o => Assert.Equal(Microsoft.CodeAnalysis.IncrementalStepRunReason.Cached, o.Reason));
        Assert.Equal(text, GeneratorHarness.SingleSource(rerun));
    }

    [Fact]
    public void Sample_cnn_stays_under_300_KB()
    {
        var (_, result, compilation) = GeneratorHarness.Run(TestSources.FashionCnn);
        string text = GeneratorHarness.SingleSource(result);
        int bytes = Encoding.UTF8.GetByteCount(text);
        output.WriteLine($"Fashion-MNIST CNN: {bytes} bytes");
        Assert.True(bytes < 300 * 1024, $"{bytes} bytes");
        Assert.Empty(GeneratorHarness.Problems(compilation));
    }

    [Fact]
    public void Network_784_256_128_10_stays_under_300_KB()
    {
        var (_, result, compilation) = GeneratorHarness.Run(TestSources.Fashion);
        string text = GeneratorHarness.SingleSource(result);
        int bytes = Encoding.UTF8.GetByteCount(text);
        output.WriteLine($"784-256-128-10: {bytes} bytes");
        Assert.True(bytes < 300 * 1024, $"{bytes} bytes");
        Assert.Empty(GeneratorHarness.Problems(compilation));
    }

    private void Verify(string name, string source, string hintName)
    {
        var (driver, result, compilation) = GeneratorHarness.Run(source);
        var generated = Assert.Single(result.GeneratedSources);
        Assert.Equal(hintName, generated.HintName);
        string text = generated.SourceText.ToString();
        output.WriteLine($"{name}: {Encoding.UTF8.GetByteCount(text)} bytes");

        Assert.Empty(GeneratorHarness.Problems(compilation));
        SnapshotAssert.Matches(name, text);

        // Deterministic: a fresh compilation and driver give the same text.
        var (_, again, _) = GeneratorHarness.Run(source);
        Assert.Equal(text, GeneratorHarness.SingleSource(again));

        // Incremental: the same input again is all cached.
        var rerun = driver.RunGenerators(GeneratorHarness.Compile(source).Clone()).GetRunResult().Results.Single();
        GeneratorHarness.AssertAllCached(rerun);
        Assert.Equal(text, GeneratorHarness.SingleSource(rerun));
    }
}
