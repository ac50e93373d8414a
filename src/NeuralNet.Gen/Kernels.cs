using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Gen;

/// <summary>
/// Vector kernels that generated code calls with constant lengths. They are inlined, so the JIT sees the
/// constant trip counts of each layer; they check the lengths once and then run without bounds checks.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class Kernels
{
    /// <summary>Σ x[i]·y[i] over x.Length values (y must be at least as long).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged
    {
        if (y.Length < x.Length) throw new ArgumentException($"Expected y of length at least {x.Length} (x's length) but got {y.Length}.", nameof(y));
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        int n = x.Length;
        int i = 0;
        T sum = default;
        if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            int w = Vector<T>.Count;
            Vector<T> acc0 = Vector<T>.Zero, acc1 = Vector<T>.Zero, acc2 = Vector<T>.Zero, acc3 = Vector<T>.Zero;
            // Four independent accumulators hide the add latency.
            for (; i <= n - 4 * w; i += 4 * w)
            {
                acc0 += VectorMemory.Load(ref xr, i) * VectorMemory.Load(ref yr, i);
                acc1 += VectorMemory.Load(ref xr, i + w) * VectorMemory.Load(ref yr, i + w);
                acc2 += VectorMemory.Load(ref xr, i + 2 * w) * VectorMemory.Load(ref yr, i + 2 * w);
                acc3 += VectorMemory.Load(ref xr, i + 3 * w) * VectorMemory.Load(ref yr, i + 3 * w);
            }
            for (; i <= n - w; i += w)
            {
                acc0 += VectorMemory.Load(ref xr, i) * VectorMemory.Load(ref yr, i);
            }
            sum = VectorMemory.Sum((acc0 + acc1) + (acc2 + acc3));
        }
        for (; i < n; i++)
        {
            sum = Scalar<T>.MultiplyAdd(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i), sum);
        }
        return sum;
    }

    /// <summary>y[i] += a·x[i] over x.Length values (y must be at least as long).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd<T>(T a, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged
    {
        if (y.Length < x.Length) throw new ArgumentException($"Expected y of length at least {x.Length} (x's length) but got {y.Length}.", nameof(y));
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
                VectorMemory.Store(VectorMemory.Load(ref yr, i) + va * VectorMemory.Load(ref xr, i), ref yr, i);
            }
        }
        for (; i < n; i++)
        {
            Unsafe.Add(ref yr, i) = Scalar<T>.MultiplyAdd(a, Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i));
        }
    }
}
