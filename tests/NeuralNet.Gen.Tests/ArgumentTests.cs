using System;
using Xunit;

namespace NeuralNet.Gen.Tests;

/// <summary>Wrong span lengths and batch sizes throw ArgumentException naming the expected size, before anything is written.</summary>
public class ArgumentTests
{
    private readonly CirclesNet _net = new();

    [Fact]
    public void Forward_input_of_the_wrong_length()
    {
        var output = Sentinel(1);
        var e = Assert.Throws<ArgumentException>(() => _net.Forward(new float[3], output));
        Assert.Equal("input", e.ParamName);
        Assert.Contains("length 2", e.Message);
        Assert.Contains("InputSize", e.Message);
        AssertSentinel(output);
    }

    [Fact]
    public void Forward_output_of_the_wrong_length()
    {
        var output = Sentinel(2);
        var e = Assert.Throws<ArgumentException>(() => _net.Forward(new float[2], output));
        Assert.Equal("output", e.ParamName);
        Assert.Contains("length 1", e.Message);
        AssertSentinel(output);
    }

    [Fact]
    public void Static_Forward_parameters_of_the_wrong_length()
    {
        var output = Sentinel(1);
        var e = Assert.Throws<ArgumentException>(() => CirclesNet.Forward(new float[CirclesNet.ParameterCount - 1], new float[2], output));
        Assert.Equal("parameters", e.ParamName);
        Assert.Contains($"length {CirclesNet.ParameterCount}", e.Message);
        AssertSentinel(output);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Batch_Forward_with_a_non_positive_batch_size(int batchSize)
    {
        var outputs = Sentinel(4);
        var e = Assert.ThrowsAny<ArgumentException>(() => _net.Forward(new float[8], outputs, batchSize));
        Assert.Equal("batchSize", e.ParamName);
        AssertSentinel(outputs);
    }

    [Fact]
    public void Batch_Forward_inputs_not_batch_times_InputSize()
    {
        var outputs = Sentinel(4);
        var e = Assert.Throws<ArgumentException>(() => _net.Forward(new float[7], outputs, 4));
        Assert.Equal("inputs", e.ParamName);
        Assert.Contains("length 8", e.Message);
        AssertSentinel(outputs);
    }

    [Fact]
    public void Batch_Forward_outputs_not_batch_times_OutputSize()
    {
        var outputs = Sentinel(3);
        var e = Assert.Throws<ArgumentException>(() => _net.Forward(new float[8], outputs, 4));
        Assert.Equal("outputs", e.ParamName);
        Assert.Contains("length 4", e.Message);
        AssertSentinel(outputs);
    }

    public static TheoryData<string> TrainingMethods => new() { "ComputeLoss", "ComputeGradients", "TrainStep" };

    [Theory]
    [MemberData(nameof(TrainingMethods))]
    public void Training_methods_check_inputs_targets_and_batch_size(string method)
    {
        Func<float[], float[], int, float> call = method switch
        {
            "ComputeLoss" => (x, t, b) => _net.ComputeLoss(x, t, b),
            "ComputeGradients" => (x, t, b) => _net.ComputeGradients(x, t, b),
            _ => (x, t, b) => _net.TrainStep(x, t, b),
        };
        _net.ComputeGradients(new float[] { 0.5f, -0.5f }, new float[] { 1 }, 1);
        var parameters = _net.Parameters.ToArray();
        var gradients = _net.Gradients.ToArray();

        var e = Assert.Throws<ArgumentException>(() => call(new float[5], new float[2], 2));
        Assert.Equal("inputs", e.ParamName);
        Assert.Contains("length 4", e.Message);
        e = Assert.Throws<ArgumentException>(() => call(new float[4], new float[3], 2));
        Assert.Equal("targets", e.ParamName);
        Assert.Contains("length 2", e.Message);
        e = Assert.ThrowsAny<ArgumentException>(() => call(new float[4], new float[2], 0));
        Assert.Equal("batchSize", e.ParamName);
        e = Assert.ThrowsAny<ArgumentException>(() => call(Array.Empty<float>(), Array.Empty<float>(), -1));
        Assert.Equal("batchSize", e.ParamName);

        Assert.Equal(parameters, _net.Parameters.ToArray());
        Assert.Equal(gradients, _net.Gradients.ToArray());
    }

    private static float[] Sentinel(int length)
    {
        var values = new float[length];
        Array.Fill(values, 42.5f);
        return values;
    }

    private static void AssertSentinel(float[] values) => Assert.All(values, v => Assert.Equal(42.5f, v));
}
