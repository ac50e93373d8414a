using System;
using System.Collections.Generic;
using Xunit;

namespace NeuralNet.Gen.Determinism.Tests;

/// <summary>
/// netstandard2.1 has no fused multiply-add, so the runtime's netstandard2.1 build computes one in software; it must
/// give the hardware's bits (MathF/Math.FusedMultiplyAdd here) on every input: random magnitudes, subnormals,
/// cancellation, exact ties, signed zeros, infinities and NaN.
/// </summary>
public class SoftwareFmaTests
{
    [Fact]
    public void FloatMatchesTheHardwareOnRandomAndEdgeInputs()
    {
        var random = new Random(15);
        int checkedCount = 0;
        foreach (var (a, b, c) in FloatCases(random))
        {
            float expected = MathF.FusedMultiplyAdd(a, b, c), actual = SoftwareFma.MultiplyAdd(a, b, c);
            if (float.IsNaN(expected)) Assert.True(float.IsNaN(actual), $"fma({a:R}, {b:R}, {c:R}): expected NaN, got {actual:R}");
            else Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual), $"fma({a:R}, {b:R}, {c:R}): expected {expected:R}, got {actual:R}");
            checkedCount++;
        }
        Assert.True(checkedCount > 1_000_000);
    }

    [Fact]
    public void DoubleMatchesTheHardwareOnRandomAndEdgeInputs()
    {
        var random = new Random(16);
        int checkedCount = 0;
        foreach (var (a, b, c) in DoubleCases(random))
        {
            double expected = Math.FusedMultiplyAdd(a, b, c), actual = SoftwareFma.MultiplyAdd(a, b, c);
            if (double.IsNaN(expected)) Assert.True(double.IsNaN(actual), $"fma({a:R}, {b:R}, {c:R}): expected NaN, got {actual:R}");
            else Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual), $"fma({a:R}, {b:R}, {c:R}): expected {expected:R}, got {actual:R}");
            checkedCount++;
        }
        Assert.True(checkedCount > 1_000_000);
    }

    [Fact]
    public void TheSoftwareResultDiffersFromMultiplyThenAdd()
    {
        // 1 + 2^-23 squared is 1 + 2^-22 + 2^-46: the product rounds the last term away, the fused form keeps it.
        float a = 1 + MathF.Pow(2, -23), c = -(1 + MathF.Pow(2, -22));
        Assert.Equal(0f, a * a + c);
        Assert.Equal(MathF.Pow(2, -46), SoftwareFma.MultiplyAdd(a, a, c));
    }

    private static readonly float[] FloatSpecials =
    {
        0f, -0f, 1f, -1f, float.Epsilon, -float.Epsilon, float.MaxValue, -float.MaxValue, float.PositiveInfinity,
        float.NegativeInfinity, float.NaN, 1.17549435e-38f /* smallest normal */, 5.877472e-39f, 3.4e38f, 1e-20f, 1e20f,
    };

    private static IEnumerable<(float, float, float)> FloatCases(Random random)
    {
        foreach (float a in FloatSpecials) foreach (float b in FloatSpecials) foreach (float c in FloatSpecials) yield return (a, b, c);
        for (int n = 0; n < 400_000; n++)
        {
            // Any bit pattern: every exponent, subnormals, infinities and NaN included.
            float a = RandomBits(random), b = RandomBits(random), c = RandomBits(random);
            yield return (a, b, c);
            // Magnitudes near each other and near 1 (where sums of products live), of either sign.
            a = Near(random, 20); b = Near(random, 20); c = Near(random, 40);
            yield return (a, b, c);
            // Cancellation: c close to -a·b, so the result is the product's low bits.
            float p = a * b;
            yield return (a, b, -p);
            yield return (a, b, -BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(p) + random.Next(-3, 4)));
            // Exact ties: short mantissas make a·b + c land halfway between floats.
            float sa = random.Next(1, 1 << 13) * MathF.Pow(2, random.Next(-20, 0)), sb = random.Next(1, 1 << 13) * MathF.Pow(2, random.Next(-20, 0));
            yield return (sa, sb, random.Next(-(1 << 24), 1 << 24) * MathF.Pow(2, random.Next(-30, 0)));
            // Subnormal results: tiny products and addends.
            yield return (Near(random, 4) * 1e-20f, Near(random, 4) * 1e-20f, Near(random, 4) * 1e-39f);
        }
    }

    private static IEnumerable<(double, double, double)> DoubleCases(Random random)
    {
        double[] specials =
        {
            0d, -0d, 1d, -1d, double.Epsilon, -double.Epsilon, double.MaxValue, -double.MaxValue, double.PositiveInfinity,
            double.NegativeInfinity, double.NaN, 2.2250738585072014e-308, 1.1125369292536007e-308, 1e300, 1e-300, 1e-160, 1e160,
        };
        foreach (double a in specials) foreach (double b in specials) foreach (double c in specials) yield return (a, b, c);
        for (int n = 0; n < 300_000; n++)
        {
            double a = BitConverter.Int64BitsToDouble(random.NextInt64() ^ ((long)random.Next() << 33)), b = BitConverter.Int64BitsToDouble(random.NextInt64()), c = BitConverter.Int64BitsToDouble(random.NextInt64());
            yield return (a, b, c);
            a = NearD(random, 30); b = NearD(random, 30); c = NearD(random, 60);
            yield return (a, b, c);
            double p = a * b;
            yield return (a, b, -p);
            yield return (a, b, -BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(p) + random.Next(-3, 4)));
            double sa = random.Next(1, 1 << 27) * Math.Pow(2, random.Next(-40, 0)), sb = random.Next(1, 1 << 27) * Math.Pow(2, random.Next(-40, 0));
            yield return (sa, sb, random.NextInt64(-(1L << 53), 1L << 53) * Math.Pow(2, random.Next(-80, 0)));
            // Subnormal and overflowing results, and products whose halves sit far from 1.
            yield return (NearD(random, 4) * 1e-160, NearD(random, 4) * 1e-150, NearD(random, 4) * 1e-308);
            yield return (NearD(random, 4) * 1e-300, NearD(random, 4) * 1e-20, NearD(random, 4) * 1e-320);
            yield return (NearD(random, 2) * 1e200, NearD(random, 2) * 1e120, NearD(random, 2) * 1.7e308);
            yield return (NearD(random, 2) * 1e300, NearD(random, 2) * 1e-300, NearD(random, 60));
        }
    }

    private static float RandomBits(Random random) => BitConverter.Int32BitsToSingle(random.Next() ^ (random.Next() << 1));

    private static float Near(Random random, int spread) => (float)((random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-spread, spread)));

    private static double NearD(Random random, int spread) => (random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-spread, spread));
}
