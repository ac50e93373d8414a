using System;
using System.Linq;
using NeuralNet.Gen.Tests.Convolution;
using Xunit;

namespace NeuralNet.Gen.Tests;

/// <summary>
/// Generated Conv2D, MaxPool2D, Flatten and Dropout forward passes against a direct nested-loop computation written
/// here from the documented layouts: HWC images, weights [filters, channels, kh, kw] then bias, and TensorFlow's Same
/// padding (output ceil(n / s), the odd extra pad after).
/// </summary>
public class ConvolutionForwardTests
{
    private const int Batch = 3;

    /// <summary>The reference convolution, one output at a time.</summary>
    private static double[] Convolve(double[] x, double[] p, int h, int w, int c, int f, int k, int s, bool same)
    {
        int oh = same ? (h + s - 1) / s : (h - k) / s + 1;
        int ow = same ? (w + s - 1) / s : (w - k) / s + 1;
        int top = same ? Math.Max((oh - 1) * s + k - h, 0) / 2 : 0;
        int left = same ? Math.Max((ow - 1) * s + k - w, 0) / 2 : 0;
        var y = new double[oh * ow * f];
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        for (int o = 0; o < f; o++)
        {
            double sum = p[f * c * k * k + o];
            for (int ky = 0; ky < k; ky++)
            for (int kx = 0; kx < k; kx++)
            {
                int iy = oy * s + ky - top, ix = ox * s + kx - left;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                for (int i = 0; i < c; i++) sum += x[(iy * w + ix) * c + i] * p[((o * c + i) * k + ky) * k + kx];
            }
            y[(oy * ow + ox) * f + o] = sum;
        }
        return y;
    }

    private static double[] Random(int length, int seed)
    {
        var random = new DeterministicRandom(seed);
        var values = new double[length];
        for (int i = 0; i < length; i++) values[i] = random.NextDouble(-1, 1);
        return values;
    }

    private delegate void Batched(ReadOnlySpan<double> x, Span<double> y, int batch);

    private delegate void Single(ReadOnlySpan<double> x, Span<double> y);

    /// <summary>Runs the batch and the single-sample Forward and compares both with the reference, sample by sample.</summary>
    private static void Compare(int inputSize, int outputSize, Batched batched, Single single, Func<double[], double[]> reference, double tolerance)
    {
        var x = Random(Batch * inputSize, inputSize);
        var y = new double[Batch * outputSize];
        batched(x, y, Batch);
        var one = new double[outputSize];
        for (int b = 0; b < Batch; b++)
        {
            var expected = reference(x.AsSpan(b * inputSize, inputSize).ToArray());
            Assert.Equal(outputSize, expected.Length);
            single(x.AsSpan(b * inputSize, inputSize), one);
            for (int i = 0; i < outputSize; i++)
            {
                Assert.True(Math.Abs(expected[i] - y[b * outputSize + i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])), $"sample {b} value {i}: expected {expected[i]:R}, batch gave {y[b * outputSize + i]:R}");
                Assert.Equal(y[b * outputSize + i], one[i]); // one sample alone gives the bits it gets in a batch
            }
        }
    }

    private static void Conv<TNet>(TNet net, int h, int w, int c, int f, int k, int s, bool same, bool relu = false) where TNet : INetwork<double>
    {
        var p = Random(net.ParameterCount, 77);
        p.CopyTo(net.Parameters);
        Compare(net.InputSize, net.OutputSize, net.Forward, net.Forward, x =>
        {
            var y = Convolve(x, p, h, w, c, f, k, s, same);
            if (relu) for (int i = 0; i < y.Length; i++) y[i] = Math.Max(y[i], 0);
            return y;
        }, 1e-13);
    }

    [Fact] public void Conv2D_valid_stride_1() => Conv(new ForwardValid1Net(), 7, 6, 3, 5, 3, 1, same: false);
    [Fact] public void Conv2D_same_stride_1() => Conv(new ForwardSame1Net(), 7, 6, 3, 5, 3, 1, same: true);
    [Fact] public void Conv2D_same_stride_2() => Conv(new ForwardSame2Net(), 7, 6, 3, 5, 3, 2, same: true);
    [Fact] public void Conv2D_same_even_kernel_stride_2() => Conv(new ForwardSameEvenKernelNet(), 8, 7, 2, 6, 4, 2, same: true);
    [Fact] public void Conv2D_valid_stride_2_one_channel() => Conv(new ForwardValid2Net(), 8, 9, 1, 3, 3, 2, same: false);
    [Fact] public void Conv2D_20_filters_relu() => Conv(new ForwardWideReluNet(), 6, 6, 4, 20, 2, 1, same: false, relu: true);

    [Fact]
    public void Conv2D_float_every_kernel()
    {
        foreach (INetwork<float> net in new INetwork<float>[] { new ForwardFloatWideNet(), new ForwardFloatNarrowNet(), new ForwardFloatLoweredNet() })
        {
            var p = Random(net.ParameterCount, 5);
            for (int i = 0; i < p.Length; i++) net.Parameters[i] = (float)p[i];
            var x = Random(net.InputSize, 6);
            var y = new float[net.OutputSize];
            net.Forward(Array.ConvertAll(x, v => (float)v), y);
            var pf = Array.ConvertAll(p, v => (double)(float)v);
            var xf = Array.ConvertAll(x, v => (double)(float)v);
            var expected = net switch
            {
                ForwardFloatWideNet => Convolve(xf, pf, 9, 8, 3, 33, 2, 1, same: true),      // across filters: 4 vectors, 1 scalar
                ForwardFloatNarrowNet => Convolve(xf, pf, 9, 8, 5, 7, 1, 2, same: false),    // along window rows
                _ => Convolve(xf, pf, 9, 8, 5, 7, 3, 3, same: false),                        // lowered to a matrix product
            };
            Assert.Equal(expected.Length, y.Length);
            for (int i = 0; i < y.Length; i++) Assert.True(Math.Abs(expected[i] - y[i]) < 1e-5, $"{net.GetType().Name} value {i}: expected {expected[i]}, got {y[i]}");
        }
    }

    private static double[] Pool(double[] x, int h, int w, int c, int pool, int s)
    {
        int oh = (h - pool) / s + 1, ow = (w - pool) / s + 1;
        var y = new double[oh * ow * c];
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        for (int i = 0; i < c; i++)
        {
            double max = double.NegativeInfinity;
            for (int py = 0; py < pool; py++)
            for (int px = 0; px < pool; px++)
                max = Math.Max(max, x[((oy * s + py) * w + ox * s + px) * c + i]);
            y[(oy * ow + ox) * c + i] = max;
        }
        return y;
    }

    [Fact]
    public void MaxPool2D_floor_output()
    {
        var net = new ForwardPoolNet();
        Assert.Equal(3 * 3 * 3, ForwardPoolNet.OutputSize);
        Compare(ForwardPoolNet.InputSize, ForwardPoolNet.OutputSize, net.Forward, net.Forward, x => Pool(x, 7, 6, 3, 2, 2), 0);
    }

    [Fact]
    public void MaxPool2D_overlapping_windows()
    {
        var net = new ForwardPoolOverlapNet();
        Compare(ForwardPoolOverlapNet.InputSize, ForwardPoolOverlapNet.OutputSize, net.Forward, net.Forward, x => Pool(x, 7, 6, 3, 3, 2), 0);
    }

    [Fact]
    public void Flatten_keeps_HWC_order()
    {
        var net = new ForwardFlattenNet();
        Assert.Equal(24, ForwardFlattenNet.OutputSize);
        Compare(24, 24, net.Forward, net.Forward, x => x, 0);
    }

    [Fact]
    public void Dropout_is_the_identity_in_Forward()
    {
        var net = new ForwardDropoutNet();
        var p = Random(ForwardDropoutNet.ParameterCount, 3);
        p.CopyTo(net.Parameters);
        Compare(24, 3 * 4 * 2, net.Forward, net.Forward, x => Convolve(x, p, 3, 4, 2, 2, 1, 1, same: false), 1e-14);
    }

    [Fact]
    public void Convolutional_networks_describe_themselves_for_Onnx_export()
    {
        // ONNX Runtime checks the exported outputs in NeuralNet.Gen.Interop.Tests; here, that the description is complete.
        var description = ((IDescribedNetwork)new FashionCnn()).Description;
        Assert.Equal(
            [LayerKind.Conv2D, LayerKind.MaxPool2D, LayerKind.Conv2D, LayerKind.MaxPool2D, LayerKind.Flatten, LayerKind.Dropout, LayerKind.Dense, LayerKind.Dense],
            description.Layers.Select(l => l.Kind));
        Assert.Equal([28, 28, 1], description.InputShape);
        Assert.Equal(FashionCnn.ParameterCount, description.ParameterCount);
        using var stream = new System.IO.MemoryStream();
        new SmallCnn().ExportOnnx(stream);
        Assert.True(stream.Length > SmallCnn.ParameterCount * sizeof(float));
    }

    [Fact]
    public void Static_Forward_matches_the_instance()
    {
        var net = new ForwardSame2Net();
        var x = Random(ForwardSame2Net.InputSize, 1);
        var y1 = new double[ForwardSame2Net.OutputSize];
        var y2 = new double[ForwardSame2Net.OutputSize];
        net.Forward(x, y1);
        ForwardSame2Net.Forward(net.Parameters, x, y2);
        Assert.Equal(y1, y2);
    }

    [Fact]
    public void Shapes_and_layout_are_documented_constants()
    {
        Assert.Equal(4 * 3 * 5, ForwardSame2Net.OutputSize);          // ceil(7/2) x ceil(6/2) x 5
        Assert.Equal(5 * 3 * 3 * 3 + 5, ForwardSame2Net.ParameterCount);
        Assert.Equal(225034, FashionCnn.ParameterCount); // 320 + 18496 + 204928 + 1290
        string summary = new FashionCnn().Summary();
        Assert.Contains("conv2d_1 (Conv2D, Relu)", summary);
        Assert.Contains("(None, 26, 26, 32)", summary);
        Assert.Contains("max_pooling2d_2 (MaxPool2D)", summary);
        Assert.Contains("(None, 1600)", summary);
        Assert.Contains("Total params: 225034", summary);
        Assert.Contains("IDescribedNetwork", string.Join(",", Array.ConvertAll(typeof(FashionCnn).GetInterfaces(), i => i.Name)));
    }
}
