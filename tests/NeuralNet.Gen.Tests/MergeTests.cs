using System;
using System.Linq;
using NeuralNet.Gen.TestKit;
using NeuralNet.Gen.Tests.Merge;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Tests;

/// <summary>
/// Add and Concatenate: gradients along both paths by finite differences (skips over several layers, from "input",
/// a layer added to itself; vectors, sequences, images), the forward pass against nested loops, and no allocation
/// after warm-up.
/// </summary>
public class MergeTests(ITestOutputHelper output)
{
    private const double Step = 1e-4;

    [Fact] public void Gradients_through_skips_on_vectors() => CheckGradients(new ResidualVectorNet(), batch: 3);

    [Fact] public void Gradients_through_skips_on_images() => CheckGradients(new ResidualImageNet(), batch: 2);

    [Fact] public void Gradients_through_skips_on_sequences() => CheckGradients(new ResidualSequenceNet(), batch: 4);

    /// <summary>Central differences (4th order) of the batch loss for every parameter, against <c>ComputeGradients</c>.</summary>
    private void CheckGradients(ITrainableNetwork<double> net, int batch)
    {
        var (inputs, targets) = FiniteDifferences.Draw(net, batch, seed: 17, parameterScale: 0.5, inputRange: 1);
        FiniteDifferences.AssertMatches(net, inputs, targets, batch, output, Step);
    }

    [Fact]
    public void Vector_forward_equals_nested_loops()
    {
        var net = new ResidualVectorNet();
        var random = new DeterministicRandom(5);
        Span<double> p = net.Parameters;
        for (int i = 0; i < p.Length; i++) p[i] = random.NextNormal();
        double[] x = { 0.3, -0.7, 1.1, 0.05 };
        var y = new double[2];
        net.Forward(x, y);

        double[] w = p.ToArray();
        int offset = 0;
        double[] Dense(double[] input, int units, Func<double, double> f)
        {
            var output = new double[units];
            int bias = offset + units * input.Length;
            for (int u = 0; u < units; u++)
            {
                double z = w[bias + u];
                for (int i = 0; i < input.Length; i++) z += w[offset + u * input.Length + i] * input[i];
                output[u] = f(z);
            }
            offset = bias + units;
            return output;
        }
        var h1 = Dense(x, 6, Math.Tanh);
        var h2 = Dense(h1, 6, Math.Tanh);
        var h3 = Dense(h2, 6, z => 1 / (1 + Math.Exp(-z)));
        var sum = h3.Select((v, i) => v + h1[i]).ToArray();
        var t = Dense(sum, 3, Math.Tanh);
        var twice = t.Select(v => v + v).ToArray();
        var joined = twice.Concat(x).ToArray();
        var expected = Dense(joined, 2, z => z);

        Assert.Equal(p.Length, offset);
        for (int k = 0; k < 2; k++) Assert.Equal(expected[k], y[k], 1e-12);
    }

    [Fact]
    public void Image_forward_equals_nested_loops()
    {
        var net = new MergeImageForwardNet();
        var random = new DeterministicRandom(9);
        Span<double> p = net.Parameters;
        for (int i = 0; i < p.Length; i++) p[i] = random.NextNormal();
        const int H = 2, W = 3, C = 2, F = 2;
        Assert.Equal(H * W * 4, MergeImageForwardNet.OutputSize);
        var x = new double[2 * H * W * C];
        for (int i = 0; i < x.Length; i++) x[i] = random.NextDouble(-1, 1);
        var y = new double[2 * MergeImageForwardNet.OutputSize];
        net.Forward(x, y, 2);

        // Conv2D 1x1: weights [filters, channels, 1, 1] then bias [filters]; the images are row-major HWC.
        for (int b = 0; b < 2; b++)
        {
            for (int h = 0; h < H; h++)
            {
                for (int col = 0; col < W; col++)
                {
                    int pixel = b * H * W + h * W + col;
                    var conv = new double[F];
                    for (int f = 0; f < F; f++)
                    {
                        conv[f] = p[F * C + f];
                        for (int ch = 0; ch < C; ch++) conv[f] += p[f * C + ch] * x[pixel * C + ch];
                    }
                    for (int f = 0; f < F; f++)
                    {
                        Assert.Equal(conv[f] + x[pixel * C + f], y[pixel * 4 + f], 1e-12);
                        Assert.Equal(conv[f], y[pixel * 4 + F + f], 1e-12);
                    }
                }
            }
        }
    }

    [Fact]
    public void Residual_cnn_allocates_nothing_after_warm_up()
    {
        var net = new ResidualCnn();
        const int batch = 4;
        var x = new float[batch * ResidualCnn.InputSize];
        for (int i = 0; i < x.Length; i++) x[i] = (i % 11) / 11f;
        var t = new float[batch * ResidualCnn.OutputSize];
        for (int b = 0; b < batch; b++) t[b * ResidualCnn.OutputSize + b % ResidualCnn.OutputSize] = 1;
        var y = new float[batch * ResidualCnn.OutputSize];
        var single = new float[ResidualCnn.OutputSize];

        long forward = Allocations.Steady(() => net.Forward(x, y, batch), 5);
        long sample = Allocations.Steady(() => net.Forward(x.AsSpan(0, ResidualCnn.InputSize), single), 5);
        long train = Allocations.Steady(() => net.TrainStep(x, t, batch), 5);
        output.WriteLine($"Forward(batch): {forward}, Forward(sample): {sample}, TrainStep: {train} bytes over 5 calls");
        Assert.Equal(0, forward);
        Assert.Equal(0, sample);
        Assert.Equal(0, train);
    }
}
