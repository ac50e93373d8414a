using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace NeuralNet.Gen;

/// <summary>Argument checks shared by every generated network, so the messages read the same everywhere.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NetworkGuard
{
    /// <summary>Throws when a one-sample span does not have the expected length.</summary>
    /// <remarks>Inlined, the throw kept out of line: a compare and a branch in every single-sample call (Step's included).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Length(int actual, int expected, string sizeName, string parameterName)
    {
        if (actual != expected) ThrowLength(actual, expected, sizeName, parameterName);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLength(int actual, int expected, string sizeName, string parameterName) =>
        throw new ArgumentException($"Expected {parameterName} of length {expected} ({sizeName}) but got {actual}.", parameterName);

    /// <summary>Throws when <paramref name="batchSize"/> is not positive or a batch span is not batchSize × size long.</summary>
    public static void Batch(int batchSize, int actual, int size, string sizeName, string parameterName)
    {
        if (batchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"batchSize must be positive, but it is {batchSize}.");
        long expected = (long)batchSize * size;
        if (actual != expected)
            throw new ArgumentException($"Expected {parameterName} of length {expected} (batchSize {batchSize} x {sizeName} {size}) but got {actual}.", parameterName);
    }

    /// <summary>
    /// Throws <see cref="ArgumentOutOfRangeException"/> naming the first sample whose target is not a class index: a
    /// whole number in [0, <paramref name="classCount"/>). Sparse targets are checked whole before anything is computed.
    /// </summary>
    public static void ClassIndices<T>(ReadOnlySpan<T> targets, int classCount, string parameterName) where T : unmanaged
    {
        for (int sample = 0; sample < targets.Length; sample++)
        {
            double value = Scalar<T>.ToDouble(targets[sample]);
            if (!(value >= 0 && value < classCount && value == Math.Floor(value)))
                throw new ArgumentOutOfRangeException(parameterName, value,
                    $"Sample {sample}'s target is {value}, but a class index must be a whole number from 0 to {classCount - 1} (SparseCategoricalCrossEntropy: one class index per sample).");
        }
    }
}
