using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using NeuralNet.Gen.Tests.LayerNorm;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Tests;

/// <summary>
/// LayerNorm: gradients by finite differences (vector, sequence, image), outputs, loss and gradients against PyTorch's
/// <c>nn.LayerNorm</c>, initialisation, streaming, and no allocation after warm-up.
/// </summary>
public class LayerNormTests(ITestOutputHelper output)
{
    private const double Step = 1e-4;

    [Fact] public void Gradients_on_vectors() => CheckGradients(new LayerNormVectorNet(), batch: 3);

    [Fact] public void Gradients_on_sequences() => CheckGradients(new LayerNormSequenceNet(), batch: 2);

    [Fact] public void Gradients_on_images() => CheckGradients(new LayerNormImageNet(), batch: 2);

    [Fact] public void Gradients_through_stacked_layer_norms() => CheckGradients(new LayerNormDeepNet(), batch: 3);

    private void CheckGradients(ITrainableNetwork<double> net, int batch)
    {
        var (inputs, targets) = FiniteDifferences.Draw(net, batch, seed: 29, parameterScale: 0.6, parameterOffset: 0.3);
        FiniteDifferences.AssertMatches(net, inputs, targets, batch, output, Step);
    }

    [Theory]
    [InlineData("vector")]
    [InlineData("sequence")]
    [InlineData("image")]
    public void Agrees_with_PyTorch(string name)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "layernorm", $"layernorm_{name}.json")));
        var root = json.RootElement;
        double[] Read(string property) => root.GetProperty(property).EnumerateArray().Select(e => e.GetDouble()).ToArray();
        ITrainableNetwork<double> net = name switch { "vector" => new LayerNormVectorNet(), "sequence" => new LayerNormSequenceNet(), _ => new LayerNormImageNet() };
        int batch = root.GetProperty("batch").GetInt32();
        Read("parameters").CopyTo(net.Parameters);
        var outputs = new double[batch * net.OutputSize];
        net.Forward(Read("inputs"), outputs, batch);
        double outputError = MaxError(Read("outputs"), outputs);
        double loss = net.ComputeGradients(Read("inputs"), Read("targets"), batch);
        double lossError = Math.Abs(loss - root.GetProperty("loss").GetDouble());
        double gradientError = MaxError(Read("gradients"), net.Gradients.ToArray());
        output.WriteLine($"{name}: outputs {outputError:E2}, loss {lossError:E2}, gradients {gradientError:E2} (largest absolute differences from PyTorch, float64)");
        Assert.True(outputError < 1e-12, $"outputs differ by {outputError:E2}");
        Assert.True(lossError < 1e-12, $"loss differs by {lossError:E2}");
        Assert.True(gradientError < 1e-12, $"gradients differ by {gradientError:E2}");
    }

    private static double MaxError(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        return expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
    }

    [Fact]
    public void Initialises_weight_to_one_and_bias_to_zero()
    {
        var net = new LayerNormDeepNet();
        // LayerNorm(5) first: weight [5] then bias [5].
        Assert.Equal(Enumerable.Repeat(1.0, 5), net.Parameters.Slice(0, 5).ToArray());
        Assert.Equal(new double[5], net.Parameters.Slice(5, 5).ToArray());
        // With those, each output row has mean 0 and variance var/(var + ε).
        var net2 = new LayerNormVectorNet();
        var y = new double[5];
        net2.Forward(new double[] { 0.5, -1, 2, 0.25 }, y);
        Assert.Equal(0, y.Average(), 1e-15);
        Assert.Equal(1, y.Select(v => v * v).Average(), 1e-3);
    }

    [Fact]
    public void A_recurrent_network_with_layer_norm_streams_as_Forward()
    {
        var net = new LayerNormStreamingNet();
        var random = new DeterministicRandom(4);
        var x = new float[4 * 3];
        for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble(-1, 1);
        var y = new float[LayerNormStreamingNet.OutputSize];
        net.Forward(x, y);
        var row = new float[LayerNormStreamingNet.StepOutputSize];
        net.ResetState();
        for (int step = 0; step < 4; step++)
        {
            net.Step(x.AsSpan(step * 3, 3), row);
            Assert.Equal(y.AsSpan(step * 3, 3).ToArray(), row);
        }
    }

    [Fact]
    public void No_allocation_after_warm_up()
    {
        var net = new LayerNormFloatNet();
        const int batch = 5;
        var x = new float[batch * LayerNormFloatNet.InputSize];
        for (int i = 0; i < x.Length; i++) x[i] = i % 7 * 0.1f;
        var t = new float[batch * LayerNormFloatNet.OutputSize];
        var y = new float[t.Length];
        Assert.Equal(0, Allocated(() => net.TrainStep(x, t, batch)));
        Assert.Equal(0, Allocated(() => net.ComputeLoss(x, t, batch)));
        Assert.Equal(0, Allocated(() => net.Forward(x, y, batch)));
        Assert.Equal(0, Allocated(() => net.Forward(x.AsSpan(0, LayerNormFloatNet.InputSize), y.AsSpan(0, LayerNormFloatNet.OutputSize))));
        var streaming = new LayerNormStreamingNet();
        var row = new float[3];
        Assert.Equal(0, Allocated(() => streaming.Step(x.AsSpan(0, 3), row)));
    }

    [Fact]
    public void Summary_names_the_layer_norm()
    {
        string summary = new LayerNormFloatNet().Summary();
        output.WriteLine(summary);
        Assert.Contains("layer_norm_1 (LayerNorm)", summary);
    }

    private static long Allocated(Action call)
    {
        for (int i = 0; i < 3; i++) call();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) call();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
