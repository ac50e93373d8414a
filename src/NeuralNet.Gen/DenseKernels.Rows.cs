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
    /// <summary>Whether <see cref="ForwardRows"/> serves this call: AVX2 float, fewer samples than one broadcast block.</summary>
    private static bool UseRows<T>(int batch) where T : unmanaged => typeof(T) == typeof(float) && Avx2.IsSupported && batch < 6;

    /// <summary>z[b, :] for each sample in turn, weights [outputs, inputs], four blocks of 8 outputs at a time, so their chains of additions overlap.</summary>
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
                    var u = Vector256.LoadUnsafe(ref x, (nuint)i);
                    a0 = AddProductColumns(a0, ref Unsafe.Add(ref w0, i), inputs, u);
                    a1 = AddProductColumns(a1, ref Unsafe.Add(ref w1, i), inputs, u);
                    a2 = AddProductColumns(a2, ref Unsafe.Add(ref w2, i), inputs, u);
                    a3 = AddProductColumns(a3, ref Unsafe.Add(ref w3, i), inputs, u);
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
                for (int i = 0; i < chunks; i += 8) a0 = AddProductColumns(a0, ref Unsafe.Add(ref w0, i), inputs, Vector256.LoadUnsafe(ref x, (nuint)i));
                for (int i = chunks; i < inputs; i++) a0 = AddProductColumn(a0, ref Unsafe.Add(ref w0, i), inputs, Unsafe.Add(ref x, i));
                (a0 + Vector256.LoadUnsafe(ref br, (nuint)o)).StoreUnsafe(ref z, (nuint)o);
            }
            for (; o < outputs; o++)
            {
                ref float w = ref Unsafe.Add(ref wr, o * inputs);
                float sum = 0;
                for (int i = 0; i < inputs; i++) sum += Unsafe.Add(ref x, i) * Unsafe.Add(ref w, i);
                Unsafe.Add(ref z, o) = sum + Unsafe.Add(ref br, o);
            }
        }
    }

    /// <summary>
    /// a + the products of 8 inputs with 8 weight rows (stride <paramref name="inputs"/>), added column by column:
    /// lane k receives x[i]·w[k, i], then x[i + 1]·w[k, i + 1], … in that order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> AddProductColumns(Vector256<float> a, ref float w, int inputs, Vector256<float> u)
    {
        var p0 = u * Vector256.LoadUnsafe(ref w);
        var p1 = u * Vector256.LoadUnsafe(ref Unsafe.Add(ref w, inputs));
        var p2 = u * Vector256.LoadUnsafe(ref Unsafe.Add(ref w, 2 * inputs));
        var p3 = u * Vector256.LoadUnsafe(ref Unsafe.Add(ref w, 3 * inputs));
        var p4 = u * Vector256.LoadUnsafe(ref Unsafe.Add(ref w, 4 * inputs));
        var p5 = u * Vector256.LoadUnsafe(ref Unsafe.Add(ref w, 5 * inputs));
        var p6 = u * Vector256.LoadUnsafe(ref Unsafe.Add(ref w, 6 * inputs));
        var p7 = u * Vector256.LoadUnsafe(ref Unsafe.Add(ref w, 7 * inputs));
        // The 8 × 8 transpose of AVX: unpack pairs of rows, shuffle quads, swap 128-bit halves.
        var t0 = Avx.UnpackLow(p0, p1); var t1 = Avx.UnpackHigh(p0, p1);
        var t2 = Avx.UnpackLow(p2, p3); var t3 = Avx.UnpackHigh(p2, p3);
        var t4 = Avx.UnpackLow(p4, p5); var t5 = Avx.UnpackHigh(p4, p5);
        var t6 = Avx.UnpackLow(p6, p7); var t7 = Avx.UnpackHigh(p6, p7);
        var s0 = Avx.Shuffle(t0, t2, 0x44); var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44); var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44); var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44); var s7 = Avx.Shuffle(t5, t7, 0xEE);
        a += Avx.Permute2x128(s0, s4, 0x20);
        a += Avx.Permute2x128(s1, s5, 0x20);
        a += Avx.Permute2x128(s2, s6, 0x20);
        a += Avx.Permute2x128(s3, s7, 0x20);
        a += Avx.Permute2x128(s0, s4, 0x31);
        a += Avx.Permute2x128(s1, s5, 0x31);
        a += Avx.Permute2x128(s2, s6, 0x31);
        a += Avx.Permute2x128(s3, s7, 0x31);
        return a;
    }

    /// <summary>a + x·w[k, i] in lane k for one input i (the inputs after the last full tile).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> AddProductColumn(Vector256<float> a, ref float w, int inputs, float x)
    {
        var column = Vector256.Create(w, Unsafe.Add(ref w, inputs), Unsafe.Add(ref w, 2 * inputs), Unsafe.Add(ref w, 3 * inputs),
            Unsafe.Add(ref w, 4 * inputs), Unsafe.Add(ref w, 5 * inputs), Unsafe.Add(ref w, 6 * inputs), Unsafe.Add(ref w, 7 * inputs));
        return a + Vector256.Create(x) * column;
    }
}
#endif
