using System;
using System.Linq;
using Xunit;

namespace NeuralNet.Gen.Runtime.Tests;

public class EvaluateTests
{
    [Fact]
    public void Evaluate_matches_a_per_sample_computation()
    {
        var (x, y) = TestData.Circles(300, seed: 8); // more than one internal chunk of 256 samples
        var net = new BinaryNet();
        net.Fit(x, y, new FitOptions { Epochs = 5, BatchSize = 16, Seed = 2 });
        var result = net.Evaluate(x, y);

        double loss = 0;
        int correct = 0, truePositive = 0;
        var output = new float[1];
        for (int i = 0; i < 300; i++)
        {
            net.Forward(x.AsSpan(2 * i, 2), output);
            double p = output[0];
            loss += -(y[i] * Math.Max(Math.Log(p), -100) + (1 - y[i]) * Math.Max(Math.Log(1 - p), -100));
            bool predicted = p >= 0.5, actual = y[i] >= 0.5;
            if (predicted == actual) correct++;
            if (predicted && actual) truePositive++;
        }
        Assert.Equal(300, result.SampleCount);
        Assert.Equal(loss / 300, result.Loss, 5);
        Assert.Equal(correct / 300.0, result.Accuracy);
        Assert.NotNull(result.ConfusionMatrix);
        Assert.Equal(300, result.ConfusionMatrix!.Total);
        Assert.Equal(truePositive, result.ConfusionMatrix[1, 1]);
        Assert.Equal(result.Accuracy!.Value, result.ConfusionMatrix.Accuracy, 12);
    }

    [Fact]
    public void Evaluate_loss_agrees_with_the_generated_ComputeLoss()
    {
        var (x, y) = TestData.Blobs(90, seed: 3);
        var net = new ThreeClassNet();
        var result = net.Evaluate(x, y);
        Assert.Equal(net.ComputeLoss(x, y, 90), result.Loss, 5);
        Assert.Equal(3, result.ConfusionMatrix!.ClassCount);
    }

    [Fact]
    public void The_threshold_moves_the_binary_decision()
    {
        var (x, y) = TestData.Circles(100, seed: 9);
        var net = new BinaryNet();
        // Threshold above every sigmoid output: everything is class 0, so accuracy is the share of class 0.
        var result = net.Evaluate(x, y, threshold: 1.5);
        Assert.Equal(y.Count(v => v == 0) / 100.0, result.Accuracy);
        Assert.Equal(0, result.ConfusionMatrix![1, 1]);
    }

    [Fact]
    public void Regression_has_a_named_loss_and_no_accuracy()
    {
        var (x, y) = TestData.Line(50, seed: 2);
        var result = new LineNet().Evaluate(x, y);
        Assert.Null(result.Accuracy);
        Assert.Null(result.ConfusionMatrix);
        Assert.True(result.Loss > 0);
        Assert.Equal(LossFunction.MeanSquaredError, result.LossFunction);
        Assert.StartsWith("loss (MeanSquaredError): ", result.ToString());
        Assert.Contains(" - mae: ", result.ToString());
        Assert.Contains(" - r2: ", result.ToString());
        Assert.StartsWith("loss (BinaryCrossEntropy): ", new BinaryNet().Evaluate(new float[] { 0, 0 }, new float[] { 1 }).ToString());
    }

    [Fact]
    public void Regression_metrics_follow_their_definitions()
    {
        // Keras' R2Score example: y_true [1, 4, 3], y_pred [2, 4, 4] gives 0.57142854.
        float[] truth = { 1, 4, 3 }, predicted = { 2, 4, 4 };
        Assert.Equal(1 - 2 / (42.0 / 9), RegressionMetrics.R2Score<float>(predicted, truth), 12);
        Assert.Equal(0.57142854, RegressionMetrics.R2Score<float>(predicted, truth), 6);
        Assert.Equal(2 / 3.0, RegressionMetrics.MeanAbsoluteError<float>(predicted, truth), 12);
        Assert.Equal(Math.Sqrt(2 / 3.0), RegressionMetrics.RootMeanSquaredError<float>(predicted, truth), 12);
        // Two outputs: each output's R² over the samples, then their mean (uniform_average).
        double[] rows = { 1, 10, 4, 20, 3, 30 }, guesses = { 2, 10, 4, 20, 4, 40 };
        double second = 1 - 100 / 200.0; // residuals 0, 0, 10; deviations from 20: -10, 0, 10
        Assert.Equal((0.5714285714285714 + second) / 2, RegressionMetrics.R2Score<double>(guesses, rows, outputSize: 2), 12);
        // A constant target: 1 when predicted exactly, 0 otherwise (scikit-learn's convention).
        Assert.Equal(1, RegressionMetrics.R2Score<double>(new double[] { 5, 5 }, new double[] { 5, 5 }));
        Assert.Equal(0, RegressionMetrics.R2Score<double>(new double[] { 4, 5 }, new double[] { 5, 5 }));
        Assert.Throws<ArgumentException>(() => RegressionMetrics.R2Score<double>(new double[] { 1, 2, 3 }, new double[] { 1, 2, 3 }, outputSize: 2));
        Assert.Throws<ArgumentException>(() => RegressionMetrics.MeanAbsoluteError<double>(new double[] { 1 }, new double[] { 1, 2 }));
    }

    [Fact]
    public void Evaluate_reports_regression_metrics_of_the_network_outputs()
    {
        var (x, y) = TestData.Line(300, seed: 4); // more than one internal chunk of 256 samples
        var net = new LineNet();
        net.Fit(x, y, new FitOptions { Epochs = 3, BatchSize = 10 });
        var result = net.Evaluate(x, y);
        var outputs = net.Predict(x);
        double mean = y.Average(v => (double)v);
        double absolute = 0, squares = 0, total = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double error = outputs[i] - (double)y[i];
            absolute += Math.Abs(error);
            squares += error * error;
            total += (y[i] - mean) * (y[i] - mean);
        }
        Assert.Equal(absolute / 300, result.MeanAbsoluteError!.Value, 10);
        Assert.Equal(Math.Sqrt(squares / 300), result.RootMeanSquaredError!.Value, 10);
        Assert.Equal(1 - squares / total, result.R2Score!.Value, 10);
        Assert.Equal(result.Loss, result.RootMeanSquaredError.Value * result.RootMeanSquaredError.Value, 5); // MSE loss
        Assert.True(result.R2Score > 0.9, $"R² {result.R2Score}");
        Assert.Null(new BinaryNet().Evaluate(new float[] { 0, 0 }, new float[] { 1 }).MeanAbsoluteError);
    }

    [Fact]
    public void An_inference_only_network_is_evaluated_with_a_given_loss()
    {
        var net = new InferenceNet();
        var x = new float[] { 0.1f, 0.2f, 0.3f, -1, 0, 1 };
        var y = new float[] { 0, 1, 1, 0 };
        var outputs = net.Predict(x);
        double expected = (LossFunctions.Compute<float>(LossFunction.MeanSquaredError, outputs.AsSpan(0, 2), y.AsSpan(0, 2))
            + LossFunctions.Compute<float>(LossFunction.MeanSquaredError, outputs.AsSpan(2, 2), y.AsSpan(2, 2))) / 2;
        var result = net.Evaluate(x, y, LossFunction.MeanSquaredError);
        Assert.Equal(expected, result.Loss, 6);
        Assert.Null(result.Accuracy);
        var categorical = net.Evaluate(x, y, LossFunction.MeanSquaredError, AccuracyMetric.Categorical);
        Assert.Equal(2, categorical.ConfusionMatrix!.Total);
    }

    [Fact]
    public void Predict_returns_the_forward_pass_of_every_sample()
    {
        var net = new ThreeClassNet();
        var x = new float[] { 1, 2, -1, 0.5f };
        var outputs = net.Predict(x);
        var one = new float[3];
        net.Forward(x.AsSpan(2, 2), one);
        Assert.Equal(one, outputs.AsSpan(3, 3).ToArray());
        Assert.Throws<ArgumentException>(() => net.Predict(new float[3]));
    }

    [Fact]
    public void Evaluate_refuses_data_that_do_not_fit()
    {
        var net = new ThreeClassNet();
        Assert.Contains("OutputSize 3", Assert.Throws<ArgumentException>(() => net.Evaluate(new float[4], new float[5])).Message);
        Assert.Throws<ArgumentException>(() => net.Evaluate(Array.Empty<float>(), Array.Empty<float>()));
        Assert.Throws<ArgumentException>(() => new BinaryNet().Evaluate(new float[2], new float[1], AccuracyMetric.Categorical));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BinaryNet().Evaluate(new float[2], new float[1], threshold: double.NaN));
    }
}

public class MetricsTests
{
    [Fact]
    public void Precision_and_recall_follow_their_definitions()
    {
        // actual:    0 0 0 1 1 2 2 2 2
        // predicted: 0 1 0 1 2 2 2 0 2
        int[] actual = { 0, 0, 0, 1, 1, 2, 2, 2, 2 };
        int[] predicted = { 0, 1, 0, 1, 2, 2, 2, 0, 2 };
        var m = ConfusionMatrix.FromLabels(actual, predicted, 3);
        Assert.Equal(2, m[0, 0]);
        Assert.Equal(1, m[0, 1]);
        Assert.Equal(1, m[2, 0]);
        Assert.Equal(9, m.Total);
        Assert.Equal(6 / 9.0, m.Accuracy, 12);
        Assert.Equal(2 / 3.0, m.Precision(0), 12); // predicted 0 three times, right twice
        Assert.Equal(2 / 3.0, m.Recall(0), 12);
        Assert.Equal(1 / 2.0, m.Precision(1), 12);
        Assert.Equal(1 / 2.0, m.Recall(1), 12);
        Assert.Equal(3 / 4.0, m.Precision(2), 12);
        Assert.Equal(3 / 4.0, m.Recall(2), 12);
        Assert.Equal(0.75, m.F1(2), 12);
    }

    [Fact]
    public void Undefined_precision_is_NaN()
    {
        var m = ConfusionMatrix.FromLabels(new[] { 0, 0 }, new[] { 0, 0 }, 2);
        Assert.True(double.IsNaN(m.Precision(1)));
        Assert.True(double.IsNaN(m.Recall(1)));
        Assert.Equal(1, m.Precision(0));
    }

    [Fact]
    public void The_text_table_has_a_row_per_class_with_names()
    {
        var m = ConfusionMatrix.FromLabels(new[] { 0, 1, 1 }, new[] { 0, 1, 0 }, 2).WithClassNames(new[] { "cat", "dog" });
        string text = m.ToString();
        Assert.Contains("0 cat", text);
        Assert.Contains("1 dog", text);
        Assert.Equal(3, text.TrimEnd('\n').Split('\n').Length);
        Assert.Equal(3, m.Total);
    }

    [Fact]
    public void Confusion_matrices_refuse_bad_classes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix(2).Add(2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix(2).Add(0, -1));
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.FromLabels(new[] { 0 }, new[] { 0, 1 }, 2));
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix(2, new[] { "only one" }));
    }

    [Fact]
    public void Outputs_become_classes_by_argmax_or_threshold()
    {
        float[] probabilities = { 0.1f, 0.7f, 0.2f, 0.5f, 0.3f, 0.2f };
        float[] oneHot = { 0, 1, 0, 0, 0, 1 };
        var m = ConfusionMatrix.FromOutputs<float>(probabilities, oneHot, 3);
        Assert.Equal(1, m[1, 1]);
        Assert.Equal(1, m[2, 0]);
        Assert.Equal(0.5, ClassificationMetrics.CategoricalAccuracy<float>(probabilities, oneHot, 3));

        float[] sigmoid = { 0.2f, 0.6f, 0.9f, 0.4f };
        float[] labels = { 0, 1, 0, 1 };
        Assert.Equal(0.5, ClassificationMetrics.BinaryAccuracy<float>(sigmoid, labels));
        Assert.Equal(0.75, ClassificationMetrics.BinaryAccuracy<float>(sigmoid, labels, threshold: 0.3));
        var binary = ConfusionMatrix.FromOutputs<float>(sigmoid, labels, 1);
        Assert.Equal(1, binary[0, 1]);
        Assert.Equal(1, binary[1, 0]);
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.CategoricalAccuracy<float>(probabilities, oneHot.AsSpan(1), 3));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.CategoricalAccuracy<float>(probabilities.AsSpan(1), oneHot.AsSpan(1), 3));
        Assert.Equal(0, ClassificationMetrics.ArgMax<float>(new[] { 1f, 1f, 0f }));
    }
}
