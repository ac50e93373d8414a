using System;

namespace NeuralNet.Gen;

/// <summary>Accuracy of row-major predictions against targets, and the class decisions behind it.</summary>
public static class ClassificationMetrics
{
    /// <summary>Index of the largest value (the first one on ties).</summary>
    public static int ArgMax<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        if (values.IsEmpty) throw new ArgumentException("Expected at least one value.", nameof(values));
        int best = 0;
        double max = Scalar<T>.ToDouble(values[0]);
        for (int i = 1; i < values.Length; i++)
        {
            double v = Scalar<T>.ToDouble(values[i]);
            if (v > max) { max = v; best = i; }
        }
        return best;
    }

    /// <summary>Fraction of output units whose decision (value ≥ <paramref name="threshold"/>) equals the target label (a target ≥ 0.5 is 1), as Keras' <c>binary_accuracy</c>.</summary>
    public static double BinaryAccuracy<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets, double threshold = 0.5)
        where T : unmanaged
    {
        CheckLengths(predictions.Length, targets.Length, 1);
        return (double)CountBinaryCorrect(predictions, targets, threshold) / predictions.Length;
    }

    /// <summary>Fraction of samples whose largest prediction is at the index of the largest target (one-hot targets).</summary>
    public static double CategoricalAccuracy<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets, int classCount)
        where T : unmanaged
    {
        if (classCount < 2) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, $"classCount must be at least 2, but it is {classCount}.");
        CheckLengths(predictions.Length, targets.Length, classCount);
        return (double)CountCategoricalCorrect(predictions, targets, classCount) / (predictions.Length / classCount);
    }

    internal static long CountBinaryCorrect<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets, double threshold)
        where T : unmanaged
    {
        long correct = 0;
        for (int i = 0; i < predictions.Length; i++)
            if (Scalar<T>.ToDouble(predictions[i]) >= threshold == Scalar<T>.ToDouble(targets[i]) >= 0.5) correct++;
        return correct;
    }

    internal static long CountCategoricalCorrect<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets, int classCount)
        where T : unmanaged
    {
        long correct = 0;
        for (int s = 0; s + classCount <= predictions.Length; s += classCount)
            if (ArgMax(predictions.Slice(s, classCount)) == ArgMax(targets.Slice(s, classCount))) correct++;
        return correct;
    }

    /// <summary>Samples whose largest prediction is at the class index their target holds (sparse labels, checked already).</summary>
    internal static long CountSparseCategoricalCorrect<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> classIndices, int classCount)
        where T : unmanaged
    {
        long correct = 0;
        for (int s = 0; s < classIndices.Length; s++)
            if (ArgMax(predictions.Slice(s * classCount, classCount)) == (int)Scalar<T>.ToDouble(classIndices[s])) correct++;
        return correct;
    }

    internal static void CheckLengths(int predictions, int targets, int rowSize)
    {
        if (predictions == 0) throw new ArgumentException("Expected at least one prediction.", nameof(predictions));
        if (targets != predictions)
            throw new ArgumentException($"Expected as many targets as predictions ({predictions}) but got {targets}.", nameof(targets));
        if (predictions % rowSize != 0)
            throw new ArgumentException($"Expected a whole number of rows of {rowSize} values but got {predictions} values.", nameof(predictions));
    }
}
