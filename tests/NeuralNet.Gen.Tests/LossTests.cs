using System;
using Xunit;

namespace NeuralNet.Gen.Tests;

/// <summary>
/// ComputeLoss and the training path call the same loss kernels (LossKernels), so they return the same loss to the
/// bit, also where a Sigmoid or Softmax saturates (the probability form would clamp log 0 at -100); and the kernels
/// against closed forms computed here in double.
/// </summary>
public class LossTests
{
    [Fact] public void Saturated_sigmoid_loss_is_the_same_in_ComputeLoss_and_training_unrolled() => SaturatedSigmoid(new SaturatingSigmoidNet());
    [Fact] public void Saturated_sigmoid_loss_is_the_same_in_ComputeLoss_and_training_batched() => SaturatedSigmoid(new SaturatingSigmoidBatchNet());
    [Fact] public void Saturated_softmax_loss_is_the_same_in_ComputeLoss_and_training_unrolled() => SaturatedSoftmax(new SaturatingSoftmaxNet());
    [Fact] public void Saturated_softmax_loss_is_the_same_in_ComputeLoss_and_training_batched() => SaturatedSoftmax(new SaturatingSoftmaxBatchNet());

    /// <summary>Logits +40 and -40 against the opposite labels: each sample's loss is softplus(40) = 40 (to float precision).</summary>
    private static void SaturatedSigmoid(ITrainableNetwork<float> net)
    {
        int n = net.InputSize;
        var p = net.Parameters;
        p.Clear();
        p[0] = 40f; // weight of input 0; the bias (last) stays 0
        var inputs = new float[2 * n];
        inputs[0] = 1f;
        inputs[n] = -1f;
        float[] targets = { 0f, 1f };
        var outputs = new float[2];
        net.Forward(inputs, outputs, 2);
        Assert.Equal(1f, outputs[0]); // saturated: log(1 - a) would be -inf
        Assert.True(outputs[1] < 1e-17f); // e^-40

        float computed = net.ComputeLoss(inputs, targets, 2);
        float gradients = net.ComputeGradients(inputs, targets, 2);
        float trained = net.TrainStep(inputs, targets, 2);
        Assert.Equal(40f, computed);
        AssertBitIdentical(computed, gradients);
        AssertBitIdentical(computed, trained);
    }

    /// <summary>Evaluate reports the network's own loss through ComputeLoss, so a saturated output does not hit the -100 clamp.</summary>
    [Fact]
    public void Evaluate_reports_the_training_loss_for_a_saturated_sigmoid()
    {
        var net = new SaturatingSigmoidNet();
        var p = net.Parameters;
        p.Clear();
        p[0] = 40f;
        float[] inputs = { 1f, 0f, -1f, 0f };
        float[] targets = { 0f, 1f };
        var evaluation = net.Evaluate(inputs, targets);
        Assert.Equal(40.0, evaluation.Loss);
        Assert.Equal(net.ComputeLoss(inputs, targets, 2), evaluation.Loss);
        // What the probability form of the outputs gives instead: log(1 - 1) clamped at -100 for the first sample.
        Assert.Equal(100f, LossFunctions.Compute<float>(LossFunction.BinaryCrossEntropy, new float[] { 1f }, new float[] { 0f }));
    }

    /// <summary>Logits (40, -40, 0) with the target on the -40 class: loss = logsumexp - (-40) = 80 (to float precision).</summary>
    private static void SaturatedSoftmax(ITrainableNetwork<float> net)
    {
        int n = net.InputSize;
        var p = net.Parameters;
        p.Clear();
        p[0] = 40f;      // unit 0 weight of input 0
        p[n] = -40f;     // unit 1 weight of input 0
        var inputs = new float[n];
        inputs[0] = 1f;
        float[] targets = { 0f, 1f, 0f };
        float computed = net.ComputeLoss(inputs, targets, 1);
        Assert.Equal(80f, computed);
        AssertBitIdentical(computed, net.ComputeGradients(inputs, targets, 1));
        AssertBitIdentical(computed, net.TrainStep(inputs, targets, 1));
    }

    [Fact] public void Huber_loss_is_the_same_in_ComputeLoss_and_training() => SameLoss(new HuberTanhNet(), scale: 3);
    [Fact] public void Mse_through_softmax_loss_is_the_same_in_ComputeLoss_and_training() => SameLoss(new SoftmaxMseBatchNet(), scale: 1);
    [Fact] public void Circles_loss_is_the_same_in_ComputeLoss_and_training() => SameLoss(new CirclesNet(), scale: 1);
    [Fact] public void Mnist_loss_is_the_same_in_ComputeLoss_and_training() => SameLoss(new Mnist50Net(), scale: 1);

    [Fact]
    public void Mae_loss_is_the_same_in_ComputeLoss_and_training_double()
    {
        var net = new MaeDoubleNet();
        var random = new DeterministicRandom(3);
        var inputs = new double[7 * MaeDoubleNet.InputSize];
        var targets = new double[7 * MaeDoubleNet.OutputSize];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = 2 * random.NextDouble() - 1;
        for (int i = 0; i < targets.Length; i++) targets[i] = random.NextDouble();
        double computed = net.ComputeLoss(inputs, targets, 7);
        Assert.Equal(BitConverter.DoubleToInt64Bits(computed), BitConverter.DoubleToInt64Bits(net.ComputeGradients(inputs, targets, 7)));
        // The mean of |a - t| over every output, in double here.
        var outputs = new double[targets.Length];
        net.Forward(inputs, outputs, 7);
        double expected = 0;
        for (int i = 0; i < outputs.Length; i++) expected += Math.Abs(outputs[i] - targets[i]);
        Assert.Equal(expected / outputs.Length, computed, 1e-14);
    }

    /// <summary>Random inputs and targets in [0, 1) times <paramref name="scale"/>, a batch of 9: ComputeLoss equals ComputeGradients' loss and the closed form.</summary>
    private static void SameLoss(ITrainableNetwork<float> net, float scale)
    {
        var random = new DeterministicRandom(21);
        const int batch = 9;
        var inputs = new float[batch * net.InputSize];
        var targets = new float[batch * net.OutputSize];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = (float)(2 * random.NextDouble() - 1) * scale;
        for (int i = 0; i < targets.Length; i++) targets[i] = (float)random.NextDouble() * scale;
        if (net.Loss == LossFunction.CategoricalCrossEntropy || net.Loss == LossFunction.BinaryCrossEntropy)
        {
            for (int i = 0; i < targets.Length; i++) targets[i] = targets[i] < 0.5f ? 0f : 1f;
        }
        float computed = net.ComputeLoss(inputs, targets, batch);
        AssertBitIdentical(computed, net.ComputeGradients(inputs, targets, batch));
        var outputs = new float[targets.Length];
        net.Forward(inputs, outputs, batch);
        double expected = 0;
        for (int b = 0; b < batch; b++)
        {
            expected += LossFunctions.Compute<float>(net.Loss, outputs.AsSpan(b * net.OutputSize, net.OutputSize), targets.AsSpan(b * net.OutputSize, net.OutputSize));
        }
        Assert.Equal(expected / batch, computed, 1e-5);
    }

    [Fact]
    public void Kernels_match_closed_forms_in_double()
    {
        double[] logits = { 0.3, -2.5, 4.0 }, targets = { 1, 0, 0.25 };
        var predictions = new double[3];
        var gradient = new double[3];
        for (int k = 0; k < 3; k++) predictions[k] = 1 / (1 + Math.Exp(-logits[k]));
        double bce = LossKernels.BinaryCrossEntropyFromLogits<double>(logits, predictions, targets, gradient, 0.5);
        double expected = 0;
        for (int k = 0; k < 3; k++) expected -= targets[k] * Math.Log(predictions[k]) + (1 - targets[k]) * Math.Log(1 - predictions[k]);
        Assert.Equal(expected / 3, bce, 1e-14);
        for (int k = 0; k < 3; k++) Assert.Equal((predictions[k] - targets[k]) * 0.5 / 3, gradient[k], 1e-15);

        double[] oneHot = { 0, 1, 0 };
        var softmax = (double[])logits.Clone();
        LossKernels.Softmax<double>(softmax);
        double sum = Math.Exp(0.3) + Math.Exp(-2.5) + Math.Exp(4.0);
        for (int k = 0; k < 3; k++) Assert.Equal(Math.Exp(logits[k]) / sum, softmax[k], 1e-15);
        double cce = LossKernels.CategoricalCrossEntropyFromLogits<double>(logits, softmax, oneHot, gradient, 1.0);
        Assert.Equal(-Math.Log(softmax[1]), cce, 1e-13);
        for (int k = 0; k < 3; k++) Assert.Equal(softmax[k] - oneHot[k], gradient[k], 1e-15);

        double[] a = { 0.5, 3.0 }, t = { 0.25, 1.0 };
        var g2 = new double[2];
        Assert.Equal((0.0625 + 4) / 2, LossKernels.MeanSquaredError<double>(a, t, g2, 1.0));
        Assert.Equal(new[] { 0.25, 2.0 }, g2);
        Assert.Equal((0.25 + 2) / 2, LossKernels.MeanAbsoluteError<double>(a, t, g2, 1.0));
        Assert.Equal(new[] { 0.5, 0.5 }, g2);
        Assert.Equal((0.5 * 0.0625 + 1.5) / 2, LossKernels.Huber<double>(a, t, g2, 1.0));
        Assert.Equal(new[] { 0.125, 0.5 }, g2);
    }

    [Fact]
    public void Kernels_refuse_wrong_lengths_naming_the_expected_size()
    {
        var error = Assert.Throws<ArgumentException>(() => LossKernels.MeanSquaredError<float>(new float[3], new float[2], Span<float>.Empty, 1f));
        Assert.Contains("Expected 3", error.Message);
        Assert.Equal("targets", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => LossKernels.BinaryCrossEntropyFromLogits<float>(new float[2], new float[2], new float[2], new float[1], 1f));
        Assert.Equal("gradient", error.ParamName);
        Assert.Throws<ArgumentException>(() => LossKernels.CategoricalCrossEntropyFromLogits<float>(new float[2], new float[1], new float[2], new float[2], 1f));
    }

    private static void AssertBitIdentical(float expected, float actual) =>
        Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual), $"expected {expected:R}, got {actual:R}");
}
