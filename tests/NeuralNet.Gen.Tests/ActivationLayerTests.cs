using System;
using System.Linq;
using NeuralNet.Gen.Tests.ActivationLayers;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Tests;

/// <summary>
/// [Activation] as a layer: gradients by finite differences on vectors, sequences and images; the same bits as the
/// activation fused into the layer before it (forward, loss and gradients); streaming; no allocation after warm-up.
/// </summary>
public class ActivationLayerTests(ITestOutputHelper output)
{
    private const double Step = 1e-4;

    [Fact] public void Gradients_on_unrolled_vectors() => CheckGradients(new ActivationVectorNet(), batch: 3);

    [Fact] public void Gradients_through_a_chain_of_activations() => CheckGradients(new ActivationChainNet(), batch: 3);

    [Fact] public void Gradients_on_a_wide_vector() => CheckGradients(new ActivationWideNet(), batch: 2);

    [Fact] public void Gradients_on_sequences() => CheckGradients(new ActivationSequenceNet(), batch: 3);

    [Fact] public void Gradients_on_images() => CheckGradients(new ActivationImageNet(), batch: 2);

    private void CheckGradients(ITrainableNetwork<double> net, int batch)
    {
        var (inputs, targets) = FiniteDifferences.Draw(net, batch, seed: 23, parameterScale: 0.6, inputRange: 2, targetLow: 0);
        FiniteDifferences.AssertMatches(net, inputs, targets, batch, output, Step);
    }

    [Fact] public void Split_equals_fused_on_small_vectors() => AssertSameBits(new FusedSmallNet(), new SplitSmallNet(), batch: 5);

    [Fact] public void Split_equals_fused_on_wide_vectors() => AssertSameBits(new FusedWideNet(), new SplitWideNet(), batch: 4);

    [Fact] public void Split_equals_fused_on_images() => AssertSameBits(new FusedImageNet(), new SplitImageNet(), batch: 3);

    /// <summary>Dense(n, act) and Dense(n) + Activation(act) hold the same parameters and must compute the same bits.</summary>
    private static void AssertSameBits(ITrainableNetwork<float> fused, ITrainableNetwork<float> split, int batch)
    {
        Assert.Equal(fused.Parameters.Length, split.Parameters.Length);
        var random = new DeterministicRandom(41);
        for (int i = 0; i < fused.Parameters.Length; i++) fused.Parameters[i] = (float)(0.3 * random.NextNormal());
        fused.Parameters.CopyTo(split.Parameters);
        var x = new float[batch * fused.InputSize];
        for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble(-2, 2);
        var t = new float[batch * fused.OutputSize];
        for (int i = 0; i < t.Length; i++) t[i] = (float)random.NextDouble(0, 1);

        var yFused = new float[t.Length];
        var ySplit = new float[t.Length];
        fused.Forward(x, yFused, batch);
        split.Forward(x, ySplit, batch);
        Assert.Equal(Bits(yFused), Bits(ySplit));
        fused.Forward(x.AsSpan(0, fused.InputSize), yFused.AsSpan(0, fused.OutputSize));
        split.Forward(x.AsSpan(0, split.InputSize), ySplit.AsSpan(0, split.OutputSize));
        Assert.Equal(Bits(yFused), Bits(ySplit));
        Assert.Equal(BitConverter.SingleToInt32Bits(fused.ComputeLoss(x, t, batch)), BitConverter.SingleToInt32Bits(split.ComputeLoss(x, t, batch)));
        Assert.Equal(BitConverter.SingleToInt32Bits(fused.ComputeGradients(x, t, batch)), BitConverter.SingleToInt32Bits(split.ComputeGradients(x, t, batch)));
        Assert.Equal(Bits(fused.Gradients.ToArray()), Bits(split.Gradients.ToArray()));
        Assert.Contains(fused.Gradients.ToArray(), g => g != 0);
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    [Fact]
    public void Activation_layers_compute_what_they_name()
    {
        // Input -> Selu on the input itself, checked against the formula written here.
        var net = new ActivationChainNet();
        Span<double> p = net.Parameters;
        var random = new DeterministicRandom(2);
        for (int i = 0; i < p.Length; i++) p[i] = random.NextNormal();
        double[] x = { -1.5, -0.2, 0.4, 2.5 };
        double[] selu = x.Select(v => v > 0 ? 1.0507009873554805 * v : 1.0507009873554805 * 1.6732632423543772 * (Math.Exp(v) - 1)).ToArray();
        // Dense(5) -> HardSwish -> Gelu -> Dense(3) -> Softmax -> Dense(2) -> Sigmoid, by hand.
        double[] h = Dense(p, 0, selu, 5).Select(v => v <= -3 ? 0 : v >= 3 ? v : v * (v + 3) / 6)
            .Select(v => 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)))).ToArray();
        double[] z = Dense(p, 4 * 5 + 5, h, 3);
        double max = z.Max();
        double[] e = z.Select(v => Math.Exp(v - max)).ToArray();
        double[] s = e.Select(v => v / e.Sum()).ToArray();
        double[] expected = Dense(p, 25 + 5 * 3 + 3, s, 2).Select(v => 1 / (1 + Math.Exp(-v))).ToArray();
        var y = new double[2];
        net.Forward(x, y);
        for (int k = 0; k < 2; k++) Assert.Equal(expected[k], y[k], 1e-14);
    }

    private static double[] Dense(Span<double> p, int offset, double[] x, int units)
    {
        var y = new double[units];
        for (int o = 0; o < units; o++)
        {
            double sum = p[offset + units * x.Length + o];
            for (int i = 0; i < x.Length; i++) sum += p[offset + o * x.Length + i] * x[i];
            y[o] = sum;
        }
        return y;
    }

    [Theory]
    [InlineData("Relu6")]
    [InlineData("HardSigmoid")]
    [InlineData("HardSwish")]
    [InlineData("Mish")]
    [InlineData("Selu")]
    public void New_activations_and_their_derivatives_agree_with_PyTorch(string name)
    {
        using var json = System.Text.Json.JsonDocument.Parse(System.IO.File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "activations", "activations.json")));
        double[] Read(System.Text.Json.JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double[] x = Read(json.RootElement.GetProperty("x"));
        double[] y = Read(json.RootElement.GetProperty(name).GetProperty("y")), dydx = Read(json.RootElement.GetProperty(name).GetProperty("dydx"));
        ITrainableNetwork<double> net = name switch
        {
            "Relu6" => new TorchRelu6Net(), "HardSigmoid" => new TorchHardSigmoidNet(), "HardSwish" => new TorchHardSwishNet(),
            "Mish" => new TorchMishNet(), _ => new TorchSeluNet(),
        };
        // z = x: the Dense weights are the grid, its bias 0, its input 1.
        x.CopyTo(net.Parameters);
        net.Parameters.Slice(x.Length).Clear();
        var ours = new double[x.Length];
        net.Forward(new double[] { 1 }, ours);
        double outputError = y.Zip(ours, (e, a) => Math.Abs(e - a)).Max();
        // MSE's dL/da = 2(a - t)/n, times f'(x) for weight k (its input is 1): with t = a - n/2, the weight gradients are f'(x).
        double[] targets = ours.Select(a => a - x.Length / 2.0).ToArray();
        net.ComputeGradients(new double[] { 1 }, targets, 1);
        double gradientError = dydx.Select((d, k) => Math.Abs(d - net.Gradients[k])).Max();
        output.WriteLine($"{name}: outputs {outputError:E2}, derivatives {gradientError:E2} (largest absolute differences from PyTorch over 42 points in [-6.15, 6.15], float64)");
        Assert.True(outputError < 1e-14, $"outputs differ by {outputError:E2}");
        // PyTorch's hardsigmoid_backward takes 1/6 as the float 1.0f / 6.0f even in float64 (5e-9 off); ours is the double 1/6.
        Assert.True(gradientError < (name == "HardSigmoid" ? 1e-8 : 1e-14), $"derivatives differ by {gradientError:E2}");
        if (name == "HardSigmoid") Assert.Contains(1.0 / 6, net.Gradients.ToArray());
    }

    [Fact]
    public void A_recurrent_network_with_activation_layers_streams_as_Forward()
    {
        var net = new ActivationStreamingNet();
        var random = new DeterministicRandom(9);
        var x = new float[5 * 3];
        for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble(-1, 1);
        var y = new float[ActivationStreamingNet.OutputSize];
        net.Forward(x, y);
        var row = new float[ActivationStreamingNet.StepOutputSize];
        net.ResetState();
        for (int step = 0; step < 5; step++)
        {
            net.Step(x.AsSpan(step * 3, 3), row);
            Assert.Equal(Bits(y.AsSpan(step * 3, 3).ToArray()), Bits(row));
        }
    }

    [Fact]
    public void No_allocation_after_warm_up()
    {
        var net = new SplitImageNet();
        const int batch = 4;
        var x = new float[batch * SplitImageNet.InputSize];
        var t = new float[batch * SplitImageNet.OutputSize];
        var y = new float[t.Length];
        Assert.Equal(0, Allocated(() => net.TrainStep(x, t, batch)));
        Assert.Equal(0, Allocated(() => net.Forward(x, y, batch)));
        Assert.Equal(0, Allocated(() => net.Forward(x.AsSpan(0, SplitImageNet.InputSize), y.AsSpan(0, SplitImageNet.OutputSize))));
        var small = new SplitSmallNet();
        var xs = new float[batch * SplitSmallNet.InputSize];
        var ts = new float[batch * SplitSmallNet.OutputSize];
        Assert.Equal(0, Allocated(() => small.TrainStep(xs, ts, batch)));
        Assert.Equal(0, Allocated(() => small.Forward(xs.AsSpan(0, 3), ts.AsSpan(0, 2))));
        var streaming = new ActivationStreamingNet();
        var row = new float[3];
        Assert.Equal(0, Allocated(() => streaming.Step(xs.AsSpan(0, 3), row)));
    }

    [Fact]
    public void Summary_names_the_activation_layers()
    {
        string summary = new SplitImageNet().Summary();
        output.WriteLine(summary);
        Assert.Contains("activation_1 (Activation, Selu)", summary);
        Assert.Contains("activation_2 (Activation, Tanh)", summary);
    }

    private static long Allocated(Action call)
    {
        for (int i = 0; i < 3; i++) call();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) call();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
