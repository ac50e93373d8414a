#if NET8_0_OR_GREATER
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNet.Gen;

// The sixteen partials of several outputs reduced together, by shuffles that line up the partials each addition of
// the tree pairs (t_k = p_k + p_{k+8}, u_k = t_k + t_{k+4}, v_k = u_k + u_{k+2}, sum = v_0 + v_1): the same
// additions, so the same bits, as the scalar tree in Reduce<T>, several outputs per instruction.
public static partial class DenseKernels
{
    /// <summary>16 outputs: partials [16][16] (row r's at 16·r) to z[0..16] = sums + bias[0..16]. AVX-512.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Reduce16(ref float partials, ref float br, ref float zr)
    {
        // t: rows 2k and 2k+1 side by side, partials 0-7 of each.
        var t0 = Half(ref partials, 0); var t1 = Half(ref partials, 2); var t2 = Half(ref partials, 4); var t3 = Half(ref partials, 6);
        var t4 = Half(ref partials, 8); var t5 = Half(ref partials, 10); var t6 = Half(ref partials, 12); var t7 = Half(ref partials, 14);
        // u: rows 4m..4m+3, partials 0-3 of each (one 128-bit block per row).
        var u0 = Avx512F.Shuffle4x128(t0, t1, 0x88) + Avx512F.Shuffle4x128(t0, t1, 0xDD);
        var u1 = Avx512F.Shuffle4x128(t2, t3, 0x88) + Avx512F.Shuffle4x128(t2, t3, 0xDD);
        var u2 = Avx512F.Shuffle4x128(t4, t5, 0x88) + Avx512F.Shuffle4x128(t4, t5, 0xDD);
        var u3 = Avx512F.Shuffle4x128(t6, t7, 0x88) + Avx512F.Shuffle4x128(t6, t7, 0xDD);
        // v: block q holds rows q and 4+q (v0) or 8+q and 12+q (v1), partials 0-1 of each.
        var v0 = Avx512F.Shuffle(u0, u1, 0x44) + Avx512F.Shuffle(u0, u1, 0xEE);
        var v1 = Avx512F.Shuffle(u2, u3, 0x44) + Avx512F.Shuffle(u2, u3, 0xEE);
        // Block q holds the sums of rows q, 4+q, 8+q, 12+q: put them back in row order.
        var sums = Avx512F.Shuffle(v0, v1, 0x88) + Avx512F.Shuffle(v0, v1, 0xDD);
        sums = Avx512F.PermuteVar16x32(sums, Vector512.Create(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15));
        (sums + Vector512.LoadUnsafe(ref br)).StoreUnsafe(ref zr);
    }

    /// <summary>Rows r and r + 1: the two halves of each row's partials 16·r .. 16·r + 16 swapped into 128-bit blocks and added (t).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Half(ref float partials, int r)
    {
        var a = Vector512.LoadUnsafe(ref partials, (nuint)(r * P));
        var b = Vector512.LoadUnsafe(ref partials, (nuint)((r + 1) * P));
        return Avx512F.Shuffle4x128(a, b, 0x44) + Avx512F.Shuffle4x128(a, b, 0xEE);
    }

    /// <summary>8 outputs: partials [8][16] to z[0..8] = sums + bias[0..8]. AVX2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Reduce8(ref float partials, ref float br, ref float zr)
    {
        // t: one row each, partials 0-7.
        var t0 = Pair(ref partials, 0); var t1 = Pair(ref partials, 1); var t2 = Pair(ref partials, 2); var t3 = Pair(ref partials, 3);
        var t4 = Pair(ref partials, 4); var t5 = Pair(ref partials, 5); var t6 = Pair(ref partials, 6); var t7 = Pair(ref partials, 7);
        // u: rows 2k and 2k+1, partials 0-3 of each.
        var u0 = Avx.Permute2x128(t0, t1, 0x20) + Avx.Permute2x128(t0, t1, 0x31);
        var u1 = Avx.Permute2x128(t2, t3, 0x20) + Avx.Permute2x128(t2, t3, 0x31);
        var u2 = Avx.Permute2x128(t4, t5, 0x20) + Avx.Permute2x128(t4, t5, 0x31);
        var u3 = Avx.Permute2x128(t6, t7, 0x20) + Avx.Permute2x128(t6, t7, 0x31);
        // v: the low block holds rows 0, 2 (v0) or 4, 6 (v1), the high block rows 1, 3 or 5, 7; partials 0-1 of each.
        var v0 = Avx.Shuffle(u0, u1, 0x44) + Avx.Shuffle(u0, u1, 0xEE);
        var v1 = Avx.Shuffle(u2, u3, 0x44) + Avx.Shuffle(u2, u3, 0xEE);
        // Sums of rows 0, 2, 4, 6 | 1, 3, 5, 7: back in row order.
        var sums = Avx.Shuffle(v0, v1, 0x88) + Avx.Shuffle(v0, v1, 0xDD);
        sums = Avx2.PermuteVar8x32(sums, Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7));
        (sums + Vector256.LoadUnsafe(ref br)).StoreUnsafe(ref zr);
    }

    /// <summary>Row r's partials 0-7 plus 8-15 (t).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Pair(ref float partials, int r) =>
        Vector256.LoadUnsafe(ref partials, (nuint)(r * P)) + Vector256.LoadUnsafe(ref partials, (nuint)(r * P + 8));
}
#endif
