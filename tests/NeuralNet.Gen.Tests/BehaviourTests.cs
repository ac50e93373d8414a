using System;
using System.Threading;
using Xunit;

namespace NeuralNet.Gen.Tests;

/// <summary>Thread safety, determinism, parameter copies and Single/Double agreement of generated networks.</summary>
public class BehaviourTests
{
    private const int Samples = 400;

    [Fact] public void Forward_is_safe_from_two_threads_small_network() => ForwardFromTwoThreads(new CirclesNet());
    [Fact] public void Forward_is_safe_from_two_threads_loop_network() => ForwardFromTwoThreads(new Fashion256Net());
    [Fact] public void Forward_is_safe_from_two_threads_thread_static_scratch() => ForwardFromTwoThreads(new WideNet());

    private static void ForwardFromTwoThreads(INetwork<float> net)
    {
        var inputs = RandomInputs(net.InputSize, Samples, seed: 5);
        var sequential = new float[Samples * net.OutputSize];
        for (int s = 0; s < Samples; s++)
        {
            net.Forward(inputs.AsSpan(s * net.InputSize, net.InputSize), sequential.AsSpan(s * net.OutputSize, net.OutputSize));
        }

        // Both threads run every sample, in opposite orders, many times, so their scratch use overlaps.
        var results = new[] { new float[sequential.Length], new float[sequential.Length] };
        using var start = new Barrier(2);
        Exception? failure = null;
        var threads = new Thread[2];
        for (int t = 0; t < 2; t++)
        {
            int thread = t;
            threads[t] = new Thread(() =>
            {
                try
                {
                    start.SignalAndWait();
                    var mine = results[thread];
                    for (int round = 0; round < 5; round++)
                    {
                        for (int k = 0; k < Samples; k++)
                        {
                            int s = thread == 0 ? k : Samples - 1 - k;
                            net.Forward(inputs.AsSpan(s * net.InputSize, net.InputSize), mine.AsSpan(s * net.OutputSize, net.OutputSize));
                            for (int o = 0; o < net.OutputSize; o++)
                            {
                                if (BitConverter.SingleToInt32Bits(mine[s * net.OutputSize + o]) != BitConverter.SingleToInt32Bits(sequential[s * net.OutputSize + o]))
                                    throw new InvalidOperationException($"Thread {thread}, round {round}, sample {s}: {mine[s * net.OutputSize + o]} instead of {sequential[s * net.OutputSize + o]}.");
                            }
                        }
                    }
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                }
            });
            threads[t].Start();
        }
        foreach (var thread in threads) thread.Join();
        Assert.Null(failure);
        Assert.Equal(sequential, results[0]);
        Assert.Equal(sequential, results[1]);
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_parameters_and_training()
    {
        var a = new CirclesNet();
        var b = new CirclesNet();
        Assert.Equal(a.Parameters.ToArray(), b.Parameters.ToArray());
        var (inputs, targets) = CirclesData(64, seed: 3);
        for (int step = 0; step < 100; step++)
        {
            int batch = step % 8;
            var x = inputs.AsSpan(batch * 16, 16);
            var t = targets.AsSpan(batch * 8, 8);
            float la = a.TrainStep(x, t, 8);
            float lb = b.TrainStep(x, t, 8);
            Assert.Equal(BitConverter.SingleToInt32Bits(la), BitConverter.SingleToInt32Bits(lb));
        }
        AssertBitIdentical(a.Parameters, b.Parameters);
        AssertBitIdentical(a.Gradients, b.Gradients);
        Assert.NotEqual(new CirclesNet().Parameters.ToArray(), a.Parameters.ToArray());
    }

    [Fact]
    public void InitializeParameters_restores_the_seed_and_restarts_the_optimizer()
    {
        var trained = new CirclesNet();
        var fresh = new CirclesNet();
        var (inputs, targets) = CirclesData(8, seed: 4);
        for (int i = 0; i < 20; i++) trained.TrainStep(inputs, targets, 8);

        trained.InitializeParameters(1); // CirclesNet's [Network(Seed = 1)]
        AssertBitIdentical(fresh.Parameters, trained.Parameters);
        for (int i = 0; i < 5; i++)
        {
            trained.TrainStep(inputs, targets, 8);
            fresh.TrainStep(inputs, targets, 8);
        }
        AssertBitIdentical(fresh.Parameters, trained.Parameters);

        trained.InitializeParameters(2);
        Assert.NotEqual(fresh.Parameters.ToArray(), trained.Parameters.ToArray());
    }

    [Fact]
    public void Copying_Parameters_gives_bit_identical_outputs()
    {
        var trained = new Mnist50Net();
        var inputs = RandomInputs(Mnist50Net.InputSize, 16, seed: 8);
        var targets = new float[16 * Mnist50Net.OutputSize];
        for (int s = 0; s < 16; s++) targets[s * 10 + s % 10] = 1;
        for (int i = 0; i < 10; i++) trained.TrainStep(inputs, targets, 16);

        var copy = new Mnist50Net();
        copy.InitializeParameters(99);
        trained.Parameters.CopyTo(copy.Parameters);

        var expected = new float[16 * 10];
        var actual = new float[16 * 10];
        var single = new float[10];
        var fromStatic = new float[10];
        trained.Forward(inputs, expected, 16);
        copy.Forward(inputs, actual, 16);
        AssertBitIdentical(expected, actual);
        for (int s = 0; s < 16; s++)
        {
            copy.Forward(inputs.AsSpan(s * 784, 784), single);
            Mnist50Net.Forward(trained.Parameters, inputs.AsSpan(s * 784, 784), fromStatic);
            AssertBitIdentical(expected.AsSpan(s * 10, 10), single);
            AssertBitIdentical(expected.AsSpan(s * 10, 10), fromStatic);
        }
        Assert.Equal(trained.ComputeLoss(inputs, targets, 16), copy.ComputeLoss(inputs, targets, 16));
    }

    [Fact]
    public void Single_and_double_agree_small_network()
    {
        var single = new CirclesNet();
        var twice = new CirclesDoubleNet();
        CompareSingleDouble(single, twice, CirclesNet.InputSize);
    }

    [Fact]
    public void Single_and_double_agree_loop_network()
    {
        var single = new Mnist50Net();
        var twice = new Mnist50DoubleNet();
        CompareSingleDouble(single, twice, Mnist50Net.InputSize);
    }

    private static void CompareSingleDouble(ITrainableNetwork<float> single, ITrainableNetwork<double> twice, int inputSize)
    {
        // Same seed: the float parameters are the double ones rounded.
        for (int i = 0; i < twice.ParameterCount; i++) Assert.Equal((float)twice.Parameters[i], single.Parameters[i]);
        // Biases start at zero; give them values so they take part.
        var random = new DeterministicRandom(6);
        for (int i = 0; i < twice.ParameterCount; i++)
        {
            if (twice.Parameters[i] == 0) single.Parameters[i] = (float)(twice.Parameters[i] = 0.1 * random.NextNormal());
            else twice.Parameters[i] = single.Parameters[i];
        }

        const int batch = 8;
        var inputsF = RandomInputs(inputSize, batch, seed: 7);
        var inputsD = Array.ConvertAll(inputsF, v => (double)v);
        int n = single.OutputSize;
        var targetsF = new float[batch * n];
        for (int s = 0; s < batch; s++) targetsF[s * n + s % n] = 1;
        var targetsD = Array.ConvertAll(targetsF, v => (double)v);

        var outF = new float[batch * n];
        var outD = new double[batch * n];
        single.Forward(inputsF, outF, batch);
        twice.Forward(inputsD, outD, batch);
        for (int i = 0; i < outF.Length; i++) Assert.Equal(outD[i], outF[i], 1e-5);

        double lossF = single.ComputeGradients(inputsF, targetsF, batch);
        double lossD = twice.ComputeGradients(inputsD, targetsD, batch);
        Assert.Equal(lossD, lossF, 1e-5 * Math.Max(1, Math.Abs(lossD)));
        double largest = 0;
        for (int i = 0; i < twice.ParameterCount; i++) largest = Math.Max(largest, Math.Abs(twice.Gradients[i]));
        Assert.True(largest > 1e-3);
        for (int i = 0; i < twice.ParameterCount; i++) Assert.Equal(twice.Gradients[i], single.Gradients[i], 1e-5 * largest);
    }

    internal static float[] RandomInputs(int size, int samples, int seed)
    {
        var random = new DeterministicRandom(seed);
        var inputs = new float[size * samples];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = (float)random.NextDouble(-1, 1);
        return inputs;
    }

    /// <summary>Points in [-1, 1]², labelled 1 inside the circle of radius 0.6.</summary>
    private static (float[] Inputs, float[] Targets) CirclesData(int count, int seed)
    {
        var inputs = RandomInputs(2, count, seed);
        var targets = new float[count];
        for (int i = 0; i < count; i++)
        {
            float x = inputs[2 * i], y = inputs[2 * i + 1];
            targets[i] = x * x + y * y < 0.36f ? 1 : 0;
        }
        return (inputs, targets);
    }

    private static void AssertBitIdentical(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]), $"element {i}: {expected[i]:R} and {actual[i]:R}");
        }
    }
}
