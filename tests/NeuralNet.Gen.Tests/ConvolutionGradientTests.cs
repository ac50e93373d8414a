using System;
using NeuralNet.Gen.Tests.Convolution;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Tests;

/// <summary>
/// The generated backward pass of Conv2D, MaxPool2D, Flatten and Dropout against fourth-order central differences
/// of the loss, in double precision, one parameter at a time. Dropout is checked with a fixed mask: the dropout
/// stream is reseeded before every call, so each call draws the same mask and the loss is a fixed function.
/// </summary>
public class ConvolutionGradientTests(ITestOutputHelper output)
{
    private const int BatchSize = 3;
    private const double Step = 1e-4;
    private const double Tolerance = 1e-6;

    [Fact] public void Conv2D_valid_stride_1_two_channels() => Check(new ConvValidStride1Net(), oneHot: false);
    [Fact] public void Conv2D_same_stride_2_three_channels() => Check(new ConvSameStride2Net(), oneHot: false);
    [Fact] public void Conv2D_chain_same_then_valid_stride_2_softmax_output() => Check(new ConvChainNet(), oneHot: true);
    [Fact] public void Conv2D_17_filters_stride_2_after_same_padding() => Check(new ConvWideStride2Net(), oneHot: false, binary: true);
    [Fact] public void Conv2D_as_output_layer_with_activation() => Check(new ConvOutputNet(), oneHot: false);
    [Fact] public void Conv2D_every_kernel_with_input_gradients() => Check(new KernelMixNet(), oneHot: false);
    [Fact] public void MaxPool2D_and_overlapping_pool() => Check(new MaxPoolNet(), oneHot: false);
    [Fact] public void MaxPool2D_on_the_input() => Check(new MaxPoolFirstNet(), oneHot: false);

    [Fact]
    public void Dropout_with_a_fixed_mask()
    {
        var net = new DropoutNet();
        Check(net, oneHot: false, beforeEachCall: () => net.SeedDropout(42));
    }

    private void Check(ITrainableNetwork<double> net, bool oneHot, bool binary = false, Action? beforeEachCall = null)
    {
        var (inputs, targets) = Prepare(net, oneHot, binary);
        Span<double> p = net.Parameters;
        double Loss()
        {
            beforeEachCall?.Invoke();
            return net.ComputeGradients(inputs, targets, BatchSize);
        }

        double loss = Loss();
        double[] analytic = net.Gradients.ToArray();
        if (beforeEachCall is null)
        {
            // Without dropout the fused training loss and the prediction-based ComputeLoss are one quantity.
            Assert.Equal(net.ComputeLoss(inputs, targets, BatchSize), loss, 1e-12 * Math.Max(1, Math.Abs(loss)));
        }

        var numeric = new double[p.Length];
        for (int i = 0; i < p.Length; i++)
        {
            double saved = p[i];
            p[i] = saved + 2 * Step;
            double plus2 = Loss();
            p[i] = saved + Step;
            double plus1 = Loss();
            p[i] = saved - Step;
            double minus1 = Loss();
            p[i] = saved - 2 * Step;
            double minus2 = Loss();
            p[i] = saved;
            numeric[i] = (8 * (plus1 - minus1) - (plus2 - minus2)) / (12 * Step);
        }

        double diff = 0, normA = 0, normN = 0, worst = 0, largest = 0;
        int worstIndex = -1;
        foreach (var g in analytic) largest = Math.Max(largest, Math.Abs(g));
        for (int i = 0; i < p.Length; i++)
        {
            double d = analytic[i] - numeric[i];
            diff += d * d;
            normA += analytic[i] * analytic[i];
            normN += numeric[i] * numeric[i];
            double element = Math.Abs(d) / Math.Max(Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric[i])), 1e-3 * largest);
            if (element > worst) { worst = element; worstIndex = i; }
        }
        double relative = Math.Sqrt(diff) / Math.Max(Math.Sqrt(normA), Math.Sqrt(normN));
        output.WriteLine($"{net.GetType().Name}: {p.Length} parameters, loss {loss:R}, |g| {Math.Sqrt(normA):E3}, relative error {relative:E3}, worst parameter {worstIndex} error {worst:E3}");
        Assert.True(Math.Sqrt(normA) > 1e-6, "the gradient is too small for the check to mean anything");
        Assert.True(relative < Tolerance, $"relative error {relative:E3}");
        Assert.True(worst < Tolerance, $"parameter {worstIndex}: analytic {analytic[worstIndex]:R}, numeric {numeric[worstIndex]:R}, error {worst:E3}");
    }

    private static (double[] Inputs, double[] Targets) Prepare(ITrainableNetwork<double> net, bool oneHot, bool binary)
    {
        var random = new DeterministicRandom(2024);
        Span<double> p = net.Parameters;
        for (int i = 0; i < p.Length; i++) p[i] = 0.3 * random.NextNormal();
        var inputs = new double[BatchSize * net.InputSize];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = random.NextDouble(-1.5, 1.5);
        int n = net.OutputSize;
        var targets = new double[BatchSize * n];
        for (int b = 0; b < BatchSize; b++)
        {
            if (oneHot) targets[b * n + random.NextInt32(n)] = 1;
            else for (int o = 0; o < n; o++) targets[b * n + o] = binary ? random.NextInt32(2) : random.NextDouble(-1.5, 1.5);
        }
        return (inputs, targets);
    }
}
