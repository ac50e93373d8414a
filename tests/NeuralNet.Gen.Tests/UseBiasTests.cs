using System;
using System.Linq;
using NeuralNet.Gen.Tests.UseBias;
using NeuralNet.Gen.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Tests;

/// <summary>
/// <c>UseBias = false</c> on Dense and Conv2D (PyTorch's <c>bias=False</c>): gradients against 4th-order central
/// differences in double; <c>Parameters</c> without the bias blocks; each network equal bit for bit to its twin with
/// biases held at zero (forward alone and in a batch, gradients, a training step, the BatchNorm fold); <c>Step</c>
/// equal to <c>Forward</c>; no allocation after warm-up.
/// </summary>
public class UseBiasTests(ITestOutputHelper output)
{
    [Fact] public void Dense_unrolled_gradients() => CheckGradients(new DenseUnrolledCheckNet());
    [Fact] public void Dense_loop_layer_gradients() => CheckGradients(new DenseLoopCheckNet());
    [Fact] public void Dense_per_step_gradients() => CheckGradients(new DensePerStepCheckNet());
    [Fact] public void Conv2D_gradients_with_each_kernel() => CheckGradients(new Conv2DCheckNet());

    [Fact]
    public void Conv2D_before_BatchNorm_gradients()
    {
        // BatchNorm trains on the batch's statistics, so ComputeLoss (running statistics) differs from the training loss.
        var net = new Conv2DBatchNormCheckNet();
        var (inputs, targets) = FiniteDifferences.Draw(net, 4, seed: 12, parameterScale: 0.6);
        FiniteDifferences.AssertMatches(net, inputs, targets, 4, output, 1e-4, 1e-6, smallest: 1e-4);
    }

    private void CheckGradients(ITrainableNetwork<double> net, int batch = 3)
    {
        var (inputs, targets) = FiniteDifferences.Draw(net, batch, seed: 12, parameterScale: 0.6);
        FiniteDifferences.AssertMatches(net, inputs, targets, batch, output, 1e-4, 1e-6, smallest: 1e-4, lossIsComputeLoss: true);
    }

    // Parameter layouts of each network against its twin: a positive count is in both, a negative one is the twin's bias only.
    private static readonly int[] DenseUnrolled = [4 * 6, -6, 6 * 2, -2];
    private static readonly int[] DenseLoop = [70 * 8, -8, 8 * 3, -3];
    private static readonly int[] DensePerStep = [3 * 70, -70, 70 * 4, -4];
    private static readonly int[] Conv2D = [8 * 2 * 9, -8, 4 * 8 * 9, -4, 2 * 4 * 4, -2, 18 * 2, -2];
    private static readonly int[] Conv2DBatchNorm = [4 * 2 * 9, -4, 2 * 4, 3 * 3 * 4 * 2 + 2];

    [Fact]
    public void Parameters_hold_no_bias_block()
    {
        AssertLayout(new DenseUnrolledNet(), new DenseUnrolledTwin(), DenseUnrolled);
        AssertLayout(new DenseLoopNet(), new DenseLoopTwin(), DenseLoop);
        AssertLayout(new DensePerStepDoubleNet(), new DensePerStepDoubleTwin(), DensePerStep);
        AssertLayout(new Conv2DNet(), new Conv2DTwin(), Conv2D);
        AssertLayout(new Conv2DBatchNormDoubleNet(), new Conv2DBatchNormDoubleTwin(), Conv2DBatchNorm);
        Assert.Equal(DenseUnrolledNet.ParameterCount, new DenseUnrolledNet().Parameters.Length);
    }

    private static void AssertLayout<T>(INetwork<T> net, INetwork<T> twin, int[] layout) where T : unmanaged
    {
        Assert.Equal(layout.Where(n => n > 0).Sum(), net.ParameterCount);
        Assert.Equal(layout.Sum(Math.Abs), twin.ParameterCount);
    }

    [Fact] public void Dense_unrolled_equals_its_twin_with_zero_biases() => AssertTwins(new DenseUnrolledNet(), new DenseUnrolledTwin(), DenseUnrolled);
    [Fact] public void Dense_loop_layer_equals_its_twin_with_zero_biases() => AssertTwins(new DenseLoopNet(), new DenseLoopTwin(), DenseLoop);
    [Fact] public void Dense_per_step_in_double_equals_its_twin_with_zero_biases() => AssertTwins(new DensePerStepDoubleNet(), new DensePerStepDoubleTwin(), DensePerStep);
    [Fact] public void Conv2D_equals_its_twin_with_zero_biases() => AssertTwins(new Conv2DNet(), new Conv2DTwin(), Conv2D);
    [Fact] public void Conv2D_before_BatchNorm_equals_its_twin_folded_and_training() => AssertTwins(new Conv2DBatchNormDoubleNet(), new Conv2DBatchNormDoubleTwin(), Conv2DBatchNorm);

    /// <summary>
    /// The twin gets the network's parameters with zero biases (and its running statistics, made non-trivial so a
    /// BatchNorm fold changes the filters); then forward, gradients and one training step agree exactly.
    /// </summary>
    private static void AssertTwins<T>(ITrainableNetwork<T> net, ITrainableNetwork<T> twin, int[] layout) where T : unmanaged, IEquatable<T>
    {
        const int batch = 7;
        var random = new DeterministicRandom(21);
        T Draw(double low, double high) => (T)Convert.ChangeType(random.NextDouble(low, high), typeof(T));
        Span<T> p = net.Parameters;
        for (int i = 0; i < p.Length; i++) p[i] = Draw(-0.5, 0.5);
        for (int i = 0; i < net.Buffers.Length; i++) net.Buffers[i] = Draw(0.2, 1.5);
        HoldBiasesAtZero(net.Parameters, twin.Parameters, layout);
        net.Buffers.CopyTo(twin.Buffers);
        var x = new T[batch * net.InputSize];
        for (int i = 0; i < x.Length; i++) x[i] = Draw(-1.5, 1.5);
        var targets = new T[batch * net.OutputSize];
        for (int i = 0; i < targets.Length; i++) targets[i] = Draw(0, 1);

        var ours = new T[batch * net.OutputSize];
        var theirs = new T[batch * net.OutputSize];
        net.Forward(x, ours, batch);
        twin.Forward(x, theirs, batch);
        Assert.Equal(theirs, ours);
        net.Forward(x.AsSpan(0, net.InputSize), ours.AsSpan(0, net.OutputSize));
        twin.Forward(x.AsSpan(0, net.InputSize), theirs.AsSpan(0, net.OutputSize));
        Assert.Equal(theirs, ours);
        Assert.NotEqual(default, ours[0]);

        Assert.Equal(twin.ComputeGradients(x, targets, batch), net.ComputeGradients(x, targets, batch));
        Assert.Equal(WithoutBiases(twin.Gradients, layout), net.Gradients.ToArray());
        Assert.Contains(net.Gradients.ToArray(), g => !g.Equals(default));

        net.LearningRate = twin.LearningRate = (T)Convert.ChangeType(0.01, typeof(T));
        Assert.Equal(twin.TrainStep(x, targets, batch), net.TrainStep(x, targets, batch));
        Assert.Equal(WithoutBiases(twin.Parameters, layout), net.Parameters.ToArray());
        Assert.Equal(twin.Buffers.ToArray(), net.Buffers.ToArray());
    }

    private static void HoldBiasesAtZero<T>(ReadOnlySpan<T> net, Span<T> twin, int[] layout) where T : unmanaged
    {
        int from = 0, to = 0;
        foreach (int n in layout)
        {
            if (n > 0) net.Slice(from, n).CopyTo(twin.Slice(to, n));
            else twin.Slice(to, -n).Clear();
            from += Math.Max(n, 0);
            to += Math.Abs(n);
        }
        Assert.Equal(net.Length, from);
        Assert.Equal(twin.Length, to);
    }

    private static T[] WithoutBiases<T>(ReadOnlySpan<T> twin, int[] layout) where T : unmanaged
    {
        var kept = new System.Collections.Generic.List<T>();
        int at = 0;
        foreach (int n in layout)
        {
            if (n > 0) kept.AddRange(twin.Slice(at, n).ToArray());
            at += Math.Abs(n);
        }
        return kept.ToArray();
    }

    [Fact]
    public void Step_of_a_Dense_without_bias_equals_Forward_on_packed_weights_and_through_the_kernel()
    {
        var small = new StepNet();
        AssertStepEqualsForward<float>(small, small.Forward, small.Step, small.ResetState, 6, 2);
        var wide = new StepWideDoubleNet();
        AssertStepEqualsForward<double>(wide, wide.Forward, wide.Step, wide.ResetState, 5, 2);
    }

    private delegate void Rows<T>(ReadOnlySpan<T> input, Span<T> output);

    private static void AssertStepEqualsForward<T>(INetwork<T> net, Rows<T> forward, Rows<T> step, Action reset, int steps, int features) where T : unmanaged
    {
        var random = new DeterministicRandom(9);
        var x = new T[steps * features];
        for (int i = 0; i < x.Length; i++) x[i] = (T)Convert.ChangeType(random.NextDouble(-1, 1), typeof(T));
        var expected = new T[net.OutputSize];
        forward(x, expected);
        int outputs = net.OutputSize / steps;
        var row = new T[outputs];
        reset();
        for (int t = 0; t < steps; t++)
        {
            step(x.AsSpan(t * features, features), row);
            Assert.Equal(expected.AsSpan(t * outputs, outputs).ToArray(), row);
        }
    }

    [Fact]
    public void Nothing_is_allocated_after_warm_up()
    {
        var loop = new DenseLoopNet();
        var x = new float[4 * DenseLoopNet.InputSize];
        var y = new float[4 * DenseLoopNet.OutputSize];
        Assert.Equal(0, Allocations.Steady(() => loop.Forward(x.AsSpan(0, DenseLoopNet.InputSize), y.AsSpan(0, DenseLoopNet.OutputSize))));
        Assert.Equal(0, Allocations.Steady(() => loop.Forward(x, y, 4)));
        Assert.Equal(0, Allocations.Steady(() => loop.TrainStep(x, y, 4)));
        var conv = new Conv2DNet();
        var xc = new float[4 * Conv2DNet.InputSize];
        var yc = new float[4 * Conv2DNet.OutputSize];
        Assert.Equal(0, Allocations.Steady(() => conv.Forward(xc.AsSpan(0, Conv2DNet.InputSize), yc.AsSpan(0, Conv2DNet.OutputSize))));
        Assert.Equal(0, Allocations.Steady(() => conv.TrainStep(xc, yc, 4)));
        var stream = new StepNet();
        var row = new float[3];
        Assert.Equal(0, Allocations.Steady(() => stream.Step(xc.AsSpan(0, 2), row), calls: 10));
    }
}
