using System;
using NeuralNet.Gen;
using Xunit;

namespace NeuralNet.Gen.Tests;

/// <summary>
/// The one-call layer kernels of a generated Step (StepKernels.Project with an activation, CausalConvolution, Gru)
/// against the separate kernels they replace (Project, Tanh/Sigmoid, Window, GruCell): the same bits, for sizes that
/// are and are not whole vectors, float and double; and their argument checks.
/// </summary>
public class StepKernelTests
{
    [Theory]
    [InlineData(1, 8, Activation.Tanh)]
    [InlineData(5, 13, Activation.Sigmoid)]
    [InlineData(17, 3, Activation.Linear)]
    [InlineData(9, 33, Activation.Tanh)]
    public void Project_with_an_activation_equals_Project_then_the_activation(int inputs, int outputs, Activation activation)
    {
        Projects<float>(inputs, outputs, activation, 1);
        Projects<double>(inputs, outputs, activation, 2);
    }

    private static void Projects<T>(int inputs, int outputs, Activation activation, int seed) where T : unmanaged
    {
        var random = new DeterministicRandom(seed);
        var packed = Packed<T>(random, inputs, outputs);
        var x = Values<T>(random, inputs, 2);
        var expected = new T[StepKernels.Padded(outputs)];
        StepKernels.Project<T>(packed, x, expected, inputs, outputs);
        if (activation == Activation.Tanh) StepKernels.Tanh<T>(expected, outputs);
        if (activation == Activation.Sigmoid) StepKernels.Sigmoid<T>(expected, outputs);
        var actual = new T[StepKernels.Padded(outputs)];
        StepKernels.Project<T>(packed, x, actual, inputs, outputs, activation);
        Assert.Equal(expected.AsSpan(0, outputs).ToArray(), actual.AsSpan(0, outputs).ToArray());
    }

    [Theory]
    [InlineData(8, 3, 2, 4)]
    [InlineData(3, 2, 1, 7)]
    [InlineData(5, 4, 3, 17)]
    [InlineData(2, 1, 1, 3)]
    public void CausalConvolution_equals_Window_then_Project(int channels, int kernelSize, int dilation, int filters)
    {
        Convolves<float>(channels, kernelSize, dilation, filters, Activation.Tanh, 3);
        Convolves<double>(channels, kernelSize, dilation, filters, Activation.Sigmoid, 4);
    }

    private static void Convolves<T>(int channels, int kernelSize, int dilation, int filters, Activation activation, int seed) where T : unmanaged
    {
        var random = new DeterministicRandom(seed);
        int window = channels * kernelSize, rows = dilation * (kernelSize - 1);
        var packed = Packed<T>(random, window, filters);
        var ringA = new T[rows * channels];
        var ringB = new T[rows * channels];
        var windowRow = new T[window];
        var expected = new T[StepKernels.Padded(filters)];
        var actual = new T[StepKernels.Padded(filters)];
        int oldestA = 0, oldestB = 0;
        // More steps than the ring has rows, so the taps wrap around it.
        for (int t = 0; t < 3 * rows + 5; t++)
        {
            var x = Values<T>(random, channels, 1.5);
            if (rows > 0) oldestA = StepKernels.Window<T>(ringA, oldestA, x, windowRow, kernelSize, dilation);
            StepKernels.Project<T>(packed, rows > 0 ? windowRow : x, expected, window, filters);
            if (activation == Activation.Tanh) StepKernels.Tanh<T>(expected, filters);
            if (activation == Activation.Sigmoid) StepKernels.Sigmoid<T>(expected, filters);
            oldestB = StepKernels.CausalConvolution<T>(packed, ringB, oldestB, x, actual, kernelSize, dilation, filters, activation);
            Assert.Equal(oldestA, oldestB);
            Assert.Equal(ringA, ringB);
            Assert.Equal(expected.AsSpan(0, filters).ToArray(), actual.AsSpan(0, filters).ToArray());
        }
    }

    [Theory]
    [InlineData(4, 8)]
    [InlineData(3, 13)]
    [InlineData(1, 1)]
    [InlineData(7, 20)]
    public void Gru_equals_two_projections_then_GruCell(int inputs, int units)
    {
        Recurs<float>(inputs, units, 5);
        Recurs<double>(inputs, units, 6);
    }

    private static void Recurs<T>(int inputs, int units, int seed) where T : unmanaged
    {
        var random = new DeterministicRandom(seed);
        int rows = 3 * units;
        var wih = Values<T>(random, rows * inputs, 0.8);
        var whh = Values<T>(random, rows * units, 0.8);
        var bih = Values<T>(random, rows, 0.5);
        var bhh = Values<T>(random, rows, 0.5);
        var packedInput = new T[StepKernels.PackedLength(inputs, rows)];
        var packedRecurrent = new T[StepKernels.PackedLength(units, rows)];
        StepKernels.Pack<T>(wih, bih, packedInput, inputs, rows);
        StepKernels.Pack<T>(whh, bhh, packedRecurrent, units, rows);
        var gatesInput = new T[StepKernels.PackedGatesLength(inputs, units, 3)];
        var gatesRecurrent = new T[StepKernels.PackedGatesLength(units, units, 3)];
        StepKernels.PackGates<T>(wih, bih, gatesInput, inputs, units, 3);
        StepKernels.PackGates<T>(whh, bhh, gatesRecurrent, units, units, 3);
        var sx = new T[StepKernels.Padded(rows)];
        var sr = new T[StepKernels.Padded(rows)];
        var expected = new T[units];
        var actual = new T[units];
        var work = new T[StepKernels.Padded(units)];
        for (int t = 0; t < 6; t++)
        {
            var x = Values<T>(random, inputs, 2);
            StepKernels.Project<T>(packedInput, x, sx, inputs, rows);
            StepKernels.Project<T>(packedRecurrent, expected, sr, units, rows);
            StepKernels.GruCell<T>(sx, sr, expected, units, units);
            StepKernels.Gru<T>(gatesInput, gatesRecurrent, x, actual, work, units);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Tanh_gives_the_scalar_bits_in_every_lane_on_both_sides_of_its_branches()
    {
        var random = new DeterministicRandom(8);
        int lanes = System.Numerics.Vector<float>.Count;
        var values = new float[lanes];
        // The float Tanh's branches: x itself below 2^-12, the polynomial below 0.3, exp's reduction up to 9.1, then ±1.
        var specials = new[] { 0f, -0f, 1e-5f, -3e-4f, 0.29999998f, 0.3f, -0.3f, 0.30000001f, 9.1f, -9.100001f, 20f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0.5f, -0.75f };
        for (int round = 0; round < 200; round++)
        {
            for (int i = 0; i < lanes; i++) values[i] = round < specials.Length && i == 0 ? specials[round] : (float)(random.NextDouble(-1, 1) * (1 << (round % 5)) * 0.6);
            var tanh = StepKernels.Tanh(new System.Numerics.Vector<float>(values));
            for (int i = 0; i < lanes; i++) Assert.Equal(BitConverter.SingleToInt32Bits(NeuralMath.Tanh(values[i])), BitConverter.SingleToInt32Bits(tanh[i]));
        }
    }

    [Fact]
    public void Wrong_lengths_throw_naming_the_expected_size_and_leave_the_state_unchanged()
    {
        var packed = new float[StepKernels.PackedLength(24, 4)];
        var ring = new float[32];
        ring[5] = 0.25f;
        var output = new float[16];
        var e = Assert.Throws<ArgumentException>(() => StepKernels.CausalConvolution<float>(packed, new float[31], 0, new float[8], output, 3, 2, 4, Activation.Tanh));
        Assert.Contains("Expected 32 history values", e.Message);
        e = Assert.Throws<ArgumentException>(() => StepKernels.CausalConvolution<float>(packed.AsSpan(1), ring, 0, new float[8], output, 3, 2, 4, Activation.Tanh));
        Assert.Contains($"Expected {packed.Length} packed values", e.Message);
        e = Assert.Throws<ArgumentException>(() => StepKernels.CausalConvolution<float>(packed, ring, 0, new float[8], new float[4], 3, 2, 4, Activation.Tanh));
        Assert.Contains("Expected 16 outputs", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => StepKernels.CausalConvolution<float>(packed, ring, 4, new float[8], output, 3, 2, 4, Activation.Tanh));
        Assert.Throws<ArgumentOutOfRangeException>(() => StepKernels.CausalConvolution<float>(packed, ring, 0, new float[8], output, 3, 2, 4, Activation.Relu));
        Assert.Equal(0.25f, ring[5]);
        Assert.All(ring.AsSpan(0, 5).ToArray(), v => Assert.Equal(0f, v));

        e = Assert.Throws<ArgumentException>(() => StepKernels.Project<float>(new float[32], new float[1], new float[8], 1, 8, Activation.Tanh));
        Assert.Contains("Expected 16 outputs", e.Message);

        var state = new float[8];
        state[3] = 0.5f;
        var gatesInput = new float[StepKernels.PackedGatesLength(4, 8, 3)];
        var gatesRecurrent = new float[StepKernels.PackedGatesLength(8, 8, 3)];
        e = Assert.Throws<ArgumentException>(() => StepKernels.Gru<float>(gatesInput, gatesRecurrent, new float[5], state, new float[16], 8));
        Assert.Contains($"Expected {StepKernels.PackedGatesLength(5, 8, 3)} packed input weights", e.Message);
        e = Assert.Throws<ArgumentException>(() => StepKernels.Gru<float>(gatesInput, gatesRecurrent.AsSpan(1), new float[4], state, new float[16], 8));
        Assert.Contains($"Expected {gatesRecurrent.Length} packed recurrent weights", e.Message);
        e = Assert.Throws<ArgumentException>(() => StepKernels.Gru<float>(gatesInput, gatesRecurrent, new float[4], state, new float[8], 8));
        Assert.Contains("Expected 16 work values", e.Message);
        Assert.Equal(0.5f, state[3]);
        e = Assert.Throws<ArgumentException>(() => StepKernels.PackGates<float>(new float[95], new float[24], gatesInput, 4, 8, 3));
        Assert.Contains("Expected 96 weights", e.Message);
    }

    private static T[] Packed<T>(DeterministicRandom random, int inputs, int outputs) where T : unmanaged
    {
        var packed = new T[StepKernels.PackedLength(inputs, outputs)];
        StepKernels.Pack<T>(Values<T>(random, inputs * outputs, 0.9), Values<T>(random, outputs, 0.5), packed, inputs, outputs);
        return packed;
    }

    private static T[] Values<T>(DeterministicRandom random, int count, double range) where T : unmanaged
    {
        var values = new T[count];
        for (int i = 0; i < count; i++)
        {
            double v = random.NextDouble(-range, range);
            values[i] = typeof(T) == typeof(float) ? (T)(object)(float)v : (T)(object)v;
        }
        return values;
    }
}
