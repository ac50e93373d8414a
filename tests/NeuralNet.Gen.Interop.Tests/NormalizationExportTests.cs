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
