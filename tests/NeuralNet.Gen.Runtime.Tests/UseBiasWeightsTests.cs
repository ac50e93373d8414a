using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using NeuralNet.Gen;
using Xunit;
using Xunit.Abstractions;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Runtime.Tests;

[Network]
[Input(5)]
[Dense(3, Tanh, UseBias = false)]
public partial class TorchLinearNoBiasNet { }

[Network]
[Input(5, 5, 2)]
[Conv2D(3, 3, Tanh, UseBias = false)]
public partial class TorchConv2DNoBiasNet { }

[Network]
[Input(5)]
[Dense(3, Tanh, UseBias = false)]
[Weights("onnx/linear_nobias.safetensors")]
public partial class BakedLinearNoBiasNet { }

[Network]
[Input(5, 5, 2)]
[Conv2D(3, 3, Tanh, UseBias = false)]
[Weights("onnx/conv2d_nobias.safetensors")]
public partial class BakedConv2DNoBiasNet { }

[Network]
[Input(5)]
[Dense(3, Tanh, UseBias = false)]
[Weights("onnx/linear_nobias.onnx")]
public partial class OnnxBakedLinearNoBiasNet { }

[Network]
[Input(5, 5, 2)]
[Conv2D(3, 3, Tanh, UseBias = false)]
[Weights("onnx/conv2d_nobias.onnx")]
public partial class OnnxBakedConv2DNoBiasNet { }

// ResNet's pattern: a convolution without bias before a BatchNorm (folded into it by Forward).
[Network]
[Input(5, 5, 2)]
[Conv2D(4, 3, UseBias = false)]
[BatchNorm]
[Activation(Relu)]
[Flatten]
[Dense(2)]
public partial class TorchConv2DNoBiasBatchNormNet { }

[Network]
[Input(5, 5, 2)]
[Conv2D(4, 3, UseBias = false)]
[BatchNorm]
[Activation(Relu)]
[Flatten]
[Dense(2)]
[Weights("onnx/conv2d_nobias_bn.safetensors")]
public partial class BakedConv2DNoBiasBatchNormNet { }

[Network]
[Input(5, 3)]
[Dense(4, Tanh, UseBias = false)]
public partial class TorchSequenceLinearNoBiasNet { }

// The same layers declared with a bias: a bias=False file does not fit them.
[Network]
[Input(5)]
[Dense(3, Tanh)]
public partial class LinearWithBiasNet { }

[Network]
[Input(5, 5, 2)]
[Conv2D(3, 3, Tanh)]
public partial class Conv2DWithBiasNet { }

/// <summary>
/// PyTorch's <c>nn.Linear(bias=False)</c> and <c>nn.Conv2d(bias=False)</c> (state_dicts with only <c>weight</c>, ONNX
/// MatMul and Conv without a bias input) read into layers declared <c>UseBias = false</c>, at run time and at build
/// time, against PyTorch's own outputs (tests/TestData/onnx/make_models.py wrote them); layers declared with a bias
/// refuse such files, naming the missing tensor, and stay unchanged.
/// </summary>
public class UseBiasWeightsTests(ITestOutputHelper output)
{
    private static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "onnx", name);

    /// <summary>PyTorch's inputs and outputs, NCHW images as our NHWC samples.</summary>
    private static (float[] Inputs, float[] Outputs, int Batch) TorchIo(string model)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(DataFile(model + ".io.json")));
        (float[] Data, int[] Shape) Read(string name)
        {
            var e = json.RootElement.GetProperty(name);
            return (e.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray(), e.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray());
        }
        var (x, xs) = Read("input");
        var (y, ys) = Read("output");
        return (ChannelsLast(x, xs), ChannelsLast(y, ys), xs[0]);
    }

    private static float[] ChannelsLast(float[] data, int[] shape)
    {
        if (shape.Length != 4) return data;
        int n = shape[0], c = shape[1], h = shape[2], w = shape[3];
        var nhwc = new float[data.Length];
        for (int b = 0; b < n; b++)
            for (int ci = 0; ci < c; ci++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        nhwc[((b * h + y) * w + x) * c + ci] = data[((b * c + ci) * h + y) * w + x];
        return nhwc;
    }

    private void AssertMatchesTorch(INetwork<float> net, string model)
    {
        var (inputs, expected, batch) = TorchIo(model);
        Assert.Equal(expected.Length, batch * net.OutputSize);
        var outputs = new float[batch * net.OutputSize];
        net.Forward(inputs, outputs, batch);
        double worst = expected.Zip(outputs, (a, b) => Math.Abs((double)a - b)).Max();
        output.WriteLine($"{net.GetType().Name} ({model}): worst difference from PyTorch {worst:E3}");
        Assert.True(worst <= 1e-5, $"worst difference from PyTorch {worst:E3}");
    }

    [Fact]
    public void LoadSafetensors_reads_torch_bias_False_state_dicts()
    {
        var linear = new TorchLinearNoBiasNet();
        Assert.Equal(15, linear.Parameters.Length);
        linear.LoadSafetensors(DataFile("linear_nobias.safetensors"));
        AssertMatchesTorch(linear, "linear_nobias");
        var conv = new TorchConv2DNoBiasNet();
        Assert.Equal(54, conv.Parameters.Length);
        conv.LoadSafetensors(DataFile("conv2d_nobias.safetensors"));
        AssertMatchesTorch(conv, "conv2d_nobias");
    }

    [Fact]
    public void LoadOnnx_reads_MatMul_and_Conv_without_bias()
    {
        var linear = new TorchLinearNoBiasNet();
        linear.LoadOnnx(DataFile("linear_nobias.onnx"));
        AssertMatchesTorch(linear, "linear_nobias");
        var conv = new TorchConv2DNoBiasNet();
        conv.LoadOnnx(DataFile("conv2d_nobias.onnx"));
        AssertMatchesTorch(conv, "conv2d_nobias");
    }

    [Fact]
    public void Weights_attribute_bakes_bias_False_files_in_at_build_time()
    {
        AssertMatchesTorch(new BakedLinearNoBiasNet(), "linear_nobias");
        AssertMatchesTorch(new BakedConv2DNoBiasNet(), "conv2d_nobias");
        AssertMatchesTorch(new OnnxBakedLinearNoBiasNet(), "linear_nobias");
        AssertMatchesTorch(new OnnxBakedConv2DNoBiasNet(), "conv2d_nobias");
    }

    [Fact]
    public void A_convolution_without_bias_before_BatchNorm_reads_a_torch_state_dict()
    {
        // conv.weight, then the BatchNorm's weight, bias, running_mean and running_var (num_batches_tracked is not read).
        var net = new TorchConv2DNoBiasBatchNormNet();
        Assert.Equal(4 * 2 * 9 + 2 * 4 + 36 * 2 + 2, net.Parameters.Length);
        net.LoadSafetensors(DataFile("conv2d_nobias_bn.safetensors"));
        AssertMatchesTorch(net, "conv2d_nobias_bn");
        AssertMatchesTorch(new BakedConv2DNoBiasBatchNormNet(), "conv2d_nobias_bn");
        // torch.onnx.export folded the BatchNorm into the Conv, which so has a bias: that file is another network.
        AssertRefused(new TorchConv2DNoBiasBatchNormNet(), n => n.LoadOnnx(DataFile("conv2d_nobias_bn.onnx")), "has a bias [4]; expected none");
    }

    [Fact]
    public void A_per_step_Dense_without_bias_reads_a_torch_Linear_bias_False()
    {
        var net = new TorchSequenceLinearNoBiasNet();
        net.LoadSafetensors(DataFile("seq_linear_nobias.safetensors"));
        AssertMatchesTorch(net, "seq_linear_nobias");
        var fromOnnx = new TorchSequenceLinearNoBiasNet();
        fromOnnx.LoadOnnx(DataFile("seq_linear_nobias.onnx"));
        AssertMatchesTorch(fromOnnx, "seq_linear_nobias");
    }

    [Fact]
    public void A_layer_declared_with_a_bias_refuses_a_file_without_one_and_is_unchanged()
    {
        AssertRefused(new LinearWithBiasNet(), net => net.LoadSafetensors(DataFile("linear_nobias.safetensors")), "tensor '0.bias' is missing: expected shape [3]");
        AssertRefused(new Conv2DWithBiasNet(), net => net.LoadSafetensors(DataFile("conv2d_nobias.safetensors")), "tensor '0.bias' is missing: expected shape [3]");
        AssertRefused(new LinearWithBiasNet(), net => net.LoadOnnx(DataFile("linear_nobias.onnx")), "node '/0/MatMul' has no bias");
        AssertRefused(new Conv2DWithBiasNet(), net => net.LoadOnnx(DataFile("conv2d_nobias.onnx")), "node '/0/Conv' has no bias");
    }

    [Fact]
    public void A_layer_declared_without_bias_refuses_a_file_with_one_and_is_unchanged()
    {
        // linear_nobias's weight with a bias tensor added, as nn.Linear(5, 3) would save it.
        byte[] file = File.ReadAllBytes(DataFile("linear_nobias.safetensors"));
        int headerLength = (int)BitConverter.ToInt64(file, 0);
        byte[] weight = file.AsSpan(8 + headerLength, 15 * sizeof(float)).ToArray();
        string header = """{"0.weight":{"dtype":"F32","shape":[3,5],"data_offsets":[0,60]},"0.bias":{"dtype":"F32","shape":[3],"data_offsets":[60,72]}}""";
        using var withBias = new MemoryStream();
        withBias.Write(BitConverter.GetBytes((long)header.Length));
        withBias.Write(System.Text.Encoding.ASCII.GetBytes(header));
        withBias.Write(weight);
        withBias.Write(new byte[3 * sizeof(float)]);
        AssertRefused(new TorchLinearNoBiasNet(), net => net.LoadSafetensors(new MemoryStream(withBias.ToArray())), "tensor '0.bias' is extra");
    }

    private void AssertRefused<TNet>(TNet net, Action<TNet> load, string expected) where TNet : INetwork<float>
    {
        float[] before = net.Parameters.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => load(net));
        output.WriteLine($"{typeof(TNet).Name}: {e.Message}");
        Assert.Contains(expected, e.Message);
        Assert.Equal(before, net.Parameters.ToArray());
    }
}
