using System;
using System.Numerics;
using System.Runtime.CompilerServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif

namespace NeuralNet.Gen;

// The backward Dense kernels, written once for every vector width. Weight gradients and input gradients are the same
// product shape: out[r, c] (+)= Σ_k s[k, r]·v[k, c], with v's rows contiguous (x or the weights) and s read one value at
// a time (dz, walked down a column for weight gradients, along a row for input gradients). Each output value keeps its
// sum in one vector lane, over k in index order, with fused multiply-adds, so the bits do not depend on the vector
// width, the blocking or the tiling.
public static partial class DenseKernels
{
    /// <summary>Bytes of v (k rows of one column tile) kept in L1 cache while every block of rows passes over it.</summary>
    private const int ProductTileBytes = 16 * 1024;

    /// <summary>biasGradients[o] += Σ_b dz[b, o], over b in order, a vector of outputs at a time.</summary>
    private static void BiasGradients<T>(ref T dr, ref T gr, int batch, int outputs) where T : unmanaged
    {
#if NET8_0_OR_GREATER
        if (Vector512.IsHardwareAccelerated) BiasGradients<Vector512<T>, T, Lanes512<T>>(ref dr, ref gr, batch, outputs);
        else if (Vector256.IsHardwareAccelerated) BiasGradients<Vector256<T>, T, Lanes256<T>>(ref dr, ref gr, batch, outputs);
        else if (Vector128.IsHardwareAccelerated) BiasGradients<Vector128<T>, T, Lanes128<T>>(ref dr, ref gr, batch, outputs);
        else BiasGradients<T, T, ScalarLanes<T>>(ref dr, ref gr, batch, outputs);
#else
        if (LaneWidth.Of<T>() > 1) BiasGradients<Vector<T>, T, VectorLanes<T>>(ref dr, ref gr, batch, outputs);
        else BiasGradients<T, T, ScalarLanes<T>>(ref dr, ref gr, batch, outputs);
#endif
    }

    [MethodImpl(KernelMethod.Optimized)]
    private static void BiasGradients<TV, T, TL>(ref T dr, ref T gr, int batch, int outputs)
        where TV : struct where T : unmanaged where TL : struct, ILanes<TV, T>
    {
        TL l = default;
        int o = 0;
        for (; o + l.Count <= outputs; o += l.Count)
        {
            TV sum = l.Load(ref gr, o);
            for (int b = 0; b < batch; b++) sum = l.Add(sum, l.Load(ref dr, (nint)b * outputs + o));
            l.Store(sum, ref gr, o);
        }
        for (; o < outputs; o++)
        {
            T sum = Unsafe.Add(ref gr, o);
            for (int b = 0; b < batch; b++) sum = Scalar<T>.Add(sum, Unsafe.Add(ref dr, (nint)b * outputs + o));
            Unsafe.Add(ref gr, o) = sum;
        }
    }

    /// <summary>gw[o, i] += Σ_b dz[b, o]·x[b, i], over b in order: rows are outputs, k is the sample.</summary>
    private static void WeightGradients<T>(ref T xr, ref T dr, ref T gr, int batch, int inputs, int outputs) where T : unmanaged =>
        Product(ref dr, outputs, 1, ref xr, ref gr, outputs, inputs, batch, accumulate: true);

    /// <summary>dx[b, i] = Σ_o dz[b, o]·w[o, i], over o in order: rows are samples, k is the output.</summary>
    private static void InputGradients<T>(ref T dr, ref T wr, ref T xr, int batch, int inputs, int outputs) where T : unmanaged =>
        Product(ref dr, 1, outputs, ref wr, ref xr, batch, inputs, outputs, accumulate: false);

    /// <summary>
    /// out[r, c] (+)= Σ_k s[k·sk + r·sr]·v[k, c] for r &lt; rows, c &lt; columns, k &lt; depth: v and out are row-major with
    /// <paramref name="columns"/> per row. Whole vectors of columns at this machine's width, the last few one at a time.
    /// </summary>
    private static void Product<T>(ref T s, nint sk, nint sr, ref T v, ref T output, int rows, int columns, int depth, bool accumulate) where T : unmanaged
    {
#if NET8_0_OR_GREATER
        int end;
        if (Vector512.IsHardwareAccelerated) end = Product<Vector512<T>, T, Lanes512<T>>(ref s, sk, sr, ref v, ref output, rows, columns, depth, accumulate);
        else if (Vector256.IsHardwareAccelerated) end = Product<Vector256<T>, T, Lanes256<T>>(ref s, sk, sr, ref v, ref output, rows, columns, depth, accumulate);
        else if (Vector128.IsHardwareAccelerated) end = Product<Vector128<T>, T, Lanes128<T>>(ref s, sk, sr, ref v, ref output, rows, columns, depth, accumulate);
        else end = 0;
#else
        int end = LaneWidth.Of<T>() > 1 ? Product<Vector<T>, T, VectorLanes<T>>(ref s, sk, sr, ref v, ref output, rows, columns, depth, accumulate) : 0;
#endif
        if (end < columns)
        {
            // The columns after the last whole vector: the same blocks, one value per lane.
            ProductColumns<T, T, ScalarLanes<T>>(ref s, sk, sr, ref v, ref output, rows, columns, end, columns, depth, accumulate);
        }
    }

    /// <summary>The columns [0, end) that fill whole vectors; returns end.</summary>
    private static int Product<TV, T, TL>(ref T s, nint sk, nint sr, ref T v, ref T output, int rows, int columns, int depth, bool accumulate)
        where TV : struct where T : unmanaged where TL : struct, ILanes<TV, T>
    {
        int end = columns - columns % default(TL).Count;
        ProductColumns<TV, T, TL>(ref s, sk, sr, ref v, ref output, rows, columns, 0, end, depth, accumulate);
        return end;
    }

    /// <summary>
    /// Columns [start, end), a multiple of the width apart, in tiles whose v (depth × tile values) stays in L1 cache while
    /// every block of rows passes over it. Blocks of 4 rows × 3 vectors keep 12 independent sums in registers (enough to
    /// cover the fused multiply-add latency at two per cycle), each v vector serving 4 rows and each broadcast 3 vectors.
    /// </summary>
    [MethodImpl(KernelMethod.Optimized)]
    private static void ProductColumns<TV, T, TL>(ref T s, nint sk, nint sr, ref T v, ref T output, int rows, int columns, int start, int end, int depth, bool accumulate)
        where TV : struct where T : unmanaged where TL : struct, ILanes<TV, T>
    {
        int width = default(TL).Count, wide = 3 * width;
        int tile = Math.Max(wide, ProductTileBytes / Math.Max(1, depth * Unsafe.SizeOf<T>()) / wide * wide);
        for (int t0 = start; t0 < end; t0 += tile)
        {
            int t1 = Math.Min(end, t0 + tile), r = 0;
            for (; r + 4 <= rows; r += 4)
            {
                int c = t0;
                for (; c + wide <= t1; c += wide) Product4x3<TV, T, TL>(ref s, sk, sr, ref v, ref output, r, c, columns, depth, accumulate);
                for (; c < t1; c += width) Product4x1<TV, T, TL>(ref s, sk, sr, ref v, ref output, r, c, columns, depth, accumulate);
            }
            for (; r < rows; r++)
            {
                int c = t0;
                for (; c + wide <= t1; c += wide) Product1x3<TV, T, TL>(ref s, sk, sr, ref v, ref output, r, c, columns, depth, accumulate);
                for (; c < t1; c += width) Product1x1<TV, T, TL>(ref s, sk, sr, ref v, ref output, r, c, columns, depth, accumulate);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Product4x3<TV, T, TL>(ref T s, nint sk, nint sr, ref T v, ref T output, int r, int c, int columns, int depth, bool accumulate)
        where TV : struct where T : unmanaged where TL : struct, ILanes<TV, T>
    {
        TL l = default;
        nint w = l.Count;
        ref T s0 = ref Unsafe.Add(ref s, r * sr);
        ref T o0 = ref Unsafe.Add(ref output, (nint)r * columns + c);
        ref T o1 = ref Unsafe.Add(ref o0, columns);
        ref T o2 = ref Unsafe.Add(ref o1, columns);
        ref T o3 = ref Unsafe.Add(ref o2, columns);
        TV a00 = default, a01 = default, a02 = default, a10 = default, a11 = default, a12 = default;
        TV a20 = default, a21 = default, a22 = default, a30 = default, a31 = default, a32 = default;
        if (accumulate)
        {
            a00 = l.Load(ref o0, 0); a01 = l.Load(ref o0, w); a02 = l.Load(ref o0, 2 * w);
            a10 = l.Load(ref o1, 0); a11 = l.Load(ref o1, w); a12 = l.Load(ref o1, 2 * w);
            a20 = l.Load(ref o2, 0); a21 = l.Load(ref o2, w); a22 = l.Load(ref o2, 2 * w);
            a30 = l.Load(ref o3, 0); a31 = l.Load(ref o3, w); a32 = l.Load(ref o3, 2 * w);
        }
        ref T vk = ref Unsafe.Add(ref v, c);
        for (int k = 0; k < depth; k++)
        {
            TV v0 = l.Load(ref vk, 0), v1 = l.Load(ref vk, w), v2 = l.Load(ref vk, 2 * w);
            TV u = l.Broadcast(s0);
            a00 = l.MultiplyAdd(u, v0, a00); a01 = l.MultiplyAdd(u, v1, a01); a02 = l.MultiplyAdd(u, v2, a02);
            u = l.Broadcast(Unsafe.Add(ref s0, sr));
            a10 = l.MultiplyAdd(u, v0, a10); a11 = l.MultiplyAdd(u, v1, a11); a12 = l.MultiplyAdd(u, v2, a12);
            u = l.Broadcast(Unsafe.Add(ref s0, 2 * sr));
            a20 = l.MultiplyAdd(u, v0, a20); a21 = l.MultiplyAdd(u, v1, a21); a22 = l.MultiplyAdd(u, v2, a22);
            u = l.Broadcast(Unsafe.Add(ref s0, 3 * sr));
            a30 = l.MultiplyAdd(u, v0, a30); a31 = l.MultiplyAdd(u, v1, a31); a32 = l.MultiplyAdd(u, v2, a32);
            s0 = ref Unsafe.Add(ref s0, sk);
            vk = ref Unsafe.Add(ref vk, columns);
        }
        l.Store(a00, ref o0, 0); l.Store(a01, ref o0, w); l.Store(a02, ref o0, 2 * w);
        l.Store(a10, ref o1, 0); l.Store(a11, ref o1, w); l.Store(a12, ref o1, 2 * w);
        l.Store(a20, ref o2, 0); l.Store(a21, ref o2, w); l.Store(a22, ref o2, 2 * w);
        l.Store(a30, ref o3, 0); l.Store(a31, ref o3, w); l.Store(a32, ref o3, 2 * w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Product4x1<TV, T, TL>(ref T s, nint sk, nint sr, ref T v, ref T output, int r, int c, int columns, int depth, bool accumulate)
        where TV : struct where T : unmanaged where TL : struct, ILanes<TV, T>
    {
        TL l = default;
        ref T s0 = ref Unsafe.Add(ref s, r * sr);
        ref T o0 = ref Unsafe.Add(ref output, (nint)r * columns + c);
        ref T o1 = ref Unsafe.Add(ref o0, columns);
        ref T o2 = ref Unsafe.Add(ref o1, columns);
        ref T o3 = ref Unsafe.Add(ref o2, columns);
        TV a0 = default, a1 = default, a2 = default, a3 = default;
        if (accumulate)
        {
            a0 = l.Load(ref o0, 0); a1 = l.Load(ref o1, 0); a2 = l.Load(ref o2, 0); a3 = l.Load(ref o3, 0);
        }
        ref T vk = ref Unsafe.Add(ref v, c);
        for (int k = 0; k < depth; k++)
        {
            TV v0 = l.Load(ref vk, 0);
            a0 = l.MultiplyAdd(l.Broadcast(s0), v0, a0);
            a1 = l.MultiplyAdd(l.Broadcast(Unsafe.Add(ref s0, sr)), v0, a1);
            a2 = l.MultiplyAdd(l.Broadcast(Unsafe.Add(ref s0, 2 * sr)), v0, a2);
            a3 = l.MultiplyAdd(l.Broadcast(Unsafe.Add(ref s0, 3 * sr)), v0, a3);
            s0 = ref Unsafe.Add(ref s0, sk);
            vk = ref Unsafe.Add(ref vk, columns);
        }
        l.Store(a0, ref o0, 0); l.Store(a1, ref o1, 0); l.Store(a2, ref o2, 0); l.Store(a3, ref o3, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Product1x3<TV, T, TL>(ref T s, nint sk, nint sr, ref T v, ref T output, int r, int c, int columns, int depth, bool accumulate)
        where TV : struct where T : unmanaged where TL : struct, ILanes<TV, T>
    {
        TL l = default;
        nint w = l.Count;
        ref T s0 = ref Unsafe.Add(ref s, r * sr);
        ref T o0 = ref Unsafe.Add(ref output, (nint)r * columns + c);
        TV a0 = default, a1 = default, a2 = default;
        if (accumulate)
        {
            a0 = l.Load(ref o0, 0); a1 = l.Load(ref o0, w); a2 = l.Load(ref o0, 2 * w);
        }
        ref T vk = ref Unsafe.Add(ref v, c);
        for (int k = 0; k < depth; k++)
        {
            TV u = l.Broadcast(s0);
            a0 = l.MultiplyAdd(u, l.Load(ref vk, 0), a0);
            a1 = l.MultiplyAdd(u, l.Load(ref vk, w), a1);
            a2 = l.MultiplyAdd(u, l.Load(ref vk, 2 * w), a2);
            s0 = ref Unsafe.Add(ref s0, sk);
            vk = ref Unsafe.Add(ref vk, columns);
        }
        l.Store(a0, ref o0, 0); l.Store(a1, ref o0, w); l.Store(a2, ref o0, 2 * w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Product1x1<TV, T, TL>(ref T s, nint sk, nint sr, ref T v, ref T output, int r, int c, int columns, int depth, bool accumulate)
        where TV : struct where T : unmanaged where TL : struct, ILanes<TV, T>
    {
        TL l = default;
        ref T s0 = ref Unsafe.Add(ref s, r * sr);
        ref T o0 = ref Unsafe.Add(ref output, (nint)r * columns + c);
        TV a0 = accumulate ? l.Load(ref o0, 0) : default;
        ref T vk = ref Unsafe.Add(ref v, c);
        for (int k = 0; k < depth; k++)
        {
            a0 = l.MultiplyAdd(l.Broadcast(s0), l.Load(ref vk, 0), a0);
            s0 = ref Unsafe.Add(ref s0, sk);
            vk = ref Unsafe.Add(ref vk, columns);
        }
        l.Store(a0, ref o0, 0);
    }
}
