using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace NeuralNet.Gen.Runtime.Tests;

/// <summary>PyTorch Conv2d state_dicts (safetensors) imported into Conv2D, checked against PyTorch's own outputs.</summary>
public class ConvolutionWeightsTests
{
    private static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "onnx", name);

    /// <summary>PyTorch's inputs (NCHW images as our NHWC samples) and its outputs.</summary>
    private static (float[] Inputs, float[] Outputs, int Batch) TorchIo(string model = "cnn")
    {
        using var json = JsonDocument.Parse(File.ReadAllText(DataFile(model + ".io.json")));
        var input = json.RootElement.GetProperty("input");
        int[] s = input.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        float[] nchw = input.GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        float[] outputs = json.RootElement.GetProperty("output").GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        if (s.Length == 2) return (nchw, outputs, s[0]);
        int n = s[0], c = s[1], h = s[2], w = s[3];
        var nhwc = new float[nchw.Length];
        for (int b = 0; b < n; b++)
            for (int ci = 0; ci < c; ci++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        nhwc[((b * h + y) * w + x) * c + ci] = nchw[((b * c + ci) * h + y) * w + x];
        return (nhwc, outputs, n);
    }

    private static void AssertMatchesTorch(INetwork<float> net, string model = "cnn")
    {
        var (inputs, expected, batch) = TorchIo(model);
        var outputs = new float[batch * net.OutputSize];
        net.Forward(inputs, outputs, batch);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - outputs[i]) <= 1e-5, $"Output {i}: PyTorch {expected[i]:R}, ours {outputs[i]:R}.");
    }

    [Fact]
    public void LoadSafetensors_fills_Conv2D_and_permutes_the_flattened_Dense_columns()
    {
        var net = new TorchCnnNet();
        net.LoadSafetensors(DataFile("cnn.safetensors"));
        AssertMatchesTorch(net);
    }

    [Fact]
    public void Weights_attribute_bakes_a_torch_cnn_in_at_build_time() => AssertMatchesTorch(new BakedTorchCnnNet());

    [Fact]
    public void LoadOnnx_reads_a_torch_exported_cnn()
    {
        var net = new TorchCnnNet();
        net.LoadOnnx(DataFile("cnn.onnx"));
        AssertMatchesTorch(net);
    }

    [Fact]
    public void Weights_attribute_bakes_a_torch_exported_onnx_cnn_in_at_build_time() => AssertMatchesTorch(new OnnxBakedCnnNet());

    [Fact]
    public void LoadOnnx_reads_gemm_and_matmul_add_dense_layers()
    {
        var mlp = new TorchMlpNet();
        using (var stream = File.OpenRead(DataFile("mlp.onnx"))) mlp.LoadOnnx(stream);
        AssertMatchesTorch(mlp, "mlp");
        var keras = new KerasStyleOnnxNet();
        keras.LoadOnnx(DataFile("keras_dense.onnx"));
        AssertMatchesTorch(keras, "keras_dense");
    }

    [Fact]
    public void An_onnx_file_that_does_not_fit_is_refused_naming_the_node_and_the_network_is_unchanged()
    {
        var net = new TorchCnnNet();
        float[] before = net.Parameters.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => net.LoadOnnx(DataFile("mlp.onnx")));
        Assert.Contains("is a Gemm/MatMul; expected a Conv for layer 1 (Conv2D 4 filters 3x3 on 2 channels, Relu)", e.Message);
        Assert.Equal(before, net.Parameters.ToArray());

        var activation = Assert.Throws<InvalidDataException>(() => new KerasStyleOnnxNet().LoadOnnx(DataFile("mlp.onnx")));
        Assert.Contains("expected Softmax", activation.Message);
    }

    [Fact]
    public void Gelu_loads_only_from_the_tanh_approximation_and_the_exact_erf_form_is_refused_unchanged()
    {
        var net = new TorchGeluNet();
        net.LoadOnnx(DataFile("act_gelu_tanh.onnx"));
        AssertMatchesTorch(net, "act_gelu_tanh");

        float[] before = net.Parameters.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => net.LoadOnnx(DataFile("act_gelu.onnx")));
        Assert.Contains("Gelu (exact, with erf; ours is the tanh approximation)", e.Message);
        Assert.Contains("expected Gelu", e.Message);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Fact]
    public void A_damaged_onnx_file_is_refused_with_InvalidDataException()
    {
        byte[] model = File.ReadAllBytes(DataFile("cnn.onnx"));
        var net = new TorchCnnNet();
        float[] before = net.Parameters.ToArray();
        foreach (int length in new[] { 0, 1, 7, model.Length / 3, model.Length / 2, model.Length - 1 })
        {
            var e = Assert.Throws<InvalidDataException>(() => net.LoadOnnx(new MemoryStream(model, 0, length)));
            Assert.Contains("ONNX", e.Message);
        }
        var random = new Random(5);
        for (int i = 0; i < 50; i++)
        {
            byte[] damaged = (byte[])model.Clone();
            damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
            try
            {
                net.LoadOnnx(new MemoryStream(damaged));
            }
            catch (InvalidDataException)
            {
                Assert.Equal(before, net.Parameters.ToArray());
                continue;
            }
            // A flip inside a weight's bytes still loads: the file is whole, only a value changed.
            net.Parameters.Clear();
            before.CopyTo(net.Parameters);
        }
    }

    [Fact]
    public void Conv2D_weights_are_copied_in_pytorch_order()
    {
        // Conv2D keeps nn.Conv2d's [filters, channels, kh, kw] layout: the tensor's bytes land unchanged.
        var net = new TorchCnnNet();
        net.LoadSafetensors(DataFile("cnn.safetensors"));
        byte[] file = File.ReadAllBytes(DataFile("cnn.safetensors"));
        long headerLength = BitConverter.ToInt64(file, 0);
        var weight = MemoryMarshalFloats(file, (int)(8 + headerLength), 4 * 2 * 3 * 3);
        Assert.Equal(weight, net.Parameters.Slice(0, weight.Length).ToArray());
    }

    [Fact]
    public void A_conv_tensor_of_another_shape_is_refused_and_the_network_is_unchanged()
    {
        var tensors = new[]
        {
            Safetensors.F32("0.weight", [4, 2, 2, 2], new float[32]),
            Safetensors.F32("0.bias", [4], new float[4]),
            Safetensors.F32("4.weight", [5, 36], new float[180]),
            Safetensors.F32("4.bias", [5], new float[5]),
        };
        var net = new TorchCnnNet();
        float[] before = net.Parameters.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => net.LoadSafetensors(new MemoryStream(Safetensors.Write(tensors))));
        Assert.Contains("tensor '0.weight' has shape [4, 2, 2, 2]; expected [4, 2, 3, 3] for layer 1 (Conv2D 4 filters 3x3 on 2 channels, Relu)", e.Message);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    private static float[] MemoryMarshalFloats(byte[] data, int start, int count) =>
        Enumerable.Range(0, count).Select(i => BitConverter.ToSingle(data, start + 4 * i)).ToArray();
}
