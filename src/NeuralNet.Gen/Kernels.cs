using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Gen;

/// <summary>
/// Vector kernels that generated code calls with constant lengths. They are inlined, so the JIT sees the
/// constant trip counts of each layer; they do no bounds checks, so callers pass spans of the right length.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class Kernels
{
    /// <summary>Σ x[i]·y[i] over x.Length values (y must be at least as long).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, INumberBase<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        int n = x.Length;
        int i = 0;
        T sum = T.Zero;
        if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            int w = Vector<T>.Count;
            Vector<T> acc0 = Vector<T>.Zero, acc1 = Vector<T>.Zero, acc2 = Vector<T>.Zero, acc3 = Vector<T>.Zero;
            // Four independent accumulators hide the add latency.
            for (; i <= n - 4 * w; i += 4 * w)
            {
                acc0 += Vector.LoadUnsafe(ref xr, (nuint)i) * Vector.LoadUnsafe(ref yr, (nuint)i);
                acc1 += Vector.LoadUnsafe(ref xr, (nuint)(i + w)) * Vector.LoadUnsafe(ref yr, (nuint)(i + w));
                acc2 += Vector.LoadUnsafe(ref xr, (nuint)(i + 2 * w)) * Vector.LoadUnsafe(ref yr, (nuint)(i + 2 * w));
                acc3 += Vector.LoadUnsafe(ref xr, (nuint)(i + 3 * w)) * Vector.LoadUnsafe(ref yr, (nuint)(i + 3 * w));
            }
            for (; i <= n - w; i += w)
            {
                acc0 += Vector.LoadUnsafe(ref xr, (nuint)i) * Vector.LoadUnsafe(ref yr, (nuint)i);
            }
            sum = Vector.Sum((acc0 + acc1) + (acc2 + acc3));
        }
        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref xr, i) * Unsafe.Add(ref yr, i);
        }
        return sum;
    }

    /// <summary>y[i] += a·x[i] over x.Length values (y must be at least as long).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd<T>(T a, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumberBase<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        int n = x.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            int w = Vector<T>.Count;
            var va = new Vector<T>(a);
            for (; i <= n - w; i += w)
            {
                (Vector.LoadUnsafe(ref yr, (nuint)i) + va * Vector.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            Unsafe.Add(ref yr, i) += a * Unsafe.Add(ref xr, i);
        }
    }
}
