using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif

namespace NeuralNet.Gen;

/// <summary>
/// Vector kernels that generated code calls with constant lengths. They are inlined, so the JIT sees the
/// constant trip counts of each layer; they check the lengths once and then run without bounds checks.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class Kernels
{
    /// <summary>
    /// Σ x[i]·y[i] over x.Length values (y must be at least as long), in an order that does not depend on the vector
    /// width: sixteen partial sums, partial j taking the terms i ≡ j (mod 16) in index order with fused multiply-adds, then added pairwise
    /// (j + 8, then + 4, + 2, + 1). AVX-512 holds the sixteen in one vector, AVX2 in two, 128-bit vectors in four,
    /// scalar code in sixteen locals: the same additions everywhere, so the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged
    {
        if (y.Length < x.Length) throw new ArgumentException($"Expected y of length at least {x.Length} (x's length) but got {y.Length}.", nameof(y));
        if (!Scalar<T>.IsSupported) throw new NotSupportedException($"Kernels compute in float or double, not {typeof(T).Name}.");
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
#if NET8_0_OR_GREATER
        if (Vector512.IsHardwareAccelerated) return Dot<Vector512<T>, T, Lanes512<T>>(ref xr, ref yr, x.Length);
        if (Vector256.IsHardwareAccelerated) return Dot<Vector256<T>, T, Lanes256<T>>(ref xr, ref yr, x.Length);
        if (Vector128.IsHardwareAccelerated) return Dot<Vector128<T>, T, Lanes128<T>>(ref xr, ref yr, x.Length);
        return Dot<T, T, ScalarLanes<T>>(ref xr, ref yr, x.Length);
#else
        return LaneWidth.Of<T>() > 1 ? Dot<Vector<T>, T, VectorLanes<T>>(ref xr, ref yr, x.Length) : Dot<T, T, ScalarLanes<T>>(ref xr, ref yr, x.Length);
#endif
    }

    [MethodImpl(KernelMethod.Optimized)]
    private static T Dot<TV, T, TL>(ref T xr, ref T yr, int n) where TV : struct where T : unmanaged where TL : struct, ILanes<TV, T>
    {
        const int P = LaneWidth.Panel;
        int end = n - n % P;
        Span<T> s = stackalloc T[P];
        ref T sr = ref MemoryMarshal.GetReference(s);
        Partials<TV, T, TL>(ref xr, ref yr, end, ref sr);
        for (int i = end; i < n; i++) s[i - end] = Scalar<T>.FusedMultiplyAdd(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i), s[i - end]);
        for (int half = P / 2; half > 0; half /= 2)
        {
            for (int j = 0; j < half; j++) s[j] = Scalar<T>.Add(s[j], s[j + half]);
        }
        return s[0];
    }

    /// <summary>
    /// The sixteen partial sums of x·y over [0, <paramref name="end"/>) (a multiple of 16) into partials[0..16]: value i
    /// into partial i mod 16, in index order, from zero, one fused multiply-add each; 16 / width vectors of them (a
    /// JIT-time constant per width: the unused accumulators disappear). <see cref="Dot{T}"/> and the wide Dense kernel
    /// both start here.
    /// </summary>
    [MethodImpl(KernelMethod.Optimized)]
    internal static void Partials<TV, T, TL>(ref T xr, ref T yr, int end, ref T partials) where TV : struct where T : unmanaged where TL : struct, ILanes<TV, T>
    {
        const int P = LaneWidth.Panel;
        TL l = default;
        int w = l.Count, vectors = P / w;
        TV a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        TV a8 = default, a9 = default, a10 = default, a11 = default, a12 = default, a13 = default, a14 = default, a15 = default;
        for (nint i = 0; i < end; i += P)
        {
            a0 = l.MultiplyAdd(l.Load(ref xr, i), l.Load(ref yr, i), a0);
            if (vectors == 1) continue;
            a1 = l.MultiplyAdd(l.Load(ref xr, i + w), l.Load(ref yr, i + w), a1);
            if (vectors == 2) continue;
            a2 = l.MultiplyAdd(l.Load(ref xr, i + 2 * w), l.Load(ref yr, i + 2 * w), a2);
            a3 = l.MultiplyAdd(l.Load(ref xr, i + 3 * w), l.Load(ref yr, i + 3 * w), a3);
            if (vectors == 4) continue;
            a4 = l.MultiplyAdd(l.Load(ref xr, i + 4 * w), l.Load(ref yr, i + 4 * w), a4);
            a5 = l.MultiplyAdd(l.Load(ref xr, i + 5 * w), l.Load(ref yr, i + 5 * w), a5);
            a6 = l.MultiplyAdd(l.Load(ref xr, i + 6 * w), l.Load(ref yr, i + 6 * w), a6);
            a7 = l.MultiplyAdd(l.Load(ref xr, i + 7 * w), l.Load(ref yr, i + 7 * w), a7);
            if (vectors == 8) continue;
            a8 = l.MultiplyAdd(l.Load(ref xr, i + 8 * w), l.Load(ref yr, i + 8 * w), a8);
            a9 = l.MultiplyAdd(l.Load(ref xr, i + 9 * w), l.Load(ref yr, i + 9 * w), a9);
            a10 = l.MultiplyAdd(l.Load(ref xr, i + 10 * w), l.Load(ref yr, i + 10 * w), a10);
            a11 = l.MultiplyAdd(l.Load(ref xr, i + 11 * w), l.Load(ref yr, i + 11 * w), a11);
            a12 = l.MultiplyAdd(l.Load(ref xr, i + 12 * w), l.Load(ref yr, i + 12 * w), a12);
            a13 = l.MultiplyAdd(l.Load(ref xr, i + 13 * w), l.Load(ref yr, i + 13 * w), a13);
            a14 = l.MultiplyAdd(l.Load(ref xr, i + 14 * w), l.Load(ref yr, i + 14 * w), a14);
            a15 = l.MultiplyAdd(l.Load(ref xr, i + 15 * w), l.Load(ref yr, i + 15 * w), a15);
        }
        l.Store(a0, ref partials, 0);
        if (vectors > 1) l.Store(a1, ref partials, w);
        if (vectors > 2) { l.Store(a2, ref partials, 2 * w); l.Store(a3, ref partials, 3 * w); }
        if (vectors > 4) { l.Store(a4, ref partials, 4 * w); l.Store(a5, ref partials, 5 * w); l.Store(a6, ref partials, 6 * w); l.Store(a7, ref partials, 7 * w); }
        if (vectors > 8)
        {
            l.Store(a8, ref partials, 8 * w); l.Store(a9, ref partials, 9 * w); l.Store(a10, ref partials, 10 * w); l.Store(a11, ref partials, 11 * w);
            l.Store(a12, ref partials, 12 * w); l.Store(a13, ref partials, 13 * w); l.Store(a14, ref partials, 14 * w); l.Store(a15, ref partials, 15 * w);
        }
    }

    /// <summary>y[i] += x[i] over x.Length values (y must be at least as long): element by element, so the same bits at every vector width.</summary>
    public static void Add<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged
    {
        if (y.Length < x.Length) throw new ArgumentException($"Expected y of length at least {x.Length} (x's length) but got {y.Length}.", nameof(y));
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (int w = Vector<T>.Count; i <= n - w; i += w)
                VectorMemory.Store(VectorMemory.Load(ref yr, i) + VectorMemory.Load(ref xr, i), ref yr, i);
        }
        for (; i < n; i++) Unsafe.Add(ref yr, i) = Scalar<T>.Add(Unsafe.Add(ref yr, i), Unsafe.Add(ref xr, i));
    }

    /// <summary>
    /// y[i] = x[i] &gt; 0 ? x[i] : 0 over x.Length values (y must be at least as long): ReLU, several values per
    /// instruction, the same bits as the comparison one value at a time (NaN and -0 give +0).
    /// </summary>
    public static void Relu<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged
    {
        if (y.Length < x.Length) throw new ArgumentException($"Expected y of length at least {x.Length} (x's length) but got {y.Length}.", nameof(y));
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        int n = x.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (int w = Vector<T>.Count; i <= n - w; i += w)
            {
                var v = VectorMemory.Load(ref xr, i);
                VectorMemory.Store(Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<T>.Zero), v, Vector<T>.Zero), ref yr, i);
            }
        }
        for (; i < n; i++)
        {
            T v = Unsafe.Add(ref xr, i);
            Unsafe.Add(ref yr, i) = Scalar<T>.GreaterThanZero(v) ? v : default;
        }
    }

    /// <summary>y[i] += a·x[i] over x.Length values (y must be at least as long), fused (rounded once) on every path.</summary>
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
                VectorMemory.Store(Fused.MultiplyAdd(va, VectorMemory.Load(ref xr, i), VectorMemory.Load(ref yr, i)), ref yr, i);
            }
        }
        for (; i < n; i++)
        {
            Unsafe.Add(ref yr, i) = Scalar<T>.FusedMultiplyAdd(a, Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i));
        }
    }
}
