using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using NeuralNet.Gen.Tests.Pooling;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Tests;

/// <summary>
/// MaxPool1D, AveragePool1D, AveragePool2D, GlobalAveragePool and GlobalMaxPool: the generated backward pass against
/// fourth-order central differences in double (overlapping windows, leftover edges, a pool on the input and as the
/// output), forward and input gradients against PyTorch, single against double, no allocation after warm-up, the
/// summary's Keras names, a small all-convolutional classifier that learns, and no <c>Step</c> for a pooled network.
/// </summary>
public class PoolingTests(ITestOutputHelper output)
{
    private const int BatchSize = 3;
    private const double Step = 1e-4;
    private const double Tolerance = 1e-6;

    [Fact] public void MaxPool1D_overlapping_windows() => CheckGradients(new MaxPool1DOverlapNet());
    [Fact] public void MaxPool1D_with_a_leftover_step() => CheckGradients(new MaxPool1DLeftoverNet());
    [Fact] public void AveragePool1D_overlapping_windows_and_a_leftover_step() => CheckGradients(new AveragePool1DOverlapNet());
    [Fact] public void AveragePool1D_on_the_network_input() => CheckGradients(new AveragePool1DOnInputNet());
    [Fact] public void AveragePool2D_overlapping_windows_and_a_leftover_row() => CheckGradients(new AveragePool2DOverlapNet());
    [Fact] public void AveragePool2D_with_leftover_edges_softmax_output() => CheckGradients(new AveragePool2DLeftoverNet(), oneHot: true);
    [Fact] public void GlobalAveragePool_image() => CheckGradients(new GlobalAveragePoolImageNet());
    [Fact] public void GlobalMaxPool_image() => CheckGradients(new GlobalMaxPoolImageNet());
    [Fact] public void GlobalAveragePool_sequence() => CheckGradients(new GlobalAveragePoolSequenceNet());
    [Fact] public void GlobalMaxPool_sequence() => CheckGradients(new GlobalMaxPoolSequenceNet());
    [Fact] public void GlobalAveragePool_as_the_output_layer() => CheckGradients(new GlobalPoolOutputNet());
    [Fact] public void Pools_stacked_on_a_sequence() => CheckGradients(new PoolStackNet());

    private void CheckGradients(ITrainableNetwork<double> net, bool oneHot = false)
    {
        var random = new DeterministicRandom(2026);
        Span<double> p = net.Parameters;
        for (int i = 0; i < p.Length; i++) p[i] = 0.5 * random.NextNormal();
        var inputs = new double[BatchSize * net.InputSize];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = random.NextDouble(-1.5, 1.5);
        int n = net.OutputSize;
        var targets = new double[BatchSize * n];
        for (int b = 0; b < BatchSize; b++)
        {
            if (oneHot) targets[b * n + random.NextInt32(n)] = 1;
            else for (int o = 0; o < n; o++) targets[b * n + o] = random.NextDouble(-1, 1);
        }

        FiniteDifferences.AssertMatches(net, inputs, targets, BatchSize, output, Step, Tolerance, lossIsComputeLoss: true);
    }

    // PyTorch's references: one case per pool, inputs in halves so that max windows hold ties.

    private static readonly Dictionary<string, Func<INetwork<double>>> ReferenceNetworks = new()
    {
        ["MaxPool1D(3, Stride = 2) 9x3"] = () => new RefMaxPool1DOverlap(),
        ["MaxPool1D(2) 7x2"] = () => new RefMaxPool1D(),
        ["AveragePool1D(3, Stride = 2) 8x3"] = () => new RefAveragePool1DOverlap(),
        ["AveragePool1D(2) 7x2"] = () => new RefAveragePool1D(),
        ["AveragePool2D(3, Stride = 2) 6x7x2"] = () => new RefAveragePool2DOverlap(),
        ["AveragePool2D(2) 5x4x3"] = () => new RefAveragePool2D(),
        ["GlobalAveragePool 6x3"] = () => new RefGlobalAveragePoolSequence(),
        ["GlobalAveragePool 4x5x3"] = () => new RefGlobalAveragePoolImage(),
        ["GlobalMaxPool 6x3"] = () => new RefGlobalMaxPoolSequence(),
        ["GlobalMaxPool 4x5x3"] = () => new RefGlobalMaxPoolImage(),
    };

    private static readonly Dictionary<string, Func<INetwork<float>>> FloatReferenceNetworks = new()
    {
        ["MaxPool1D(3, Stride = 2) 9x3"] = () => new RefMaxPool1DOverlapFloat(),
        ["AveragePool2D(3, Stride = 2) 6x7x2"] = () => new RefAveragePool2DOverlapFloat(),
        ["GlobalMaxPool 4x5x3"] = () => new RefGlobalMaxPoolImageFloat(),
    };

    private sealed record TorchCase(string Layer, int[] InputShape, int Batch, double[] Inputs, double[] Outputs, double[] Weights, double[] InputGradients)
    {
        public string Key => $"{Layer} {string.Join("x", InputShape)}";
    }

    private static IReadOnlyList<TorchCase> TorchCases()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "pooling", "pooling.json")));
        static double[] Values(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        return json.RootElement.GetProperty("cases").EnumerateArray().Select(c => new TorchCase(
            c.GetProperty("layer").GetString()!, c.GetProperty("inputShape").EnumerateArray().Select(v => v.GetInt32()).ToArray(), c.GetProperty("batch").GetInt32(),
            Values(c.GetProperty("inputs")), Values(c.GetProperty("outputs")), Values(c.GetProperty("weights")), Values(c.GetProperty("inputGradients")))).ToList();
    }

    [Fact]
    public void Forward_matches_PyTorch_in_double_and_float()
    {
        var cases = TorchCases();
        Assert.Equal(ReferenceNetworks.Keys.OrderBy(k => k), cases.Select(c => c.Key).OrderBy(k => k));
        foreach (var c in cases)
        {
            var net = ReferenceNetworks[c.Key]();
            Assert.Equal(c.Inputs.Length, c.Batch * net.InputSize);
            var y = new double[c.Outputs.Length];
            net.Forward(c.Inputs, y, c.Batch);
            double worst = c.Outputs.Zip(y, (e, a) => Math.Abs(e - a)).Max();
            output.WriteLine($"{c.Key}: double, largest difference from PyTorch {worst:E3}");
            Assert.True(worst < 1e-12, $"{c.Key}: {worst:E3}");
            if (!FloatReferenceNetworks.TryGetValue(c.Key, out var single)) continue;
            var floatNet = single();
            var yf = new float[c.Outputs.Length];
            floatNet.Forward(c.Inputs.Select(v => (float)v).ToArray(), yf, c.Batch);
            double worstFloat = c.Outputs.Zip(yf, (e, a) => Math.Abs(e - a)).Max();
            output.WriteLine($"{c.Key}: float, largest difference from PyTorch {worstFloat:E3}");
            Assert.True(worstFloat < 1e-6, $"{c.Key} (float): {worstFloat:E3}");
        }
    }

    /// <summary>The kernels the generated backward pass calls, against PyTorch's gradient of sum(y ⊙ w): ties go to the first maximum.</summary>
    [Fact]
    public void Input_gradients_match_PyTorch_ties_to_the_first_maximum()
    {
        foreach (var c in TorchCases())
        {
            var dx = new double[c.Inputs.Length];
            int[] s = c.InputShape;
            bool sequence = s.Length == 2;
            int height = s[0], width = sequence ? 1 : s[1], channels = s[s.Length - 1], positions = height * width;
            int inSize = positions * channels, outSize = c.Outputs.Length / c.Batch;
            string kind = c.Layer.Split('(')[0];
            (int pool, int stride) = kind.StartsWith("Global", StringComparison.Ordinal) ? (0, 0) : PoolAndStride(c.Layer);
            (int ph, int pw, int sh, int sw) = sequence ? (pool, 1, stride, 1) : (pool, pool, stride, stride);
            var y = new double[c.Outputs.Length];
            var argmax = new int[c.Outputs.Length];
            switch (kind)
            {
                case "MaxPool1D":
                    PoolingKernels.MaxPoolForward<double>(c.Inputs, y, argmax, c.Batch, height, width, channels, ph, pw, sh, sw);
                    ConvolutionKernels.MaxPoolBackward<double>(c.Weights, argmax, dx, c.Batch, inSize, outSize);
                    break;
                case "AveragePool1D":
                case "AveragePool2D":
                    PoolingKernels.AveragePoolForward<double>(c.Inputs, y, c.Batch, height, width, channels, ph, pw, sh, sw);
                    PoolingKernels.AveragePoolBackward<double>(c.Weights, dx, c.Batch, height, width, channels, ph, pw, sh, sw);
                    break;
                case "GlobalAveragePool":
                    PoolingKernels.GlobalAveragePoolForward<double>(c.Inputs, y, c.Batch, positions, channels);
                    PoolingKernels.GlobalAveragePoolBackward<double>(c.Weights, dx, c.Batch, positions, channels);
                    break;
                case "GlobalMaxPool":
                    PoolingKernels.GlobalMaxPoolForward<double>(c.Inputs, y, argmax, c.Batch, positions, channels);
                    ConvolutionKernels.MaxPoolBackward<double>(c.Weights, argmax, dx, c.Batch, inSize, outSize);
                    break;
                default:
                    throw new InvalidOperationException(c.Layer);
            }
            double worstForward = c.Outputs.Zip(y, (e, a) => Math.Abs(e - a)).Max();
            double worst = c.InputGradients.Zip(dx, (e, a) => Math.Abs(e - a)).Max();
            output.WriteLine($"{c.Key}: kernels' output {worstForward:E3}, input gradient {worst:E3} from PyTorch");
            Assert.True(worstForward < 1e-12, $"{c.Key}: output {worstForward:E3}");
            Assert.True(worst < 1e-12, $"{c.Key}: input gradient {worst:E3}");
        }
    }

    private static (int Pool, int Stride) PoolAndStride(string layer)
    {
        string inside = layer.Substring(layer.IndexOf('(') + 1).TrimEnd(')');
        string[] parts = inside.Split(',');
        int pool = int.Parse(parts[0].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        int stride = parts.Length > 1 ? int.Parse(parts[1].Split('=')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture) : pool;
        return (pool, stride);
    }

    [Fact]
    public void Max_pool_breaks_ties_toward_the_first_maximum()
    {
        // Channel 0 ties at steps 0 and 1, channel 1 at steps 1 and 2; windows of 3 over 3 steps.
        double[] x = [5, 1, 5, 7, 2, 7];
        var y = new double[2];
        var argmax = new int[2];
        PoolingKernels.MaxPoolForward<double>(x, y, argmax, 1, 3, 1, 2, 3, 1, 1, 1);
        Assert.Equal([5.0, 7.0], y);
        Assert.Equal([0, 3], argmax);
        var globalArgmax = new int[2];
        PoolingKernels.GlobalMaxPoolForward<double>(x, y, globalArgmax, 1, 3, 2);
        Assert.Equal([0, 3], globalArgmax);
    }

    [Fact]
    public void Kernels_refuse_wrong_lengths_before_writing()
    {
        var y = new double[4];
        y.AsSpan().Fill(9);
        var e = Assert.Throws<ArgumentException>(() => PoolingKernels.AveragePoolForward<double>(new double[7], y, 1, 4, 1, 2, 2, 1, 2, 1));
        Assert.Contains("length 8", e.Message);
        Assert.All(y, v => Assert.Equal(9, v));
        e = Assert.Throws<ArgumentException>(() => PoolingKernels.GlobalAveragePoolBackward<double>(new double[3], y, 1, 2, 2));
        Assert.Contains("length 2", e.Message);
        Assert.All(y, v => Assert.Equal(9, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => PoolingKernels.MaxPoolForward<double>(new double[8], y, default, 1, 4, 1, 2, 5, 1, 1, 1));
    }

    /// <summary>MaxPool2D's square kernel is the general one's square case; it refuses an output size its pool does not give.</summary>
    [Fact]
    public void Square_max_pool_is_the_general_one_and_checks_its_output_size()
    {
        var random = new DeterministicRandom(8);
        var x = new double[2 * 5 * 5 * 3];
        for (int i = 0; i < x.Length; i++) x[i] = random.NextDouble(-1, 1);
        double[] square = new double[2 * 2 * 2 * 3], general = new double[square.Length];
        int[] squareArgmax = new int[square.Length], generalArgmax = new int[square.Length];
        ConvolutionKernels.MaxPoolForward<double>(x, square, squareArgmax, 2, 5, 5, 3, 2, 2, 2, 2);
        PoolingKernels.MaxPoolForward<double>(x, general, generalArgmax, 2, 5, 5, 3, 2, 2, 2, 2);
        Assert.Equal(general, square);
        Assert.Equal(generalArgmax, squareArgmax);
        // The first window of channel 0: (0, 0), (0, 1), (1, 0), (1, 1) of a 5-wide, 3-channel image.
        Assert.Equal(Math.Max(Math.Max(x[0], x[3]), Math.Max(x[15], x[18])), square[0]);
        var e = Assert.Throws<ArgumentException>(() => ConvolutionKernels.MaxPoolForward<double>(x, square, default, 2, 5, 5, 3, 2, 2, 3, 2));
        Assert.Contains("2x2", e.Message);
    }

    [Fact]
    public void Single_and_double_agree()
    {
        var d = new PoolStackNet();
        var f = new PoolStackFloatNet();
        var random = new DeterministicRandom(7);
        Span<double> pd = d.Parameters;
        Span<float> pf = f.Parameters;
        for (int i = 0; i < pd.Length; i++) pf[i] = (float)(pd[i] = 0.5 * random.NextNormal());
        const int batch = 4;
        var x = new double[batch * PoolStackNet.InputSize];
        for (int i = 0; i < x.Length; i++) x[i] = random.NextDouble(-1, 1);
        var t = new double[batch * PoolStackNet.OutputSize];
        for (int i = 0; i < t.Length; i++) t[i] = random.NextDouble(-1, 1);
        var yd = new double[batch * PoolStackNet.OutputSize];
        var yf = new float[batch * PoolStackNet.OutputSize];
        d.Forward(x, yd, batch);
        f.Forward(x.Select(v => (float)v).ToArray(), yf, batch);
        for (int i = 0; i < yd.Length; i++) Assert.Equal(yd[i], yf[i], 1e-5);
        d.ComputeGradients(x, t, batch);
        f.ComputeGradients(x.Select(v => (float)v).ToArray(), t.Select(v => (float)v).ToArray(), batch);
        double largest = d.Gradients.ToArray().Max(Math.Abs);
        for (int i = 0; i < pd.Length; i++) Assert.Equal(d.Gradients[i], f.Gradients[i], 1e-5 * Math.Max(1, largest));
    }

    [Fact] public void Pooled_sequence_network_allocates_nothing_after_warm_up() => MeasureAllocations(new PoolStackFloatNet(), PoolStackFloatNet.Forward);

    [Fact] public void Pooled_image_network_allocates_nothing_after_warm_up() => MeasureAllocations(new PoolImageFloatNet(), PoolImageFloatNet.Forward);

    private void MeasureAllocations<TNet>(TNet net, AllocationTests.StaticForward forward) where TNet : ITrainableNetwork<float>
    {
        const int batch = 4;
        var inputs = new float[batch * net.InputSize];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = ((i * 7 + 3) % 13) / 13f;
        var targets = new float[batch * net.OutputSize];
        for (int b = 0; b < batch; b++) targets[b * net.OutputSize + b % net.OutputSize] = 1;
        var one = new float[net.OutputSize];
        var outputs = new float[batch * net.OutputSize];
        var parameters = net.Parameters.ToArray();
        var calls = new (string Name, Action Call)[]
        {
            ("ComputeLoss", () => net.ComputeLoss(inputs, targets, batch)),
            ("ComputeGradients", () => net.ComputeGradients(inputs, targets, batch)),
            ("TrainStep", () => net.TrainStep(inputs, targets, batch)),
            ("Forward", () => net.Forward(inputs.AsSpan(0, net.InputSize), one)),
            ("Forward (batch)", () => net.Forward(inputs, outputs, batch)),
            ("Forward (static)", () => forward(parameters, inputs.AsSpan(0, net.InputSize), one)),
        };
        foreach (var (name, call) in calls)
        {
            long bytes = Allocations.Steady(call, 5);
            output.WriteLine($"{typeof(TNet).Name} {name}: {bytes / 5.0} bytes per call");
            Assert.Equal(0, bytes);
        }
    }

    [Fact]
    public void Summary_names_the_pools_as_Keras()
    {
        string summary = new PoolStackNet().Summary();
        output.WriteLine(summary);
        Assert.Contains("max_pooling1d_1 (MaxPool1D)", summary);
        Assert.Contains("average_pooling1d_1 (AveragePool1D)", summary);
        Assert.Contains("global_max_pooling1d_1 (GlobalMaxPool)", summary);
        Assert.Contains("(None, 11, 4)", summary);
        Assert.Contains("(None, 5, 3)", summary);
        string image = new PoolImageFloatNet().Summary();
        Assert.Contains("average_pooling2d_1 (AveragePool2D)", image);
        Assert.Contains("global_average_pooling2d_1 (GlobalAveragePool)", image);
        Assert.Contains("(None, 4, 4, 4)", image);
    }

    /// <summary>
    /// Conv2D → GlobalAveragePool → Dense tells 6x6 images with a vertical bar from those with a horizontal bar, at random
    /// places: only the convolution's orientation features survive the global mean, so the loss falls only if the
    /// gradient flows back through the pool into the filters.
    /// </summary>
    [Fact]
    public void Conv2D_GlobalAveragePool_Dense_learns_bar_orientation()
    {
        var net = new GlobalPoolClassifierNet();
        var random = new DeterministicRandom(5);
        const int samples = 64;
        var x = new float[samples * 36];
        var t = new float[samples * 2];
        for (int s = 0; s < samples; s++)
        {
            bool vertical = s % 2 == 0;
            int at = random.NextInt32(6);
            for (int i = 0; i < 36; i++) x[s * 36 + i] = (float)(0.1 * random.NextDouble());
            for (int k = 0; k < 6; k++) x[s * 36 + (vertical ? k * 6 + at : at * 6 + k)] = 1;
            t[s * 2 + (vertical ? 0 : 1)] = 1;
        }
        double before = net.ComputeLoss(x, t, samples);
        for (int epoch = 0; epoch < 60; epoch++)
            for (int b = 0; b < samples; b += 16) net.TrainStep(x.AsSpan(b * 36, 16 * 36), t.AsSpan(b * 2, 16 * 2), 16);
        double after = net.ComputeLoss(x, t, samples);
        var y = new float[samples * 2];
        net.Forward(x, y, samples);
        int correct = 0;
        for (int s = 0; s < samples; s++) correct += (y[s * 2] > y[s * 2 + 1]) == (s % 2 == 0) ? 1 : 0;
        output.WriteLine($"loss {before:F4} -> {after:F4}, {correct}/{samples} correct");
        Assert.True(after < 0.25 * before, $"loss {before} -> {after}");
        Assert.True(correct >= 60, $"{correct}/{samples} correct");
    }

    /// <summary>Pooling mixes steps, so a recurrent network with a pool gets no <c>Step</c> (DESIGN.md: no pooling over time).</summary>
    [Fact]
    public void A_pooled_recurrent_network_does_not_stream()
    {
        Assert.NotNull(typeof(StreamingControlNet).GetMethod("Step"));
        Assert.Null(typeof(PooledRecurrentNet).GetMethod("Step"));
        Assert.Null(typeof(PooledRecurrentNet).GetMethod("ResetState"));
        Assert.Null(typeof(GlobalPooledRecurrentNet).GetMethod("Step"));
    }
}
