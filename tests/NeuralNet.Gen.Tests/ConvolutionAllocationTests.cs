using System;
using System.Threading.Tasks;
using NeuralNet.Gen.Tests.Convolution;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Tests;

/// <summary>Convolutional networks allocate nothing after the first call at a batch size, and their memory budget is exact.</summary>
public class ConvolutionAllocationTests(ITestOutputHelper output)
{
    private const int BatchSize = 4;
    private const int ArrayHeader = 24;

    [Fact] public void Small_cnn_stack_scratch() => MeasureTrainable(new SmallCnn(), SmallCnn.Forward);
    [Fact] public void Fashion_cnn_thread_static_scratch() => MeasureTrainable(new FashionCnn(), FashionCnn.Forward);

    [Fact]
    public void Inference_only_cnn()
    {
        var net = new InferenceCnn();
        MeasureForward(net, InferenceCnn.Forward);
    }

    [Fact]
    public void First_batch_call_allocates_the_batch_budget()
    {
        var x = new float[BatchSize * SmallCnn.InputSize];
        var t = new float[BatchSize * SmallCnn.OutputSize];
        for (int b = 0; b < BatchSize; b++) t[b * SmallCnn.OutputSize + b] = 1;
        long first = Allocations.FirstCall(() => new SmallCnn(), net => net.ComputeGradients(x, t, BatchSize));
        long budget = (long)BatchSize * SmallCnn.BatchBytesPerSample + SmallCnn.BatchWorkspaceBytes;
        Assert.True(SmallCnn.BatchWorkspaceBytes > 0);
        // Two arrays: the values (with the workspace) and the max-pool indices.
        Assert.InRange(first - budget, 0, 2 * (ArrayHeader + 8));
        Assert.Equal(SmallCnn.ParameterCount * sizeof(float) * 4, SmallCnn.InstanceBytes);
    }

    [Fact]
    public void Construction_allocates_the_instance_budget_plus_headers()
    {
        long bytes = Allocations.Steady(() => GC.KeepAlive(new SmallCnn()));
        // Parameters, gradients and Adam's two moments; the batch buffers wait for the first batch call.
        Assert.InRange(bytes - SmallCnn.InstanceBytes, 0, 8 * ArrayHeader + 128 + MemoryBudgetTests.AlignedParameters);
    }

    [Fact]
    public void Thread_static_scratch_is_the_activation_budget()
    {
        Assert.True(FashionCnn.ActivationBytesPerSample > 16 * 1024);
        var net = new FashionCnn();
        var x = new float[FashionCnn.InputSize];
        var y = new float[FashionCnn.OutputSize];
        long first = Allocations.FirstCallOnNewThread(() => net.Forward(x, y));
        output.WriteLine($"first Forward on a new thread: {first} bytes, budget {FashionCnn.ActivationBytesPerSample}");
        // Beyond the one array: the runtime's first thread-static storage for a new thread (a few hundred bytes).
        Assert.InRange(first - FashionCnn.ActivationBytesPerSample, 0, ArrayHeader + 8 + 512);
    }

    [Fact]
    public void Forward_is_thread_safe()
    {
        var net = new FashionCnn();
        const int samples = 16;
        var random = new DeterministicRandom(4);
        var x = new float[samples * FashionCnn.InputSize];
        for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble();
        var expected = new float[samples * FashionCnn.OutputSize];
        net.Forward(x, expected, samples);
        var actual = new float[samples * 8 * FashionCnn.OutputSize];
        Parallel.For(0, samples * 8, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            int s = i % samples;
            net.Forward(x.AsSpan(s * FashionCnn.InputSize, FashionCnn.InputSize), actual.AsSpan(i * FashionCnn.OutputSize, FashionCnn.OutputSize));
        });
        for (int i = 0; i < samples * 8; i++)
        {
            Assert.Equal(expected.AsSpan((i % samples) * FashionCnn.OutputSize, FashionCnn.OutputSize).ToArray(), actual.AsSpan(i * FashionCnn.OutputSize, FashionCnn.OutputSize).ToArray());
        }
    }

    private void MeasureTrainable<TNet>(TNet net, AllocationTests.StaticForward forward) where TNet : ITrainableNetwork<float>
    {
        var inputs = Fill(BatchSize * net.InputSize, 1);
        var targets = new float[BatchSize * net.OutputSize];
        for (int b = 0; b < BatchSize; b++) targets[b * net.OutputSize + b % net.OutputSize] = 1;
        Assert.Equal(0, Measure("ComputeLoss", () => net.ComputeLoss(inputs, targets, BatchSize)));
        Assert.Equal(0, Measure("ComputeGradients", () => net.ComputeGradients(inputs, targets, BatchSize)));
        Assert.Equal(0, Measure("TrainStep", () => net.TrainStep(inputs, targets, BatchSize)));
        Assert.Equal(0, Measure("TrainStep (smaller batch)", () => net.TrainStep(inputs.AsSpan(0, 2 * net.InputSize), targets.AsSpan(0, 2 * net.OutputSize), 2)));
        MeasureForward(net, forward);
    }

    private void MeasureForward(INetwork<float> net, AllocationTests.StaticForward forward)
    {
        var inputs = Fill(BatchSize * net.InputSize, 2);
        var output1 = new float[net.OutputSize];
        var outputs = new float[BatchSize * net.OutputSize];
        var parameters = net.Parameters.ToArray();
        Assert.Equal(0, Measure("Forward", () => net.Forward(inputs.AsSpan(0, net.InputSize), output1)));
        Assert.Equal(0, Measure("Forward (batch)", () => net.Forward(inputs, outputs, BatchSize)));
        Assert.Equal(0, Measure("Forward (static)", () => forward(parameters, inputs.AsSpan(0, net.InputSize), output1)));
    }

    private long Measure(string name, Action call)
    {
        long allocated = Allocations.Steady(call, 5);
        output.WriteLine($"{name}: {allocated / 5.0} bytes per call");
        return allocated;
    }

    private static float[] Fill(int length, int salt)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = ((i * 7 + salt) % 13) / 13f;
        return values;
    }
}
