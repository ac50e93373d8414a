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
[Input(9, 3)]
[Conv1D(4, 3, Relu, Stride = 2)]
public partial class TorchConv1DValidNet { }

// PyTorch's padding=1 for kernel 3, stride 1 is Keras's Same.
[Network]
[Input(8, 3)]
[Conv1D(4, 3, Tanh, Padding = Padding.Same)]
public partial class TorchConv1DSameNet { }

[Network]
[Input(10, 2)]
[Conv1D(3, 3, Relu, Padding = Padding.Causal, Dilation = 2)]
public partial class TorchConv1DCausalNet { }

[Network]
[Input(10, 2)]
[Conv1D(3, 3, Relu, Padding = Padding.Causal, Dilation = 2)]
[Weights("onnx/conv1d_causal.safetensors", Names = "conv")]
public partial class BakedTorchConv1DCausalNet { }

/// <summary>
/// PyTorch Conv1d state_dicts (<c>weight</c> [out, in, k], <c>bias</c>) read by <c>LoadSafetensors</c> and <c>[Weights]</c>
/// into Conv1D, and the forward pass against PyTorch's own outputs (tests/TestData/onnx/make_models.py wrote both).
/// </summary>
public class Conv1DWeightsTests(ITestOutputHelper output)
{
    private static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "onnx", name);

    /// <summary>PyTorch's [N, C, L] inputs as our [N, L, C] samples, and its [N, F, L'] outputs as our [N, L', F].</summary>
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

    private static float[] ChannelsLast(float[] ncl, int[] shape)
    {
        int n = shape[0], c = shape[1], l = shape[2];
        var nlc = new float[ncl.Length];
        for (int b = 0; b < n; b++)
            for (int ci = 0; ci < c; ci++)
                for (int t = 0; t < l; t++)
                    nlc[(b * l + t) * c + ci] = ncl[(b * c + ci) * l + t];
        return nlc;
    }

    private void AssertMatchesTorch(INetwork<float> net, string model)
    {
        var (inputs, expected, batch) = TorchIo(model);
        Assert.Equal(expected.Length, batch * net.OutputSize);
        var outputs = new float[batch * net.OutputSize];
        net.Forward(inputs, outputs, batch);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - outputs[i]));
        output.WriteLine($"{model}: worst difference from PyTorch {worst:E3}");
        Assert.True(worst <= 1e-5, $"worst difference from PyTorch {worst:E3}");
    }

    [Fact]
    public void LoadSafetensors_fills_Conv1D_from_a_torch_state_dict()
    {
        var valid = new TorchConv1DValidNet();
        valid.LoadSafetensors(DataFile("conv1d_valid.safetensors"));   // "0.weight", "0.bias" of nn.Sequential
        AssertMatchesTorch(valid, "conv1d_valid");
        var same = new TorchConv1DSameNet();
        same.LoadSafetensors(DataFile("conv1d_same.safetensors"));
        AssertMatchesTorch(same, "conv1d_same");
        var causal = new TorchConv1DCausalNet();
        causal.LoadSafetensors(DataFile("conv1d_causal.safetensors"), "conv");
        AssertMatchesTorch(causal, "conv1d_causal");
    }

    [Fact]
    public void LoadOnnx_reads_a_torch_exported_conv1d()
    {
        var valid = new TorchConv1DValidNet();
        valid.LoadOnnx(DataFile("conv1d_valid.onnx"));
        AssertMatchesTorch(valid, "conv1d_valid");
        var same = new TorchConv1DSameNet();
        same.LoadOnnx(DataFile("conv1d_same.onnx"));
        AssertMatchesTorch(same, "conv1d_same");
    }

    [Fact]
    public void Weights_attribute_bakes_a_torch_conv1d_in_at_build_time() => AssertMatchesTorch(new BakedTorchConv1DCausalNet(), "conv1d_causal");

    [Fact]
    public void A_conv1d_weight_of_another_shape_is_refused_naming_the_tensor_and_the_network_is_unchanged()
    {
        // conv1d_valid holds [4, 3, 3]; the causal network wants [3, 2, 3].
        var net = new TorchConv1DCausalNet();
        float[] before = net.Parameters.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => net.LoadSafetensors(DataFile("conv1d_valid.safetensors")));
        Assert.Contains("'0.weight'", e.Message);
        Assert.Contains("[3, 2, 3]", e.Message);
        Assert.Contains("Conv1D 3 filters of 3 on 2 channels", e.Message);
        Assert.Equal(before, net.Parameters.ToArray());
    }
}
