using System;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Interop.Tests;

/// <summary>
/// Recurrent and per-step networks exported with <see cref="OnnxExport"/> (ONNX's RNN, GRU, LSTM; MatMul + Add per
/// step) and run by ONNX Runtime give our Forward's outputs, batch and single sample. ONNX Runtime 1.31's CPU provider
/// runs RNN, GRU and LSTM in float only, so double is checked on the per-step layers.
/// </summary>
public class OnnxRecurrentExportTests(ITestOutputHelper output)
{
    private const double FloatTolerance = 1e-5, DoubleTolerance = 1e-12;

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void SimpleRnnReturningSequencesMatchesOnnxRuntime(int batchSize) => AssertMatches(new RnnSequenceExportNet(), batchSize, seed: 1);

    [Fact]
    public void StackedSimpleRnnWithReluAndSigmoidMatchesOnnxRuntime() => AssertMatches(new RnnStackExportNet(), batchSize: 3, seed: 2);

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void StackedGruMatchesOnnxRuntime(int batchSize) => AssertMatches(new GruStackExportNet(), batchSize, seed: 3);

    [Fact]
    public void LstmWithSoftmaxPerStepMatchesOnnxRuntime() => AssertMatches(new LstmSequenceExportNet(), batchSize: 3, seed: 4);

    [Fact]
    public void StackedLstmMatchesOnnxRuntime() => AssertMatches(new LstmStackExportNet(), batchSize: 2, seed: 5);

    [Fact]
    public void PerStepLayersMatchOnnxRuntime() => AssertMatches(new PerStepExportNet(), batchSize: 3, seed: 6);

    [Fact]
    public void PerStepLayersInDoubleMatchOnnxRuntime() => AssertMatches(new PerStepDoubleExportNet(), batchSize: 2, seed: 10);

    [Fact]
    public void GruIsExportedWithOnnxGateOrderAndLinearBeforeReset()
    {
        using var stream = new MemoryStream();
        var net = new GruStackExportNet();
        net.ExportOnnx(stream);
        using var session = new InferenceSession(stream.ToArray());
        var description = ((IDescribedNetwork)net).Description;
        Assert.Equal([LayerKind.GRU, LayerKind.GRU, LayerKind.Dense], description.Layers.Select(l => l.Kind));
        Assert.True(description.Layers[0].ReturnSequences);
        Assert.False(description.Layers[1].ReturnSequences);
        Assert.Equal(3 * 5 * (3 + 5) + 2 * 3 * 5, description.Layers[0].ParameterCount);
    }

    [Fact]
    public void ExportedRecurrentModelsLoadBackIntoTheSameParameters()
    {
        foreach (INetwork<float> net in new INetwork<float>[] { new RnnSequenceExportNet(), new RnnStackExportNet(), new GruStackExportNet(), new LstmSequenceExportNet(), new LstmStackExportNet(), new PerStepExportNet() })
        {
            using var stream = new MemoryStream();
            net.ExportOnnx(stream);
            float[] exported = net.Parameters.ToArray();
            net.InitializeParameters(seed: 1234);
            Assert.NotEqual(exported, net.Parameters.ToArray());
            net.LoadOnnx(new MemoryStream(stream.ToArray()));
            Assert.Equal(exported, net.Parameters.ToArray());
        }
    }

    [Fact]
    public void ExportedResidualVectorModelLoadsBackIntoTheSameParameters()
    {
        var net = new ResidualVectorExportNet();
        using var stream = new MemoryStream();
        net.ExportOnnx(stream);
        double[] exported = net.Parameters.ToArray();
        net.InitializeParameters(seed: 1234);
        net.LoadOnnx(new MemoryStream(stream.ToArray()));
        Assert.Equal(exported, net.Parameters.ToArray());
    }

    private void AssertMatches<T>(INetwork<T> net, int batchSize, int seed) where T : unmanaged
    {
        var description = ((IDescribedNetwork)net).Description;
        using var stream = new MemoryStream();
        net.ExportOnnx(stream);
        T[] inputs = OnnxExportTests.RandomValues<T>(new Random(seed), batchSize * net.InputSize);
        T[] batch = new T[batchSize * net.OutputSize];
        net.Forward(inputs, batch, batchSize);
        T[] onnx = OnnxExportTests.Run(stream.ToArray(), inputs, batchSize, description.InputShape, description.OutputShape);
        double tolerance = typeof(T) == typeof(float) ? FloatTolerance : DoubleTolerance;
        double worst = 0;
        T[] single = new T[net.OutputSize];
        for (int s = 0; s < batchSize; s++)
        {
            net.Forward(inputs.AsSpan(s * net.InputSize, net.InputSize), single);
            for (int o = 0; o < net.OutputSize; o++)
            {
                double ours = Convert.ToDouble(batch[s * net.OutputSize + o]), alone = Convert.ToDouble(single[o]), theirs = Convert.ToDouble(onnx[s * net.OutputSize + o]);
                Assert.True(double.IsFinite(ours) && Math.Abs(ours - theirs) <= tolerance, $"Sample {s}, output {o}: ours {ours:R}, ONNX Runtime {theirs:R}.");
                Assert.True(Math.Abs(alone - theirs) <= tolerance, $"Sample {s}, output {o}: ours alone {alone:R}, ONNX Runtime {theirs:R}.");
                worst = Math.Max(worst, Math.Abs(ours - theirs));
            }
        }
        output.WriteLine($"{net.GetType().Name}: worst difference from ONNX Runtime {worst:E2} over {batch.Length} outputs");
    }
}
