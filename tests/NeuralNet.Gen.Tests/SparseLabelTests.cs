using System;
using System.Linq;
using NeuralNet.Gen.TestKit;
using Xunit;

namespace NeuralNet.Gen.Tests;

/// <summary>
/// SparseCategoricalCrossEntropy: one class index per sample, fused with Softmax. Independent truth: the one-hot twin
/// trained with CategoricalCrossEntropy (the same bits, step after step), finite differences in double, and the
/// contract's argument rules (an index outside [0, OutputSize) is ArgumentOutOfRangeException naming the sample, before
/// anything is touched).
/// </summary>
public class SparseLabelTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static float[] Inputs(int samples, int size, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, samples * size).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    private static float[] OneHot(float[] indices, int classes)
    {
        var rows = new float[indices.Length * classes];
        for (int s = 0; s < indices.Length; s++) rows[s * classes + (int)indices[s]] = 1f;
        return rows;
    }

    [Fact] public void Unrolled_training_equals_the_one_hot_twin_bit_for_bit() => SameAsOneHot(new SparseLabelNet(), new OneHotLabelNet(), batch: 6);
    [Fact] public void Batched_training_equals_the_one_hot_twin_bit_for_bit() => SameAsOneHot(new SparseLabelBatchNet(), new OneHotLabelBatchNet(), batch: 40);

    private static void SameAsOneHot(ITrainableNetwork<float> sparse, ITrainableNetwork<float> oneHot, int batch)
    {
        Assert.Equal(oneHot.Parameters.ToArray(), sparse.Parameters.ToArray());
        int classes = sparse.OutputSize;
        var x = Inputs(batch, sparse.InputSize, 5);
        var labels = Enumerable.Range(0, batch).Select(i => (float)((i * 7 + 3) % classes)).ToArray();
        var rows = OneHot(labels, classes);
        for (int step = 0; step < 5; step++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(oneHot.ComputeLoss(x, rows, batch)), BitConverter.SingleToInt32Bits(sparse.ComputeLoss(x, labels, batch)));
            float a = sparse.TrainStep(x, labels, batch), b = oneHot.TrainStep(x, rows, batch);
            Assert.Equal(BitConverter.SingleToInt32Bits(b), BitConverter.SingleToInt32Bits(a));
            Assert.Equal(oneHot.Gradients.ToArray(), sparse.Gradients.ToArray());
            Assert.Equal(oneHot.Parameters.ToArray(), sparse.Parameters.ToArray());
        }
        Assert.True(sparse.ComputeLoss(x, labels, batch) < MathF.Log(classes)); // it learned something
    }

    [Fact] public void Gradients_match_finite_differences_unrolled() => GradientCheck(new SparseLabelDoubleNet(), batch: 3);
    [Fact] public void Gradients_match_finite_differences_batched() => GradientCheck(new SparseLabelDoubleBatchNet(), batch: 3);

    private void GradientCheck(ITrainableNetwork<double> net, int batch)
    {
        var random = new Random(9);
        var x = Enumerable.Range(0, batch * net.InputSize).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] labels = { 2, 0, 1 };
        net.ComputeGradients(x, labels, batch);
        var analytic = net.Gradients.ToArray();
        var numeric = FiniteDifferences.Gradient(net, x, labels, batch, 1e-3);
        double worst = 0;
        for (int i = 0; i < analytic.Length; i++)
            worst = Math.Max(worst, Math.Abs(analytic[i] - numeric[i]) / Math.Max(1e-6, Math.Abs(analytic[i]) + Math.Abs(numeric[i])));
        output.WriteLine($"{net.GetType().Name}: worst relative error {worst:E2}");
        Assert.True(worst < 1e-7, $"worst relative error {worst:E2}");
    }

    [Theory]
    [InlineData(4f)]    // = OutputSize
    [InlineData(-1f)]
    [InlineData(1.5f)]  // not a whole number
    [InlineData(float.NaN)]
    public void An_index_out_of_range_names_the_sample_and_touches_nothing(float bad)
    {
        var net = new SparseLabelNet();
        var x = Inputs(3, SparseLabelNet.InputSize, 6);
        float[] labels = { 0f, 3f, 1f };
        net.TrainStep(x, labels, 3); // gradients and optimizer state exist
        var parameters = net.Parameters.ToArray();
        var gradients = net.Gradients.ToArray();
        labels[2] = bad;
        foreach (Action call in new Action[] { () => net.TrainStep(x, labels, 3), () => net.ComputeGradients(x, labels, 3), () => net.ComputeLoss(x, labels, 3) })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(call);
            Assert.Contains("Sample 2", error.Message);
            Assert.Equal("targets", error.ParamName);
        }
        Assert.Equal(parameters, net.Parameters.ToArray());
        Assert.Equal(gradients, net.Gradients.ToArray());
    }

    [Fact]
    public void Targets_are_one_value_per_sample()
    {
        var net = new SparseLabelNet();
        Assert.Equal(1, SparseLabelNet.TargetSize);
        var x = Inputs(2, SparseLabelNet.InputSize, 7);
        var error = Assert.Throws<ArgumentException>(() => net.TrainStep(x, new float[8], 2)); // one-hot rows
        Assert.Contains("TargetSize 1", error.Message);
    }

    [Fact]
    public void TrainStep_allocates_nothing_after_warm_up()
    {
        var net = new SparseLabelBatchNet();
        var x = Inputs(8, SparseLabelBatchNet.InputSize, 8);
        var labels = Enumerable.Range(0, 8).Select(i => (float)(i % 5)).ToArray();
        Assert.Equal(0, Allocations.Steady(() => net.TrainStep(x, labels, 8)));
    }

    [Fact]
    public void Parallel_training_gives_the_same_bits()
    {
        var x = Inputs(100, 70, 10);
        var labels = Enumerable.Range(0, 100).Select(i => (float)(i % 5)).ToArray();
        var one = new SparseLabelBatchNet();
        var two = new SparseLabelBatchNet { MaxDegreeOfParallelism = 2 };
        for (int step = 0; step < 3; step++)
            Assert.Equal(BitConverter.SingleToInt32Bits(one.TrainStep(x, labels, 100)), BitConverter.SingleToInt32Bits(two.TrainStep(x, labels, 100)));
        Assert.Equal(one.Parameters.ToArray(), two.Parameters.ToArray());
    }

    /// <summary>Four clusters, one per class; Fit on class indices learns them; Evaluate reads indices too.</summary>
    [Fact]
    public void Fit_and_Evaluate_take_class_indices()
    {
        var random = new Random(3);
        int n = 200;
        var x = new float[n * 3];
        var labels = new float[n];
        for (int s = 0; s < n; s++)
        {
            int c = s % 4;
            labels[s] = c;
            x[s * 3] = (c & 1) * 2 - 1 + (float)(random.NextDouble() - 0.5) * 0.4f;
            x[s * 3 + 1] = (c >> 1) * 2 - 1 + (float)(random.NextDouble() - 0.5) * 0.4f;
            x[s * 3 + 2] = (float)random.NextDouble();
        }
        var net = new SparseLabelNet();
        var history = net.Fit(x, labels, new FitOptions { Epochs = 30, BatchSize = 16, ValidationSplit = 0.2 });
        Assert.True(history.Epochs[^1].Loss < history.Epochs[0].Loss / 3, $"loss {history.Epochs[0].Loss} -> {history.Epochs[^1].Loss}");
        Assert.NotNull(history.Epochs[^1].ValidationAccuracy);

        var evaluation = net.Evaluate(x, labels);
        var outputs = net.Predict(x);
        int correct = 0;
        for (int s = 0; s < n; s++) if (ClassificationMetrics.ArgMax<float>(outputs.AsSpan(s * 4, 4)) == (int)labels[s]) correct++;
        Assert.Equal((double)correct / n, evaluation.Accuracy);
        Assert.True(evaluation.Accuracy > 0.95, $"accuracy {evaluation.Accuracy}");
        Assert.Equal(n, evaluation.ConfusionMatrix!.Total);
        Assert.Equal(evaluation.Accuracy!.Value, evaluation.ConfusionMatrix.Accuracy, 12);
        // Evaluate's loss is the network's own ComputeLoss over the data.
        Assert.Equal(net.ComputeLoss(x, labels, n), evaluation.Loss, 5);
    }

    [Fact]
    public void Fit_refuses_a_bad_label_before_the_first_update()
    {
        var net = new SparseLabelNet();
        var parameters = net.Parameters.ToArray();
        var x = Inputs(40, 3, 11);
        var labels = Enumerable.Range(0, 40).Select(i => (float)(i % 4)).ToArray();
        labels[37] = 4;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => net.Fit(x, labels, new FitOptions { Epochs = 2, BatchSize = 8 }));
        Assert.Contains("Sample 37", error.Message);
        Assert.Equal(parameters, net.Parameters.ToArray());
        Assert.Throws<ArgumentException>(() => net.Fit(x, OneHot(labels.Select(l => l % 4).ToArray(), 4), new FitOptions { Epochs = 1 }));
    }

    [Fact]
    public void Evaluate_under_another_loss_reads_the_class_index()
    {
        // An inference-only use: the outputs' probability-form loss with sparse labels equals the one-hot form.
        var net = new OneHotLabelNet();
        var x = Inputs(10, 3, 12);
        var labels = Enumerable.Range(0, 10).Select(i => (float)(i % 4)).ToArray();
        var sparse = ((INetwork<float>)net).Evaluate(x, labels, LossFunction.SparseCategoricalCrossEntropy);
        var oneHot = ((INetwork<float>)net).Evaluate(x, OneHot(labels, 4), LossFunction.CategoricalCrossEntropy);
        Assert.Equal(oneHot.Accuracy, sparse.Accuracy);
        Assert.Equal(net.ComputeLoss(x, OneHot(labels, 4), 10), sparse.Loss, 5);
    }
}
