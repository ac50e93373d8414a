#if NET8_0_OR_GREATER
using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Gen;

// A few samples against weights as they lie in Parameters ([outputs, inputs]): packing (or checking a packed copy)
// would read the weights more often than the product does. Same sums as the broadcast kernel, so the same bits: an
// 8 × 8 tile of products x[i]·w[o, i] is transposed in registers so that each output's products arrive in one
// lane, in input order.
public static partial class DenseKernels
{
    /// <summary>Whether the AVX2 kernels below serve float weights as they lie in Parameters.</summary>
    private static bool UseRows<T>() where T : unmanaged => typeof(T) == typeof(float) && Avx2.IsSupported;

    /// <summary>
    /// <see cref="PackPanel{T}"/> for float: 8 × 8 tiles (8 weight rows, 8 inputs) transposed in registers, so each
    /// packed row of 16 is written as two whole vectors instead of 16 strided scalars. Rows past
    /// <paramref name="lanes"/> are zeros. A copy: the packed values are the same bits either way.
    /// </summary>
    [MethodImpl(KernelMethod.Optimized)]
    private static void PackPanelRows(ref float rows, ref float panel, int lanes, int inputs)
    {
        const int P = LaneWidth.Panel;
        int chunks = inputs - inputs % 8;
        for (int h = 0; h < P && h < lanes; h += 8)
        {
            ref float r0 = ref Unsafe.Add(ref rows, h * inputs);
            ref float target = ref Unsafe.Add(ref panel, h);
            int valid = lanes - h;
            for (int i = 0; i < chunks; i += 8)
            {
                ref float ri = ref Unsafe.Add(ref r0, i);
                Transpose(TileRow(ref ri, 0, valid, inputs), TileRow(ref ri, 1, valid, inputs), TileRow(ref ri, 2, valid, inputs), TileRow(ref ri, 3, valid, inputs),
                    TileRow(ref ri, 4, valid, inputs), TileRow(ref ri, 5, valid, inputs), TileRow(ref ri, 6, valid, inputs), TileRow(ref ri, 7, valid, inputs),
                    out var q0, out var q1, out var q2, out var q3, out var q4, out var q5, out var q6, out var q7);
                ref float t = ref Unsafe.Add(ref target, i * P);
                q0.StoreUnsafe(ref t); q1.StoreUnsafe(ref Unsafe.Add(ref t, P)); q2.StoreUnsafe(ref Unsafe.Add(ref t, 2 * P)); q3.StoreUnsafe(ref Unsafe.Add(ref t, 3 * P));
                q4.StoreUnsafe(ref Unsafe.Add(ref t, 4 * P)); q5.StoreUnsafe(ref Unsafe.Add(ref t, 5 * P)); q6.StoreUnsafe(ref Unsafe.Add(ref t, 6 * P)); q7.StoreUnsafe(ref Unsafe.Add(ref t, 7 * P));
            }
            for (int i = chunks; i < inputs; i++)
            {
                ref float t = ref Unsafe.Add(ref target, i * P);
                for (int lane = 0; lane < 8; lane++) Unsafe.Add(ref t, lane) = lane < valid ? Unsafe.Add(ref r0, lane * inputs + i) : 0f;
            }
        }
        // A panel of at most 8 rows: its second half is zeros.
        if (lanes <= 8)
        {
            for (int i = 0; i < inputs; i++) Vector256<float>.Zero.StoreUnsafe(ref Unsafe.Add(ref panel, i * P + 8));
        }
    }

    /// <summary>Row <paramref name="r"/> of an 8 × 8 tile of weights, or zeros past the last valid row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> TileRow(ref float tile, int r, int valid, int inputs) =>
        r < valid ? Vector256.LoadUnsafe(ref Unsafe.Add(ref tile, r * inputs)) : Vector256<float>.Zero;

    /// <summary>The 8 × 8 transpose of AVX: unpack pairs of rows, shuffle quads, swap 128-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(Vector256<float> p0, Vector256<float> p1, Vector256<float> p2, Vector256<float> p3,
        Vector256<float> p4, Vector256<float> p5, Vector256<float> p6, Vector256<float> p7,
        out Vector256<float> q0, out Vector256<float> q1, out Vector256<float> q2, out Vector256<float> q3,
        out Vector256<float> q4, out Vector256<float> q5, out Vector256<float> q6, out Vector256<float> q7)
    {
        var t0 = Avx.UnpackLow(p0, p1); var t1 = Avx.UnpackHigh(p0, p1);
        var t2 = Avx.UnpackLow(p2, p3); var t3 = Avx.UnpackHigh(p2, p3);
        var t4 = Avx.UnpackLow(p4, p5); var t5 = Avx.UnpackHigh(p4, p5);
        var t6 = Avx.UnpackLow(p6, p7); var t7 = Avx.UnpackHigh(p6, p7);
        var s0 = Avx.Shuffle(t0, t2, 0x44); var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44); var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44); var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44); var s7 = Avx.Shuffle(t5, t7, 0xEE);
        q0 = Avx.Permute2x128(s0, s4, 0x20); q1 = Avx.Permute2x128(s1, s5, 0x20);
        q2 = Avx.Permute2x128(s2, s6, 0x20); q3 = Avx.Permute2x128(s3, s7, 0x20);
        q4 = Avx.Permute2x128(s0, s4, 0x31); q5 = Avx.Permute2x128(s1, s5, 0x31);
        q6 = Avx.Permute2x128(s2, s6, 0x31); q7 = Avx.Permute2x128(s3, s7, 0x31);
    }

    /// <summary>z[b, :] for each sample in turn, weights [outputs, inputs], four blocks of 8 outputs at a time, so their chains of additions overlap.</summary>
    [MethodImpl(KernelMethod.Optimized)]
    private static void ForwardRows(ref float xr, ref float wr, ref float br, ref float zr, int batch, int inputs, int outputs)
    {
        int chunks = inputs - inputs % 8, blocks = outputs - outputs % 8;
        for (int b = 0; b < batch; b++)
        {
            ref float x = ref Unsafe.Add(ref xr, b * inputs);
            ref float z = ref Unsafe.Add(ref zr, b * outputs);
            int o = 0;
            for (; o + 32 <= blocks; o += 32)
            {
                ref float w0 = ref Unsafe.Add(ref wr, o * inputs);
                ref float w1 = ref Unsafe.Add(ref w0, 8 * inputs);
                ref float w2 = ref Unsafe.Add(ref w1, 8 * inputs);
                ref float w3 = ref Unsafe.Add(ref w2, 8 * inputs);
                Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (int i = 0; i < chunks; i += 8)
                {
                    ref float u = ref Unsafe.Add(ref x, i);
                    a0 = AddProductColumns(a0, ref Unsafe.Add(ref w0, i), inputs, ref u);
                    a1 = AddProductColumns(a1, ref Unsafe.Add(ref w1, i), inputs, ref u);
                    a2 = AddProductColumns(a2, ref Unsafe.Add(ref w2, i), inputs, ref u);
                    a3 = AddProductColumns(a3, ref Unsafe.Add(ref w3, i), inputs, ref u);
                }
                for (int i = chunks; i < inputs; i++)
                {
                    float xi = Unsafe.Add(ref x, i);
                    a0 = AddProductColumn(a0, ref Unsafe.Add(ref w0, i), inputs, xi);
                    a1 = AddProductColumn(a1, ref Unsafe.Add(ref w1, i), inputs, xi);
                    a2 = AddProductColumn(a2, ref Unsafe.Add(ref w2, i), inputs, xi);
                    a3 = AddProductColumn(a3, ref Unsafe.Add(ref w3, i), inputs, xi);
                }
                (a0 + Vector256.LoadUnsafe(ref br, (nuint)o)).StoreUnsafe(ref z, (nuint)o);
                (a1 + Vector256.LoadUnsafe(ref br, (nuint)(o + 8))).StoreUnsafe(ref z, (nuint)(o + 8));
                (a2 + Vector256.LoadUnsafe(ref br, (nuint)(o + 16))).StoreUnsafe(ref z, (nuint)(o + 16));
                (a3 + Vector256.LoadUnsafe(ref br, (nuint)(o + 24))).StoreUnsafe(ref z, (nuint)(o + 24));
            }
            for (; o < blocks; o += 8)
            {
                ref float w0 = ref Unsafe.Add(ref wr, o * inputs);
                Vector256<float> a0 = default;
                for (int i = 0; i < chunks; i += 8) a0 = AddProductColumns(a0, ref Unsafe.Add(ref w0, i), inputs, ref Unsafe.Add(ref x, i));
                for (int i = chunks; i < inputs; i++) a0 = AddProductColumn(a0, ref Unsafe.Add(ref w0, i), inputs, Unsafe.Add(ref x, i));
                (a0 + Vector256.LoadUnsafe(ref br, (nuint)o)).StoreUnsafe(ref z, (nuint)o);
            }
            for (; o < outputs; o++)
            {
                ref float w = ref Unsafe.Add(ref wr, o * inputs);
                float sum = 0;
                for (int i = 0; i < inputs; i++) sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref x, i), Unsafe.Add(ref w, i), sum);
                Unsafe.Add(ref z, o) = sum + Unsafe.Add(ref br, o);
            }
        }
    }

    /// <summary>
    /// a + the products of 8 inputs with 8 weight rows (stride <paramref name="inputs"/>), one fused multiply-add per
    /// input: the 8 × 8 tile of weights is transposed so that column j holds w[k, i + j] in lane k, then lane k receives
    /// x[i]·w[k, i], then x[i + 1]·w[k, i + 1], … in that order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> AddProductColumns(Vector256<float> a, ref float w, int inputs, ref float x)
    {
        Transpose(Vector256.LoadUnsafe(ref w), Vector256.LoadUnsafe(ref Unsafe.Add(ref w, inputs)),
            Vector256.LoadUnsafe(ref Unsafe.Add(ref w, 2 * inputs)), Vector256.LoadUnsafe(ref Unsafe.Add(ref w, 3 * inputs)),
            Vector256.LoadUnsafe(ref Unsafe.Add(ref w, 4 * inputs)), Vector256.LoadUnsafe(ref Unsafe.Add(ref w, 5 * inputs)),
            Vector256.LoadUnsafe(ref Unsafe.Add(ref w, 6 * inputs)), Vector256.LoadUnsafe(ref Unsafe.Add(ref w, 7 * inputs)),
            out var t0, out var t1, out var t2, out var t3, out var t4, out var t5, out var t6, out var t7);
        a = Fused.MultiplyAdd(Vector256.Create(x), t0, a);
        a = Fused.MultiplyAdd(Vector256.Create(Unsafe.Add(ref x, 1)), t1, a);
        a = Fused.MultiplyAdd(Vector256.Create(Unsafe.Add(ref x, 2)), t2, a);
        a = Fused.MultiplyAdd(Vector256.Create(Unsafe.Add(ref x, 3)), t3, a);
        a = Fused.MultiplyAdd(Vector256.Create(Unsafe.Add(ref x, 4)), t4, a);
        a = Fused.MultiplyAdd(Vector256.Create(Unsafe.Add(ref x, 5)), t5, a);
        a = Fused.MultiplyAdd(Vector256.Create(Unsafe.Add(ref x, 6)), t6, a);
        return Fused.MultiplyAdd(Vector256.Create(Unsafe.Add(ref x, 7)), t7, a);
    }

    /// <summary>a + x·w[k, i] in lane k for one input i (the inputs after the last full tile).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> AddProductColumn(Vector256<float> a, ref float w, int inputs, float x)
    {
        var column = Vector256.Create(w, Unsafe.Add(ref w, inputs), Unsafe.Add(ref w, 2 * inputs), Unsafe.Add(ref w, 3 * inputs),
            Unsafe.Add(ref w, 4 * inputs), Unsafe.Add(ref w, 5 * inputs), Unsafe.Add(ref w, 6 * inputs), Unsafe.Add(ref w, 7 * inputs));
        return Fused.MultiplyAdd(Vector256.Create(x), column, a);
    }
}
#endif
