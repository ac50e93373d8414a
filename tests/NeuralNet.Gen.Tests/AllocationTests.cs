using System;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Tests;

/// <summary>After the first call at a given batch size, the generated methods allocate nothing.</summary>
public class AllocationTests(ITestOutputHelper output)
{
    private const int Calls = 20;
    private const int BatchSize = 4;

    [Fact] public void Small_unrolled_network() => MeasureTrainable(new CirclesNet(), CirclesNet.Forward);
    [Fact] public void Loop_network() => MeasureTrainable(new Mnist50Net(), Mnist50Net.Forward);
    [Fact] public void Large_loop_network_784_256_128_10() => MeasureTrainable(new Fashion256Net(), Fashion256Net.Forward);
    [Fact] public void Double_precision_network() => MeasureTrainable(new CirclesDoubleNet());

    [Fact]
    public void Inference_only_network()
    {
        var net = new InferenceOnlyNet();
        MeasureForward(net, InferenceOnlyNet.Forward);
    }

    [Fact]
    public void Thread_static_inference_scratch_is_allocated_once()
    {
        var net = new WideNet();
        MeasureForward(net, WideNet.Forward);
    }

    private void MeasureTrainable<TNet>(TNet net, StaticForward forward) where TNet : ITrainableNetwork<float>
    {
        var inputs = Fill(BatchSize * net.InputSize, 1);
        var targets = new float[BatchSize * net.OutputSize];
        for (int b = 0; b < BatchSize; b++) targets[b * net.OutputSize + b % net.OutputSize] = 1;
        Assert.Equal(0, Measure("ComputeLoss", () => net.ComputeLoss(inputs, targets, BatchSize)));
        Assert.Equal(0, Measure("ComputeGradients", () => net.ComputeGradients(inputs, targets, BatchSize)));
        Assert.Equal(0, Measure("TrainStep", () => net.TrainStep(inputs, targets, BatchSize)));
        MeasureForwardCore(net, forward);
    }

    private void MeasureTrainable(CirclesDoubleNet net)
    {
        var inputs = new double[BatchSize * CirclesDoubleNet.InputSize];
        var targets = new double[BatchSize];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = i * 0.25 - 1;
        targets[1] = targets[2] = 1;
        var output1 = new double[1];
        var outputs = new double[BatchSize];
        Assert.Equal(0, Measure("ComputeLoss", () => net.ComputeLoss(inputs, targets, BatchSize)));
        Assert.Equal(0, Measure("ComputeGradients", () => net.ComputeGradients(inputs, targets, BatchSize)));
        Assert.Equal(0, Measure("TrainStep", () => net.TrainStep(inputs, targets, BatchSize)));
        Assert.Equal(0, Measure("Forward", () => net.Forward(inputs.AsSpan(0, 2), output1)));
        Assert.Equal(0, Measure("Forward (batch)", () => net.Forward(inputs, outputs, BatchSize)));
        var parameters = net.Parameters.ToArray();
        Assert.Equal(0, Measure("Forward (static)", () => CirclesDoubleNet.Forward(parameters, inputs.AsSpan(0, 2), output1)));
    }

    private void MeasureForward<TNet>(TNet net, StaticForward forward) where TNet : INetwork<float> => MeasureForwardCore(net, forward);

    public delegate void StaticForward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output);

    private void MeasureForwardCore(INetwork<float> net, StaticForward? forward)
    {
        var inputs = Fill(BatchSize * net.InputSize, 2);
        var output1 = new float[net.OutputSize];
        var outputs = new float[BatchSize * net.OutputSize];
        var parameters = net.Parameters.ToArray();
        Assert.Equal(0, Measure("Forward", () => net.Forward(inputs.AsSpan(0, net.InputSize), output1)));
        Assert.Equal(0, Measure("Forward (batch)", () => net.Forward(inputs, outputs, BatchSize)));
        if (forward is not null)
        {
            Assert.Equal(0, Measure("Forward (static)", () => forward(parameters, inputs.AsSpan(0, net.InputSize), output1)));
        }
    }

    /// <summary>Bytes allocated on this thread by <see cref="Calls"/> warmed-up calls.</summary>
    private long Measure(string name, Action call)
    {
        long allocated = Allocations.Steady(call, Calls);
        output.WriteLine($"{name}: {allocated / (double)Calls} bytes per call");
        return allocated;
    }

    private static float[] Fill(int length, int salt)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = ((i * 7 + salt) % 13) / 13f - 0.5f;
        return values;
    }
}
