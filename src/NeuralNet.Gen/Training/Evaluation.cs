using System;
using System.Collections.Generic;

namespace NeuralNet.Gen;

/// <summary>What <see cref="NetworkTraining.Evaluate{T}(ITrainableNetwork{T}, System.ReadOnlyMemory{T}, System.ReadOnlyMemory{T}, AccuracyMetric, double)"/> measured on a data set.</summary>
public sealed class Evaluation
{
    internal Evaluation(int sampleCount, LossFunction lossFunction, double loss, double? accuracy, ConfusionMatrix? confusionMatrix, RegressionSums? regression)
    {
        SampleCount = sampleCount;
        LossFunction = lossFunction;
        Loss = loss;
        Accuracy = accuracy;
        ConfusionMatrix = confusionMatrix;
        MeanAbsoluteError = regression?.MeanAbsoluteError;
        RootMeanSquaredError = regression?.RootMeanSquaredError;
        R2Score = regression?.R2Score;
    }

    /// <summary>Samples evaluated.</summary>
    public int SampleCount { get; }

    /// <summary>The loss <see cref="Loss"/> was measured with: the network's <c>[Loss]</c>, or the one given to Evaluate.</summary>
    public LossFunction LossFunction { get; }

    /// <summary>Mean loss over the samples, with the same definition as training (PyTorch's).</summary>
    public double Loss { get; }

    /// <summary>Fraction correct, when an accuracy metric applies; <see langword="null"/> for regression.</summary>
    public double? Accuracy { get; }

    /// <summary>Actual against predicted classes, when an accuracy metric applies (classes 0 and 1 for a single binary output).</summary>
    public ConfusionMatrix? ConfusionMatrix { get; }

    /// <summary>Mean |output − target| over every output value, for regression (no accuracy metric); see <see cref="RegressionMetrics.MeanAbsoluteError"/>.</summary>
    public double? MeanAbsoluteError { get; }

    /// <summary>√(mean (output − target)²), in the targets' units, for regression; see <see cref="RegressionMetrics.RootMeanSquaredError"/>.</summary>
    public double? RootMeanSquaredError { get; }

    /// <summary>Coefficient of determination averaged over the outputs, for regression; see <see cref="RegressionMetrics.R2Score"/>.</summary>
    public double? R2Score { get; }

    /// <summary>A Keras-like line that names the loss: <c>loss (MeanSquaredError): 0.2291 - mae: 0.3803 - rmse: 0.4787 - r2: 0.9312 (200 samples)</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string> { FormattableString.Invariant($"loss ({LossFunction}): {Loss:F4}") };
        if (Accuracy is double a) parts.Add(FormattableString.Invariant($"accuracy: {a:F4}"));
        if (MeanAbsoluteError is double mae) parts.Add(FormattableString.Invariant($"mae: {mae:F4}"));
        if (RootMeanSquaredError is double rmse) parts.Add(FormattableString.Invariant($"rmse: {rmse:F4}"));
        if (R2Score is double r2) parts.Add(FormattableString.Invariant($"r2: {r2:F4}"));
        return string.Join(" - ", parts) + FormattableString.Invariant($" ({SampleCount} samples)");
    }
}
