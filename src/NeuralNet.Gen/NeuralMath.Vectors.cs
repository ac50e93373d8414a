using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNet.Gen;

// Vector forms of Tanh and Sigmoid: each lane runs the scalar function's operations in the scalar function's order
// (fused where the scalar one fuses, Fused.MultiplyAdd), its early returns turned into selects, so every lane gives
// the scalar bits on every vector width.
public static partial class NeuralMath
{
    /// <summary>Tanh of each value of <paramref name="values"/>, in place: the bits of <see cref="Tanh(float)"/>, vectorised where the machine has vectors.</summary>
    public static void Tanh(Span<float> values) => StepKernels.Activate(values, values.Length, sigmoid: false);

    /// <summary>Tanh of each value of <paramref name="values"/>, in place: the bits of <see cref="Tanh(double)"/>.</summary>
    public static void Tanh(Span<double> values) => StepKernels.Activate(values, values.Length, sigmoid: false);

    /// <summary>Sigmoid of each value of <paramref name="values"/>, in place: the bits of <see cref="Sigmoid(float)"/>.</summary>
    public static void Sigmoid(Span<float> values) => StepKernels.Activate(values, values.Length, sigmoid: true);

    /// <summary>Sigmoid of each value of <paramref name="values"/>, in place: the bits of <see cref="Sigmoid(double)"/>.</summary>
    public static void Sigmoid(Span<double> values) => StepKernels.Activate(values, values.Length, sigmoid: true);

#if NET8_0_OR_GREATER
    /// <summary>e^x lane by lane, the bits of <see cref="Exp(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Exp(Vector<float> x)
    {
        var shifted = Fused.MultiplyAdd(x, new Vector<float>(InvLn2F), new Vector<float>(RoundF));
        var k = shifted - new Vector<float>(RoundF);
        var y = Vector<float>.One + ExpMinusOneReduced(Fused.MultiplyAdd(k, new Vector<float>(-Ln2LoF), Fused.MultiplyAdd(k, new Vector<float>(-Ln2HiF), x)));
        // k as an integer: the low bits of k + 1.5·2^23. Split in two factors as the scalar code splits it.
        var ki = Vector.AsVectorInt32(shifted) - Vector.AsVectorInt32(new Vector<float>(RoundF));
        var k1 = Vector.ShiftRightArithmetic(ki, 1);
        var bias = new Vector<int>(127);
        var scaled = y * Vector.AsVectorSingle(Vector.ShiftLeft(k1 + bias, 23)) * Vector.AsVectorSingle(Vector.ShiftLeft(ki - k1 + bias, 23));
        // The scalar code's early returns: overflow (+∞), NaN (itself), underflow (0).
        var result = Vector.ConditionalSelect(Vector.LessThan(x, new Vector<float>(ExpUnderflowF)), Vector<float>.Zero, scaled);
        var big = Vector.AsVectorSingle(~Vector.LessThanOrEqual(x, new Vector<float>(ExpOverflowF)));
        var overflow = Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<float>.Zero), new Vector<float>(float.PositiveInfinity), x);
        return Vector.ConditionalSelect(Vector.AsVectorInt32(big), overflow, result);
    }

    /// <summary><see cref="ExpMinusOneReduced(float)"/> lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> ExpMinusOneReduced(Vector<float> r)
    {
        var rr = r * r;
        var high = Fused.MultiplyAdd(new Vector<float>(ExpE6F), rr, Fused.MultiplyAdd(new Vector<float>(ExpE5F), r, new Vector<float>(ExpE4F)));
        return r + Fused.MultiplyAdd(rr * rr, high, rr * Fused.MultiplyAdd(new Vector<float>(ExpE3F), r, new Vector<float>(ExpE2F)));
    }

    /// <summary>e^x lane by lane, the bits of <see cref="Exp(double)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Exp(Vector<double> x)
    {
        var shifted = x * new Vector<double>(InvLn2) + new Vector<double>(Round);
        var k = shifted - new Vector<double>(Round);
        var hi = x - k * new Vector<double>(Ln2Hi);
        var lo = k * new Vector<double>(Ln2Lo);
        var r = hi - lo;
        var y = Vector<double>.One + ((r * ExpCorrection(r) - lo) + hi);
        // k as an integer, then k >> 1 without a 64-bit arithmetic shift (AVX2 has none): offset to positive first.
        var ki = Vector.AsVectorInt64(shifted) - Vector.AsVectorInt64(new Vector<double>(Round));
        var k1 = Vector.ShiftRightLogical(ki + new Vector<long>(2048), 1) - new Vector<long>(1024);
        var bias = new Vector<long>(1023);
        var scaled = y * Vector.AsVectorDouble(Vector.ShiftLeft(k1 + bias, 52)) * Vector.AsVectorDouble(Vector.ShiftLeft(ki - k1 + bias, 52));
        var result = Vector.ConditionalSelect(Vector.LessThan(x, new Vector<double>(ExpUnderflow)), Vector<double>.Zero, scaled);
        var big = ~Vector.LessThanOrEqual(x, new Vector<double>(ExpOverflow));
        var overflow = Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<double>.Zero), new Vector<double>(double.PositiveInfinity), x);
        return Vector.ConditionalSelect(big, overflow, result);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<double> ExpCorrection(Vector<double> r)
    {
        var rr = r * r;
        var c = r - rr * (new Vector<double>(ExpP1) + rr * (new Vector<double>(ExpP2) + rr * (new Vector<double>(ExpP3) + rr * (new Vector<double>(ExpP4) + rr * new Vector<double>(ExpP5)))));
        return c / (new Vector<double>(2d) - c);
    }

    /// <summary>Tanh lane by lane, the bits of <see cref="Tanh(float)"/>: both of its branches, each lane keeping its own.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // optimised from the first call, as the generated Step that calls it
    public static Vector<float> Tanh(Vector<float> x)
    {
        var a = Vector.Abs(x);
        var s = a * a;
        var p = Fused.MultiplyAdd(s, Fused.MultiplyAdd(s, Fused.MultiplyAdd(s, new Vector<float>(TanhP3F), new Vector<float>(TanhP2F)), new Vector<float>(TanhP1F)), new Vector<float>(TanhP0F));
        var small = Fused.MultiplyAdd(a * s, p, a);
        var m = TanhExpMinusOne(a);
        var t = Vector.ConditionalSelect(Vector.LessThan(a, new Vector<float>(0.3f)), small, m / (m + new Vector<float>(2f)));
        var magnitude = Vector.ConditionalSelect(Vector.GreaterThan(a, new Vector<float>(9.1f)), Vector<float>.One, t);
        // x's sign on the magnitude: -magnitude below zero, as the scalar code (zero and NaN are x itself, below).
        var signed = Vector.BitwiseOr(magnitude, Vector.BitwiseAnd(x, new Vector<float>(-0f)));
        // |x| < 2^-12 and NaN give x itself.
        return Vector.ConditionalSelect(~Vector.GreaterThanOrEqual(a, new Vector<float>(2.44140625e-4f)), x, signed);
    }

    /// <summary><see cref="TanhExpMinusOne(float)"/> lane by lane; lanes outside its range get garbage (Tanh selects them away).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> TanhExpMinusOne(Vector<float> a)
    {
        var shifted = Fused.MultiplyAdd(a, new Vector<float>(2f * InvLn2F), new Vector<float>(RoundF));
        var k = shifted - new Vector<float>(RoundF);
        var q = ExpMinusOneReduced(Fused.MultiplyAdd(k, new Vector<float>(-Ln2LoF), Fused.MultiplyAdd(k, new Vector<float>(-Ln2HiF), new Vector<float>(2f) * a)));
        // The low bits of k + 1.5·2^23 are k; + 127 and shifted into the exponent, 2^k.
        var scale = Vector.AsVectorSingle(Vector.ShiftLeft(Vector.AsVectorInt32(shifted) - Vector.AsVectorInt32(new Vector<float>(RoundF)) + new Vector<int>(127), 23));
        return Fused.MultiplyAdd(scale, q, scale - Vector<float>.One);
    }

    /// <summary>
    /// <see cref="Exp(Vector{double})"/> where Tanh needs it, 2^-26 &lt;= x &lt;= 40 (k from 0 to 58): no edge cases, and
    /// one power-of-two factor, exact as the scalar code's two are (the result is normal). Other lanes get garbage.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<double> ExpOfTanh(Vector<double> x)
    {
        var shifted = x * new Vector<double>(InvLn2) + new Vector<double>(Round);
        var k = shifted - new Vector<double>(Round);
        var hi = x - k * new Vector<double>(Ln2Hi);
        var lo = k * new Vector<double>(Ln2Lo);
        var r = hi - lo;
        var y = Vector<double>.One + ((r * ExpCorrection(r) - lo) + hi);
        // The low bits of k + 1.5·2^52 are k; + 1023 and shifted into the exponent, 2^k.
        var scale = Vector.ShiftLeft(Vector.AsVectorInt64(shifted) - Vector.AsVectorInt64(new Vector<double>(Round)) + new Vector<long>(1023), 52);
        return y * Vector.AsVectorDouble(scale);
    }

    /// <summary>Tanh lane by lane, the bits of <see cref="Tanh(double)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // optimised from the first call, as the generated Step that calls it
    public static Vector<double> Tanh(Vector<double> x)
    {
        var a = Vector.Abs(x);
        var twice = new Vector<double>(2d) * a;
        var nearZero = twice + twice * ExpCorrection(twice);
        var m = Vector.ConditionalSelect(Vector.LessThan(a, new Vector<double>(0.17328679513998632)), nearZero, ExpOfTanh(twice) - Vector<double>.One);
        var t = m / (m + new Vector<double>(2d));
        var magnitude = Vector.ConditionalSelect(Vector.GreaterThan(a, new Vector<double>(19.1)), Vector<double>.One, t);
        var signed = Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<double>.Zero), magnitude, -magnitude);
        return Vector.ConditionalSelect(~Vector.GreaterThanOrEqual(a, new Vector<double>(1.4901161193847656e-8)), x, signed);
    }

    /// <summary>1 / (1 + e^-x) lane by lane, the bits of <see cref="Sigmoid(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Sigmoid(Vector<float> x) => Vector<float>.One / (Vector<float>.One + Exp(-x));

    /// <summary>1 / (1 + e^-x) lane by lane, the bits of <see cref="Sigmoid(double)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Sigmoid(Vector<double> x) => Vector<double>.One / (Vector<double>.One + Exp(-x));
#endif
}
