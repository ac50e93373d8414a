using System;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Interop.Tests;

/// <summary>
/// Pooled networks exported with <see cref="OnnxExport"/>: ONNX's MaxPool, AveragePool, GlobalAveragePool and
/// GlobalMaxPool between transposes to channels first and back, run by ONNX Runtime, give our outputs to 1e-5.
/// </summary>
public class PoolingExportTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public void PooledSequenceMatchesOnnxRuntime(int batchSize) => AssertMatches(new PooledSequenceExportNet(), batchSize, seed: 71);

    [Fact] public void PooledSequenceInDoubleMatchesOnnxRuntime() => AssertMatches(new PooledSequenceDoubleExportNet(), batchSize: 4, seed: 72);

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void PooledImageMatchesOnnxRuntime(int batchSize) => AssertMatches(new PooledImageExportNet(), batchSize, seed: 73);

    [Fact] public void PooledImageInDoubleMatchesOnnxRuntime() => AssertMatches(new PooledImageDoubleExportNet(), batchSize: 3, seed: 74);

    [Fact] public void MaxPooledSequenceInDoubleMatchesOnnxRuntime() => AssertMatches(new MaxPooledSequenceDoubleExportNet(), batchSize: 3, seed: 77);

    [Fact] public void MaxPooledImageInDoubleMatchesOnnxRuntime() => AssertMatches(new MaxPooledImageDoubleExportNet(), batchSize: 2, seed: 78);

    [Fact] public void SequencePoolAsTheOutputKeepsChannelsLast() => AssertMatches(new SequencePoolOutputExportNet(), batchSize: 3, seed: 75);

    [Fact] public void ImagePoolAsTheOutputKeepsChannelsLast() => AssertMatches(new ImagePoolOutputExportNet(), batchSize: 2, seed: 76);

    [Fact]
    public void PoolsAreDescribedAndExportedAsOnnxPoolingOperators()
    {
        var description = ((IDescribedNetwork)new PooledSequenceExportNet()).Description;
        Assert.Equal([LayerKind.Dense, LayerKind.MaxPool1D, LayerKind.AveragePool1D, LayerKind.GlobalMaxPool, LayerKind.Dense], description.Layers.Select(l => l.Kind));
        Assert.Equal((3, 2), (description.Layers[1].KernelSize, description.Layers[1].Stride));
        Assert.Equal([4, 4], description.Layers[1].OutputShape);
        Assert.Equal([3, 4], description.Layers[2].OutputShape);
        Assert.Equal([4], description.Layers[3].OutputShape);
        var image = ((IDescribedNetwork)new PooledImageDoubleExportNet()).Description;
        Assert.Equal([LayerKind.Conv2D, LayerKind.AveragePool2D, LayerKind.GlobalAveragePool, LayerKind.Dense], image.Layers.Select(l => l.Kind));
        Assert.Equal([4, 3, 4], image.Layers[1].OutputShape);

        byte[] model = Export(new PooledImageExportNet());
        // Operator names appear in the protobuf as plain strings.
        string text = System.Text.Encoding.ASCII.GetString(model);
        Assert.Contains("AveragePool", text);
        Assert.Contains("GlobalMaxPool", text);
        Assert.Contains("Transpose", text);
        using var session = new InferenceSession(model);
        Assert.Equal(OnnxExport.InputName, session.InputMetadata.Keys.Single());
    }

    [Fact]
    public void PoolDescriptionsRefuseImpossibleWindows()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerDescription.MaxPool1D(4, 2, 5, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerDescription.AveragePool1D(4, 2, 2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerDescription.AveragePool2D(4, 3, 2, 4, 1));
        Assert.Throws<ArgumentException>(() => LayerDescription.GlobalAveragePool(5));
        Assert.Equal([3], LayerDescription.GlobalMaxPool(4, 4, 3).OutputShape);
    }

    private static byte[] Export<T>(INetwork<T> net) where T : unmanaged
    {
        using var stream = new MemoryStream();
        net.ExportOnnx(stream);
        return stream.ToArray();
    }

    private void AssertMatches<T>(INetwork<T> net, int batchSize, int seed) where T : unmanaged
    {
        var description = ((IDescribedNetwork)net).Description;
        byte[] model = Export(net);
        T[] inputs = OnnxExportTests.RandomValues<T>(new Random(seed), batchSize * net.InputSize);
        T[] ours = new T[batchSize * net.OutputSize];
        net.Forward(inputs, ours, batchSize);
        T[] onnx = OnnxExportTests.Run(model, inputs, batchSize, description.InputShape, description.OutputShape);
        double worst = Worst(ours, onnx);
        T[] single = new T[net.OutputSize];
        for (int s = 0; s < batchSize; s++)
        {
            net.Forward(inputs.AsSpan(s * net.InputSize, net.InputSize), single);
            worst = Math.Max(worst, Worst(single, onnx.AsSpan(s * net.OutputSize, net.OutputSize).ToArray()));
        }
        output.WriteLine($"{net.GetType().Name}, batch {batchSize}: largest difference from ONNX Runtime {worst:E3}");
        Assert.True(worst <= Tolerance, $"largest difference {worst:E3}");
    }

    private static double Worst<T>(T[] ours, T[] onnx) where T : unmanaged
    {
        Assert.Equal(ours.Length, onnx.Length);
        double worst = 0;
        for (int i = 0; i < ours.Length; i++)
        {
            double a = Convert.ToDouble(ours[i]), b = Convert.ToDouble(onnx[i]);
            Assert.True(double.IsFinite(a), $"output {i} is {a}");
            worst = Math.Max(worst, Math.Abs(a - b));
        }
        return worst;
    }
}
