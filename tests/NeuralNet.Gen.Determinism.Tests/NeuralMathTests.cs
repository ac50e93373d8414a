using System;
using Xunit;

namespace NeuralNet.Gen.Determinism.Tests;

/// <summary>NeuralMath against the platform's double-precision functions: the float versions within 1 ulp of the rounded true value.</summary>
public class NeuralMathTests
{
    private const int Samples = 200_000;

    [Fact]
    public void FloatExpIsWithinOneUlp()
    {
        var random = new DeterministicRandom(1);
        for (int n = 0; n < Samples; n++)
        {
            float x = (float)(random.NextDouble() * 193 - 104);
            AssertUlps((float)Math.Exp(x), NeuralMath.Exp(x), 1, x);
        }
        foreach (float x in new[] { 0f, -0f, 1e-8f, -1e-8f, 88.72f, 88.7228f, -87.3f, -100f, -103.9f, 1f, -1f, 0.5f })
        {
            AssertUlps((float)Math.Exp(x), NeuralMath.Exp(x), 1, x);
        }
        Assert.Equal(float.PositiveInfinity, NeuralMath.Exp(89f));
        Assert.Equal(float.PositiveInfinity, NeuralMath.Exp(float.PositiveInfinity));
        Assert.Equal(0f, NeuralMath.Exp(-104f));
        Assert.Equal(0f, NeuralMath.Exp(float.NegativeInfinity));
        Assert.True(float.IsNaN(NeuralMath.Exp(float.NaN)));
    }

    [Fact]
    public void FloatLogIsWithinOneUlpFromSubnormalsToTheLargestFloat()
    {
        var random = new DeterministicRandom(2);
        for (int n = 0; n < Samples; n++)
        {
            float x = BitConverter.Int32BitsToSingle(1 + random.NextInt32(0x7f7fffff));
            AssertUlps((float)Math.Log(x), NeuralMath.Log(x), 1, x);
        }
        Assert.Equal(0f, NeuralMath.Log(1f));
        Assert.Equal(float.NegativeInfinity, NeuralMath.Log(0f));
        Assert.Equal(float.NegativeInfinity, NeuralMath.Log(-0f));
        Assert.True(float.IsNaN(NeuralMath.Log(-1f)));
        Assert.True(float.IsNaN(NeuralMath.Log(float.NaN)));
        Assert.Equal(float.PositiveInfinity, NeuralMath.Log(float.PositiveInfinity));
    }

    [Fact]
    public void FloatTanhIsWithinOneUlp()
    {
        var random = new DeterministicRandom(3);
        for (int n = 0; n < Samples; n++)
        {
            float x = (float)((random.NextDouble() - 0.5) * Math.Pow(2, random.NextInt32(20) - 14) * 2);
            AssertUlps((float)Math.Tanh(x), NeuralMath.Tanh(x), 1, x);
        }
        Assert.Equal(1f, NeuralMath.Tanh(20f));
        Assert.Equal(-1f, NeuralMath.Tanh(float.NegativeInfinity));
        Assert.Equal(0f, NeuralMath.Tanh(0f));
        Assert.True(float.IsNaN(NeuralMath.Tanh(float.NaN)));
    }

    [Fact]
    public void DoubleFunctionsAreWithinAFewUlps()
    {
        var random = new DeterministicRandom(4);
        for (int n = 0; n < Samples; n++)
        {
            double x = random.NextDouble() * 1400 - 700;
            AssertUlps(Math.Exp(x), NeuralMath.Exp(x), 1, x);
            double positive = BitConverter.Int64BitsToDouble(1 + (long)(random.NextDouble() * 0x7fefffffffffffffL));
            AssertUlps(Math.Log(positive), NeuralMath.Log(positive), 1, positive);
            double t = (random.NextDouble() - 0.5) * Math.Pow(2, random.NextInt32(24) - 18) * 2;
            AssertUlps(Math.Tanh(t), NeuralMath.Tanh(t), 4, t);
        }
        Assert.Equal(double.PositiveInfinity, NeuralMath.Exp(710d));
        Assert.Equal(0d, NeuralMath.Exp(-746d));
        Assert.Equal(double.NegativeInfinity, NeuralMath.Log(0d));
        Assert.True(double.IsNaN(NeuralMath.Log(-2d)));
        Assert.Equal(1d, NeuralMath.Tanh(30d));
    }

    [Fact]
    public void SigmoidIsOneOverOnePlusExp()
    {
        Assert.Equal(0.5f, NeuralMath.Sigmoid(0f));
        AssertUlps((float)(1 / (1 + Math.Exp(-2.5))), NeuralMath.Sigmoid(2.5f), 1, 2.5f);
        AssertUlps(1 / (1 + Math.Exp(3.25)), NeuralMath.Sigmoid(-3.25), 2, -3.25);
    }

    [Fact]
    public void FloatExpAndTanhAreWithinOneUlpOnAStrideThroughEveryFloatTheyCompute()
    {
        // Every 61st float of tanh's computed range (the polynomial below 0.3, exp's reduction above) and every 1021st of
        // exp's: the fits were checked on every float once; this keeps a dense sample of them in the tests.
        int from = BitConverter.SingleToInt32Bits(2.44140625e-4f), to = BitConverter.SingleToInt32Bits(9.1f);
        for (int bits = from; bits <= to; bits += 61)
        {
            float x = BitConverter.Int32BitsToSingle(bits);
            AssertUlps((float)Math.Tanh(x), NeuralMath.Tanh(x), 1, x);
            AssertUlps((float)Math.Tanh(-x), NeuralMath.Tanh(-x), 1, -x);
        }
        for (int bits = 0; bits <= BitConverter.SingleToInt32Bits(103.9f); bits += 1021)
        {
            float x = BitConverter.Int32BitsToSingle(bits);
            if (x <= 88.72283f) AssertUlps((float)Math.Exp(x), NeuralMath.Exp(x), 1, x);
            AssertUlps((float)Math.Exp(-x), NeuralMath.Exp(-x), 1, -x);
        }
    }

    private static void AssertUlps(float expected, float actual, int ulps, float x)
    {
        long distance = Math.Abs((long)BitConverter.SingleToInt32Bits(expected) - BitConverter.SingleToInt32Bits(actual));
        Assert.True(distance <= ulps, $"f({x:R}) = {actual:R}, expected {expected:R} ({distance} ulps)");
    }

    private static void AssertUlps(double expected, double actual, int ulps, double x)
    {
        long distance = Math.Abs(BitConverter.DoubleToInt64Bits(expected) - BitConverter.DoubleToInt64Bits(actual));
        Assert.True(distance <= ulps, $"f({x:R}) = {actual:R}, expected {expected:R} ({distance} ulps)");
    }
}
