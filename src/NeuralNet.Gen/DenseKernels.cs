using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Gen;

/// <summary>
/// Batched Dense-layer kernels for the generated batch paths (layers too large to unroll). Matrices are row-major:
/// inputs [batch, inputs], weights [outputs, inputs] (PyTorch's nn.Linear), outputs [batch, outputs]. Each kernel is
/// register-blocked so that one vector load feeds several multiply-adds; the reduction order is fixed, so results
/// are the same on every run.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static partial class DenseKernels
{
    /// <summary>Bytes of inputs that <see cref="Forward"/> keeps in cache while the weights pass over them.</summary>
    private const int SampleTileBytes = 128 * 1024;

    /// <summary>Bytes of a column tile of the weights that the input-gradient kernel keeps in cache across the batch.</summary>
    private const int ColumnTileBytes = 64 * 1024;

#if !NET8_0_OR_GREATER
    // netstandard2.1 has no Vector512: the portable Vector<T> path serves every machine there.
    private static bool Use512<T>() where T : unmanaged => false;

    private static int Width512<T>() where T : unmanaged => 0;

    private static T Dot1Vector512<T>(ref T x, ref T w, int end) where T : unmanaged => throw new PlatformNotSupportedException();

    private static void Dot1x4Vector512<T>(ref T x, ref T w0, int n, int end, Span<T> sums) where T : unmanaged => throw new PlatformNotSupportedException();

    private static void Dot4x4Vector512<T>(ref T x0, ref T w0, int n, int end, Span<T> sums) where T : unmanaged => throw new PlatformNotSupportedException();

    private static void WeightGradients4Vector512<T>(ref T xr, ref T d0, ref T g0, int batch, int inputs, int outputs, int end) where T : unmanaged => throw new PlatformNotSupportedException();

    private static void InputGradients4Vector512<T>(ref T d0, ref T wr, ref T x0, int inputs, int outputs, int start, int end) where T : unmanaged => throw new PlatformNotSupportedException();
#endif

    /// <summary>
    /// z[b, o] = Σ_i x[b, i]·w[o, i] + bias[o]. Blocks of 4 samples × 4 outputs share their vector loads. Every
    /// (sample, output) pair is summed the same way whatever block it falls in (one vector accumulator, then its
    /// lanes, then the scalar tail), so one sample alone gives the same bits as that sample inside a batch.
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> z, int batch, int inputs, int outputs)
        where T : unmanaged
    {
        Check(x.Length, batch * inputs, nameof(x));
        Check(weights.Length, outputs * inputs, nameof(weights));
        Check(bias.Length, outputs, nameof(bias));
        Check(z.Length, batch * outputs, nameof(z));
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T wr = ref MemoryMarshal.GetReference(weights);
        ref T zr = ref MemoryMarshal.GetReference(z);
        Span<T> s = stackalloc T[16];
        int fullBlocks = batch - batch % 4;
        // Tiles of samples: the inputs of a tile (about 128 KB) stay in cache while every block of 4 weight rows passes
        // over them, so the weights stream from memory once per tile rather than once per 4 samples.
        int tile = Math.Max(4, SampleTileBytes / Math.Max(1, inputs * Unsafe.SizeOf<T>()) / 4 * 4);
        for (int t0 = 0; t0 < fullBlocks; t0 += tile)
        {
            int t1 = Math.Min(fullBlocks, t0 + tile);
            int o = 0;
            for (; o <= outputs - 4; o += 4)
            {
                ref T w0 = ref Unsafe.Add(ref wr, o * inputs);
                for (int b = t0; b < t1; b += 4)
                {
                    Dot4x4(ref Unsafe.Add(ref xr, b * inputs), ref w0, inputs, s);
                    for (int r = 0; r < 4; r++)
                    {
                        ref T zRow = ref Unsafe.Add(ref zr, (b + r) * outputs + o);
                        for (int c = 0; c < 4; c++) Unsafe.Add(ref zRow, c) = Scalar<T>.Add(s[r * 4 + c], bias[o + c]);
                    }
                }
            }
            for (; o < outputs; o++)
            {
                for (int b = t0; b < t1; b++)
                {
                    z[b * outputs + o] = Scalar<T>.Add(Dot1(ref Unsafe.Add(ref xr, b * inputs), ref Unsafe.Add(ref wr, o * inputs), inputs), bias[o]);
                }
            }
        }
        for (int b = fullBlocks; b < batch; b++)
        {
            ref T xRow = ref Unsafe.Add(ref xr, b * inputs);
            int o = 0;
            for (; o <= outputs - 4; o += 4)
            {
                Dot1x4(ref xRow, ref Unsafe.Add(ref wr, o * inputs), inputs, s);
                for (int c = 0; c < 4; c++) z[b * outputs + o + c] = Scalar<T>.Add(s[c], bias[o + c]);
            }
            for (; o < outputs; o++) z[b * outputs + o] = Scalar<T>.Add(Dot1(ref xRow, ref Unsafe.Add(ref wr, o * inputs), inputs), bias[o]);
        }
    }

    /// <summary>One sample against 4 weight rows: four independent accumulators hide the multiply-add latency.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot1x4<T>(ref T x, ref T w0, int n, Span<T> sums) where T : unmanaged
    {
        ref T w1 = ref Unsafe.Add(ref w0, n), w2 = ref Unsafe.Add(ref w1, n), w3 = ref Unsafe.Add(ref w2, n);
        sums.Clear();
        int i;
        if (Use512<T>())
        {
            i = n - n % Width512<T>();
            Dot1x4Vector512(ref x, ref w0, n, i, sums);
        }
        else if (Vector.IsHardwareAccelerated)
        {
            i = n - n % Vector<T>.Count;
            Vector<T> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int j = 0; j < i; j += Vector<T>.Count)
            {
                var u = VectorMemory.Load(ref x, j);
                a0 += u * VectorMemory.Load(ref w0, j);
                a1 += u * VectorMemory.Load(ref w1, j);
                a2 += u * VectorMemory.Load(ref w2, j);
                a3 += u * VectorMemory.Load(ref w3, j);
            }
            sums[0] = VectorMemory.Sum(a0); sums[1] = VectorMemory.Sum(a1); sums[2] = VectorMemory.Sum(a2); sums[3] = VectorMemory.Sum(a3);
        }
        else
        {
            i = 0;
        }
        for (; i < n; i++)
        {
            T u = Unsafe.Add(ref x, i);
            sums[0] = Scalar<T>.MultiplyAdd(u, Unsafe.Add(ref w0, i), sums[0]);
            sums[1] = Scalar<T>.MultiplyAdd(u, Unsafe.Add(ref w1, i), sums[1]);
            sums[2] = Scalar<T>.MultiplyAdd(u, Unsafe.Add(ref w2, i), sums[2]);
            sums[3] = Scalar<T>.MultiplyAdd(u, Unsafe.Add(ref w3, i), sums[3]);
        }
    }

    /// <summary>One (sample, output) dot product, summed exactly as each pair of <see cref="Dot4x4"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Dot1<T>(ref T x, ref T w, int n) where T : unmanaged
    {
        T sum;
        int i;
        if (Use512<T>())
        {
            i = n - n % Width512<T>();
            sum = Dot1Vector512(ref x, ref w, i);
        }
        else if (Vector.IsHardwareAccelerated)
        {
            i = n - n % Vector<T>.Count;
            Vector<T> a = default;
            for (int j = 0; j < i; j += Vector<T>.Count) a += VectorMemory.Load(ref x, j) * VectorMemory.Load(ref w, j);
            sum = VectorMemory.Sum(a);
        }
        else
        {
            i = 0;
            sum = default;
        }
        for (; i < n; i++) sum = Scalar<T>.MultiplyAdd(Unsafe.Add(ref x, i), Unsafe.Add(ref w, i), sum);
        return sum;
    }

    /// <summary>
    /// The backward pass of a Dense layer given dz [batch, outputs]: weightGradients [outputs, inputs] += dzᵀ·x,
    /// biasGradients += Σ_b dz, and, unless <paramref name="dx"/> is empty, dx [batch, inputs] = dz·w (overwritten).
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dz, ReadOnlySpan<T> weights, Span<T> weightGradients, Span<T> biasGradients, Span<T> dx, int batch, int inputs, int outputs)
        where T : unmanaged
    {
        Check(x.Length, batch * inputs, nameof(x));
        Check(dz.Length, batch * outputs, nameof(dz));
        Check(weights.Length, outputs * inputs, nameof(weights));
        Check(weightGradients.Length, outputs * inputs, nameof(weightGradients));
        Check(biasGradients.Length, outputs, nameof(biasGradients));
        if (!dx.IsEmpty) Check(dx.Length, batch * inputs, nameof(dx));

        for (int b = 0; b < batch; b++)
        {
            var row = dz.Slice(b * outputs, outputs);
            for (int o = 0; o < outputs; o++) biasGradients[o] = Scalar<T>.Add(biasGradients[o], row[o]);
        }
        AccumulateWeightGradients(x, dz, weightGradients, batch, inputs, outputs);
        if (!dx.IsEmpty) InputGradients(dz, weights, dx, batch, inputs, outputs);
    }

    /// <summary>gw[o, :] += Σ_b dz[b, o]·x[b, :], four rows of gw held in registers across the batch.</summary>
    private static void AccumulateWeightGradients<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dz, Span<T> gw, int batch, int inputs, int outputs)
        where T : unmanaged
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T dr = ref MemoryMarshal.GetReference(dz);
        ref T gr = ref MemoryMarshal.GetReference(gw);
        bool wide = Use512<T>();
        int width = wide ? Width512<T>() : Vector<T>.Count;
        int vectorEnd = wide || Vector.IsHardwareAccelerated ? inputs - inputs % width : 0;
        int o = 0;
        for (; o <= outputs - 4; o += 4)
        {
            ref T g0 = ref Unsafe.Add(ref gr, o * inputs);
            ref T g1 = ref Unsafe.Add(ref g0, inputs);
            ref T g2 = ref Unsafe.Add(ref g1, inputs);
            ref T g3 = ref Unsafe.Add(ref g2, inputs);
            if (wide) WeightGradients4Vector512(ref xr, ref Unsafe.Add(ref dr, o), ref g0, batch, inputs, outputs, vectorEnd);
            for (int i = 0; !wide && i < vectorEnd; i += width)
            {
                var a0 = VectorMemory.Load(ref g0, i);
                var a1 = VectorMemory.Load(ref g1, i);
                var a2 = VectorMemory.Load(ref g2, i);
                var a3 = VectorMemory.Load(ref g3, i);
                for (int b = 0; b < batch; b++)
                {
                    var xv = VectorMemory.Load(ref xr, b * inputs + i);
                    ref T d = ref Unsafe.Add(ref dr, b * outputs + o);
                    a0 += new Vector<T>(d) * xv;
                    a1 += new Vector<T>(Unsafe.Add(ref d, 1)) * xv;
                    a2 += new Vector<T>(Unsafe.Add(ref d, 2)) * xv;
                    a3 += new Vector<T>(Unsafe.Add(ref d, 3)) * xv;
                }
                VectorMemory.Store(a0, ref g0, i);
                VectorMemory.Store(a1, ref g1, i);
                VectorMemory.Store(a2, ref g2, i);
                VectorMemory.Store(a3, ref g3, i);
            }
            for (int i = vectorEnd; i < inputs; i++)
            {
                for (int b = 0; b < batch; b++)
                {
                    T xv = Unsafe.Add(ref xr, b * inputs + i);
                    ref T d = ref Unsafe.Add(ref dr, b * outputs + o);
                    Unsafe.Add(ref g0, i) = Scalar<T>.MultiplyAdd(d, xv, Unsafe.Add(ref g0, i));
                    Unsafe.Add(ref g1, i) = Scalar<T>.MultiplyAdd(Unsafe.Add(ref d, 1), xv, Unsafe.Add(ref g1, i));
                    Unsafe.Add(ref g2, i) = Scalar<T>.MultiplyAdd(Unsafe.Add(ref d, 2), xv, Unsafe.Add(ref g2, i));
                    Unsafe.Add(ref g3, i) = Scalar<T>.MultiplyAdd(Unsafe.Add(ref d, 3), xv, Unsafe.Add(ref g3, i));
                }
            }
        }
        for (; o < outputs; o++)
        {
            var gRow = gw.Slice(o * inputs, inputs);
            for (int b = 0; b < batch; b++) Kernels.MultiplyAdd(dz[b * outputs + o], x.Slice(b * inputs, inputs), gRow);
        }
    }

    /// <summary>dx[b, :] = Σ_o dz[b, o]·w[o, :], four samples' rows of dx held in registers across the outputs.</summary>
    private static void InputGradients<T>(ReadOnlySpan<T> dz, ReadOnlySpan<T> weights, Span<T> dx, int batch, int inputs, int outputs)
        where T : unmanaged
    {
        ref T dr = ref MemoryMarshal.GetReference(dz);
        ref T wr = ref MemoryMarshal.GetReference(weights);
        ref T xr = ref MemoryMarshal.GetReference(dx);
        bool wide = Use512<T>();
        int width = wide ? Width512<T>() : Vector<T>.Count;
        int vectorEnd = wide || Vector.IsHardwareAccelerated ? inputs - inputs % width : 0;
        int fullBlocks = batch - batch % 4;
        // Tiles of columns: w[:, tile] (about 64 KB) stays in cache while every block of 4 samples passes over it,
        // instead of the whole weight matrix streaming from memory once per block. Each value is still summed over
        // the outputs in the same order, so the tiling changes no bit.
        int tile = Math.Max(width, ColumnTileBytes / Math.Max(1, outputs * Unsafe.SizeOf<T>()) / width * width);
        for (int i0 = 0; i0 < vectorEnd; i0 += tile)
        {
            int i1 = Math.Min(vectorEnd, i0 + tile);
            for (int b = 0; b < fullBlocks; b += 4)
            {
                ref T d0 = ref Unsafe.Add(ref dr, b * outputs);
                ref T x0 = ref Unsafe.Add(ref xr, b * inputs);
                if (wide) InputGradients4Vector512(ref d0, ref wr, ref x0, inputs, outputs, i0, i1);
                else InputGradients4(ref d0, ref wr, ref x0, inputs, outputs, i0, i1);
            }
        }
        for (int b = 0; b < fullBlocks; b += 4)
        {
            ref T d0 = ref Unsafe.Add(ref dr, b * outputs);
            ref T d1 = ref Unsafe.Add(ref d0, outputs);
            ref T d2 = ref Unsafe.Add(ref d1, outputs);
            ref T d3 = ref Unsafe.Add(ref d2, outputs);
            ref T x0 = ref Unsafe.Add(ref xr, b * inputs);
            ref T x1 = ref Unsafe.Add(ref x0, inputs);
            ref T x2 = ref Unsafe.Add(ref x1, inputs);
            ref T x3 = ref Unsafe.Add(ref x2, inputs);
            for (int i = vectorEnd; i < inputs; i++)
            {
                T s0 = default, s1 = default, s2 = default, s3 = default;
                for (int o = 0; o < outputs; o++)
                {
                    T wv = Unsafe.Add(ref wr, o * inputs + i);
                    s0 = Scalar<T>.MultiplyAdd(Unsafe.Add(ref d0, o), wv, s0);
                    s1 = Scalar<T>.MultiplyAdd(Unsafe.Add(ref d1, o), wv, s1);
                    s2 = Scalar<T>.MultiplyAdd(Unsafe.Add(ref d2, o), wv, s2);
                    s3 = Scalar<T>.MultiplyAdd(Unsafe.Add(ref d3, o), wv, s3);
                }
                Unsafe.Add(ref x0, i) = s0;
                Unsafe.Add(ref x1, i) = s1;
                Unsafe.Add(ref x2, i) = s2;
                Unsafe.Add(ref x3, i) = s3;
            }
        }
        for (int b = fullBlocks; b < batch; b++)
        {
            var row = dx.Slice(b * inputs, inputs);
            row.Clear();
            for (int o = 0; o < outputs; o++) Kernels.MultiplyAdd(dz[b * outputs + o], weights.Slice(o * inputs, inputs), row);
        }
    }

    /// <summary>dx rows b..b+3 over columns [start, end), a multiple of Vector&lt;T&gt;.Count: accumulated across the outputs in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputGradients4<T>(ref T d0, ref T wr, ref T x0, int inputs, int outputs, int start, int end) where T : unmanaged
    {
        ref T d1 = ref Unsafe.Add(ref d0, outputs);
        ref T d2 = ref Unsafe.Add(ref d1, outputs);
        ref T d3 = ref Unsafe.Add(ref d2, outputs);
        ref T x1 = ref Unsafe.Add(ref x0, inputs);
        ref T x2 = ref Unsafe.Add(ref x1, inputs);
        ref T x3 = ref Unsafe.Add(ref x2, inputs);
        for (int i = start; i < end; i += Vector<T>.Count)
        {
            Vector<T> a0 = Vector<T>.Zero, a1 = Vector<T>.Zero, a2 = Vector<T>.Zero, a3 = Vector<T>.Zero;
            for (int o = 0; o < outputs; o++)
            {
                var wv = VectorMemory.Load(ref wr, o * inputs + i);
                a0 += new Vector<T>(Unsafe.Add(ref d0, o)) * wv;
                a1 += new Vector<T>(Unsafe.Add(ref d1, o)) * wv;
                a2 += new Vector<T>(Unsafe.Add(ref d2, o)) * wv;
                a3 += new Vector<T>(Unsafe.Add(ref d3, o)) * wv;
            }
            VectorMemory.Store(a0, ref x0, i);
            VectorMemory.Store(a1, ref x1, i);
            VectorMemory.Store(a2, ref x2, i);
            VectorMemory.Store(a3, ref x3, i);
        }
    }

    /// <summary>The 16 dot products of 4 rows of x (stride n) with 4 rows of w (stride n), in a fixed order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot4x4<T>(ref T x0, ref T w0, int n, Span<T> sums) where T : unmanaged
    {
        ref T x1 = ref Unsafe.Add(ref x0, n), x2 = ref Unsafe.Add(ref x1, n), x3 = ref Unsafe.Add(ref x2, n);
        ref T w1 = ref Unsafe.Add(ref w0, n), w2 = ref Unsafe.Add(ref w1, n), w3 = ref Unsafe.Add(ref w2, n);
        Vector<T> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector<T> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector<T> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector<T> a30 = default, a31 = default, a32 = default, a33 = default;
        sums.Clear();
        int i = 0;
        if (Use512<T>())
        {
            i = n - n % Width512<T>();
            Dot4x4Vector512(ref x0, ref w0, n, i, sums);
        }
        else if (Vector.IsHardwareAccelerated)
        {
            int width = Vector<T>.Count;
            for (; i <= n - width; i += width)
            {
                var v0 = VectorMemory.Load(ref w0, i);
                var v1 = VectorMemory.Load(ref w1, i);
                var v2 = VectorMemory.Load(ref w2, i);
                var v3 = VectorMemory.Load(ref w3, i);
                var u = VectorMemory.Load(ref x0, i);
                a00 += u * v0; a01 += u * v1; a02 += u * v2; a03 += u * v3;
                u = VectorMemory.Load(ref x1, i);
                a10 += u * v0; a11 += u * v1; a12 += u * v2; a13 += u * v3;
                u = VectorMemory.Load(ref x2, i);
                a20 += u * v0; a21 += u * v1; a22 += u * v2; a23 += u * v3;
                u = VectorMemory.Load(ref x3, i);
                a30 += u * v0; a31 += u * v1; a32 += u * v2; a33 += u * v3;
            }
            sums[0] = VectorMemory.Sum(a00); sums[1] = VectorMemory.Sum(a01); sums[2] = VectorMemory.Sum(a02); sums[3] = VectorMemory.Sum(a03);
            sums[4] = VectorMemory.Sum(a10); sums[5] = VectorMemory.Sum(a11); sums[6] = VectorMemory.Sum(a12); sums[7] = VectorMemory.Sum(a13);
            sums[8] = VectorMemory.Sum(a20); sums[9] = VectorMemory.Sum(a21); sums[10] = VectorMemory.Sum(a22); sums[11] = VectorMemory.Sum(a23);
            sums[12] = VectorMemory.Sum(a30); sums[13] = VectorMemory.Sum(a31); sums[14] = VectorMemory.Sum(a32); sums[15] = VectorMemory.Sum(a33);
        }
        for (; i < n; i++)
        {
            T u0 = Unsafe.Add(ref x0, i), u1 = Unsafe.Add(ref x1, i), u2 = Unsafe.Add(ref x2, i), u3 = Unsafe.Add(ref x3, i);
            T v0 = Unsafe.Add(ref w0, i), v1 = Unsafe.Add(ref w1, i), v2 = Unsafe.Add(ref w2, i), v3 = Unsafe.Add(ref w3, i);
            sums[0] = Scalar<T>.MultiplyAdd(u0, v0, sums[0]); sums[1] = Scalar<T>.MultiplyAdd(u0, v1, sums[1]);
            sums[2] = Scalar<T>.MultiplyAdd(u0, v2, sums[2]); sums[3] = Scalar<T>.MultiplyAdd(u0, v3, sums[3]);
            sums[4] = Scalar<T>.MultiplyAdd(u1, v0, sums[4]); sums[5] = Scalar<T>.MultiplyAdd(u1, v1, sums[5]);
            sums[6] = Scalar<T>.MultiplyAdd(u1, v2, sums[6]); sums[7] = Scalar<T>.MultiplyAdd(u1, v3, sums[7]);
            sums[8] = Scalar<T>.MultiplyAdd(u2, v0, sums[8]); sums[9] = Scalar<T>.MultiplyAdd(u2, v1, sums[9]);
            sums[10] = Scalar<T>.MultiplyAdd(u2, v2, sums[10]); sums[11] = Scalar<T>.MultiplyAdd(u2, v3, sums[11]);
            sums[12] = Scalar<T>.MultiplyAdd(u3, v0, sums[12]); sums[13] = Scalar<T>.MultiplyAdd(u3, v1, sums[13]);
            sums[14] = Scalar<T>.MultiplyAdd(u3, v2, sums[14]); sums[15] = Scalar<T>.MultiplyAdd(u3, v3, sums[15]);
        }
    }

    private static void Check(int actual, int expected, string name)
    {
        if (actual != expected) throw new ArgumentException($"Expected {name} of length {expected} but got {actual}.", name);
    }
}
