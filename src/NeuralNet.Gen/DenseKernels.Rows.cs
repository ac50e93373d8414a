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
    /// z = x·wᵀ + bias for 8 samples at a time, weights [outputs, inputs]: lanes are samples. An 8 × 8 tile of the
    /// inputs (8 samples, 8 inputs) is transposed in registers, then each input's column of 8 samples is multiplied by
    /// a broadcast weight into the accumulators of 8 outputs. Each (sample, output) sums in input order from zero, the
    /// bias added last: the broadcast kernel's order. The 8 × 8 result is transposed back so rows are stored whole.
    /// Samples and outputs past the last full block repeat the last valid row and are not stored.
    /// </summary>
    [MethodImpl(KernelMethod.Optimized)]
    private static void ForwardSampleLanes(ref float xr, ref float wr, ref float br, ref float zr, int batch, int inputs, int outputs)
    {
        int chunks = inputs - inputs % 8;
        Span<float> rows = stackalloc float[64];
        for (int b = 0; b < batch; b += 8)
        {
            int samples = Math.Min(8, batch - b);
            ref float x0 = ref Unsafe.Add(ref xr, b * inputs);
            nint x1 = Row(1, samples, inputs), x2 = Row(2, samples, inputs), x3 = Row(3, samples, inputs), x4 = Row(4, samples, inputs);
            nint x5 = Row(5, samples, inputs), x6 = Row(6, samples, inputs), x7 = Row(7, samples, inputs);
            for (int o = 0; o < outputs; o += 8)
            {
                int count = Math.Min(8, outputs - o);
                ref float w0 = ref Unsafe.Add(ref wr, o * inputs);
                nint w1 = Row(1, count, inputs), w2 = Row(2, count, inputs), w3 = Row(3, count, inputs), w4 = Row(4, count, inputs);
                nint w5 = Row(5, count, inputs), w6 = Row(6, count, inputs), w7 = Row(7, count, inputs);
                Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
                for (int i = 0; i < inputs; i++)
                {
                    Vector256<float> column;
                    if (i < chunks && (i & 7) == 0)
                    {
                        // A whole tile: transpose once, use its 8 columns, skip ahead.
                        ref float xi = ref Unsafe.Add(ref x0, i);
                        Transpose(Vector256.LoadUnsafe(ref xi), Vector256.LoadUnsafe(ref Unsafe.Add(ref xi, x1)),
                            Vector256.LoadUnsafe(ref Unsafe.Add(ref xi, x2)), Vector256.LoadUnsafe(ref Unsafe.Add(ref xi, x3)),
                            Vector256.LoadUnsafe(ref Unsafe.Add(ref xi, x4)), Vector256.LoadUnsafe(ref Unsafe.Add(ref xi, x5)),
                            Vector256.LoadUnsafe(ref Unsafe.Add(ref xi, x6)), Vector256.LoadUnsafe(ref Unsafe.Add(ref xi, x7)),
                            out var c0, out var c1, out var c2, out var c3, out var c4, out var c5, out var c6, out var c7);
                        ref float wi0 = ref Unsafe.Add(ref w0, i + 0);
                        a0 = Fused.MultiplyAdd(c0, Vector256.Create(wi0), a0);
                        a1 = Fused.MultiplyAdd(c0, Vector256.Create(Unsafe.Add(ref wi0, w1)), a1);
                        a2 = Fused.MultiplyAdd(c0, Vector256.Create(Unsafe.Add(ref wi0, w2)), a2);
                        a3 = Fused.MultiplyAdd(c0, Vector256.Create(Unsafe.Add(ref wi0, w3)), a3);
                        a4 = Fused.MultiplyAdd(c0, Vector256.Create(Unsafe.Add(ref wi0, w4)), a4);
                        a5 = Fused.MultiplyAdd(c0, Vector256.Create(Unsafe.Add(ref wi0, w5)), a5);
                        a6 = Fused.MultiplyAdd(c0, Vector256.Create(Unsafe.Add(ref wi0, w6)), a6);
                        a7 = Fused.MultiplyAdd(c0, Vector256.Create(Unsafe.Add(ref wi0, w7)), a7);
                        ref float wi1 = ref Unsafe.Add(ref w0, i + 1);
                        a0 = Fused.MultiplyAdd(c1, Vector256.Create(wi1), a0);
                        a1 = Fused.MultiplyAdd(c1, Vector256.Create(Unsafe.Add(ref wi1, w1)), a1);
                        a2 = Fused.MultiplyAdd(c1, Vector256.Create(Unsafe.Add(ref wi1, w2)), a2);
                        a3 = Fused.MultiplyAdd(c1, Vector256.Create(Unsafe.Add(ref wi1, w3)), a3);
                        a4 = Fused.MultiplyAdd(c1, Vector256.Create(Unsafe.Add(ref wi1, w4)), a4);
                        a5 = Fused.MultiplyAdd(c1, Vector256.Create(Unsafe.Add(ref wi1, w5)), a5);
                        a6 = Fused.MultiplyAdd(c1, Vector256.Create(Unsafe.Add(ref wi1, w6)), a6);
                        a7 = Fused.MultiplyAdd(c1, Vector256.Create(Unsafe.Add(ref wi1, w7)), a7);
                        ref float wi2 = ref Unsafe.Add(ref w0, i + 2);
                        a0 = Fused.MultiplyAdd(c2, Vector256.Create(wi2), a0);
                        a1 = Fused.MultiplyAdd(c2, Vector256.Create(Unsafe.Add(ref wi2, w1)), a1);
                        a2 = Fused.MultiplyAdd(c2, Vector256.Create(Unsafe.Add(ref wi2, w2)), a2);
                        a3 = Fused.MultiplyAdd(c2, Vector256.Create(Unsafe.Add(ref wi2, w3)), a3);
                        a4 = Fused.MultiplyAdd(c2, Vector256.Create(Unsafe.Add(ref wi2, w4)), a4);
                        a5 = Fused.MultiplyAdd(c2, Vector256.Create(Unsafe.Add(ref wi2, w5)), a5);
                        a6 = Fused.MultiplyAdd(c2, Vector256.Create(Unsafe.Add(ref wi2, w6)), a6);
                        a7 = Fused.MultiplyAdd(c2, Vector256.Create(Unsafe.Add(ref wi2, w7)), a7);
                        ref float wi3 = ref Unsafe.Add(ref w0, i + 3);
                        a0 = Fused.MultiplyAdd(c3, Vector256.Create(wi3), a0);
                        a1 = Fused.MultiplyAdd(c3, Vector256.Create(Unsafe.Add(ref wi3, w1)), a1);
                        a2 = Fused.MultiplyAdd(c3, Vector256.Create(Unsafe.Add(ref wi3, w2)), a2);
                        a3 = Fused.MultiplyAdd(c3, Vector256.Create(Unsafe.Add(ref wi3, w3)), a3);
                        a4 = Fused.MultiplyAdd(c3, Vector256.Create(Unsafe.Add(ref wi3, w4)), a4);
                        a5 = Fused.MultiplyAdd(c3, Vector256.Create(Unsafe.Add(ref wi3, w5)), a5);
                        a6 = Fused.MultiplyAdd(c3, Vector256.Create(Unsafe.Add(ref wi3, w6)), a6);
                        a7 = Fused.MultiplyAdd(c3, Vector256.Create(Unsafe.Add(ref wi3, w7)), a7);
                        ref float wi4 = ref Unsafe.Add(ref w0, i + 4);
                        a0 = Fused.MultiplyAdd(c4, Vector256.Create(wi4), a0);
                        a1 = Fused.MultiplyAdd(c4, Vector256.Create(Unsafe.Add(ref wi4, w1)), a1);
                        a2 = Fused.MultiplyAdd(c4, Vector256.Create(Unsafe.Add(ref wi4, w2)), a2);
                        a3 = Fused.MultiplyAdd(c4, Vector256.Create(Unsafe.Add(ref wi4, w3)), a3);
                        a4 = Fused.MultiplyAdd(c4, Vector256.Create(Unsafe.Add(ref wi4, w4)), a4);
                        a5 = Fused.MultiplyAdd(c4, Vector256.Create(Unsafe.Add(ref wi4, w5)), a5);
                        a6 = Fused.MultiplyAdd(c4, Vector256.Create(Unsafe.Add(ref wi4, w6)), a6);
                        a7 = Fused.MultiplyAdd(c4, Vector256.Create(Unsafe.Add(ref wi4, w7)), a7);
                        ref float wi5 = ref Unsafe.Add(ref w0, i + 5);
                        a0 = Fused.MultiplyAdd(c5, Vector256.Create(wi5), a0);
                        a1 = Fused.MultiplyAdd(c5, Vector256.Create(Unsafe.Add(ref wi5, w1)), a1);
                        a2 = Fused.MultiplyAdd(c5, Vector256.Create(Unsafe.Add(ref wi5, w2)), a2);
                        a3 = Fused.MultiplyAdd(c5, Vector256.Create(Unsafe.Add(ref wi5, w3)), a3);
                        a4 = Fused.MultiplyAdd(c5, Vector256.Create(Unsafe.Add(ref wi5, w4)), a4);
                        a5 = Fused.MultiplyAdd(c5, Vector256.Create(Unsafe.Add(ref wi5, w5)), a5);
                        a6 = Fused.MultiplyAdd(c5, Vector256.Create(Unsafe.Add(ref wi5, w6)), a6);
                        a7 = Fused.MultiplyAdd(c5, Vector256.Create(Unsafe.Add(ref wi5, w7)), a7);
                        ref float wi6 = ref Unsafe.Add(ref w0, i + 6);
                        a0 = Fused.MultiplyAdd(c6, Vector256.Create(wi6), a0);
                        a1 = Fused.MultiplyAdd(c6, Vector256.Create(Unsafe.Add(ref wi6, w1)), a1);
                        a2 = Fused.MultiplyAdd(c6, Vector256.Create(Unsafe.Add(ref wi6, w2)), a2);
                        a3 = Fused.MultiplyAdd(c6, Vector256.Create(Unsafe.Add(ref wi6, w3)), a3);
                        a4 = Fused.MultiplyAdd(c6, Vector256.Create(Unsafe.Add(ref wi6, w4)), a4);
                        a5 = Fused.MultiplyAdd(c6, Vector256.Create(Unsafe.Add(ref wi6, w5)), a5);
                        a6 = Fused.MultiplyAdd(c6, Vector256.Create(Unsafe.Add(ref wi6, w6)), a6);
                        a7 = Fused.MultiplyAdd(c6, Vector256.Create(Unsafe.Add(ref wi6, w7)), a7);
                        ref float wi7 = ref Unsafe.Add(ref w0, i + 7);
                        a0 = Fused.MultiplyAdd(c7, Vector256.Create(wi7), a0);
                        a1 = Fused.MultiplyAdd(c7, Vector256.Create(Unsafe.Add(ref wi7, w1)), a1);
                        a2 = Fused.MultiplyAdd(c7, Vector256.Create(Unsafe.Add(ref wi7, w2)), a2);
                        a3 = Fused.MultiplyAdd(c7, Vector256.Create(Unsafe.Add(ref wi7, w3)), a3);
                        a4 = Fused.MultiplyAdd(c7, Vector256.Create(Unsafe.Add(ref wi7, w4)), a4);
                        a5 = Fused.MultiplyAdd(c7, Vector256.Create(Unsafe.Add(ref wi7, w5)), a5);
                        a6 = Fused.MultiplyAdd(c7, Vector256.Create(Unsafe.Add(ref wi7, w6)), a6);
                        a7 = Fused.MultiplyAdd(c7, Vector256.Create(Unsafe.Add(ref wi7, w7)), a7);
                        i += 7;
                        continue;
                    }
                    ref float xc = ref Unsafe.Add(ref x0, i);
                    column = Vector256.Create(xc, Unsafe.Add(ref xc, x1), Unsafe.Add(ref xc, x2), Unsafe.Add(ref xc, x3),
                        Unsafe.Add(ref xc, x4), Unsafe.Add(ref xc, x5), Unsafe.Add(ref xc, x6), Unsafe.Add(ref xc, x7));
                    ref float wc = ref Unsafe.Add(ref w0, i);
                    a0 = Fused.MultiplyAdd(column, Vector256.Create(wc), a0);
                    a1 = Fused.MultiplyAdd(column, Vector256.Create(Unsafe.Add(ref wc, w1)), a1);
                    a2 = Fused.MultiplyAdd(column, Vector256.Create(Unsafe.Add(ref wc, w2)), a2);
                    a3 = Fused.MultiplyAdd(column, Vector256.Create(Unsafe.Add(ref wc, w3)), a3);
                    a4 = Fused.MultiplyAdd(column, Vector256.Create(Unsafe.Add(ref wc, w4)), a4);
                    a5 = Fused.MultiplyAdd(column, Vector256.Create(Unsafe.Add(ref wc, w5)), a5);
                    a6 = Fused.MultiplyAdd(column, Vector256.Create(Unsafe.Add(ref wc, w6)), a6);
                    a7 = Fused.MultiplyAdd(column, Vector256.Create(Unsafe.Add(ref wc, w7)), a7);
                }
                // a_r holds output o + r of the 8 samples; transposed, row s holds sample b + s's 8 outputs.
                Transpose(a0, a1, a2, a3, a4, a5, a6, a7, out var z0, out var z1, out var z2, out var z3, out var z4, out var z5, out var z6, out var z7);
                ref float rr = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(rows);
                z0.StoreUnsafe(ref rr, 0); z1.StoreUnsafe(ref rr, 8); z2.StoreUnsafe(ref rr, 16); z3.StoreUnsafe(ref rr, 24);
                z4.StoreUnsafe(ref rr, 32); z5.StoreUnsafe(ref rr, 40); z6.StoreUnsafe(ref rr, 48); z7.StoreUnsafe(ref rr, 56);
                for (int r = 0; r < samples; r++)
                {
                    ref float zRow = ref Unsafe.Add(ref zr, (b + r) * outputs + o);
                    if (count == 8)
                    {
                        (Vector256.LoadUnsafe(ref rr, (nuint)(r * 8)) + Vector256.LoadUnsafe(ref br, (nuint)o)).StoreUnsafe(ref zRow);
                    }
                    else
                    {
                        for (int c = 0; c < count; c++) Unsafe.Add(ref zRow, c) = rows[r * 8 + c] + Unsafe.Add(ref br, o + c);
                    }
                }
            }
        }
    }

    /// <summary>Offset of row r of a block of <paramref name="valid"/> rows (stride n): rows past the last repeat it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint Row(int r, int valid, int n) => (nint)Math.Min(r, valid - 1) * n;

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
