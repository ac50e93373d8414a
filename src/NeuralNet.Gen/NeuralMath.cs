using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace NeuralNet.Gen;

/// <summary>
/// exp, log and tanh of the product's own, so that every processor, operating system and runtime (.NET, Mono,
/// IL2CPP) computes the same bits: the platform's math library differs between them. Only additions,
/// multiplications, divisions, bit operations and, in the float exp and tanh, fused multiply-adds (a·b + c rounded
/// once: the processor's FMA, the runtime's, or <see cref="SoftwareFma"/>, the same bits), each in a fixed order.
/// The float functions give the correctly rounded value or a neighbour (within 1 ulp of the true value; tanh 1.5),
/// the double ones are within 1 ulp (exp, log) and 4 ulps (tanh).
/// The double reductions and polynomials and the float log are those of fdlibm (Sun Microsystems, 1993), as musl
/// carries them; the float exp and tanh polynomials are fits of this product's (every float checked).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static partial class NeuralMath
{
    // exp: x = k·ln2 + r, |r| <= ln2/2. Double: e^r = 1 + r + r·c/(2 - c) with c = r - r²·P(r²) (fdlibm). Float: e^r - 1
    // = r + r²·(E2 + E3·r) + r⁴·(E4 + E5·r + E6·r²), a least-squares fit within 0.07 ulp, its terms in parallel (every
    // float checked: exp within 1 ulp of the rounded value).
    private const float ExpOverflowF = 88.72283905206835f, ExpUnderflowF = -103.972077083991796f;
    private const float InvLn2F = 1.4426950216e+00f, Ln2HiF = 6.9314575195e-01f, Ln2LoF = 1.4286067653e-06f;
    private const float ExpE2F = 0.4999999403953552f, ExpE3F = 0.1666652113199234f, ExpE4F = 0.04166838899254799f,
        ExpE5F = 0.00836874544620514f, ExpE6F = 0.0013814541744068265f;
    private const double ExpOverflow = 709.782712893383973096, ExpUnderflow = -745.13321910194110842;
    private const double InvLn2 = 1.44269504088896338700e+00, Ln2Hi = 6.93147180369123816490e-01, Ln2Lo = 1.90821492927058770002e-10;
    private const double ExpP1 = 1.66666666666666019037e-01, ExpP2 = -2.77777777770155933842e-03, ExpP3 = 6.61375632143793436117e-05,
        ExpP4 = -1.65339022054652515390e-06, ExpP5 = 4.13813679705723846039e-08;

    // tanh x = x + x³·P(x²) for |x| < 0.3 (a least-squares fit, within 0.03 ulp of tanh there before rounding).
    private const float TanhP0F = -0.333333283662796f, TanhP1F = 0.13332931697368622f, TanhP2F = -0.0538320429623127f, TanhP3F = 0.02003382332623005f;

    // Round to nearest even by adding and subtracting 1.5·2^(mantissa bits): the same result on every path.
    private const float RoundF = 12582912f;
    private const double Round = 6755399441055744.0;

    // log: x = 2^k·(1 + f), √2/2 <= 1 + f < √2, log(1 + f) = f - hfsq + s·(hfsq + R(s²)) with s = f/(2 + f).
    private const float LogLn2HiF = 6.9313812256e-01f, LogLn2LoF = 9.0580006145e-06f;
    private const float Lg1F = 0.66666662693f, Lg2F = 0.40000972152f, Lg3F = 0.28498786688f, Lg4F = 0.24279078841f;
    private const double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01, Lg3 = 2.857142874366239149e-01,
        Lg4 = 2.222219843214978396e-01, Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01, Lg7 = 1.479819860511658591e-01;

    /// <summary>e^x in float, within 1 ulp.</summary>
    public static float Exp(float x)
    {
        if (!(x <= ExpOverflowF)) return x > 0 ? float.PositiveInfinity : x; // +inf, overflow or NaN
        if (x < ExpUnderflowF) return 0f;
        float shifted = Fma(x, InvLn2F, RoundF);
        float k = shifted - RoundF;
        float r = Fma(k, -Ln2LoF, Fma(k, -Ln2HiF, x));
        float y = 1f + ExpMinusOneReduced(r);
        // k as an integer: the low bits of k + 1.5·2^23, as the vector code reads it (no saturating conversion).
        int ki = BitConverter.SingleToInt32Bits(shifted) - 0x4B400000;
        // 2^k is a normal float for k in [-126, 127]: one exact factor, rounded once, the bits of the two factors.
        return (uint)(ki + 126) <= 253u ? y * BitConverter.Int32BitsToSingle((ki + 127) << 23) : ScaleByPowerOfTwo(y, ki);
    }

    /// <summary>e^r - 1 for |r| &lt;= ln2/2 (the float exp's polynomial, its terms in parallel).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ExpMinusOneReduced(float r)
    {
        float rr = r * r;
        return r + Fma(rr * rr, Fma(ExpE6F, rr, Fma(ExpE5F, r, ExpE4F)), rr * Fma(ExpE3F, r, ExpE2F));
    }

    /// <summary>a·b + c rounded once, as <c>Fused.MultiplyAdd</c> computes each lane of the vector functions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Fma(float a, float b, float c) =>
#if NET8_0_OR_GREATER
        MathF.FusedMultiplyAdd(a, b, c);
#else
        SoftwareFma.MultiplyAdd(a, b, c);
#endif

    /// <summary>e^x in double, within 1 ulp.</summary>
    public static double Exp(double x)
    {
        if (!(x <= ExpOverflow)) return x > 0 ? double.PositiveInfinity : x;
        if (x < ExpUnderflow) return 0d;
        double k = (x * InvLn2 + Round) - Round;
        double hi = x - k * Ln2Hi;
        double lo = k * Ln2Lo;
        double r = hi - lo;
        double y = 1d + ((r * ExpCorrection(r) - lo) + hi);
        return ScaleByPowerOfTwo(y, (int)k);
    }

    /// <summary>c/(2 - c) of the exp reduction: e^r = 1 + r + r·ExpCorrection(r) for |r| &lt;= ln2/2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ExpCorrection(double r)
    {
        double rr = r * r;
        double c = r - rr * (ExpP1 + rr * (ExpP2 + rr * (ExpP3 + rr * (ExpP4 + rr * ExpP5))));
        return c / (2d - c);
    }

    /// <summary>The natural logarithm in float, within 1 ulp; NaN below zero, -∞ at zero.</summary>
    public static float Log(float x)
    {
        int bits = BitConverter.SingleToInt32Bits(x);
        int k = 0;
        if (bits < 0x00800000 || bits >= 0x7f800000)
        {
            if ((bits & 0x7fffffff) == 0) return float.NegativeInfinity;
            if (bits < 0 || float.IsNaN(x)) return float.NaN;
            if (bits >= 0x7f800000) return x; // +∞
            // Subnormal: scale into the normal range.
            k -= 25;
            bits = BitConverter.SingleToInt32Bits(x * 33554432f);
        }
        bits += 0x3f800000 - 0x3f3504f3;
        k += (bits >> 23) - 0x7f;
        bits = (bits & 0x007fffff) + 0x3f3504f3;
        float f = BitConverter.Int32BitsToSingle(bits) - 1f;
        float s = f / (2f + f);
        float z = s * s;
        float w = z * z;
        float t1 = w * (Lg2F + w * Lg4F);
        float t2 = z * (Lg1F + w * Lg3F);
        float hfsq = 0.5f * f * f;
        float dk = k;
        return s * (hfsq + (t2 + t1)) + dk * LogLn2LoF - hfsq + f + dk * LogLn2HiF;
    }

    /// <summary>The natural logarithm in double, within 1 ulp; NaN below zero, -∞ at zero.</summary>
    public static double Log(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        int k = 0;
        if (bits < 0x0010000000000000L || bits >= 0x7ff0000000000000L)
        {
            if ((bits & 0x7fffffffffffffffL) == 0) return double.NegativeInfinity;
            if (bits < 0 || double.IsNaN(x)) return double.NaN;
            if (bits >= 0x7ff0000000000000L) return x;
            k -= 54;
            bits = BitConverter.DoubleToInt64Bits(x * 18014398509481984d);
        }
        int high = (int)(bits >> 32);
        high += 0x3ff00000 - 0x3fe6a09e;
        k += (high >> 20) - 0x3ff;
        high = (high & 0x000fffff) + 0x3fe6a09e;
        bits = ((long)high << 32) | (bits & 0xffffffffL);
        double f = BitConverter.Int64BitsToDouble(bits) - 1d;
        double hfsq = 0.5 * f * f;
        double s = f / (2d + f);
        double z = s * s;
        double w = z * z;
        double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
        double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
        double dk = k;
        return s * (hfsq + (t2 + t1)) + dk * Ln2Lo - hfsq + f + dk * Ln2Hi;
    }

    /// <summary>
    /// The hyperbolic tangent in float: the correctly rounded value or a neighbour, within 1.5 ulps of the true value (every
    /// float from 2^-12 to 9.1 checked against double). An odd polynomial below 0.3; above it m/(m + 2) with
    /// m = e^(2|x|) - 1 from exp's reduction. All in float, so a vector of floats computes it at full width.
    /// </summary>
    public static float Tanh(float x)
    {
        float a = Math.Abs(x);
        if (!(a >= 2.44140625e-4f)) return x;          // |x| < 2^-12 (and NaN): tanh x rounds to x
        if (a > 9.1f) return x > 0 ? 1f : -1f;        // 1 - tanh 9.1 < 2^-25
        float t;
        if (a < 0.3f)
        {
            float s = a * a;
            t = Fma(a * s, Fma(s, Fma(s, Fma(s, TanhP3F, TanhP2F), TanhP1F), TanhP0F), a);
        }
        else
        {
            float m = TanhExpMinusOne(a);
            t = m / (m + 2f);
        }
        return x > 0 ? t : -t;
    }

    /// <summary>
    /// e^(2a) - 1 for 0.3 &lt;= a &lt;= 9.1 (k from 1 to 26): 2^k·(1 + q) - 1 = 2^k·q + (2^k - 1) with q = e^r - 1 as
    /// <see cref="Exp(float)"/> computes it before adding the 1. k comes from a·(2/ln2), the same product as 2a·(1/ln2)
    /// (both doublings are exact), one multiplication sooner.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float TanhExpMinusOne(float a)
    {
        float k = Fma(a, 2f * InvLn2F, RoundF) - RoundF;
        float q = ExpMinusOneReduced(Fma(k, -Ln2LoF, Fma(k, -Ln2HiF, 2f * a)));
        float scale = BitConverter.Int32BitsToSingle(((int)k + 127) << 23);
        return Fma(scale, q, scale - 1f);
    }

    /// <summary>The hyperbolic tangent in double, within 4 ulps.</summary>
    public static double Tanh(double x)
    {
        double a = Math.Abs(x);
        if (!(a >= 1.4901161193847656e-8)) return x;   // |x| < 2^-26 (and NaN)
        if (a > 19.1) return x > 0 ? 1d : -1d;         // 1 - tanh 19.1 < 2^-54
        double m;                                      // e^(2a) - 1
        if (a < 0.17328679513998632)
        {
            // 2a <= ln2/2 needs no reduction, and r + r·c/(2 - c) has no cancellation.
            double r = 2d * a;
            m = r + r * ExpCorrection(r);
        }
        else
        {
            m = Exp(2d * a) - 1d;
        }
        double t = m / (m + 2d);
        return x > 0 ? t : -t;
    }

    /// <summary>1 / (1 + e^-x), from <see cref="Exp(float)"/>.</summary>
    public static float Sigmoid(float x) => 1f / (1f + Exp(-x));

    /// <summary>1 / (1 + e^-x), from <see cref="Exp(double)"/>.</summary>
    public static double Sigmoid(double x) => 1d / (1d + Exp(-x));

    /// <summary>y·2^k for k in [-150, 128], y near 1: two exact power-of-two factors, so a subnormal result is rounded once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ScaleByPowerOfTwo(float y, int k)
    {
        int k1 = k >> 1;
        return y * BitConverter.Int32BitsToSingle((k1 + 127) << 23) * BitConverter.Int32BitsToSingle((k - k1 + 127) << 23);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ScaleByPowerOfTwo(double y, int k)
    {
        int k1 = k >> 1;
        return y * BitConverter.Int64BitsToDouble((long)(k1 + 1023) << 52) * BitConverter.Int64BitsToDouble((long)(k - k1 + 1023) << 52);
    }
}
