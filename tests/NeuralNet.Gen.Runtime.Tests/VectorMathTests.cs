using System;
using System.Numerics;
using Xunit;

namespace NeuralNet.Gen.Runtime.Tests;

/// <summary>
/// The vector Tanh and Sigmoid (what a generated Step runs) against the scalar ones, lane by lane, bit for bit: random
/// values over every range the functions branch on, and the edges (zeros, the thresholds, subnormals, infinities, NaN).
/// This process runs the machine's widest Vector&lt;T&gt;; the determinism tests repeat the check under 128-bit vectors and
/// scalar code.
/// </summary>
public class VectorMathTests
{
    private static readonly float[] FloatEdges =
    {
        0f, -0f, 1e-45f, -1e-45f, 1e-38f, 2.44140625e-4f, -2.44140625e-4f, 2.4414062e-4f, 2.4414065e-4f, 9.1f, -9.1f, 9.100001f, -9.099999f,
        1f, -1f, 0.5f, 20f, -20f, 88.72283f, 88.72284f, -88.72283f, -103.97207f, -103.97208f, -110f, 110f, 1e30f, -1e30f,
        float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 87.3f, -87.3f, 0.3465736f, 1e-7f,
        0.29999998f, 0.3f, -0.3f, 0.30000001f, -0.30000001f, // the float Tanh's polynomial and exp branches
    };

    private static readonly double[] DoubleEdges =
    {
        0d, -0d, 5e-324, -5e-324, 1.4901161193847656e-8, -1.4901161193847656e-8, 1.49e-8, 0.17328679513998632, 0.1732867951399863, -0.17328679513998632,
        19.1, -19.1, 19.100000000000001, 1, -1, 0.5, 709.78, 709.79, -745.13, -745.14, -750, 800, 1e300, -1e300,
        double.MaxValue, double.MinValue, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 2.2250738585072014e-308,
    };

    public static float[] FloatInputs()
    {
        var random = new DeterministicRandom(12);
        var values = new float[20_000 + FloatEdges.Length];
        for (int i = 0; i < 20_000; i++)
        {
            // Every range: near zero, the polynomial, the reductions, saturation, overflow and underflow.
            double scale = (i % 5) switch { 0 => 1e-3, 1 => 1, 2 => 10, 3 => 100, _ => 200 };
            values[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        }
        FloatEdges.CopyTo(values, 20_000);
        return values;
    }

    public static double[] DoubleInputs()
    {
        var random = new DeterministicRandom(13);
        var values = new double[20_000 + DoubleEdges.Length];
        for (int i = 0; i < 20_000; i++)
        {
            double scale = (i % 5) switch { 0 => 1e-7, 1 => 0.3, 2 => 20, 3 => 800, _ => 2 };
            values[i] = (random.NextDouble() * 2 - 1) * scale;
        }
        DoubleEdges.CopyTo(values, 20_000);
        return values;
    }

    [Fact]
    public void FloatSpansGiveTheScalarBits()
    {
        var inputs = FloatInputs();
        // Every offset, so each value passes through every lane and the scalar tail.
        for (int offset = 0; offset < 17; offset++)
        {
            var tanh = inputs[offset..].AsSpan().ToArray();
            var sigmoid = inputs[offset..].AsSpan().ToArray();
            NeuralMath.Tanh(tanh.AsSpan());
            NeuralMath.Sigmoid(sigmoid.AsSpan());
            for (int i = 0; i < tanh.Length; i++)
            {
                float x = inputs[offset + i];
                AssertSame(NeuralMath.Tanh(x), tanh[i], "Tanh", x);
                AssertSame(NeuralMath.Sigmoid(x), sigmoid[i], "Sigmoid", x);
            }
        }
    }

    [Fact]
    public void DoubleSpansGiveTheScalarBits()
    {
        var inputs = DoubleInputs();
        for (int offset = 0; offset < 9; offset++)
        {
            var tanh = inputs[offset..].AsSpan().ToArray();
            var sigmoid = inputs[offset..].AsSpan().ToArray();
            NeuralMath.Tanh(tanh.AsSpan());
            NeuralMath.Sigmoid(sigmoid.AsSpan());
            for (int i = 0; i < tanh.Length; i++)
            {
                double x = inputs[offset + i];
                AssertSame(NeuralMath.Tanh(x), tanh[i], "Tanh", x);
                AssertSame(NeuralMath.Sigmoid(x), sigmoid[i], "Sigmoid", x);
            }
        }
    }

    [Fact]
    public void VectorOverloadsGiveTheScalarBitsInEveryLane()
    {
        var floats = FloatInputs();
        int n = Vector<float>.Count;
        for (int i = 0; i + n <= floats.Length; i += n)
        {
            var x = new Vector<float>(floats, i);
            var tanh = NeuralMath.Tanh(x);
            var sigmoid = NeuralMath.Sigmoid(x);
            var exp = NeuralMath.Exp(x);
            for (int lane = 0; lane < n; lane++)
            {
                AssertSame(NeuralMath.Tanh(x[lane]), tanh[lane], "Tanh", x[lane]);
                AssertSame(NeuralMath.Sigmoid(x[lane]), sigmoid[lane], "Sigmoid", x[lane]);
                AssertSame(NeuralMath.Exp(x[lane]), exp[lane], "Exp", x[lane]);
            }
        }
        var doubles = DoubleInputs();
        n = Vector<double>.Count;
        for (int i = 0; i + n <= doubles.Length; i += n)
        {
            var x = new Vector<double>(doubles, i);
            var tanh = NeuralMath.Tanh(x);
            var sigmoid = NeuralMath.Sigmoid(x);
            var exp = NeuralMath.Exp(x);
            for (int lane = 0; lane < n; lane++)
            {
                AssertSame(NeuralMath.Tanh(x[lane]), tanh[lane], "Tanh", x[lane]);
                AssertSame(NeuralMath.Sigmoid(x[lane]), sigmoid[lane], "Sigmoid", x[lane]);
                AssertSame(NeuralMath.Exp(x[lane]), exp[lane], "Exp", x[lane]);
            }
        }
    }

    /// <summary>
    /// The scalar float exp scales by one factor 2^k where 2^k is a normal float (k in [-126, 127]) and by two
    /// elsewhere; the vector exp always by two. Both must give the same bits: every 101st float of [-104, 89] (where
    /// exp is neither 0 nor overflows), and every float where k changes across -126/-127 and 127/128, in every lane.
    /// </summary>
    [Fact]
    public void FloatExpScalingMatchesTheVectorExpOverTheWholeRange()
    {
        int n = Vector<float>.Count;
        var lanes = new float[n];
        long checkedValues = 0;
        void Check(float x)
        {
            lanes[checkedValues++ % n] = x;
            if (checkedValues % n != 0) return;
            var exp = NeuralMath.Exp(new Vector<float>(lanes));
            for (int lane = 0; lane < n; lane++)
            {
                float scalar = NeuralMath.Exp(lanes[lane]);
                if (BitConverter.SingleToInt32Bits(scalar) != BitConverter.SingleToInt32Bits(exp[lane])) AssertSame(scalar, exp[lane], "Exp", lanes[lane]);
            }
        }
        // Every 101st float from -104 up to -0, then from +0 up to 89, stepping through their bit patterns.
        for (int bits = BitConverter.SingleToInt32Bits(104f); bits >= 0; bits -= 101) Check(-BitConverter.Int32BitsToSingle(bits));
        for (int bits = 0; bits <= BitConverter.SingleToInt32Bits(89f); bits += 101) Check(BitConverter.Int32BitsToSingle(bits));
        // k = round(x / ln2) moves from -126 to -127 near x = -126.5·ln2 and from 127 to 128 near 127.5·ln2: every float there.
        foreach (double edge in new[] { -126.5 * Math.Log(2), 127.5 * Math.Log(2) })
        {
            int centre = BitConverter.SingleToInt32Bits((float)Math.Abs(edge));
            for (int bits = centre - 20_000; bits <= centre + 20_000; bits++)
            {
                float magnitude = BitConverter.Int32BitsToSingle(bits);
                Check(edge < 0 ? -magnitude : magnitude);
            }
        }
        Assert.True(checkedValues > 20_000_000, $"only {checkedValues} values checked");
    }

    [Fact]
    public void TheInputsReachEveryBranch()
    {
        // The test is only as good as its inputs: saturated, tiny, overflowing, underflowing and NaN values are all there.
        var floats = FloatInputs();
        Assert.Contains(floats, x => Math.Abs(x) > 9.1f && Math.Abs(x) < 88f);
        Assert.Contains(floats, x => Math.Abs(x) < 2.44140625e-4f && x != 0);
        Assert.Contains(floats, x => Math.Abs(x) >= 2.44140625e-4f && Math.Abs(x) < 0.3f);
        Assert.Contains(floats, x => Math.Abs(x) >= 0.3f && Math.Abs(x) <= 9.1f);
        Assert.Contains(floats, x => x > 88.8f);
        Assert.Contains(floats, x => x < -104f);
        Assert.Contains(floats, float.IsNaN);
        var doubles = DoubleInputs();
        Assert.Contains(doubles, x => Math.Abs(x) < 0.17328679513998632 && Math.Abs(x) > 1.5e-8);
        Assert.Contains(doubles, x => x > 710);
        Assert.Contains(doubles, x => x < -746);
    }

    private static void AssertSame(float expected, float actual, string function, float x) =>
        Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual) || (float.IsNaN(expected) && float.IsNaN(actual)),
            $"{function}({x:R}): scalar {expected:R}, vector {actual:R} (Vector<float>.Count {Vector<float>.Count})");

    private static void AssertSame(double expected, double actual, string function, double x) =>
        Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual) || (double.IsNaN(expected) && double.IsNaN(actual)),
            $"{function}({x:R}): scalar {expected:R}, vector {actual:R} (Vector<double>.Count {Vector<double>.Count})");
}
