using System;
namespace NeuralNet.Gen;

/// <summary>What <see cref="NetworkTraining.Evaluate{T}(ITrainableNetwork{T}, System.ReadOnlyMemory{T}, System.ReadOnlyMemory{T}, AccuracyMetric, double)"/> measured on a data set.</summary>
public sealed class Evaluation
{
    internal Evaluation(int sampleCount, double loss, double? accuracy, ConfusionMatrix? confusionMatrix)
    {
        SampleCount = sampleCount;
        Loss = loss;
        Accuracy = accuracy;
        ConfusionMatrix = confusionMatrix;
    }

    /// <summary>Samples evaluated.</summary>
    public int SampleCount { get; }

    /// <summary>Mean loss over the samples, with the same definition as training (PyTorch's).</summary>
    public double Loss { get; }

    /// <summary>Fraction correct, when an accuracy metric applies; <see langword="null"/> for regression.</summary>
    public double? Accuracy { get; }

    /// <summary>Actual against predicted classes, when an accuracy metric applies (classes 0 and 1 for a single binary output).</summary>
    public ConfusionMatrix? ConfusionMatrix { get; }

    /// <inheritdoc/>
    public override string ToString() => Accuracy is double a
        ? FormattableString.Invariant($"loss: {Loss:F4} - accuracy: {a:F4} ({SampleCount} samples)")
        : FormattableString.Invariant($"loss: {Loss:F4} ({SampleCount} samples)");
}
