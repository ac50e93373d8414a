using System;
using Xunit;

namespace NeuralNet.Gen.Determinism.Tests;

/// <summary>
/// The kernels sum in the documented order, bit for bit: the references below are plain scalar loops in that order,
/// each multiply-add fused (MathF.FusedMultiplyAdd, one rounding).
/// Under the CI's DOTNET_Enable* runs of this project (and in <see cref="ReproducibleBitsTests"/>) the same
/// references hold for every vector width.
/// </summary>
public class KernelOrderTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        // Up to 64 inputs (one chain): few samples (weights read where they lie) and panels packed on the stack, in
        // tiles of 256 samples (a last tile of 7: a block of 6 that starts earlier; of 4: single samples).
        { 37, 10, 7 }, { 5, 17, 1 }, { 3, 33, 6 }, { 48, 10, 1 }, { 1, 1, 1 }, { 64, 16, 12 }, { 29, 45, 2 }, { 50, 10, 100 },
        { 40, 20, 263 }, { 12, 3, 260 },
        // More (sixteen partials): one sample (blocks of 8 or 4 rows), blocks of 8 or 3 samples with a last block that
        // starts earlier, last panels of 1-15 rows (and fewer rows than a block), inputs not a multiple of 16 (a tail
        // added one at a time), rows that do not start on a cache line (staged on the stack), and inputs too long to stage.
        { 784, 50, 13 }, { 200, 96, 32 }, { 1100, 19, 9 }, { 1100, 40, 3 }, { 600, 20, 7 }, { 784, 256, 1 }, { 256, 128, 10 },
        { 300, 2, 11 }, { 784, 33, 263 }, { 200, 40, 258 }, { 400, 20, 300 }, { 65, 18, 8 }, { 81, 7, 9 },
        // Weights over 192 KB, in groups of rows that every block of samples passes over in turn: 2 and 3 groups (4
        // in double), and groups of one panel whose last, a single row, starts in the group before.
        { 784, 100, 13 }, { 1000, 130, 9 }, { 4000, 49, 7 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardSumsEachOutputInItsOrderThenAddsTheBias(int inputs, int outputs, int batch)
    {
        var (x, w, b) = Layer<float>(inputs, outputs, batch, seed: inputs + outputs);
        var z = new float[batch * outputs];
        DenseKernels.Forward<float>(x, w, b, z, batch, inputs, outputs);
        for (int s = 0; s < batch; s++)
        {
            for (int o = 0; o < outputs; o++)
            {
                float sum = Sum(x.AsSpan(s * inputs, inputs), w.AsSpan(o * inputs, inputs));
                Assert.Equal(Bits(sum + b[o]), Bits(z[s * outputs + o]));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardInDoubleSumsInTheSameOrder(int inputs, int outputs, int batch)
    {
        var (x, w, b) = Layer<double>(inputs, outputs, batch, seed: 3);
        var z = new double[batch * outputs];
        DenseKernels.Forward<double>(x, w, b, z, batch, inputs, outputs);
        for (int s = 0; s < batch; s++)
        {
            for (int o = 0; o < outputs; o++)
            {
                double sum;
                if (inputs <= DenseKernels.MaxSequentialInputs)
                {
                    sum = 0;
                    for (int i = 0; i < inputs; i++) sum = Math.FusedMultiplyAdd(x[s * inputs + i], w[o * inputs + i], sum);
                }
                else
                {
                    var p = new double[16];
                    int end = inputs - inputs % 16;
                    for (int i = 0; i < end; i++) p[i % 16] = Math.FusedMultiplyAdd(x[s * inputs + i], w[o * inputs + i], p[i % 16]);
                    for (int i = end; i < inputs; i++) p[i - end] = Math.FusedMultiplyAdd(x[s * inputs + i], w[o * inputs + i], p[i - end]);
                    for (int half = 8; half > 0; half /= 2)
                    {
                        for (int j = 0; j < half; j++) p[j] += p[j + half];
                    }
                    sum = p[0];
                }
                Assert.Equal(BitConverter.DoubleToInt64Bits(sum + b[o]), BitConverter.DoubleToInt64Bits(z[s * outputs + o]));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ASampleAloneGivesTheSameBitsAsInABatch(int inputs, int outputs, int batch)
    {
        var (x, w, b) = Layer<float>(inputs, outputs, batch, seed: 5);
        var z = new float[batch * outputs];
        DenseKernels.Forward<float>(x, w, b, z, batch, inputs, outputs);
        var alone = new float[outputs];
        for (int s = 0; s < batch; s += Math.Max(1, batch / 3))
        {
            // From an array of its own: a row that starts elsewhere relative to a cache line.
            float[] sample = x.AsSpan(s * inputs, inputs).ToArray();
            DenseKernels.Forward<float>(sample, w, b, alone, 1, inputs, outputs);
            Assert.Equal(z.AsSpan(s * outputs, outputs).ToArray(), alone);
            if (inputs <= DenseKernels.MaxSequentialInputs) continue;
            for (int o = 0; o < outputs; o++) Assert.Equal(Bits(Kernels.Dot<float>(sample, w.AsSpan(o * inputs, inputs)) + b[o]), Bits(alone[o]));
        }
    }

    [Theory]
    [InlineData(35)]
    [InlineData(99)]
    public void SpecialValuesFollowTheSameOrder(int inputs)
    {
        // NaN, infinities, signed zeros and subnormals in the chains, the partials and the tail.
        const int outputs = 17, batch = 9;
        var (x, w, b) = Layer<float>(inputs, outputs, batch, seed: 9);
        float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, float.Epsilon, -float.Epsilon, 1e-30f, -1e30f];
        for (int k = 0; k < x.Length; k += 7) x[k] = special[k % special.Length];
        for (int k = 3; k < w.Length; k += 11) w[k] = special[k % special.Length];
        var z = new float[batch * outputs];
        DenseKernels.Forward<float>(x, w, b, z, batch, inputs, outputs);
        for (int s = 0; s < batch; s++)
        {
            for (int o = 0; o < outputs; o++)
            {
                float expected = Sum(x.AsSpan(s * inputs, inputs), w.AsSpan(o * inputs, inputs)) + b[o];
                if (float.IsNaN(expected)) Assert.True(float.IsNaN(z[s * outputs + o]));
                else Assert.Equal(Bits(expected), Bits(z[s * outputs + o]));
            }
        }
    }

    /// <summary>
    /// The documented order: up to 64 inputs one chain in input order; more, input i into partial i mod 16 (the last
    /// inputs, past the last whole 16, into partials 0, 1, …), then pairs 8 apart, 4, 2, 1.
    /// </summary>
    private static float Sum(ReadOnlySpan<float> x, ReadOnlySpan<float> w)
    {
        if (x.Length <= DenseKernels.MaxSequentialInputs)
        {
            float sum = 0;
            for (int i = 0; i < x.Length; i++) sum = MathF.FusedMultiplyAdd(x[i], w[i], sum);
            return sum;
        }
        Span<float> p = stackalloc float[16];
        p.Clear();
        int end = x.Length - x.Length % 16;
        for (int i = 0; i < end; i++) p[i % 16] = MathF.FusedMultiplyAdd(x[i], w[i], p[i % 16]);
        for (int i = end; i < x.Length; i++) p[i - end] = MathF.FusedMultiplyAdd(x[i], w[i], p[i - end]);
        for (int half = 8; half > 0; half /= 2)
        {
            for (int j = 0; j < half; j++) p[j] += p[j + half];
        }
        return p[0];
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BackwardSumsOverTheBatchAndOverTheOutputsInIndexOrder(int inputs, int outputs, int batch)
    {
        var (x, w, b) = Layer<float>(inputs, outputs, batch, seed: 9);
        var (dz, _, _) = Layer<float>(outputs, 1, batch, seed: 10);
        var gw = new float[outputs * inputs];
        var gb = new float[outputs];
        var dx = new float[batch * inputs];
        gw[0] = 0.25f; // accumulates onto what is there
        DenseKernels.Backward<float>(x, dz, w, gw, gb, dx, batch, inputs, outputs);
        for (int o = 0; o < outputs; o++)
        {
            float bias = 0;
            for (int s = 0; s < batch; s++) bias += dz[s * outputs + o];
            Assert.Equal(Bits(bias), Bits(gb[o]));
            for (int i = 0; i < inputs; i++)
            {
                float sum = o == 0 && i == 0 ? 0.25f : 0f;
                for (int s = 0; s < batch; s++) sum = MathF.FusedMultiplyAdd(dz[s * outputs + o], x[s * inputs + i], sum);
                Assert.Equal(Bits(sum), Bits(gw[o * inputs + i]));
            }
        }
        for (int s = 0; s < batch; s++)
        {
            for (int i = 0; i < inputs; i++)
            {
                float sum = 0;
                for (int o = 0; o < outputs; o++) sum = MathF.FusedMultiplyAdd(dz[s * outputs + o], w[o * inputs + i], sum);
                Assert.Equal(Bits(sum), Bits(dx[s * inputs + i]));
            }
        }
    }

    /// <summary>
    /// Shapes that reach every block of the backward kernels at every vector width: rows (outputs for the weight
    /// gradients, samples for the input gradients) in blocks of 4 and one at a time, columns (inputs) in blocks of 3
    /// vectors, single vectors and single values, in several cache tiles (785 inputs at depth 7, 131 at depth 130).
    /// </summary>
    public static TheoryData<int, int, int> BackwardShapes => new()
    {
        { 785, 13, 64 }, { 785, 50, 7 }, { 77, 6, 3 }, { 61, 7, 7 }, { 100, 9, 1 }, { 50, 10, 64 }, { 19, 3, 1 },
        { 131, 130, 7 }, { 48, 4, 4 }, { 24, 8, 3 }, { 256, 128, 32 }, { 1, 5, 3 },
    };

    [Theory]
    [MemberData(nameof(BackwardShapes))]
    public void BackwardBlocksKeepTheIndexOrderInFloat(int inputs, int outputs, int batch) =>
        CheckBackward<float>(inputs, outputs, batch, MathF.FusedMultiplyAdd, (a, b) => a + b, v => BitConverter.SingleToInt32Bits(v));

    [Theory]
    [MemberData(nameof(BackwardShapes))]
    public void BackwardBlocksKeepTheIndexOrderInDouble(int inputs, int outputs, int batch) =>
        CheckBackward<double>(inputs, outputs, batch, Math.FusedMultiplyAdd, (a, b) => a + b, BitConverter.DoubleToInt64Bits);

    /// <summary>Backward against plain loops in index order, onto gradients that already hold values (they accumulate).</summary>
    private static void CheckBackward<T>(int inputs, int outputs, int batch, Func<T, T, T, T> fma, Func<T, T, T> add, Func<T, long> bits)
        where T : unmanaged
    {
        var (x, w, _) = Layer<T>(inputs, outputs, batch, seed: inputs * 31 + outputs * 7 + batch);
        var (dz, gw, _) = Layer<T>(outputs, inputs, batch, seed: inputs + 1000);
        var gb = Layer<T>(1, outputs, 1, seed: outputs + 2000).B;
        var gwBefore = (T[])gw.Clone();
        var gbBefore = (T[])gb.Clone();
        var dx = new T[batch * inputs];
        DenseKernels.Backward<T>(x, dz, w, gw, gb, dx, batch, inputs, outputs);
        for (int o = 0; o < outputs; o++)
        {
            T bias = gbBefore[o];
            for (int s = 0; s < batch; s++) bias = add(bias, dz[s * outputs + o]);
            Assert.Equal(bits(bias), bits(gb[o]));
            for (int i = 0; i < inputs; i++)
            {
                T sum = gwBefore[o * inputs + i];
                for (int s = 0; s < batch; s++) sum = fma(dz[s * outputs + o], x[s * inputs + i], sum);
                Assert.Equal(bits(sum), bits(gw[o * inputs + i]));
            }
        }
        for (int s = 0; s < batch; s++)
        {
            for (int i = 0; i < inputs; i++)
            {
                T sum = default;
                for (int o = 0; o < outputs; o++) sum = fma(dz[s * outputs + o], w[o * inputs + i], sum);
                Assert.Equal(bits(sum), bits(dx[s * inputs + i]));
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    [InlineData(1001)]
    public void SgdMultipliesThenAddsAsTheScalarRuleOnEveryPath(int n)
    {
        var (p, g, _) = Layer<float>(n, 2, 1, seed: n + 77);
        var expected = (float[])p.Clone();
        for (int i = 0; i < n; i++)
        {
            float decayed = 0.25f * expected[i] + g[i];
            expected[i] -= 0.125f * decayed;
        }
        OptimizerKernels.Sgd<float>(p, g.AsSpan(0, n), 0.125f, 0.25f);
        for (int i = 0; i < n; i++) Assert.Equal(Bits(expected[i]), Bits(p[i]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(31)]
    [InlineData(96)]
    [InlineData(257)]
    public void DotSumsSixteenInterleavedPartialsThenPairwise(int n)
    {
        var (x, y, _) = Layer<float>(n, 1, 1, seed: n);
        var partial = new float[16];
        for (int i = 0; i < n; i++) partial[i % 16] = MathF.FusedMultiplyAdd(x[i], y[i], partial[i % 16]);
        for (int half = 8; half > 0; half /= 2)
        {
            for (int j = 0; j < half; j++) partial[j] += partial[j + half];
        }
        Assert.Equal(Bits(partial[0]), Bits(Kernels.Dot<float>(x, y)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(37)]
    [InlineData(1000)]
    public void ReluIsTheComparisonValueByValueAndTheVectorSigmoidAndTanhMatchTheScalarOnes(int n)
    {
        var (x, _, _) = Layer<float>(n, 1, 1, seed: n + 5);
        for (int i = 0; i < n; i++) x[i] *= 40;
        // NaN, both zeros, infinities and subnormals where the vectors and the last values fall.
        float[] edges = { float.NaN, -0f, 0f, float.PositiveInfinity, float.NegativeInfinity, 1e-40f, -1e-40f };
        for (int i = 0; i < n; i++) if (i % 7 == 3 || i == n - 1) x[i] = edges[i % edges.Length];
        var relu = new float[n];
        Kernels.Relu<float>(x, relu);
        var sigmoid = (float[])x.Clone();
        NeuralMath.Sigmoid(sigmoid.AsSpan());
        var tanh = (float[])x.Clone();
        NeuralMath.Tanh(tanh.AsSpan());
        var doubles = Array.ConvertAll(x, v => (double)v);
        var reluDouble = new double[n];
        Kernels.Relu<double>(doubles, reluDouble);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(Bits(x[i] > 0f ? x[i] : 0f), Bits(relu[i]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(doubles[i] > 0d ? doubles[i] : 0d), BitConverter.DoubleToInt64Bits(reluDouble[i]));
            Assert.Equal(Bits(1f / (1f + NeuralMath.Exp(-x[i]))), Bits(sigmoid[i]));
            Assert.Equal(Bits(NeuralMath.Tanh(x[i])), Bits(tanh[i]));
        }
        if (n > 0) Assert.Throws<ArgumentException>("y", () => Kernels.Relu<float>(x, new float[n - 1]));
    }

    [Fact]
    public void WrongLengthsNameTheExpectedSize()
    {
        var e = Assert.Throws<ArgumentException>(() => DenseKernels.Forward<float>(new float[10], new float[199], new float[20], new float[20], 1, 10, 20));
        Assert.Contains("200", e.Message);
        e = Assert.Throws<ArgumentException>(() => DenseKernels.Forward<float>(new float[10], new float[200], new float[20], new float[19], 1, 10, 20));
        Assert.Contains("20", e.Message);
        e = Assert.Throws<ArgumentException>(() => DenseKernels.Forward<float>(new float[9], new float[200], new float[20], new float[20], 1, 10, 20));
        Assert.Contains("10", e.Message);
    }

    private static int Bits(float value) => BitConverter.SingleToInt32Bits(value);

    /// <summary>Inputs, weights and biases with values of mixed sign and magnitude, so that the order of a sum shows in its bits.</summary>
    private static (T[] X, T[] W, T[] B) Layer<T>(int inputs, int outputs, int batch, int seed)
    {
        var random = new DeterministicRandom(seed);
        T Next() => (T)(object)(typeof(T) == typeof(float) ? (object)(float)((random.NextDouble() - 0.5) * Math.Pow(2, random.NextInt32(12) - 6)) : (random.NextDouble() - 0.5) * Math.Pow(2, random.NextInt32(40) - 20));
        var x = new T[batch * inputs];
        var w = new T[outputs * inputs];
        var b = new T[outputs];
        for (int i = 0; i < x.Length; i++) x[i] = Next();
        for (int i = 0; i < w.Length; i++) w[i] = Next();
        for (int i = 0; i < b.Length; i++) b[i] = Next();
        return (x, w, b);
    }
}
