#if NET8_0_OR_GREATER
using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Gen;

// 512-bit paths of the Dense kernels, taken where the processor has AVX-512 (Vector<T> stays 256 bits wide by
// default even there). Multiply-adds are fused (one rounding), so results differ in the last bits from the
// portable Vector<T> path: bit-identical from run to run on one machine type, not across vector widths.
public static partial class DenseKernels
{
    private static bool Use512<T>() where T : unmanaged =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported && (typeof(T) == typeof(float) || typeof(T) == typeof(double));

    private static int Width512<T>() where T : unmanaged => Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Dot1Vector512<T>(ref T x, ref T w, int end) where T : unmanaged
    {
        Vector512<T> a = default;
        for (int j = 0; j < end; j += Vector512<T>.Count) a = MultiplyAdd(Vector512.LoadUnsafe(ref x, (nuint)j), Vector512.LoadUnsafe(ref w, (nuint)j), a);
        return Vector512.Sum(a);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot1x4Vector512<T>(ref T x, ref T w0, int n, int end, Span<T> sums) where T : unmanaged
    {
        ref T w1 = ref Unsafe.Add(ref w0, n), w2 = ref Unsafe.Add(ref w1, n), w3 = ref Unsafe.Add(ref w2, n);
        Vector512<T> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int j = 0; j < end; j += Vector512<T>.Count)
        {
            var u = Vector512.LoadUnsafe(ref x, (nuint)j);
            a0 = MultiplyAdd(u, Vector512.LoadUnsafe(ref w0, (nuint)j), a0);
            a1 = MultiplyAdd(u, Vector512.LoadUnsafe(ref w1, (nuint)j), a1);
            a2 = MultiplyAdd(u, Vector512.LoadUnsafe(ref w2, (nuint)j), a2);
            a3 = MultiplyAdd(u, Vector512.LoadUnsafe(ref w3, (nuint)j), a3);
        }
        sums[0] = Vector512.Sum(a0); sums[1] = Vector512.Sum(a1); sums[2] = Vector512.Sum(a2); sums[3] = Vector512.Sum(a3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> MultiplyAdd<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return Avx512F.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Avx512F.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    /// <summary>The 16 dot products of 4 rows of x with 4 rows of w over the first <paramref name="end"/> values (a multiple of the width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot4x4Vector512<T>(ref T x0, ref T w0, int n, int end, Span<T> sums) where T : unmanaged
    {
        ref T x1 = ref Unsafe.Add(ref x0, n), x2 = ref Unsafe.Add(ref x1, n), x3 = ref Unsafe.Add(ref x2, n);
        ref T w1 = ref Unsafe.Add(ref w0, n), w2 = ref Unsafe.Add(ref w1, n), w3 = ref Unsafe.Add(ref w2, n);
        Vector512<T> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<T> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<T> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector512<T> a30 = default, a31 = default, a32 = default, a33 = default;
        for (int i = 0; i < end; i += Vector512<T>.Count)
        {
            var v0 = Vector512.LoadUnsafe(ref w0, (nuint)i);
            var v1 = Vector512.LoadUnsafe(ref w1, (nuint)i);
            var v2 = Vector512.LoadUnsafe(ref w2, (nuint)i);
            var v3 = Vector512.LoadUnsafe(ref w3, (nuint)i);
            var u = Vector512.LoadUnsafe(ref x0, (nuint)i);
            a00 = MultiplyAdd(u, v0, a00); a01 = MultiplyAdd(u, v1, a01); a02 = MultiplyAdd(u, v2, a02); a03 = MultiplyAdd(u, v3, a03);
            u = Vector512.LoadUnsafe(ref x1, (nuint)i);
            a10 = MultiplyAdd(u, v0, a10); a11 = MultiplyAdd(u, v1, a11); a12 = MultiplyAdd(u, v2, a12); a13 = MultiplyAdd(u, v3, a13);
            u = Vector512.LoadUnsafe(ref x2, (nuint)i);
            a20 = MultiplyAdd(u, v0, a20); a21 = MultiplyAdd(u, v1, a21); a22 = MultiplyAdd(u, v2, a22); a23 = MultiplyAdd(u, v3, a23);
            u = Vector512.LoadUnsafe(ref x3, (nuint)i);
            a30 = MultiplyAdd(u, v0, a30); a31 = MultiplyAdd(u, v1, a31); a32 = MultiplyAdd(u, v2, a32); a33 = MultiplyAdd(u, v3, a33);
        }
        sums[0] = Vector512.Sum(a00); sums[1] = Vector512.Sum(a01); sums[2] = Vector512.Sum(a02); sums[3] = Vector512.Sum(a03);
        sums[4] = Vector512.Sum(a10); sums[5] = Vector512.Sum(a11); sums[6] = Vector512.Sum(a12); sums[7] = Vector512.Sum(a13);
        sums[8] = Vector512.Sum(a20); sums[9] = Vector512.Sum(a21); sums[10] = Vector512.Sum(a22); sums[11] = Vector512.Sum(a23);
        sums[12] = Vector512.Sum(a30); sums[13] = Vector512.Sum(a31); sums[14] = Vector512.Sum(a32); sums[15] = Vector512.Sum(a33);
    }

    /// <summary>gw rows o..o+3 over [0, end): accumulated across the batch in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WeightGradients4Vector512<T>(ref T xr, ref T d0, ref T g0, int batch, int inputs, int outputs, int end) where T : unmanaged
    {
        ref T g1 = ref Unsafe.Add(ref g0, inputs);
        ref T g2 = ref Unsafe.Add(ref g1, inputs);
        ref T g3 = ref Unsafe.Add(ref g2, inputs);
        for (int i = 0; i < end; i += Vector512<T>.Count)
        {
            var a0 = Vector512.LoadUnsafe(ref g0, (nuint)i);
            var a1 = Vector512.LoadUnsafe(ref g1, (nuint)i);
            var a2 = Vector512.LoadUnsafe(ref g2, (nuint)i);
            var a3 = Vector512.LoadUnsafe(ref g3, (nuint)i);
            for (int b = 0; b < batch; b++)
            {
                var xv = Vector512.LoadUnsafe(ref xr, (nuint)(b * inputs + i));
                ref T d = ref Unsafe.Add(ref d0, b * outputs);
                a0 = MultiplyAdd(Vector512.Create(d), xv, a0);
                a1 = MultiplyAdd(Vector512.Create(Unsafe.Add(ref d, 1)), xv, a1);
                a2 = MultiplyAdd(Vector512.Create(Unsafe.Add(ref d, 2)), xv, a2);
                a3 = MultiplyAdd(Vector512.Create(Unsafe.Add(ref d, 3)), xv, a3);
            }
            a0.StoreUnsafe(ref g0, (nuint)i);
            a1.StoreUnsafe(ref g1, (nuint)i);
            a2.StoreUnsafe(ref g2, (nuint)i);
            a3.StoreUnsafe(ref g3, (nuint)i);
        }
    }

    /// <summary>dx rows b..b+3 over columns [start, end): accumulated across the outputs in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputGradients4Vector512<T>(ref T d0, ref T wr, ref T x0, int inputs, int outputs, int start, int end) where T : unmanaged
    {
        ref T d1 = ref Unsafe.Add(ref d0, outputs);
        ref T d2 = ref Unsafe.Add(ref d1, outputs);
        ref T d3 = ref Unsafe.Add(ref d2, outputs);
        ref T x1 = ref Unsafe.Add(ref x0, inputs);
        ref T x2 = ref Unsafe.Add(ref x1, inputs);
        ref T x3 = ref Unsafe.Add(ref x2, inputs);
        for (int i = start; i < end; i += Vector512<T>.Count)
        {
            Vector512<T> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int o = 0; o < outputs; o++)
            {
                var wv = Vector512.LoadUnsafe(ref wr, (nuint)(o * inputs + i));
                a0 = MultiplyAdd(Vector512.Create(Unsafe.Add(ref d0, o)), wv, a0);
                a1 = MultiplyAdd(Vector512.Create(Unsafe.Add(ref d1, o)), wv, a1);
                a2 = MultiplyAdd(Vector512.Create(Unsafe.Add(ref d2, o)), wv, a2);
                a3 = MultiplyAdd(Vector512.Create(Unsafe.Add(ref d3, o)), wv, a3);
            }
            a0.StoreUnsafe(ref x0, (nuint)i);
            a1.StoreUnsafe(ref x1, (nuint)i);
            a2.StoreUnsafe(ref x2, (nuint)i);
            a3.StoreUnsafe(ref x3, (nuint)i);
        }
    }
}
#endif
