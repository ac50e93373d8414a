using System;

namespace NeuralNet.Gen.Data;

/// <summary>One-hot encoding and the argument checks shared by the scalers.</summary>
public static class Preprocessing
{
    /// <summary>Class indices to one-hot rows: <paramref name="classCount"/> values per label, 1 at the label's index and 0 elsewhere.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, classCount).</exception>
    public static T[] OneHot<T>(ReadOnlySpan<int> labels, int classCount) where T : unmanaged
    {
        var result = new T[labels.Length * (long)CheckClassCount(classCount)];
        OneHot<T>(labels, classCount, result);
        return result;
    }

    /// <summary>One-hot encodes into <paramref name="destination"/> (labels.Length × classCount values).</summary>
    public static void OneHot<T>(ReadOnlySpan<int> labels, int classCount, Span<T> destination) where T : unmanaged
    {
        CheckClassCount(classCount);
        if (destination.Length != (long)labels.Length * classCount)
            throw new ArgumentException($"Expected destination of length {(long)labels.Length * classCount} ({labels.Length} labels x {classCount} classes) but got {destination.Length}.", nameof(destination));
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classCount)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"Label {i} is {labels[i]}, outside [0, {classCount}).");
        destination.Clear();
        for (int i = 0; i < labels.Length; i++) destination[i * classCount + labels[i]] = Scalar<T>.One;
    }

    /// <summary>One-hot encodes byte labels (as IDX label files hold them).</summary>
    public static T[] OneHot<T>(ReadOnlySpan<byte> labels, int classCount) where T : unmanaged
    {
        var ints = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++) ints[i] = labels[i];
        return OneHot<T>(ints, classCount);
    }

    /// <summary>The index of the largest value of each row of <paramref name="rowSize"/> values: one-hot rows or class probabilities back to labels.</summary>
    public static int[] ArgMaxRows<T>(ReadOnlySpan<T> rows, int rowSize) where T : unmanaged
    {
        int count = CheckRows(rows, rowSize, nameof(rows), checkFinite: false);
        var labels = new int[count];
        for (int r = 0; r < count; r++) labels[r] = ClassificationMetrics.ArgMax(rows.Slice(r * rowSize, rowSize));
        return labels;
    }

    private static int CheckClassCount(int classCount)
    {
        if (classCount < 1) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, $"classCount must be positive, but it is {classCount}.");
        return classCount;
    }

    internal static int CheckRows<T>(ReadOnlySpan<T> data, int featureCount, string name, bool checkFinite = true) where T : unmanaged
    {
        if (featureCount <= 0) throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, $"featureCount must be positive, but it is {featureCount}.");
        if (data.IsEmpty) throw new ArgumentException("Expected at least one sample but the data are empty.", name);
        if (data.Length % featureCount != 0)
            throw new ArgumentException($"Expected a multiple of {featureCount} values (whole rows of featureCount) but got {data.Length}.", name);
        if (checkFinite)
            for (int i = 0; i < data.Length; i++)
                if (!double.IsFinite(Scalar<T>.ToDouble(data[i])))
                    throw new ArgumentException($"Value {i} (row {i / featureCount}, feature {i % featureCount}) is {data[i]}; expected a finite number.", name);
        return data.Length / featureCount;
    }

    internal static void CheckTransform<T>(ReadOnlySpan<T> source, Span<T> destination, int featureCount)
    {
        if (source.Length % featureCount != 0)
            throw new ArgumentException($"Expected a multiple of {featureCount} values (whole rows of the {featureCount} fitted features) but got {source.Length}.", nameof(source));
        if (destination.Length != source.Length)
            throw new ArgumentException($"Expected destination of length {source.Length} (as the source) but got {destination.Length}.", nameof(destination));
    }
}
