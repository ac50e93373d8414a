using System;
using System.IO;
using System.Linq;
using NeuralNet.Gen.Interop.Tests.Normalization;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Interop.Tests;

/// <summary>
/// Activation layers (issue 13's five activations among them) exported with <see cref="OnnxExport"/> and run by ONNX
/// Runtime give our Forward's outputs, batch and single sample (float).
/// </summary>
public class NormalizationExportTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    [Fact] public void ActivationLayersOnImagesMatchOnnxRuntime() => AssertMatches(new ActivationImageExportNet(), batchSize: 3, seed: 71);

    [Fact] public void ActivationLayersOnSequencesMatchOnnxRuntime() => AssertMatches(new ActivationSequenceExportNet(), batchSize: 3, seed: 72);

    [Fact]
    public void TheFiveNewActivationsMatchOnnxRuntime()
    {
        // Inputs from -6 to 6 in steps of 0.3: both sides of every kink (±3, 0, 6).
        AssertMatches(new Relu6ExportNet(), batchSize: 1, seed: 0, Grid);
        AssertMatches(new HardSigmoidExportNet(), batchSize: 1, seed: 0, Grid);
        AssertMatches(new HardSwishExportNet(), batchSize: 1, seed: 0, Grid);
        AssertMatches(new MishExportNet(), batchSize: 1, seed: 0, Grid);
        AssertMatches(new SeluExportNet(), batchSize: 1, seed: 0, Grid);
        AssertMatches(new NewActivationsDenseExportNet(), batchSize: 7, seed: 73);
    }

    [Fact] public void LayerNormOnVectorsMatchesOnnxRuntime() => AssertMatches(WithNormParameters(new LayerNormVectorExportNet()), batchSize: 4, seed: 74);

    [Fact] public void LayerNormOnSequencesMatchesOnnxRuntime() => AssertMatches(WithNormParameters(new LayerNormSequenceExportNet()), batchSize: 3, seed: 75);

    [Fact] public void LayerNormOnImagesMatchesOnnxRuntime() => AssertMatches(WithNormParameters(new LayerNormImageExportNet()), batchSize: 2, seed: 76);

    [Fact]
    public void LayerNormInDoubleMatchesOnnxRuntime()
    {
        var net = new LayerNormDoubleExportNet();
        var random = new Random(77);
        for (int i = 0; i < net.Parameters.Length; i++) net.Parameters[i] = random.NextDouble() * 2 - 0.5;
        var description = ((IDescribedNetwork)net).Description;
        using var stream = new MemoryStream();
        net.ExportOnnx(stream);
        double[] x = OnnxExportTests.RandomValues<double>(random, 3 * LayerNormDoubleExportNet.InputSize);
        var ours = new double[3 * LayerNormDoubleExportNet.OutputSize];
        net.Forward(x, ours, 3);
        double[] onnx = OnnxExportTests.Run(stream.ToArray(), x, 3, description.InputShape, description.OutputShape);
        double worst = ours.Zip(onnx, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"LayerNormDoubleExportNet: worst difference from ONNX Runtime {worst:E2}");
        // Not to the last bits: ONNX holds epsilon as a float attribute, and ONNX Runtime sums the variance its own way.
        Assert.True(worst < 1e-10, $"differs by {worst:E2}");
    }

    [Fact]
    public void LayerNormIsExportedAsLayerNormalizationOverTheLastAxis()
    {
        var description = ((IDescribedNetwork)new LayerNormImageExportNet()).Description;
        Assert.Equal([LayerKind.Conv2D, LayerKind.LayerNorm, LayerKind.Activation], description.Layers.Select(l => l.Kind));
        Assert.Equal(1e-5, description.Layers[1].Epsilon);
        Assert.Equal(8, description.Layers[1].ParameterCount);
    }

    /// <summary>LayerNorm's weight and bias away from 1 and 0, so the export is seen to carry them.</summary>
    private static INetwork<float> WithNormParameters(INetwork<float> net)
    {
        var random = new Random(5);
        foreach (var layer in ((IDescribedNetwork)net).Description.Layers.Where(l => l.Kind == LayerKind.LayerNorm))
        {
            for (int i = 0; i < 2 * layer.Units; i++) net.Parameters[layer.ParameterOffset + i] = (float)(random.NextDouble() * 1.5 - 0.25);
        }
        return net;
    }

    private static float[] Grid(int count) => Enumerable.Range(0, count).Select(i => -6f + 0.3f * i).ToArray();

    private void AssertMatches(INetwork<float> net, int batchSize, int seed, Func<int, float[]>? inputs = null)
    {
        var description = ((IDescribedNetwork)net).Description;
        using var stream = new MemoryStream();
        net.ExportOnnx(stream);
        float[] x = inputs?.Invoke(batchSize * net.InputSize) ?? OnnxExportTests.RandomValues<float>(new Random(seed), batchSize * net.InputSize);
        var ours = new float[batchSize * net.OutputSize];
        net.Forward(x, ours, batchSize);
        float[] onnx = OnnxExportTests.Run(stream.ToArray(), x, batchSize, description.InputShape, description.OutputShape);
        double worst = 0;
        for (int i = 0; i < ours.Length; i++)
        {
            double difference = Math.Abs(ours[i] - onnx[i]);
            worst = Math.Max(worst, difference);
            Assert.True(float.IsFinite(ours[i]) && difference <= Tolerance, $"{net.GetType().Name} output {i}: ours {ours[i]:R}, ONNX Runtime {onnx[i]:R}");
        }
        var single = new float[net.OutputSize];
        for (int s = 0; s < batchSize; s++)
        {
            net.Forward(x.AsSpan(s * net.InputSize, net.InputSize), single);
            Assert.Equal(ours.AsSpan(s * net.OutputSize, net.OutputSize).ToArray(), single);
        }
        output.WriteLine($"{net.GetType().Name}: {ours.Length} outputs, worst difference from ONNX Runtime {worst:E2}");
    }
}
