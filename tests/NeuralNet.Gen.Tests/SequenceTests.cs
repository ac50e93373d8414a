using System;
using NeuralNet.Gen.TestKit;
using NeuralNet.Gen.Tests.Sequences;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Tests;

/// <summary>
/// Per-step Dense on a sequence: forward against a nested-loop reference written here, gradients against 4th-order
/// central differences in double, the loss as a mean over the batch and the steps, and no allocation after warm-up.
/// </summary>
public class SequenceTests(ITestOutputHelper output)
{
    private const int BatchSize = 3;

    [Fact] public void Per_step_dense_gradients_mse() => CheckGradients(new PerStepMseNet(), oneHot: false);
    [Fact] public void Per_step_dense_gradients_softmax_cce() => CheckGradients(new PerStepCceNet(), oneHot: true);
    [Fact] public void Per_step_dense_gradients_sigmoid_bce() => CheckGradients(new PerStepBceNet(), oneHot: false, binary: true);
    [Fact] public void Per_step_dense_gradients_hidden_softmax_huber() => CheckGradients(new PerStepSoftmaxHiddenNet(), oneHot: false);
    [Fact] public void Per_step_dense_then_flatten_gradients_mae() => CheckGradients(new PerStepThenFlattenNet(), oneHot: false);

    [Fact]
    public void Per_step_dense_shapes_and_parameters()
    {
        Assert.Equal(12, PerStepMseNet.InputSize);
        Assert.Equal(8, PerStepMseNet.OutputSize);
        // The same weights at every step: 3·5 + 5 and 5·2 + 2, whatever the steps.
        Assert.Equal(3 * 5 + 5 + 5 * 2 + 2, PerStepMseNet.ParameterCount);
        Assert.Contains("(None, 4, 5)", new PerStepMseNet().Summary());
    }

    [Fact]
    public void Per_step_dense_forward_equals_a_nested_loop_reference()
    {
        var net = new PerStepCceNet();
        var random = new DeterministicRandom(5);
        var inputs = new double[BatchSize * PerStepCceNet.InputSize];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = random.NextDouble(-2, 2);
        var outputs = new double[BatchSize * PerStepCceNet.OutputSize];
        net.Forward(inputs, outputs, BatchSize);
        var single = new double[PerStepCceNet.OutputSize];
        double[] p = net.Parameters.ToArray();
        for (int b = 0; b < BatchSize; b++)
        {
            net.Forward(inputs.AsSpan(b * 12, 12), single);
            for (int s = 0; s < 4; s++)
            {
                var hidden = Dense(p, 0, inputs.AsSpan(b * 12 + s * 3, 3), 5, Math.Tanh);
                var logits = Dense(p, 3 * 5 + 5, hidden, 3, x => x);
                double max = Math.Max(logits[0], Math.Max(logits[1], logits[2])), sum = 0;
                for (int k = 0; k < 3; k++) sum += Math.Exp(logits[k] - max);
                for (int k = 0; k < 3; k++)
                {
                    double expected = Math.Exp(logits[k] - max) / sum;
                    Assert.Equal(expected, outputs[b * 12 + s * 3 + k], 1e-12);
                    Assert.Equal(outputs[b * 12 + s * 3 + k], single[s * 3 + k]);
                }
            }
        }
    }

    [Fact]
    public void Sequence_cross_entropy_is_a_mean_over_batch_and_steps()
    {
        var net = new PerStepCceNet();
        var inputs = new double[BatchSize * 12];
        var targets = new double[BatchSize * 12];
        var random = new DeterministicRandom(8);
        for (int i = 0; i < inputs.Length; i++) inputs[i] = random.NextDouble(-1, 1);
        for (int r = 0; r < BatchSize * 4; r++) targets[r * 3 + random.NextInt32(3)] = 1;
        var outputs = new double[targets.Length];
        net.Forward(inputs, outputs, BatchSize);
        double expected = 0;
        for (int i = 0; i < targets.Length; i++) expected -= targets[i] * Math.Log(outputs[i]);
        expected /= BatchSize * 4;
        Assert.Equal(expected, net.ComputeLoss(inputs, targets, BatchSize), 1e-12);
        Assert.Equal(expected, net.ComputeGradients(inputs, targets, BatchSize), 1e-12);
    }

    [Fact]
    public void Sequence_mse_is_a_mean_over_every_output()
    {
        var net = new PerStepMseNet();
        var inputs = new double[BatchSize * 12];
        var targets = new double[BatchSize * 8];
        var random = new DeterministicRandom(9);
        for (int i = 0; i < inputs.Length; i++) inputs[i] = random.NextDouble(-1, 1);
        for (int i = 0; i < targets.Length; i++) targets[i] = random.NextDouble(-1, 1);
        var outputs = new double[targets.Length];
        net.Forward(inputs, outputs, BatchSize);
        double expected = 0;
        for (int i = 0; i < targets.Length; i++) expected += (outputs[i] - targets[i]) * (outputs[i] - targets[i]);
        expected /= targets.Length;
        Assert.Equal(expected, net.ComputeGradients(inputs, targets, BatchSize), 1e-12);
    }

    [Fact]
    public void Per_step_dropout_is_the_identity_at_inference_and_trains()
    {
        var withDropout = new PerStepDropoutNet();
        var plain = new PerStepInferenceNet();
        Assert.Equal(PerStepInferenceNet.ParameterCount, PerStepDropoutNet.ParameterCount);
        withDropout.Parameters.CopyTo(plain.Parameters);
        var inputs = new float[2 * 12];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = 0.1f * i - 1;
        float[] a = new float[16], b = new float[16];
        withDropout.Forward(inputs, a, 2);
        plain.Forward(inputs, b, 2);
        Assert.Equal(b, a);
        var targets = new float[16];
        float first = withDropout.TrainStep(inputs, targets, 2);
        Assert.True(float.IsFinite(first));
        for (int i = 0; i < 200; i++) withDropout.TrainStep(inputs, targets, 2);
        Assert.True(withDropout.ComputeLoss(inputs, targets, 2) < first, "training with per-step dropout lowers the loss");
    }

    [Fact]
    public void Per_step_dense_allocates_nothing_after_warm_up()
    {
        var net = new PerStepCceSingleNet();
        var inputs = new float[BatchSize * 12];
        var targets = new float[BatchSize * 12];
        for (int r = 0; r < BatchSize * 4; r++) targets[r * 3 + r % 3] = 1;
        var outputs = new float[targets.Length];
        var one = new float[12];
        Assert.Equal(0, Allocations.Steady(() => net.TrainStep(inputs, targets, BatchSize)));
        Assert.Equal(0, Allocations.Steady(() => net.Forward(inputs, outputs, BatchSize)));
        Assert.Equal(0, Allocations.Steady(() => net.Forward(inputs.AsSpan(0, 12), one)));
    }

    private static double[] Dense(double[] p, int offset, ReadOnlySpan<double> x, int units, Func<double, double> activation)
    {
        var y = new double[units];
        int m = x.Length;
        for (int o = 0; o < units; o++)
        {
            double z = p[offset + units * m + o];
            for (int i = 0; i < m; i++) z += p[offset + o * m + i] * x[i];
            y[o] = activation(z);
        }
        return y;
    }

    private void CheckGradients(ITrainableNetwork<double> net, bool oneHot, bool binary = false)
    {
        var random = new DeterministicRandom(2026);
        Span<double> p = net.Parameters;
        for (int i = 0; i < p.Length; i++) p[i] = 0.5 * random.NextNormal();
        var inputs = new double[BatchSize * net.InputSize];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = random.NextDouble(-1.5, 1.5);
        var targets = new double[BatchSize * net.OutputSize];
        if (oneHot)
        {
            const int classes = 3;
            for (int r = 0; r < targets.Length / classes; r++) targets[r * classes + random.NextInt32(classes)] = 1;
        }
        else
        {
            for (int i = 0; i < targets.Length; i++) targets[i] = binary ? random.NextInt32(2) : random.NextDouble(-2.5, 2.5);
        }
        double worst = SequenceFiniteDifferences.WorstError(net, inputs, targets, BatchSize, out double loss);
        output.WriteLine($"{net.GetType().Name}: {p.Length} parameters, loss {loss:R}, worst error {worst:E3}");
        Assert.True(worst < 1e-6, $"worst error {worst:E3}");
    }
}

/// <summary>4th-order central differences of <c>ComputeGradients</c>'s loss against its gradient, in double.</summary>
internal static class SequenceFiniteDifferences
{
    private const double Step = 1e-4;

    /// <summary>The worst per-parameter error, relative to the parameter's gradient with a floor of a thousandth of the largest.</summary>
    public static double WorstError(ITrainableNetwork<double> net, double[] inputs, double[] targets, int batchSize, out double loss)
    {
        Span<double> p = net.Parameters;
        loss = net.ComputeGradients(inputs, targets, batchSize);
        double[] analytic = net.Gradients.ToArray();
        // The fused training loss and the prediction-based ComputeLoss are two computations of one quantity.
        Assert.Equal(net.ComputeLoss(inputs, targets, batchSize), loss, 1e-12 * Math.Max(1, Math.Abs(loss)));
        double largest = 0;
        foreach (var g in analytic) largest = Math.Max(largest, Math.Abs(g));
        Assert.True(largest > 1e-6, "the gradient is too small for the check to mean anything");
        double worst = 0;
        double[] numeric = FiniteDifferences.Gradient(net, inputs, targets, batchSize, Step);
        for (int i = 0; i < p.Length; i++)
        {
            double error = Math.Abs(analytic[i] - numeric[i]) / Math.Max(Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric[i])), 1e-3 * largest);
            worst = Math.Max(worst, error);
        }
        return worst;
    }
}
