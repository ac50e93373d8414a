using System;
using System.Numerics;
using System.Runtime.CompilerServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
#endif

namespace NeuralNet.Gen;

/// <summary>
/// a·b + c rounded once, on every vector width and target: the multiply-add of every sum of products the Dense,
/// convolution-lowered and recurrent kernels compute. Hardware FMA where the processor has it (x64 FMA3, AVX-512,
/// Arm NEON); otherwise each lane goes through <see cref="Scalar{T}.FusedMultiplyAdd"/>, which is the runtime's
/// correctly rounded fused multiply-add on net8.0 and <see cref="SoftwareFma"/> on netstandard2.1 (which has none).
/// Every path rounds once, so every path gives the same bits.
/// </summary>
internal static class Fused
{
    /// <summary>c + a·b over <see cref="Vector{T}"/>: its 128, 256 or 512 bits on net8.0, lane by lane on netstandard2.1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> MultiplyAdd<T>(Vector<T> a, Vector<T> b, Vector<T> c) where T : unmanaged
    {
#if NET8_0_OR_GREATER
        if (Unsafe.SizeOf<Vector<T>>() == 32) return MultiplyAdd(a.AsVector256(), b.AsVector256(), c.AsVector256()).AsVector();
        if (Unsafe.SizeOf<Vector<T>>() == 16) return MultiplyAdd(a.AsVector128(), b.AsVector128(), c.AsVector128()).AsVector();
        if (Unsafe.SizeOf<Vector<T>>() == 64) return MultiplyAdd(a.AsVector512(), b.AsVector512(), c.AsVector512()).AsVector();
#endif
        return Lanewise(a, b, c);
    }

    /// <summary>Lane by lane through the scalar fused multiply-add: processors and targets without a vector FMA.</summary>
    private static Vector<T> Lanewise<T>(Vector<T> a, Vector<T> b, Vector<T> c) where T : unmanaged
    {
        Vector<T> result = default;
        ref T r = ref Unsafe.As<Vector<T>, T>(ref result);
        for (int i = 0; i < Vector<T>.Count; i++) Unsafe.Add(ref r, i) = Scalar<T>.FusedMultiplyAdd(a[i], b[i], c[i]);
        return result;
    }

#if NET8_0_OR_GREATER
    /// <summary>c + a·b over 128 bits: FMA3 on x64, FMLA on Arm, lane by lane elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd<T>(Vector128<T> a, Vector128<T> b, Vector128<T> c) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            if (Fma.IsSupported) return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            if (AdvSimd.IsSupported) return AdvSimd.FusedMultiplyAdd(c.AsSingle(), a.AsSingle(), b.AsSingle()).As<float, T>();
        }
        else if (typeof(T) == typeof(double))
        {
            if (Fma.IsSupported) return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
            if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.FusedMultiplyAdd(c.AsDouble(), a.AsDouble(), b.AsDouble()).As<double, T>();
        }
        Vector128<T> result = default;
        ref T r = ref Unsafe.As<Vector128<T>, T>(ref result);
        for (int i = 0; i < Vector128<T>.Count; i++) Unsafe.Add(ref r, i) = Scalar<T>.FusedMultiplyAdd(a.GetElement(i), b.GetElement(i), c.GetElement(i));
        return result;
    }

    /// <summary>c + a·b over 256 bits: FMA3, or two 128-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c) where T : unmanaged
    {
        if (Fma.IsSupported)
        {
            if (typeof(T) == typeof(float)) return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            if (typeof(T) == typeof(double)) return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }
        return Vector256.Create(MultiplyAdd(a.GetLower(), b.GetLower(), c.GetLower()), MultiplyAdd(a.GetUpper(), b.GetUpper(), c.GetUpper()));
    }

    /// <summary>c + a·b over 512 bits: AVX-512F, or two 256-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) where T : unmanaged
    {
        if (Avx512F.IsSupported)
        {
            if (typeof(T) == typeof(float)) return Avx512F.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            if (typeof(T) == typeof(double)) return Avx512F.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }
        return Vector512.Create(MultiplyAdd(a.GetLower(), b.GetLower(), c.GetLower()), MultiplyAdd(a.GetUpper(), b.GetUpper(), c.GetUpper()));
    }
#endif
}

/// <summary>
/// A correctly rounded fused multiply-add (a·b + c with one rounding, to nearest even) in portable arithmetic, for
/// targets without <c>MathF.FusedMultiplyAdd</c> (netstandard2.1: Unity, Mono). It gives the bits of the hardware
/// instruction, special values included, so a network computes the same numbers there as on .NET 8.
/// </summary>
internal static class SoftwareFma
{
    /// <summary>
    /// float: the product of two floats is exact in double (48 significant bits of 53). The sum with c is rounded to
    /// odd (TwoSum gives its error; an inexact sum gets its last bit set towards the error), and a double rounded to
    /// odd converts to float correctly rounded, because double carries more than float's 24 bits + 2.
    /// </summary>
    public static float MultiplyAdd(float a, float b, float c)
    {
        double p = (double)a * b;
        double s = p + c;
        if (double.IsNaN(s) || double.IsInfinity(s)) return (float)s;
        return (float)RoundToOdd(s, TwoSumError(p, c, s));
    }

    /// <summary>
    /// double: Boldo and Melquiond's emulation (IEEE Trans. Computers 57(4), 2008) at scale 1: a and b are scaled to
    /// [1, 2) and c by the same power of two (exact), the product split exactly into uh + ul (Dekker), c + uh into
    /// th + tl (TwoSum), v = tl + ul rounded to odd, and th + v rounded to nearest is the fused result, scaled back
    /// (exact while normal; a subnormal result is rounded once, from the exact sum as a rounded value and its error).
    /// </summary>
    public static double MultiplyAdd(double a, double b, double c)
    {
        if (!IsFinite(a) || !IsFinite(b) || a == 0 || b == 0) return a * b + c; // product exact (or special): one rounding
        if (!IsFinite(c)) return c; // a finite product never overflows before the addition
        int ea = Exponent(a), eb = Exponent(b);
        double sa = ScaleB(a, -ea), sb = ScaleB(b, -eb);
        int shift = ea + eb; // a·b + c = 2^shift · (sa·sb + c·2^-shift), sa·sb in [1, 4)
        double cs;
        if (c == 0) cs = 0;
        else
        {
            int gap = Exponent(c) - shift;
            // c far above the product: the product is below a quarter of c's last place, c is the rounded result.
            if (gap > 110) return c;
            // c far below the product's last bit (2^-104): only its sign matters, as a sticky bit below every other.
            cs = gap < -110 ? (c > 0 ? 1.0 : -1.0) * 6.223015277861142e-61 /* 2^-200 */ : ScaleB(c, -shift);
        }
        double uh = sa * sb;
        double ul = TwoProductError(sa, sb, uh);
        double th = cs + uh;
        double tl = TwoSumError(cs, uh, th);
        double v = tl + ul;
        v = RoundToOdd(v, TwoSumError(tl, ul, v));
        double r = th + v;
        if (r == 0) return c == 0 ? a * b + c : r; // exact cancellation: +0 (or the zeros' own sign rule)
        int e = Exponent(r) + shift;
        if (e > 1023) return r > 0 ? double.PositiveInfinity : double.NegativeInfinity;
        if (e >= -1022) return ScaleB(r, shift);
        // Subnormal: X = x2 + rest exactly (x2 rounded to 53 bits); x2's bits below the subnormal's last place decide,
        // and where they are exactly half of it, the sign of rest (then the even neighbour) breaks the tie.
        double x1 = tl + ul, x2 = th + x1;
        return ScaleRounded(x2, shift, TwoSumError(th, x1, x2) + TwoSumError(tl, ul, x1));
    }

    /// <summary>(x + rest)·2^n rounded to nearest even into the subnormal range, |rest| at most half of x's last place.</summary>
    private static double ScaleRounded(double x, int n, double rest)
    {
        if (x == 0) return rest == 0 ? x : ScaleRounded(rest, n, 0);
        int target = Exponent(x) + n;
        if (target >= -1022) return ScaleB(x, n);
        long bits = BitConverter.DoubleToInt64Bits(x);
        bool negative = bits < 0;
        long mantissa = (bits & 0xFFFFFFFFFFFFFL) | ((bits & 0x7FF0000000000000L) != 0 ? 1L << 52 : 0);
        int drop = -1074 - (Exponent(x) - 52) - n; // bits of x's mantissa below the subnormal's last place
        long kept;
        if (drop > 54) kept = 0;
        else
        {
            kept = drop >= 63 ? 0 : mantissa >> drop;
            long below = mantissa - (kept << drop), half = 1L << (drop - 1);
            // Exactly half: the rest (below x's last place) decides; none: the even neighbour.
            bool up = below > half || (below == half && (rest == 0 ? (kept & 1) != 0 : (rest > 0) != negative));
            if (up) kept++;
        }
        double value = BitConverter.Int64BitsToDouble(kept); // a subnormal (or the smallest normal after a carry)
        return negative ? -value : value;
    }

    /// <summary>The error of s = RN(a + b): a + b = s + error exactly (Knuth's TwoSum, no branch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double TwoSumError(double a, double b, double s)
    {
        double bb = s - a;
        return (a - (s - bb)) + (b - bb);
    }

    /// <summary>The error of p = RN(a·b): a·b = p + error exactly (Dekker's product with Veltkamp's split).</summary>
    private static double TwoProductError(double a, double b, double p)
    {
        const double Split = 134217729.0; // 2^27 + 1
        double ca = Split * a, ah = ca - (ca - a), al = a - ah;
        double cb = Split * b, bh = cb - (cb - b), bl = b - bh;
        return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    }

    /// <summary>s rounded to odd given s = RN(x) and x = s + error: an inexact s gets an odd last bit, towards x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double RoundToOdd(double s, double error)
    {
        long bits = BitConverter.DoubleToInt64Bits(s);
        if (error == 0 || (bits & 1) != 0) return s;
        // Magnitude up when the error points away from zero, down otherwise (sign-magnitude bits).
        bits += (error > 0) == (s > 0) ? 1 : -1;
        return BitConverter.Int64BitsToDouble(bits);
    }

    private static bool IsFinite(double x) => !double.IsNaN(x) && !double.IsInfinity(x);

    /// <summary>The unbiased exponent of a finite non-zero x (subnormals included): 2^e ≤ |x| &lt; 2^(e+1).</summary>
    private static int Exponent(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x) & long.MaxValue;
        int biased = (int)(bits >> 52);
        if (biased != 0) return biased - 1023;
        // Subnormal: the leading bit of the mantissa.
        int e = -1023;
        for (long m = bits; m != 0; m >>= 1) e++;
        return e - 52;
    }

    /// <summary>x·2^n, exact while x and the result are normal (or x subnormal and n > 0).</summary>
    private static double ScaleB(double x, int n)
    {
        // Steps of 2^±1000: the intermediate lies between x and the result, so it stays normal when both are.
        while (n > 1000) { x *= BitConverter.Int64BitsToDouble(2023L << 52); n -= 1000; }
        while (n < -1000) { x *= BitConverter.Int64BitsToDouble(23L << 52); n += 1000; }
        return x * BitConverter.Int64BitsToDouble((long)(n + 1023) << 52);
    }
}
