using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using NeuralNet.Gen.Tests.BatchNorm;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Tests;

/// <summary>
/// BatchNorm: training through the batch statistics (finite differences of the whole batch's loss), the running
/// statistics against hand computation, inference from the running statistics, PyTorch's numbers, buffers in the
/// network's surface and files, and no allocation after warm-up.
/// </summary>
public class BatchNormTests(ITestOutputHelper output)
{
    private const double Step = 1e-4;

    [Fact] public void Gradients_through_the_batch_statistics_vector() => CheckGradients(new BatchNormVectorNet(), batch: 5);

    [Fact] public void Gradients_through_the_batch_statistics_sequence() => CheckGradients(new BatchNormSequenceNet(), batch: 3);

    [Fact] public void Gradients_through_the_batch_statistics_image() => CheckGradients(new BatchNormImageNet(), batch: 2);

    [Fact] public void Gradients_with_batch_of_one_image_use_the_positions() => CheckGradients(new BatchNormImageNet(), batch: 1);

    /// <summary>
    /// Central differences (4th order) of the training-mode loss: the statistics are recomputed from the whole perturbed
    /// batch, so the check covers the paths through the mean and the variance. The loss <c>ComputeGradients</c>
    /// returns is the training-mode one (batch statistics); the running statistics it moves do not enter it.
    /// </summary>
    private void CheckGradients(ITrainableNetwork<double> net, int batch)
    {
        var (inputs, targets) = FiniteDifferences.Draw(net, batch, seed: 31, parameterScale: 0.6, parameterOffset: 0.2);
        FiniteDifferences.AssertMatches(net, inputs, targets, batch, output, Step);
    }

    [Fact]
    public void Running_statistics_after_several_steps_equal_hand_computed_values()
    {
        // BatchNorm on the input: each step's batch statistics are the data's, so they can be computed here.
        var net = new BatchNormOnInputNet();
        Assert.Equal(6, BatchNormOnInputNet.BufferCount);
        Assert.Equal(new double[] { 0, 0, 0, 1, 1, 1 }, net.Buffers.ToArray());
        const int batch = 4, features = 3;
        const double momentum = 0.25;
        var random = new DeterministicRandom(8);
        var mean = new double[] { 0, 0, 0 };
        var variance = new double[] { 1, 1, 1 };
        for (int step = 0; step < 5; step++)
        {
            var x = new double[batch * features];
            for (int i = 0; i < x.Length; i++) x[i] = random.NextDouble(-2, 3) * (1 + i % features);
            var t = new double[batch];
            net.TrainStep(x, t, batch);
            for (int f = 0; f < features; f++)
            {
                double m = 0, squares = 0;
                for (int b = 0; b < batch; b++) m += x[b * features + f];
                m /= batch;
                for (int b = 0; b < batch; b++) squares += (x[b * features + f] - m) * (x[b * features + f] - m);
                mean[f] = (1 - momentum) * mean[f] + momentum * m;
                variance[f] = (1 - momentum) * variance[f] + momentum * squares / (batch - 1);
            }
        }
        var buffers = net.Buffers;
        for (int f = 0; f < features; f++)
        {
            Assert.Equal(mean[f], buffers[f], 1e-12);
            Assert.Equal(variance[f], buffers[features + f], 1e-12);
        }
    }

    [Fact]
    public void Forward_and_ComputeLoss_use_the_running_statistics()
    {
        var net = new BatchNormOnInputNet();
        var p = net.Parameters;
        // Parameters: BatchNorm weight [3], bias [3], then Dense weight [1x3] and bias.
        new double[] { 1.5, -0.5, 2, 0.1, 0.2, -0.3, 0.7, -1.1, 0.4, 0.05 }.CopyTo(p);
        new double[] { 0.5, -1, 2, 4, 0.25, 9 }.CopyTo(net.Buffers);
        var x = new double[] { 1, 2, 3, -1, 0, 5 };
        var y = new double[2];
        net.Forward(x, y, 2);
        for (int b = 0; b < 2; b++)
        {
            double expected = p[9];
            for (int f = 0; f < 3; f++)
            {
                double normalised = (x[b * 3 + f] - net.Buffers[f]) / Math.Sqrt(net.Buffers[3 + f] + 1e-3) * p[f] + p[3 + f];
                expected += p[6 + f] * normalised;
            }
            Assert.Equal(expected, y[b], 1e-12);
            var single = new double[1];
            net.Forward(x.AsSpan(b * 3, 3), single);
            Assert.Equal(BitConverter.DoubleToInt64Bits(y[b]), BitConverter.DoubleToInt64Bits(single[0]));
            var fromStatic = new double[1];
            BatchNormOnInputNet.Forward(net.Parameters, net.Buffers, x.AsSpan(b * 3, 3), fromStatic);
            Assert.Equal(single[0], fromStatic[0]);
        }
        var targets = new double[] { 0.5, -0.5 };
        double loss = net.ComputeLoss(x, targets, 2);
        Assert.Equal(((y[0] - 0.5) * (y[0] - 0.5) + (y[1] + 0.5) * (y[1] + 0.5)) / 2, loss, 1e-12);
    }

    [Fact]
    public void A_vector_batch_of_one_is_refused_in_training_before_anything_changes()
    {
        var net = new BatchNormVectorNet();
        var parameters = net.Parameters.ToArray();
        var buffers = net.Buffers.ToArray();
        var error = Assert.Throws<ArgumentException>(() => net.TrainStep(new double[4], new double[2], 1));
        Assert.Contains("at least 2 samples", error.Message);
        Assert.Equal("batchSize", error.ParamName);
        Assert.Equal(parameters, net.Parameters.ToArray());
        Assert.Equal(buffers, net.Buffers.ToArray());
        // Inference on one sample is fine: it uses the running statistics.
        net.Forward(new double[4], new double[2]);
    }

    [Theory]
    [InlineData("vector")]
    [InlineData("image")]
    public void Agrees_with_PyTorch_in_training_and_eval_mode(string name)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "batchnorm", $"batchnorm_{name}.json")));
        var root = json.RootElement;
        double[] Read(string property) => root.GetProperty(property).EnumerateArray().Select(e => e.GetDouble()).ToArray();
        ITrainableNetwork<double> net = name == "vector" ? new BatchNormVectorNet() : new BatchNormImageNet();
        int batch = root.GetProperty("batch").GetInt32();
        Read("parameters").CopyTo(net.Parameters);
        double loss = net.ComputeGradients(Read("inputs"), Read("targets"), batch);
        double lossError = Math.Abs(loss - root.GetProperty("trainingLoss").GetDouble());
        double gradientError = MaxError(Read("gradients"), net.Gradients.ToArray());
        double bufferError = MaxError(Read("buffers"), net.Buffers.ToArray());
        var outputs = new double[batch * net.OutputSize];
        net.Forward(Read("inputs"), outputs, batch);
        double evalError = MaxError(Read("evalOutputs"), outputs);
        output.WriteLine($"{name}: loss {lossError:E2}, gradients {gradientError:E2}, running statistics {bufferError:E2}, eval outputs {evalError:E2} (largest absolute differences from PyTorch, float64)");
        Assert.True(lossError < 1e-12, $"loss differs by {lossError:E2}");
        Assert.True(gradientError < 1e-12, $"gradients differ by {gradientError:E2}");
        Assert.True(bufferError < 1e-12, $"running statistics differ by {bufferError:E2}");
        Assert.True(evalError < 1e-12, $"eval outputs differ by {evalError:E2}");
    }

    private static double MaxError(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        return expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
    }

    [Fact]
    public void InitializeParameters_resets_weight_bias_and_buffers()
    {
        var net = new BatchNormFloatNet();
        // Conv2D(4, 3) on 6x6x1: 36 weights and 4 biases, then BatchNorm weight [4] and bias [4].
        Assert.Equal(new float[] { 1, 1, 1, 1, 0, 0, 0, 0 }, net.Parameters.Slice(40, 8).ToArray());
        Assert.Equal(2 * 4 + 2 * 8, BatchNormFloatNet.BufferCount);
        var x = new float[3 * BatchNormFloatNet.InputSize];
        for (int i = 0; i < x.Length; i++) x[i] = (i % 7) * 0.3f - 1;
        var t = new float[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
        net.TrainStep(x, t, 3);
        Assert.NotEqual(new float[] { 0, 0, 0, 0 }, net.Buffers.Slice(0, 4).ToArray());
        net.InitializeParameters(2);
        var fresh = new BatchNormFloatNet();
        Assert.Equal(fresh.Parameters.ToArray(), net.Parameters.ToArray());
        Assert.Equal(new float[] { 0, 0, 0, 0, 1, 1, 1, 1 }, net.Buffers.Slice(0, 8).ToArray());
    }

    [Fact]
    public void Summary_counts_the_running_statistics_as_non_trainable()
    {
        string summary = new BatchNormFloatNet().Summary();
        output.WriteLine(summary);
        int trainable = BatchNormFloatNet.ParameterCount, buffers = BatchNormFloatNet.BufferCount;
        Assert.Contains($"Total params: {trainable + buffers}", summary);
        Assert.Contains($"Trainable params: {trainable}", summary);
        Assert.Contains($"Non-trainable params: {buffers}", summary);
        // Keras: gamma, beta, moving mean and moving variance per channel.
        Assert.Contains("batch_norm_1 (BatchNorm)    (None, 4, 4, 4)           16", summary);
    }

    [Fact]
    public void Construction_allocates_the_instance_budget_with_the_buffers()
    {
        Assert.Equal(BatchNormFloatNet.BufferCount * sizeof(float), BatchNormFloatNet.BufferBytes);
        // Parameters, buffers, gradients and Adam's two moments.
        Assert.Equal(BatchNormFloatNet.ParameterCount * sizeof(float) * 4 + BatchNormFloatNet.BufferBytes, BatchNormFloatNet.InstanceBytes);
        long allocated = Allocations.Steady(() => GC.KeepAlive(new BatchNormFloatNet()));
        // Array headers and the object itself on top.
        Assert.InRange(allocated - BatchNormFloatNet.InstanceBytes, 0, 8 * 24 + 128 + MemoryBudgetTests.AlignedParameters);
    }

    [Fact]
    public void Networks_without_BatchNorm_have_no_buffers()
    {
        Assert.Equal(0, CirclesNet.BufferCount);
        INetwork<float> net = new CirclesNet();
        Assert.Equal(0, net.BufferCount);
        Assert.True(net.Buffers.IsEmpty);
    }

    [Fact]
    public void Save_and_load_carry_the_buffers()
    {
        var trained = Trained();
        using var file = new MemoryStream();
        trained.SaveParameters(file);
        var fresh = new BatchNormFloatNet();
        file.Position = 0;
        fresh.LoadParameters(file);
        Assert.Equal(trained.Parameters.ToArray(), fresh.Parameters.ToArray());
        Assert.Equal(trained.Buffers.ToArray(), fresh.Buffers.ToArray());
    }

    [Fact]
    public void A_damaged_file_leaves_parameters_and_buffers_unchanged()
    {
        var trained = Trained();
        using var file = new MemoryStream();
        trained.SaveParameters(file);
        byte[] bytes = file.ToArray();
        var net = new BatchNormFloatNet();
        var parameters = net.Parameters.ToArray();
        var buffers = net.Buffers.ToArray();
        // One flipped bit in the last buffer value, and a file cut inside the buffers.
        var flipped = (byte[])bytes.Clone();
        flipped[^6] ^= 0x10;
        Assert.Contains("CRC-32", Assert.Throws<InvalidDataException>(() => net.LoadParameters(new MemoryStream(flipped))).Message);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => net.LoadParameters(new MemoryStream(bytes[..^12]))).Message);
        Assert.Equal(parameters, net.Parameters.ToArray());
        Assert.Equal(buffers, net.Buffers.ToArray());
    }

    [Fact]
    public void A_version_1_file_loads_into_a_network_without_buffers_and_is_refused_by_one_with_them()
    {
        // Version 1: the same layout without the buffer count and buffers.
        var circles = new CirclesNet();
        circles.Parameters[0] = 0.75f;
        using var current = new MemoryStream();
        circles.SaveParameters(current);
        byte[] version2 = current.ToArray();
        byte[] version1 = ToVersion1(version2);
        var loaded = new CirclesNet();
        loaded.LoadParameters(new MemoryStream(version1));
        Assert.Equal(circles.Parameters.ToArray(), loaded.Parameters.ToArray());

        var trained = Trained();
        using var withBuffers = new MemoryStream();
        trained.SaveParameters(withBuffers);
        var net = new BatchNormFloatNet();
        var error = Assert.Throws<InvalidDataException>(() => net.LoadParameters(new MemoryStream(ToVersion1(withBuffers.ToArray()))));
        Assert.Contains("version 1", error.Message);
        Assert.Contains("buffer", error.Message);
    }

    /// <summary>A version 2 file rewritten as version 1: version field, buffer section dropped, checksum recomputed.</summary>
    private static byte[] ToVersion1(byte[] version2)
    {
        int fingerprintLength = BitConverter.ToInt32(version2, 8);
        int countOffset = 12 + fingerprintLength;
        long count = BitConverter.ToInt64(version2, countOffset);
        int elementSize = version2[6];
        int parametersEnd = countOffset + 8 + (int)count * elementSize;
        var bytes = new byte[parametersEnd + 4];
        Array.Copy(version2, bytes, parametersEnd);
        bytes[4] = 1;
        bytes[5] = 0;
        BitConverter.GetBytes(Crc32(bytes, parametersEnd)).CopyTo(bytes, parametersEnd);
        return bytes;
    }

    private static uint Crc32(byte[] data, int length)
    {
        uint crc = 0xFFFFFFFFu;
        for (int i = 0; i < length; i++)
        {
            crc ^= data[i];
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    private static BatchNormFloatNet Trained()
    {
        var net = new BatchNormFloatNet();
        var x = new float[4 * BatchNormFloatNet.InputSize];
        for (int i = 0; i < x.Length; i++) x[i] = (i % 11) * 0.2f - 1;
        var t = new float[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0 };
        for (int step = 0; step < 3; step++) net.TrainStep(x, t, 4);
        return net;
    }

    [Fact]
    public void Folded_inference_equals_the_unfolded_network()
    {
        Assert.Equal(FoldedBatchNormNet.ParameterCount, UnfoldedBatchNormNet.ParameterCount);
        Assert.Equal(FoldedBatchNormNet.BufferCount, UnfoldedBatchNormNet.BufferCount);
        const int batch = 8;
        var random = new DeterministicRandom(4);
        var x = new float[batch * FoldedBatchNormNet.InputSize];
        for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble(-1, 2);
        var t = new float[batch * FoldedBatchNormNet.OutputSize];
        for (int i = 0; i < t.Length; i++) t[i] = (float)random.NextDouble(-1, 1);
        var folded = new FoldedBatchNormNet();
        // Train a little so that weights, biases and running statistics are all away from their initial values.
        for (int step = 0; step < 5; step++) folded.TrainStep(x, t, batch);
        var unfolded = new UnfoldedBatchNormNet();
        folded.Parameters.CopyTo(unfolded.Parameters);
        folded.Buffers.CopyTo(unfolded.Buffers);

        var expected = new float[t.Length];
        var actual = new float[t.Length];
        unfolded.Forward(x, expected, batch);
        folded.Forward(x, actual, batch);
        double worst = 0;
        for (int i = 0; i < t.Length; i++) worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]) / Math.Max(1, Math.Abs(expected[i])));
        output.WriteLine($"folded against unfolded, float: worst relative difference {worst:E2}");
        Assert.True(worst < 1e-5, $"folded inference differs by {worst:E2}");
        // Folding happens in the batch and in the one-sample pass alike, so the two agree bit for bit.
        var single = new float[FoldedBatchNormNet.OutputSize];
        folded.Forward(x.AsSpan(0, FoldedBatchNormNet.InputSize), single);
        Assert.Equal(actual.AsSpan(0, single.Length).ToArray(), single);
        Assert.Equal(folded.ComputeLoss(x, t, batch), unfolded.ComputeLoss(x, t, batch), 1e-5f);
    }

    [Fact]
    public void No_allocation_after_warm_up()
    {
        var net = new BatchNormFloatNet();
        const int batch = 4;
        var x = new float[batch * BatchNormFloatNet.InputSize];
        for (int i = 0; i < x.Length; i++) x[i] = (i % 5) * 0.4f - 1;
        var t = new float[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0 };
        var y = new float[batch * BatchNormFloatNet.OutputSize];
        var parameters = net.Parameters.ToArray();
        var buffers = net.Buffers.ToArray();
        Assert.Equal(0, Allocated(() => net.TrainStep(x, t, batch)));
        Assert.Equal(0, Allocated(() => net.ComputeGradients(x, t, batch)));
        Assert.Equal(0, Allocated(() => net.ComputeLoss(x, t, batch)));
        Assert.Equal(0, Allocated(() => net.Forward(x, y, batch)));
        Assert.Equal(0, Allocated(() => net.Forward(x.AsSpan(0, BatchNormFloatNet.InputSize), y.AsSpan(0, 3))));
        Assert.Equal(0, Allocated(() => BatchNormFloatNet.Forward(parameters, buffers, x.AsSpan(0, BatchNormFloatNet.InputSize), y.AsSpan(0, 3))));
    }

    private static long Allocated(Action call)
    {
        for (int i = 0; i < 3; i++) call();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) call();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
