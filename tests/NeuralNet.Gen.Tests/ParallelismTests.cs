using System;
using System.Runtime.InteropServices;
using Xunit;
using NeuralNet.Gen.Tests.BatchNorm;
using NeuralNet.Gen.Tests.Convolution;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Tests;

// Convolutions and pooling without dropout: its batches split into chunks (dropout keeps a batch whole).
[Network(Seed = 8)]
[Input(10, 10, 2)]
[Conv2D(6, 3, Relu)]
[MaxPool2D(2)]
[Conv2D(4, 3, Tanh, Padding = Padding.Same)]
[Flatten]
[Dense(5, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.01)]
public partial class ParallelCnn { }

/// <summary>
/// MaxDegreeOfParallelism: the same bits for every value (batches split into chunks of BatchWorkers.ChunkSize samples
/// summed in chunk order), the argument check, and no allocation once warm, threads included.
/// </summary>
public class ParallelismTests
{
    private const int Batch = 100; // three full chunks and a short one

    [Fact] public void Loop_network_gives_the_same_bits_for_every_thread_count() => SameBits(() => new Mnist50Net(), (n, d) => ((Mnist50Net)n).MaxDegreeOfParallelism = d);
    [Fact] public void Unrolled_network_gives_the_same_bits_for_every_thread_count() => SameBits(() => new CirclesNet(), (n, d) => ((CirclesNet)n).MaxDegreeOfParallelism = d);
    [Fact] public void Convolution_network_gives_the_same_bits_for_every_thread_count() => SameBits(() => new ParallelCnn(), (n, d) => ((ParallelCnn)n).MaxDegreeOfParallelism = d);
    [Fact] public void Dropout_network_gives_the_same_bits_for_every_thread_count() => SameBits(() => new SmallCnn(), (n, d) => ((SmallCnn)n).MaxDegreeOfParallelism = d, trainingLossIsComputeLoss: false);
    [Fact] public void BatchNorm_network_gives_the_same_bits_for_every_thread_count() => SameBits(() => new BatchNormFloatNet(), (n, d) => ((BatchNormFloatNet)n).MaxDegreeOfParallelism = d, trainingLossIsComputeLoss: false);
    [Fact] public void Folded_BatchNorm_network_gives_the_same_bits_for_every_thread_count() => SameBits(() => new FoldedBatchNormNet(), (n, d) => ((FoldedBatchNormNet)n).MaxDegreeOfParallelism = d, trainingLossIsComputeLoss: false);
    [Fact] public void Dense_network_without_bias_gives_the_same_bits_for_every_thread_count() => SameBits(() => new UseBias.DenseLoopNet(), (n, d) => ((UseBias.DenseLoopNet)n).MaxDegreeOfParallelism = d);
    [Fact] public void Convolution_network_without_bias_gives_the_same_bits_for_every_thread_count() => SameBits(() => new UseBias.Conv2DNet(), (n, d) => ((UseBias.Conv2DNet)n).MaxDegreeOfParallelism = d);

    /// <summary>Three TrainSteps, then ComputeLoss and a batch Forward, at 1, 2, 3 and 8 threads: every bit equal.</summary>
    private static void SameBits(Func<ITrainableNetwork<float>> create, Action<ITrainableNetwork<float>, int> setThreads, bool trainingLossIsComputeLoss = true)
    {
        byte[]? expected = null;
        foreach (int threads in new[] { 1, 2, 3, 8 })
        {
            var net = create();
            setThreads(net, threads);
            var (inputs, targets) = Data(net, seed: 17);
            var losses = new float[5];
            for (int step = 0; step < 3; step++) losses[step] = net.TrainStep(inputs, targets, Batch);
            losses[3] = net.ComputeGradients(inputs, targets, Batch);
            losses[4] = net.ComputeLoss(inputs, targets, Batch);
            var outputs = new float[Batch * net.OutputSize];
            net.Forward(inputs, outputs, Batch);
            var bits = Concat(net.Parameters, net.Gradients, losses, outputs);
            if (expected is null) expected = bits;
            else Assert.True(expected.AsSpan().SequenceEqual(bits), $"{threads} threads differ from one");
            // Without dropout or batch statistics ComputeLoss is the loss the training path returns, at any thread count.
            if (trainingLossIsComputeLoss) Assert.Equal(BitConverter.SingleToInt32Bits(losses[3]), BitConverter.SingleToInt32Bits(losses[4]));
        }
    }

    [Fact]
    public void Fewer_than_one_thread_is_refused()
    {
        var net = new Mnist50Net();
        Assert.Equal(1, net.MaxDegreeOfParallelism);
        Assert.Throws<ArgumentOutOfRangeException>(() => net.MaxDegreeOfParallelism = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => net.MaxDegreeOfParallelism = -3);
        Assert.Equal(1, net.MaxDegreeOfParallelism);
        net.MaxDegreeOfParallelism = 4;
        Assert.Equal(4, net.MaxDegreeOfParallelism);
    }

    [Fact] public void Loop_network_allocates_nothing_once_warm_on_two_threads() => NoAllocation(new Mnist50Net { MaxDegreeOfParallelism = 2 });
    [Fact] public void Unrolled_network_allocates_nothing_once_warm_on_three_threads() => NoAllocation(new CirclesNet { MaxDegreeOfParallelism = 3 });
    [Fact] public void Convolution_network_allocates_nothing_once_warm_on_two_threads() => NoAllocation(new ParallelCnn { MaxDegreeOfParallelism = 2 });

    private static void NoAllocation(ITrainableNetwork<float> net)
    {
        var (inputs, targets) = Data(net, seed: 3);
        var outputs = new float[Batch * net.OutputSize];
        Assert.Equal(0, Allocations.Steady(() => net.TrainStep(inputs, targets, Batch)));
        Assert.Equal(0, Allocations.Steady(() => net.ComputeLoss(inputs, targets, Batch)));
        Assert.Equal(0, Allocations.Steady(() => net.Forward(inputs, outputs, Batch)));
    }

    [Fact]
    public void Batches_of_a_chunk_or_less_give_the_bits_of_one_thread()
    {
        // A batch of one chunk runs on the calling thread: nothing to split.
        var one = new Mnist50Net();
        var two = new Mnist50Net { MaxDegreeOfParallelism = 2 };
        var (inputs, targets) = Data(one, seed: 5);
        int batch = BatchWorkers.ChunkSize;
        float a = one.TrainStep(inputs.AsSpan(0, batch * Mnist50Net.InputSize), targets.AsSpan(0, batch * Mnist50Net.OutputSize), batch);
        float b = two.TrainStep(inputs.AsSpan(0, batch * Mnist50Net.InputSize), targets.AsSpan(0, batch * Mnist50Net.OutputSize), batch);
        Assert.Equal(BitConverter.SingleToInt32Bits(a), BitConverter.SingleToInt32Bits(b));
        Assert.True(one.Parameters.SequenceEqual(two.Parameters));
    }

    private static (float[] Inputs, float[] Targets) Data(INetwork<float> net, long seed)
    {
        var random = new DeterministicRandom(seed);
        var inputs = new float[Batch * net.InputSize];
        var targets = new float[Batch * net.OutputSize];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = (float)(2 * random.NextDouble() - 1);
        for (int s = 0; s < Batch; s++) targets[s * net.OutputSize + random.NextInt32(net.OutputSize)] = 1f;
        return (inputs, targets);
    }

    private static byte[] Concat(params float[][] parts)
    {
        int length = 0;
        foreach (var part in parts) length += part.Length * sizeof(float);
        var bytes = new byte[length];
        int at = 0;
        foreach (var part in parts)
        {
            MemoryMarshal.AsBytes(part.AsSpan()).CopyTo(bytes.AsSpan(at));
            at += part.Length * sizeof(float);
        }
        return bytes;
    }

    private static byte[] Concat(Span<float> parameters, Span<float> gradients, float[] losses, float[] outputs) =>
        Concat(parameters.ToArray(), gradients.ToArray(), losses, outputs);
}
