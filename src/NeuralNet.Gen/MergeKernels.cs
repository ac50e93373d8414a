using System;
using System.ComponentModel;

namespace NeuralNet.Gen;

/// <summary>
/// The batch kernels of <c>[Add]</c> and <c>[Concatenate]</c>: values are channels-last, so concatenating along the
/// last axis interleaves rows of <c>firstChannels</c> and <c>secondChannels</c> values per position.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class MergeKernels
{
    /// <summary>y = a + b, element by element.</summary>
    public static void Add<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged
    {
        Check(b.Length, a.Length, nameof(b));
        Check(y.Length, a.Length, nameof(y));
        a.CopyTo(y);
        Kernels.MultiplyAdd(Scalar<T>.One, b, y);
    }

    /// <summary>sum += values: a gradient that reaches a value along a second path.</summary>
    public static void Accumulate<T>(ReadOnlySpan<T> values, Span<T> sum) where T : unmanaged
    {
        Check(sum.Length, values.Length, nameof(sum));
        Kernels.MultiplyAdd(Scalar<T>.One, values, sum);
    }

    /// <summary>y[p] = (a[p], b[p]) for each of <paramref name="positions"/> rows (all samples of the batch together).</summary>
    public static void Concatenate<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y, int positions, int firstChannels, int secondChannels) where T : unmanaged
    {
        int width = firstChannels + secondChannels;
        Check(a.Length, positions * firstChannels, nameof(a));
        Check(b.Length, positions * secondChannels, nameof(b));
        Check(y.Length, positions * width, nameof(y));
        for (int p = 0; p < positions; p++)
        {
            a.Slice(p * firstChannels, firstChannels).CopyTo(y.Slice(p * width, firstChannels));
            b.Slice(p * secondChannels, secondChannels).CopyTo(y.Slice(p * width + firstChannels, secondChannels));
        }
    }

    /// <summary>
    /// The backward pass of <see cref="Concatenate"/>: the first part of each row of <paramref name="dy"/> into
    /// <paramref name="da"/> (written), the second added to <paramref name="db"/> (it has another reader too).
    /// An empty span skips its part (the network's input has no gradient).
    /// </summary>
    public static void ConcatenateBackward<T>(ReadOnlySpan<T> dy, Span<T> da, Span<T> db, int positions, int firstChannels, int secondChannels) where T : unmanaged
    {
        int width = firstChannels + secondChannels;
        Check(dy.Length, positions * width, nameof(dy));
        if (!da.IsEmpty) Check(da.Length, positions * firstChannels, nameof(da));
        if (!db.IsEmpty) Check(db.Length, positions * secondChannels, nameof(db));
        for (int p = 0; p < positions; p++)
        {
            if (!da.IsEmpty) dy.Slice(p * width, firstChannels).CopyTo(da.Slice(p * firstChannels, firstChannels));
            if (!db.IsEmpty) Kernels.MultiplyAdd(Scalar<T>.One, dy.Slice(p * width + firstChannels, secondChannels), db.Slice(p * secondChannels, secondChannels));
        }
    }

    private static void Check(int actual, int expected, string name)
    {
        if (actual != expected) throw new ArgumentException($"Expected {name} of length {expected} but got {actual}.", name);
    }
}
