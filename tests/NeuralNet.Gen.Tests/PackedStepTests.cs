using System;
using NeuralNet.Gen;
using NeuralNet.Gen.Tests.Conv1D;
using static NeuralNet.Gen.Activation;
using Xunit;

namespace NeuralNet.Gen.Tests;

[Network(Seed = 11)]
[Input(7, 3)]
[GRU(13, ReturnSequences = true)]
[Dense(5, Sigmoid)]
[Dense(3, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class StreamWideGruNet { }

[Network(Seed = 12)]
[Input(7, 3)]
[LSTM(9, ReturnSequences = true)]
[Dense(17, Tanh)]
[Dense(2, Relu)]
public partial class StreamWideLstmNet { }

[Network(Precision = Precision.Double, Seed = 13)]
[Input(7, 3)]
[Conv1D(6, 2, Sigmoid, Padding = Padding.Causal)]
[LSTM(5)]
[Dense(3, Tanh)]
public partial class StreamDoubleLstmNet { }

// Straight-line Step (every layer small, activations the kernels apply): a GRU of 13 units (a last vector of 5), a
// Dense of two vectors, a ring of 3 channels (copied value by value); in double (4 per vector) a one-tap convolution.
[Network(Seed = 14)]
[Input(9, 3)]
[Conv1D(5, 2, Tanh, Padding = Padding.Causal, Dilation = 3)]
[GRU(13, ReturnSequences = true)]
[Dense(11, Sigmoid)]
public partial class StreamLanesNet { }

[Network(Precision = Precision.Double, Seed = 15)]
[Input(6, 2)]
[Dense(5, Tanh)]
[Conv1D(3, 1, Sigmoid, Padding = Padding.Causal)]
[GRU(6, ReturnSequences = true)]
[Dense(2)]
public partial class StreamLanesDoubleNet { }

/// <summary>
/// Step on packed weights (StepKernels): row widths that are not whole vectors (13 units, 39 gate rows, 17 outputs),
/// every vectorised activation and cell, float and double, equal Forward bit for bit; and the packed weights follow
/// every change of the parameters.
/// </summary>
public class PackedStepTests
{
    [Fact]
    public void Step_equals_Forward_rows_for_rows_that_are_not_whole_vectors()
    {
        var gru = new StreamWideGruNet();
        AssertStepEqualsForward(StreamWideGruNet.InputSize, StreamWideGruNet.OutputSize, 3, (x, y) => gru.Forward(x, y), gru.ResetState, (x, y) => gru.Step(x, y), 21);
        var lstm = new StreamWideLstmNet();
        AssertStepEqualsForward(StreamWideLstmNet.InputSize, StreamWideLstmNet.OutputSize, 3, (x, y) => lstm.Forward(x, y), lstm.ResetState, (x, y) => lstm.Step(x, y), 22);
    }

    [Fact]
    public void Straight_line_Step_equals_Forward_past_the_declared_steps_and_after_ResetState()
    {
        var net = new StreamLanesNet();
        for (int pass = 0; pass < 2; pass++)
        {
            AssertStepEqualsForward(StreamLanesNet.InputSize, StreamLanesNet.OutputSize, 3, (x, y) => net.Forward(x, y), net.ResetState, (x, y) => net.Step(x, y), 25 + pass);
            // Past the declared steps: the ring and the state keep going (the next call resets them).
            var row = new float[11];
            for (int t = 0; t < 20; t++) net.Step(new float[] { 0.1f * t, -0.2f, 0.3f }, row);
            Assert.All(row, v => Assert.True(v > 0f && v < 1f));
        }

        var d = new StreamLanesDoubleNet();
        var random = new DeterministicRandom(27);
        var x = new double[StreamLanesDoubleNet.InputSize];
        for (int i = 0; i < x.Length; i++) x[i] = random.NextDouble(-2, 2);
        var expected = new double[StreamLanesDoubleNet.OutputSize];
        d.Forward(x, expected);
        var y = new double[2];
        for (int pass = 0; pass < 2; pass++)
        {
            d.ResetState();
            for (int t = 0; t < 6; t++)
            {
                d.Step(x.AsSpan(t * 2, 2), y);
                Assert.Equal(expected.AsSpan(t * 2, 2).ToArray(), y);
            }
        }
    }

    [Fact]
    public void Step_in_double_with_a_vector_output_equals_Forward()
    {
        var net = new StreamDoubleLstmNet();
        var random = new DeterministicRandom(23);
        var x = new double[StreamDoubleLstmNet.InputSize];
        for (int i = 0; i < x.Length; i++) x[i] = random.NextDouble(-2, 2);
        var expected = new double[3];
        net.Forward(x, expected);
        var y = new double[3];
        for (int t = 0; t < 7; t++) net.Step(x.AsSpan(t * 3, 3), y);
        Assert.Equal(expected, y);
    }

    [Fact]
    public void Writing_the_parameters_mid_stream_reaches_the_next_Step()
    {
        var changed = new StreamConvNet();
        var twin = new StreamConvNet();
        var rows = new float[] { 0.3f, -0.7f, 0.9f, 0.1f };
        var a = new float[1];
        var b = new float[1];
        for (int t = 0; t < 3; t++)
        {
            changed.Step(rows.AsSpan(t, 1), a);
            twin.Step(rows.AsSpan(t, 1), b);
        }
        Assert.Equal(b, a);
        // The output layer's bias (the last parameter) up by one: the next output moves by one.
        changed.Parameters[StreamConvNet.ParameterCount - 1] += 1f;
        changed.Step(rows.AsSpan(3, 1), a);
        twin.Step(rows.AsSpan(3, 1), b);
        Assert.Equal(b[0] + 1f, a[0], 5);
    }

    [Fact]
    public void Training_and_reinitialising_reach_the_next_Step()
    {
        var net = new StreamConvNet();
        var x = new float[StreamConvNet.InputSize];
        var random = new DeterministicRandom(24);
        for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble(-1, 1);
        var y = new float[1];
        net.Step(x.AsSpan(0, 1), y);
        var targets = new float[StreamConvNet.OutputSize];
        net.TrainStep(x, targets, 1);
        AssertStreamEqualsForward(net, x);
        net.InitializeParameters(99);
        AssertStreamEqualsForward(net, x);
    }

    private static void AssertStreamEqualsForward(StreamConvNet net, float[] x)
    {
        var expected = new float[StreamConvNet.OutputSize];
        net.Forward(x, expected);
        var row = new float[1];
        // No ResetState's help in packing: zero the stream by the public route only after the parameters changed.
        net.ResetState();
        for (int t = 0; t < 16; t++)
        {
            net.Step(x.AsSpan(t, 1), row);
            Assert.Equal(expected[t], row[0]);
        }
    }

    private static void AssertStepEqualsForward(int inputSize, int outputSize, int features, Action<float[], float[]> forward, Action reset,
        StepCall step, int seed)
    {
        var random = new DeterministicRandom(seed);
        var x = new float[inputSize];
        for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble(-3, 3);
        var expected = new float[outputSize];
        forward(x, expected);
        int steps = inputSize / features, units = outputSize / steps;
        var row = new float[units];
        reset();
        for (int t = 0; t < steps; t++)
        {
            step(x.AsSpan(t * features, features), row);
            Assert.Equal(expected.AsSpan(t * units, units).ToArray(), row);
        }
    }

    private delegate void StepCall(ReadOnlySpan<float> input, Span<float> output);
}
