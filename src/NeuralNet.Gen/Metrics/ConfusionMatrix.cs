using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace NeuralNet.Gen;

/// <summary>
/// Counts of (actual class, predicted class) pairs: rows are actual classes, columns predicted ones, as in scikit-learn.
/// Per-class precision and recall follow from it.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] _counts;

    /// <summary>An empty matrix for <paramref name="classCount"/> classes.</summary>
    public ConfusionMatrix(int classCount, IReadOnlyList<string>? classNames = null)
    {
        if (classCount < 2) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, $"classCount must be at least 2, but it is {classCount}.");
        if (classNames is not null && classNames.Count != classCount)
            throw new ArgumentException($"Expected {classCount} class names but got {classNames.Count}.", nameof(classNames));
        ClassCount = classCount;
        ClassNames = classNames;
        _counts = new long[classCount * classCount];
    }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>Names printed by <see cref="ToString"/>, when given.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>Samples of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => _counts[Index(actual, predicted)];

    /// <summary>All samples counted.</summary>
    public long Total { get; private set; }

    /// <summary>A copy of the counts with <paramref name="classNames"/> for printing.</summary>
    public ConfusionMatrix WithClassNames(IReadOnlyList<string> classNames)
    {
        Requires.NotNull(classNames, nameof(classNames));
        var copy = new ConfusionMatrix(ClassCount, classNames) { Total = Total };
        _counts.CopyTo(copy._counts, 0);
        return copy;
    }

    /// <summary>Counts one sample.</summary>
    public void Add(int actual, int predicted)
    {
        _counts[Index(actual, predicted)]++;
        Total++;
    }

    /// <summary>Builds a matrix from class indices.</summary>
    public static ConfusionMatrix FromLabels(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount, IReadOnlyList<string>? classNames = null)
    {
        if (actual.Length != predicted.Length)
            throw new ArgumentException($"Expected as many predicted labels as actual ones ({actual.Length}) but got {predicted.Length}.", nameof(predicted));
        var m = new ConfusionMatrix(classCount, classNames);
        for (int i = 0; i < actual.Length; i++) m.Add(actual[i], predicted[i]);
        return m;
    }

    /// <summary>
    /// Builds a matrix from row-major network outputs and targets: argmax of each row for several classes,
    /// or a single output thresholded into classes 0 and 1 (targets at 0.5).
    /// </summary>
    public static ConfusionMatrix FromOutputs<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets, int outputSize, double threshold = 0.5, IReadOnlyList<string>? classNames = null)
        where T : unmanaged
    {
        if (outputSize <= 0) throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, $"outputSize must be positive, but it is {outputSize}.");
        ClassificationMetrics.CheckLengths(predictions.Length, targets.Length, outputSize);
        var m = new ConfusionMatrix(outputSize == 1 ? 2 : outputSize, classNames);
        m.AddOutputs(predictions, targets, outputSize, threshold);
        return m;
    }

    /// <summary>Adds each sample's predicted class against the class index its target holds (sparse labels, checked already).</summary>
    internal void AddSparseOutputs<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> classIndices, int outputSize)
        where T : unmanaged
    {
        for (int s = 0; s < classIndices.Length; s++)
            Add((int)Scalar<T>.ToDouble(classIndices[s]), ClassificationMetrics.ArgMax(predictions.Slice(s * outputSize, outputSize)));
    }

    internal void AddOutputs<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets, int outputSize, double threshold)
        where T : unmanaged
    {
        for (int s = 0; s < predictions.Length; s += outputSize)
        {
            // Targets are labels (0 or 1); only the prediction's decision moves with the threshold.
            if (outputSize == 1)
                Add(Scalar<T>.ToDouble(targets[s]) >= 0.5 ? 1 : 0, Scalar<T>.ToDouble(predictions[s]) >= threshold ? 1 : 0);
            else
                Add(ClassificationMetrics.ArgMax(targets.Slice(s, outputSize)), ClassificationMetrics.ArgMax(predictions.Slice(s, outputSize)));
        }
    }

    /// <summary>Fraction of samples on the diagonal.</summary>
    public double Accuracy
    {
        get
        {
            long diagonal = 0;
            for (int c = 0; c < ClassCount; c++) diagonal += this[c, c];
            return Total == 0 ? double.NaN : (double)diagonal / Total;
        }
    }

    /// <summary>Of the samples predicted as <paramref name="classIndex"/>, the fraction that are; NaN when none was predicted.</summary>
    public double Precision(int classIndex)
    {
        long predicted = 0;
        for (int a = 0; a < ClassCount; a++) predicted += this[a, classIndex];
        return predicted == 0 ? double.NaN : (double)this[classIndex, classIndex] / predicted;
    }

    /// <summary>Of the samples of class <paramref name="classIndex"/>, the fraction predicted as such; NaN when there are none.</summary>
    public double Recall(int classIndex)
    {
        long actual = 0;
        for (int p = 0; p < ClassCount; p++) actual += this[classIndex, p];
        return actual == 0 ? double.NaN : (double)this[classIndex, classIndex] / actual;
    }

    /// <summary>Harmonic mean of precision and recall; NaN when either is undefined, 0 when both are 0.</summary>
    public double F1(int classIndex)
    {
        double p = Precision(classIndex), r = Recall(classIndex);
        if (double.IsNaN(p) || double.IsNaN(r)) return double.NaN;
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /// <summary>The matrix as a text table (rows actual, columns predicted), followed by precision and recall per class.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        const string corner = "actual \\ predicted";
        var labels = new string[ClassCount];
        int labelWidth = corner.Length, cell = Math.Max(6, Total.ToString(c).Length + 1);
        for (int i = 0; i < ClassCount; i++)
        {
            labels[i] = ClassNames is null ? i.ToString(c) : i.ToString(c) + " " + ClassNames[i];
            labelWidth = Math.Max(labelWidth, labels[i].Length);
        }
        var sb = new StringBuilder();
        sb.Append(corner.PadRight(labelWidth));
        for (int p = 0; p < ClassCount; p++) sb.Append(p.ToString(c).PadLeft(cell));
        sb.Append("  precision  recall\n");
        for (int a = 0; a < ClassCount; a++)
        {
            sb.Append(labels[a].PadRight(labelWidth));
            for (int p = 0; p < ClassCount; p++) sb.Append(this[a, p].ToString(c).PadLeft(cell));
            sb.Append(Precision(a).ToString("F3", c).PadLeft(11)).Append(Recall(a).ToString("F3", c).PadLeft(8)).Append('\n');
        }
        return sb.ToString();
    }

    private int Index(int actual, int predicted)
    {
        if ((uint)actual >= (uint)ClassCount) throw new ArgumentOutOfRangeException(nameof(actual), actual, $"Class index must be in [0, {ClassCount}), but it is {actual}.");
        if ((uint)predicted >= (uint)ClassCount) throw new ArgumentOutOfRangeException(nameof(predicted), predicted, $"Class index must be in [0, {ClassCount}), but it is {predicted}.");
        return actual * ClassCount + predicted;
    }
}
