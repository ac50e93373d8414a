using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
#endif

namespace NeuralNet.Gen;

// Layers of more than 64 inputs: a dot-product kernel over the weights where they lie (rows of [outputs, inputs]),
// each output summed in sixteen interleaved partial sums then pairwise (the order of Kernels.Dot), the bias last.
public static partial class DenseKernels
{
    /// <summary>Partials at one vector width: dispatched from <see cref="Forward{T}"/>.</summary>
    private static void ForwardDot<T>(ref T xr, ref T wr, ref T br, ref T zr, int batch, int inputs, int outputs) where T : unmanaged
    {
#if NET8_0_OR_GREATER
        if (Vector512.IsHardwareAccelerated) ForwardDot<Vector512<T>, T, Lanes512<T>>(ref xr, ref wr, ref br, ref zr, batch, inputs, outputs);
        else if (Vector256.IsHardwareAccelerated) ForwardDot<Vector256<T>, T, Lanes256<T>>(ref xr, ref wr, ref br, ref zr, batch, inputs, outputs);
        else if (Vector128.IsHardwareAccelerated) ForwardDot<Vector128<T>, T, Lanes128<T>>(ref xr, ref wr, ref br, ref zr, batch, inputs, outputs);
        else ForwardDot<T, T, ScalarLanes<T>>(ref xr, ref wr, ref br, ref zr, batch, inputs, outputs);
#else
        if (LaneWidth.Of<T>() > 1) ForwardDot<Vector<T>, T, VectorLanes<T>>(ref xr, ref wr, ref br, ref zr, batch, inputs, outputs);
        else ForwardDot<T, T, ScalarLanes<T>>(ref xr, ref wr, ref br, ref zr, batch, inputs, outputs);
#endif
    }

    /// <summary>Partial sums per output: input i is added into partial i mod 16, whatever the vector width.</summary>
    private const int P = LaneWidth.Panel;

    /// <summary>Bytes of a cache line: <see cref="AlignedBuffer{T}.Alignment"/>.</summary>
    private const int CacheLine = 64;

    /// <summary>Most stack a block of samples copied to a 64-byte boundary may take.</summary>
    private const int StagedInputBytes = 32 * 1024;

    /// <summary>
    /// Bytes of weights that every block of samples passes over before the next rows: they stay in the second-level
    /// cache (256 KB or more on current x64 and Arm cores, 512 KB per core on Zen 3), instead of being read again from
    /// the third level for each block when a layer's weights are larger than that cache.
    /// </summary>
    private const int GroupWeightBytes = 192 * 1024;

    /// <summary>
    /// The kernel at one vector width. Outputs go in groups of panels (<see cref="GroupWeightBytes"/> of weights), each
    /// group over every block of samples in turn; samples go in blocks (8 with one register of partials per output, 6
    /// with two, 1 otherwise), outputs in panels of 16; a block's partials of a panel's outputs land in a stack tile [sample][output][16],
    /// the inputs after the last whole 16 are added one at a time, and each sample's 16 outputs are reduced together.
    /// A last block of samples or of rows that would be short starts earlier and ends at the edge instead: the samples
    /// and outputs it computes twice get the same bits both times. A block of several samples whose rows do not start on
    /// 64-byte boundaries is copied to the stack first, so that its vector loads never straddle two cache lines.
    /// </summary>
    [MethodImpl(KernelMethod.Optimized)]
    private static void ForwardDot<TV, T, TL>(ref T xr, ref T wr, ref T br, ref T zr, int batch, int inputs, int outputs)
        where TV : struct where T : unmanaged where TL : struct, ILanes<TV, T>
    {
        int vectors = P / default(TL).Count;
        int samples = vectors == 1 && batch >= 8 ? 8 : vectors == 2 && batch >= 6 ? 6 : 1;
        int blockRows = BlockRows(vectors, samples);
        int end = inputs - inputs % P;
        // The tile on a cache line too: its rows are stored and reduced as whole vectors.
        Span<T> tile = stackalloc T[8 * P * P + CacheLine / Unsafe.SizeOf<T>()];
        ref T tr = ref AlignUp(ref MemoryMarshal.GetReference(tile));
        // Staged samples: rows of `stride` values (inputs rounded up to 16) from a 64-byte boundary.
        int stride = end == inputs ? inputs : end + P;
        bool stage = samples > 1 && samples * stride * Unsafe.SizeOf<T>() <= StagedInputBytes;
        Span<T> staged = stage ? stackalloc T[samples * stride + CacheLine / Unsafe.SizeOf<T>()] : default;
        ref T sr = ref stage ? ref AlignUp(ref MemoryMarshal.GetReference(staged)) : ref xr;
        int groupRows = GroupRows(inputs, outputs, Unsafe.SizeOf<T>());
        // Each group of rows over every block of samples: the group's weights stay in the second-level cache.
        for (int g0 = 0; g0 < outputs; g0 += groupRows)
        {
            int groupEnd = Math.Min(outputs, g0 + groupRows);
            for (int b0 = 0; b0 < batch; b0 += samples)
            {
                int b = Math.Min(b0, batch - samples);
                scoped ref T xb = ref Unsafe.Add(ref xr, (nint)b * inputs);
                int xStride = inputs;
                if (stage && (inputs != stride || !IsAligned(ref xb)))
                {
                    for (int s = 0; s < samples; s++) MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref xb, (nint)s * inputs), inputs).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref sr, s * stride), inputs));
                    xb = ref sr;
                    xStride = stride;
                }
                for (int o0 = g0; o0 < groupEnd; o0 += P)
                {
                    // A last panel of fewer rows than a block holds starts earlier.
                    int rows = Math.Min(P, outputs - o0), o = o0;
                    if (rows < blockRows && outputs >= blockRows)
                    {
                        o = outputs - blockRows;
                        rows = blockRows;
                    }
                    ref T wo = ref Unsafe.Add(ref wr, (nint)o * inputs);
                    Partials<TV, T, TL>(ref xb, xStride, ref wo, ref tr, samples, rows, inputs, end);
                    for (int s = 0; s < samples; s++)
                    {
                        ref T partials = ref Unsafe.Add(ref tr, s * P * P);
                        if (end < inputs) AddTail(ref Unsafe.Add(ref xb, (nint)s * xStride), ref wo, ref partials, rows, inputs, end);
                        Reduce(ref partials, ref Unsafe.Add(ref br, o), ref Unsafe.Add(ref zr, (nint)(b + s) * outputs + o), rows);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Rows of weights in a group of panels: whole panels of about <see cref="GroupWeightBytes"/> together, the groups of
    /// a layer as even as whole panels allow; all the rows when the weights fit in one group.
    /// </summary>
    private static int GroupRows(int inputs, int outputs, int size)
    {
        long bytes = (long)outputs * inputs * size;
        int panels = (outputs + P - 1) / P;
        int groups = (int)Math.Max(1, Math.Min(panels, (bytes + GroupWeightBytes - 1) / GroupWeightBytes));
        return (panels + groups - 1) / groups * P;
    }

    /// <summary>Rows of the register block used for <paramref name="samples"/> samples at 16 / width registers per output.</summary>
    private static int BlockRows(int vectors, int samples) => (vectors, samples) switch
    {
        (1, 8) => 3,
        (1, 1) => 8,
        (2, 6) => 2,
        (2, 1) => 4,
        _ => 1,
    };

    private static bool IsAligned<T>(ref T value) => (long)Unsafe.ByteOffset(ref Unsafe.NullRef<T>(), ref value) % CacheLine == 0;

    /// <summary>The first value at or after <paramref name="value"/> on a 64-byte boundary (stack memory: it does not move).</summary>
    private static ref T AlignUp<T>(ref T value)
    {
        long offset = (long)Unsafe.ByteOffset(ref Unsafe.NullRef<T>(), ref value) % CacheLine;
        return ref offset == 0 ? ref value : ref Unsafe.AddByteOffset(ref value, (IntPtr)(CacheLine - offset));
    }

    /// <summary>The partials over inputs [0, end) of <paramref name="rows"/> outputs × <paramref name="samples"/> samples into the tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Partials<TV, T, TL>(ref T xb, int xStride, ref T wo, ref T tile, int samples, int rows, int inputs, int end)
        where TV : struct where T : unmanaged where TL : struct, ILanes<TV, T>
    {
        int vectors = P / default(TL).Count, blockRows = BlockRows(vectors, samples);
        if (blockRows > 1 && rows >= blockRows)
        {
            for (int r0 = 0; r0 < rows; r0 += blockRows)
            {
                int r = Math.Min(r0, rows - blockRows);
                ref T w = ref Unsafe.Add(ref wo, (nint)r * inputs);
                ref T t = ref Unsafe.Add(ref tile, r * P);
                if (blockRows == 3) Block3x8<TV, T, TL>(ref xb, xStride, ref w, ref t, inputs, end);
                else if (blockRows == 8) Block8x1<TV, T, TL>(ref xb, ref w, ref t, inputs, end);
                else if (blockRows == 2)
                {
                    // Partials 0-7, then 8-15: one register per output and sample at a time leaves room for 2 × 6.
                    Block2x6<TV, T, TL>(ref xb, xStride, ref w, ref t, inputs, end, 0);
                    Block2x6<TV, T, TL>(ref xb, xStride, ref w, ref t, inputs, end, P / 2);
                }
                else Block4x1<TV, T, TL>(ref xb, ref w, ref t, inputs, end);
            }
            return;
        }
        for (int s = 0; s < samples; s++)
        {
            for (int r = 0; r < rows; r++)
            {
                Kernels.Partials<TV, T, TL>(ref Unsafe.Add(ref xb, (nint)s * xStride), ref Unsafe.Add(ref wo, (nint)r * inputs), end, ref Unsafe.Add(ref tile, (s * P + r) * P));
            }
        }
    }

    /// <summary>Inputs [end, inputs) (fewer than 16), one fused multiply-add each into partial i - end, as <see cref="Kernels.Dot{T}"/> adds its tail.</summary>
    private static void AddTail<T>(ref T x, ref T wo, ref T partials, int rows, int inputs, int end) where T : unmanaged
    {
        for (int r = 0; r < rows; r++)
        {
            ref T w = ref Unsafe.Add(ref wo, (nint)r * inputs);
            ref T p = ref Unsafe.Add(ref partials, r * P);
            for (int i = end; i < inputs; i++) Unsafe.Add(ref p, i - end) = Scalar<T>.FusedMultiplyAdd(Unsafe.Add(ref x, i), Unsafe.Add(ref w, i), Unsafe.Add(ref p, i - end));
        }
    }

    /// <summary>
    /// z[j] = tree(partials[j][0..16]) + bias[j] for <paramref name="rows"/> outputs: t_k = p_k + p_{k+8}, u_k = t_k + t_{k+4},
    /// v_k = u_k + u_{k+2}, sum = v_0 + v_1. The vector versions compute the same additions for 16 or 8 outputs at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Reduce<T>(ref T partials, ref T br, ref T zr, int rows) where T : unmanaged
    {
#if NET8_0_OR_GREATER
        int r = 0;
        if (typeof(T) == typeof(float))
        {
            if (rows == P && Avx512F.IsSupported)
            {
                Reduce16(ref Unsafe.As<T, float>(ref partials), ref Unsafe.As<T, float>(ref br), ref Unsafe.As<T, float>(ref zr));
                return;
            }
            for (; r + 8 <= rows && Avx2.IsSupported; r += 8)
            {
                Reduce8(ref Unsafe.Add(ref Unsafe.As<T, float>(ref partials), r * P), ref Unsafe.Add(ref Unsafe.As<T, float>(ref br), r), ref Unsafe.Add(ref Unsafe.As<T, float>(ref zr), r));
            }
        }
#else
        int r = 0;
#endif
        for (; r < rows; r++)
        {
            ref T p = ref Unsafe.Add(ref partials, r * P);
            T t0 = Scalar<T>.Add(p, Unsafe.Add(ref p, 8)), t1 = Scalar<T>.Add(Unsafe.Add(ref p, 1), Unsafe.Add(ref p, 9));
            T t2 = Scalar<T>.Add(Unsafe.Add(ref p, 2), Unsafe.Add(ref p, 10)), t3 = Scalar<T>.Add(Unsafe.Add(ref p, 3), Unsafe.Add(ref p, 11));
            T t4 = Scalar<T>.Add(Unsafe.Add(ref p, 4), Unsafe.Add(ref p, 12)), t5 = Scalar<T>.Add(Unsafe.Add(ref p, 5), Unsafe.Add(ref p, 13));
            T t6 = Scalar<T>.Add(Unsafe.Add(ref p, 6), Unsafe.Add(ref p, 14)), t7 = Scalar<T>.Add(Unsafe.Add(ref p, 7), Unsafe.Add(ref p, 15));
            T u0 = Scalar<T>.Add(t0, t4), u1 = Scalar<T>.Add(t1, t5), u2 = Scalar<T>.Add(t2, t6), u3 = Scalar<T>.Add(t3, t7);
            T sum = Scalar<T>.Add(Scalar<T>.Add(u0, u2), Scalar<T>.Add(u1, u3));
            Unsafe.Add(ref zr, r) = Scalar<T>.Add(sum, Unsafe.Add(ref br, r));
        }
    }

    // One block of rows × samples over inputs [0, end): each (row, sample) keeps its 16 partials in 16 / width
    // registers. Not inlined: alone, the loop keeps its row pointers in registers. The tile is [sample][row][16].

    [MethodImpl(MethodImplOptions.NoInlining | KernelMethod.Optimized)]
    private static void Block3x8<TV, T, TL>(ref T x0, int xStride, ref T w0, ref T tile, int inputs, int end)
        where TV : struct where T : unmanaged where TL : struct, ILanes<TV, T>
    {
        TL l = default;
        TV a00 = default, a01 = default, a02 = default, a03 = default, a04 = default, a05 = default, a06 = default, a07 = default;
        TV a10 = default, a11 = default, a12 = default, a13 = default, a14 = default, a15 = default, a16 = default, a17 = default;
        TV a20 = default, a21 = default, a22 = default, a23 = default, a24 = default, a25 = default, a26 = default, a27 = default;
        nint s = xStride, s2 = 2 * s, r = inputs, r2 = 2 * r;
        // Samples 0-2 from xa, 3-5 from xb, 6-7 from xc; rows 0-2 from wa.
        ref T xa = ref x0;
        ref T xb = ref Unsafe.Add(ref x0, 3 * s);
        ref T xc = ref Unsafe.Add(ref x0, 6 * s);
        ref T wa = ref w0;
        for (int n = end / P; n > 0; n--)
        {
            TV v0 = l.Load(ref wa, 0), v1 = l.Load(ref wa, r), v2 = l.Load(ref wa, r2);
            TV u = l.Load(ref xa, 0);
            a00 = l.MultiplyAdd(u, v0, a00); a10 = l.MultiplyAdd(u, v1, a10); a20 = l.MultiplyAdd(u, v2, a20);
            u = l.Load(ref xa, s);
            a01 = l.MultiplyAdd(u, v0, a01); a11 = l.MultiplyAdd(u, v1, a11); a21 = l.MultiplyAdd(u, v2, a21);
            u = l.Load(ref xa, s2);
            a02 = l.MultiplyAdd(u, v0, a02); a12 = l.MultiplyAdd(u, v1, a12); a22 = l.MultiplyAdd(u, v2, a22);
            u = l.Load(ref xb, 0);
            a03 = l.MultiplyAdd(u, v0, a03); a13 = l.MultiplyAdd(u, v1, a13); a23 = l.MultiplyAdd(u, v2, a23);
            u = l.Load(ref xb, s);
            a04 = l.MultiplyAdd(u, v0, a04); a14 = l.MultiplyAdd(u, v1, a14); a24 = l.MultiplyAdd(u, v2, a24);
            u = l.Load(ref xb, s2);
            a05 = l.MultiplyAdd(u, v0, a05); a15 = l.MultiplyAdd(u, v1, a15); a25 = l.MultiplyAdd(u, v2, a25);
            u = l.Load(ref xc, 0);
            a06 = l.MultiplyAdd(u, v0, a06); a16 = l.MultiplyAdd(u, v1, a16); a26 = l.MultiplyAdd(u, v2, a26);
            u = l.Load(ref xc, s);
            a07 = l.MultiplyAdd(u, v0, a07); a17 = l.MultiplyAdd(u, v1, a17); a27 = l.MultiplyAdd(u, v2, a27);
            xa = ref Unsafe.Add(ref xa, P); xb = ref Unsafe.Add(ref xb, P); xc = ref Unsafe.Add(ref xc, P);
            wa = ref Unsafe.Add(ref wa, P);
        }
        const int S = P * P;
        l.Store(a00, ref tile, 0); l.Store(a10, ref tile, P); l.Store(a20, ref tile, 2 * P);
        l.Store(a01, ref tile, S); l.Store(a11, ref tile, S + P); l.Store(a21, ref tile, S + 2 * P);
        l.Store(a02, ref tile, 2 * S); l.Store(a12, ref tile, 2 * S + P); l.Store(a22, ref tile, 2 * S + 2 * P);
        l.Store(a03, ref tile, 3 * S); l.Store(a13, ref tile, 3 * S + P); l.Store(a23, ref tile, 3 * S + 2 * P);
        l.Store(a04, ref tile, 4 * S); l.Store(a14, ref tile, 4 * S + P); l.Store(a24, ref tile, 4 * S + 2 * P);
        l.Store(a05, ref tile, 5 * S); l.Store(a15, ref tile, 5 * S + P); l.Store(a25, ref tile, 5 * S + 2 * P);
        l.Store(a06, ref tile, 6 * S); l.Store(a16, ref tile, 6 * S + P); l.Store(a26, ref tile, 6 * S + 2 * P);
        l.Store(a07, ref tile, 7 * S); l.Store(a17, ref tile, 7 * S + P); l.Store(a27, ref tile, 7 * S + 2 * P);
    }

    [MethodImpl(MethodImplOptions.NoInlining | KernelMethod.Optimized)]
    private static void Block8x1<TV, T, TL>(ref T x0, ref T w0, ref T tile, int inputs, int end)
        where TV : struct where T : unmanaged where TL : struct, ILanes<TV, T>
    {
        TL l = default;
        TV a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        nint s = inputs, s2 = 2 * s;
        // Rows 0-2 from wa, 3-5 from wb, 6-7 from wc.
        ref T xa = ref x0;
        ref T wa = ref w0;
        ref T wb = ref Unsafe.Add(ref w0, 3 * s);
        ref T wc = ref Unsafe.Add(ref w0, 6 * s);
        for (int n = end / P; n > 0; n--)
        {
            TV u = l.Load(ref xa, 0);
            a0 = l.MultiplyAdd(u, l.Load(ref wa, 0), a0); a1 = l.MultiplyAdd(u, l.Load(ref wa, s), a1); a2 = l.MultiplyAdd(u, l.Load(ref wa, s2), a2);
            a3 = l.MultiplyAdd(u, l.Load(ref wb, 0), a3); a4 = l.MultiplyAdd(u, l.Load(ref wb, s), a4); a5 = l.MultiplyAdd(u, l.Load(ref wb, s2), a5);
            a6 = l.MultiplyAdd(u, l.Load(ref wc, 0), a6); a7 = l.MultiplyAdd(u, l.Load(ref wc, s), a7);
            xa = ref Unsafe.Add(ref xa, P);
            wa = ref Unsafe.Add(ref wa, P); wb = ref Unsafe.Add(ref wb, P); wc = ref Unsafe.Add(ref wc, P);
        }
        l.Store(a0, ref tile, 0); l.Store(a1, ref tile, P); l.Store(a2, ref tile, 2 * P); l.Store(a3, ref tile, 3 * P);
        l.Store(a4, ref tile, 4 * P); l.Store(a5, ref tile, 5 * P); l.Store(a6, ref tile, 6 * P); l.Store(a7, ref tile, 7 * P);
    }

    /// <summary>Half of the partials (from <paramref name="half"/>: 0 or 8) of 2 rows × 6 samples, one register each (two registers hold 16 partials).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | KernelMethod.Optimized)]
    private static void Block2x6<TV, T, TL>(ref T x0, int xStride, ref T w0, ref T tile, int inputs, int end, int half)
        where TV : struct where T : unmanaged where TL : struct, ILanes<TV, T>
    {
        TL l = default;
        TV a00 = default, a01 = default, a02 = default, a03 = default, a04 = default, a05 = default;
        TV a10 = default, a11 = default, a12 = default, a13 = default, a14 = default, a15 = default;
        nint s = xStride, s2 = 2 * s, r = inputs;
        // Samples 0-2 from xa, 3-5 from xb; rows 0-1 from wa.
        ref T xa = ref Unsafe.Add(ref x0, half);
        ref T xb = ref Unsafe.Add(ref xa, 3 * s);
        ref T wa = ref Unsafe.Add(ref w0, half);
        for (int n = end / P; n > 0; n--)
        {
            TV v0 = l.Load(ref wa, 0), v1 = l.Load(ref wa, r);
            TV u = l.Load(ref xa, 0);
            a00 = l.MultiplyAdd(u, v0, a00); a10 = l.MultiplyAdd(u, v1, a10);
            u = l.Load(ref xa, s);
            a01 = l.MultiplyAdd(u, v0, a01); a11 = l.MultiplyAdd(u, v1, a11);
            u = l.Load(ref xa, s2);
            a02 = l.MultiplyAdd(u, v0, a02); a12 = l.MultiplyAdd(u, v1, a12);
            u = l.Load(ref xb, 0);
            a03 = l.MultiplyAdd(u, v0, a03); a13 = l.MultiplyAdd(u, v1, a13);
            u = l.Load(ref xb, s);
            a04 = l.MultiplyAdd(u, v0, a04); a14 = l.MultiplyAdd(u, v1, a14);
            u = l.Load(ref xb, s2);
            a05 = l.MultiplyAdd(u, v0, a05); a15 = l.MultiplyAdd(u, v1, a15);
            xa = ref Unsafe.Add(ref xa, P); xb = ref Unsafe.Add(ref xb, P);
            wa = ref Unsafe.Add(ref wa, P);
        }
        const int S = P * P;
        ref T t = ref Unsafe.Add(ref tile, half);
        l.Store(a00, ref t, 0); l.Store(a10, ref t, P);
        l.Store(a01, ref t, S); l.Store(a11, ref t, S + P);
        l.Store(a02, ref t, 2 * S); l.Store(a12, ref t, 2 * S + P);
        l.Store(a03, ref t, 3 * S); l.Store(a13, ref t, 3 * S + P);
        l.Store(a04, ref t, 4 * S); l.Store(a14, ref t, 4 * S + P);
        l.Store(a05, ref t, 5 * S); l.Store(a15, ref t, 5 * S + P);
    }

    [MethodImpl(MethodImplOptions.NoInlining | KernelMethod.Optimized)]
    private static void Block4x1<TV, T, TL>(ref T x0, ref T w0, ref T tile, int inputs, int end)
        where TV : struct where T : unmanaged where TL : struct, ILanes<TV, T>
    {
        TL l = default;
        const int H = P / 2;
        TV a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
        nint s = inputs, s2 = 2 * s;
        ref T xa = ref x0;
        ref T wa = ref w0;
        ref T wb = ref Unsafe.Add(ref w0, s2);
        for (int n = end / P; n > 0; n--)
        {
            TV u = l.Load(ref xa, 0), v = l.Load(ref xa, H);
            a0 = l.MultiplyAdd(u, l.Load(ref wa, 0), a0); b0 = l.MultiplyAdd(v, l.Load(ref wa, H), b0);
            a1 = l.MultiplyAdd(u, l.Load(ref wa, s), a1); b1 = l.MultiplyAdd(v, l.Load(ref wa, s + H), b1);
            a2 = l.MultiplyAdd(u, l.Load(ref wb, 0), a2); b2 = l.MultiplyAdd(v, l.Load(ref wb, H), b2);
            a3 = l.MultiplyAdd(u, l.Load(ref wb, s), a3); b3 = l.MultiplyAdd(v, l.Load(ref wb, s + H), b3);
            xa = ref Unsafe.Add(ref xa, P);
            wa = ref Unsafe.Add(ref wa, P); wb = ref Unsafe.Add(ref wb, P);
        }
        l.Store(a0, ref tile, 0); l.Store(b0, ref tile, H); l.Store(a1, ref tile, P); l.Store(b1, ref tile, P + H);
        l.Store(a2, ref tile, 2 * P); l.Store(b2, ref tile, 2 * P + H); l.Store(a3, ref tile, 3 * P); l.Store(b3, ref tile, 3 * P + H);
    }
}
