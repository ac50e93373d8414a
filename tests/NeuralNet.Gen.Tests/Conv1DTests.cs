using System;
using System.Linq;
using NeuralNet.Gen.Tests.Conv1D;
using NeuralNet.Gen.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Tests;

/// <summary>
/// Conv1D: gradients against 4th-order central differences in double for each padding with stride and dilation,
/// forward against a nested-loop reference written from the contract's formulas, streaming (<c>Step</c>) of a causal
/// stride-1 convolution against <c>Forward</c>, and no allocation after warm-up.
/// </summary>
public class Conv1DTests(ITestOutputHelper output)
{
    private const double Step = 1e-4;
    private const double Tolerance = 1e-6;

    [Fact] public void Valid_gradients() => CheckGradients(new ValidCheckNet());
    [Fact] public void Same_with_stride_gradients() => CheckGradients(new SameStrideCheckNet());
    [Fact] public void Same_with_stride_and_dilation_gradients() => CheckGradients(new SameDilatedCheckNet());
    [Fact] public void Causal_with_dilation_gradients() => CheckGradients(new CausalDilatedCheckNet());
    [Fact] public void Causal_with_stride_gradients() => CheckGradients(new CausalStrideCheckNet());
    [Fact] public void Valid_with_stride_dilation_and_no_bias_gradients() => CheckGradients(new ValidStrideDilatedNoBiasCheckNet());

    private void CheckGradients(ITrainableNetwork<double> net, int batch = 3)
    {
        var (inputs, targets) = FiniteDifferences.Draw(net, batch, seed: 12, parameterScale: 0.6);
        FiniteDifferences.AssertMatches(net, inputs, targets, batch, output, Step, Tolerance, smallest: 1e-4, lossIsComputeLoss: true);
    }

    /// <summary>
    /// nn.Conv1d on (steps, features) rows, written from the contract: zeros before the sequence (Same: half of
    /// max((⌈n/s⌉ − 1)·s + d·(k − 1) + 1 − n, 0), rounded down; Causal: d·(k − 1)), weights [f, c, k], then the activation.
    /// </summary>
    private static double[] Reference(double[] x, double[] p, int steps, int channels, int filters, int k, int stride, int dilation, Padding padding, Func<double, double> activation)
    {
        int span = dilation * (k - 1) + 1;
        int outSteps = padding == Padding.Valid ? (steps - span) / stride + 1 : (steps + stride - 1) / stride;
        int before = padding switch
        {
            Padding.Same => Math.Max((outSteps - 1) * stride + span - steps, 0) / 2,
            Padding.Causal => dilation * (k - 1),
            _ => 0,
        };
        var y = new double[outSteps * filters];
        for (int t = 0; t < outSteps; t++)
        {
            for (int f = 0; f < filters; f++)
            {
                double sum = p[filters * channels * k + f];
                for (int c = 0; c < channels; c++)
                {
                    for (int j = 0; j < k; j++)
                    {
                        int s = t * stride + j * dilation - before;
                        if (s >= 0 && s < steps) sum += p[(f * channels + c) * k + j] * x[s * channels + c];
                    }
                }
                y[t * filters + f] = activation(sum);
            }
        }
        return y;
    }

    [Fact]
    public void Forward_matches_the_nested_loop_reference()
    {
        var random = new DeterministicRandom(7);
        const int batch = 9;

        var same = new ReferenceSameNet();
        var xs = Enumerable.Range(0, batch * ReferenceSameNet.InputSize).Select(_ => (float)random.NextDouble(-1, 1)).ToArray();
        Compare(same, xs, (x, p) => Reference(x, p, 12, 3, 8, 3, 2, 2, Padding.Same, v => Math.Max(v, 0)), 6 * 8, 2e-6);

        var valid = new ReferenceValidNet();
        Assert.Equal(2 * 6, ReferenceValidNet.OutputSize); // (12 - 9) / 3 + 1 steps
        Compare(valid, xs, (x, p) => Reference(x, p, 12, 3, 6, 5, 3, 2, Padding.Valid, v => v), 2 * 6, 2e-6);

        var causal = new ReferenceCausalNet();
        var xd = xs.Select(v => (double)v).ToArray();
        var yd = new double[batch * ReferenceCausalNet.OutputSize];
        causal.Forward(xd, yd, batch);
        double[] pd = causal.Parameters.ToArray();
        double worst = 0;
        for (int b = 0; b < batch; b++)
        {
            var expected = Reference(xd.AsSpan(b * 36, 36).ToArray(), pd, 12, 3, 5, 4, 1, 3, Padding.Causal, Math.Tanh);
            for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - yd[b * expected.Length + i]));
        }
        output.WriteLine($"causal (double): worst difference {worst:E3}");
        Assert.True(worst < 1e-13, $"worst difference {worst:E3}");
    }

    [Fact]
    public void Single_and_double_agree()
    {
        var d = new ReferenceCausalNet();
        var f = new ReferenceCausalFloatNet();
        for (int i = 0; i < d.Parameters.Length; i++) f.Parameters[i] = (float)d.Parameters[i];
        var random = new DeterministicRandom(8);
        const int batch = 4;
        var xf = Enumerable.Range(0, batch * ReferenceCausalNet.InputSize).Select(_ => (float)random.NextDouble(-2, 2)).ToArray();
        var yd = new double[batch * ReferenceCausalNet.OutputSize];
        var yf = new float[yd.Length];
        d.Forward(xf.Select(v => (double)v).ToArray(), yd, batch);
        f.Forward(xf, yf, batch);
        double worst = yd.Zip(yf, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"float against double: worst difference {worst:E3}");
        Assert.True(worst < 1e-5, $"worst difference {worst:E3}");
    }

    private void Compare(INetwork<float> net, float[] xs, Func<double[], double[], double[]> reference, int outputSize, double tolerance)
    {
        int batch = xs.Length / net.InputSize;
        Assert.Equal(outputSize, net.OutputSize);
        var y = new float[batch * outputSize];
        net.Forward(xs, y, batch);
        double[] p = net.Parameters.ToArray().Select(v => (double)v).ToArray();
        double worst = 0;
        var single = new float[outputSize];
        for (int b = 0; b < batch; b++)
        {
            var x = xs.AsSpan(b * net.InputSize, net.InputSize).ToArray();
            var expected = reference(x.Select(v => (double)v).ToArray(), p);
            for (int i = 0; i < outputSize; i++) worst = Math.Max(worst, Math.Abs(expected[i] - y[b * outputSize + i]));
            net.Forward(x, single);
            Assert.Equal(y.AsSpan(b * outputSize, outputSize).ToArray(), single); // one sample = its row of the batch, bit for bit
        }
        output.WriteLine($"{net.GetType().Name}: worst difference {worst:E3}");
        Assert.True(worst < tolerance, $"worst difference {worst:E3}");
    }

    [Fact]
    public void Step_row_by_row_equals_Forward_runs_past_the_steps_and_restarts()
    {
        var net = new StreamConvNet();
        const int steps = 16;
        var random = new DeterministicRandom(3);
        var x = new float[2 * steps];
        for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble(-1, 1);
        var expected = new float[steps];
        net.Forward(x.AsSpan(0, steps), expected);
        var row = new float[1];
        for (int round = 0; round < 2; round++)
        {
            // The second round after ResetState: the stream (GRU state and convolution history) restarts.
            net.ResetState();
            for (int t = 0; t < steps; t++)
            {
                net.Step(x.AsSpan(t, 1), row);
                Assert.Equal(expected[t], row[0]);
            }
        }
        // Past the declared steps: the stream of 32 rows goes on; its convolution history at step 16 holds rows 12..15,
        // so it differs from a fresh stream started at row 16, and is finite.
        var fresh = new StreamConvNet();
        var freshRow = new float[1];
        for (int t = steps; t < 2 * steps; t++)
        {
            net.Step(x.AsSpan(t, 1), row);
            fresh.Step(x.AsSpan(t, 1), freshRow);
            Assert.True(float.IsFinite(row[0]));
        }
        Assert.NotEqual(freshRow[0], row[0]);
        Assert.Equal(1, StreamConvNet.StepInputSize);
        Assert.Equal(1, StreamConvNet.StepOutputSize);
    }

    [Fact]
    public void Step_of_convolutions_only_in_double_equals_Forward()
    {
        var net = new StreamConvOnlyDoubleNet();
        var random = new DeterministicRandom(9);
        var x = new double[StreamConvOnlyDoubleNet.InputSize];
        for (int i = 0; i < x.Length; i++) x[i] = random.NextDouble(-1, 1);
        var expected = new double[StreamConvOnlyDoubleNet.OutputSize];
        net.Forward(x, expected);
        var row = new double[2];
        for (int t = 0; t < 10; t++)
        {
            net.Step(x.AsSpan(t * 2, 2), row);
            Assert.Equal(expected.AsSpan(t * 2, 2).ToArray(), row);
        }
    }

    [Fact]
    public void Only_causal_stride_one_convolutions_stream()
    {
        Assert.NotNull(typeof(StreamConvNet).GetMethod("Step"));
        Assert.NotNull(typeof(StreamConvOnlyDoubleNet).GetMethod("ResetState"));
        Assert.Null(typeof(SameConvGruNet).GetMethod("Step"));
        Assert.Null(typeof(StridedCausalConvGruNet).GetMethod("Step"));
        Assert.NotNull(typeof(ReferenceCausalNet).GetMethod("Step")); // a causal Conv1D alone streams too (contract)
    }

    [Fact]
    public void Step_Forward_and_training_allocate_nothing_after_warm_up()
    {
        var net = new StreamConvNet();
        var x = new float[StreamConvNet.InputSize];
        var y = new float[StreamConvNet.OutputSize];
        var row = new float[1];
        var xs = new float[4 * StreamConvNet.InputSize];
        var ts = new float[4 * StreamConvNet.OutputSize];
        Assert.Equal(0, Allocations.Steady(() => net.Step(x.AsSpan(0, 1), row), calls: 10));
        Assert.Equal(0, Allocations.Steady(() => net.Forward(x, y)));
        Assert.Equal(0, Allocations.Steady(() => net.Forward(xs, ts, 4)));
        Assert.Equal(0, Allocations.Steady(() => net.TrainStep(xs, ts, 4)));
        var noBias = new ValidStrideDilatedNoBiasCheckNet();
        var xn = new double[4 * ValidStrideDilatedNoBiasCheckNet.InputSize];
        var tn = new double[4];
        Assert.Equal(0, Allocations.Steady(() => noBias.TrainStep(xn, tn, 4)));
    }
}
