using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Runtime.Tests;

/// <summary>
/// LayerNorm from a PyTorch state_dict (<c>weight</c>, <c>bias</c>) at build and run time: Forward then gives PyTorch's
/// outputs; a file that does not fit is refused naming the tensor, the network unchanged.
/// </summary>
public class LayerNormWeightsTests(ITestOutputHelper output)
{
    private static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "onnx", name);

    private void AssertMatchesTorch(INetwork<float> net)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(DataFile("layernorm.io.json")));
        float[] Read(string property) => json.RootElement.GetProperty(property).GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        float[] x = Read("input"), expected = Read("output");
        var y = new float[expected.Length];
        net.Forward(x, y, x.Length / net.InputSize);
        double worst = expected.Select((e, i) => (double)Math.Abs(e - y[i])).Max();
        output.WriteLine($"{net.GetType().Name}: worst difference from PyTorch {worst:E2}");
        Assert.True(worst <= 2e-6, $"worst difference {worst:E2}");
        Assert.Contains(y, v => v > 0);
    }

    [Fact]
    public void LoadSafetensors_reads_LayerNorm_weight_and_bias()
    {
        var net = new TorchLinearLayerNormNet();
        net.LoadSafetensors(DataFile("layernorm.safetensors"));
        AssertMatchesTorch(net);
    }

    [Fact]
    public void Weights_attribute_bakes_LayerNorm_in_at_build_time() => AssertMatchesTorch(new SafetensorsBakedLinearLayerNormNet());

    [Theory]
    [InlineData("layernorm.onnx")]
    [InlineData("layernorm.opset11.onnx")]
    [InlineData("layernorm.opset13.onnx")]
    public void LoadOnnx_reads_LayerNormalization_and_its_decomposition(string file)
    {
        var net = new TorchLinearLayerNormNet();
        net.LoadOnnx(DataFile(file));
        AssertMatchesTorch(net);
    }

    [Fact]
    public void Weights_attribute_bakes_an_ONNX_LayerNorm_in_at_build_time() => AssertMatchesTorch(new OnnxBakedLinearLayerNormNet());

    [Fact]
    public void An_ONNX_file_with_another_epsilon_or_activation_is_refused_and_leaves_the_network_unchanged()
    {
        var epsilon = new OtherEpsilonLayerNormNet();
        float[] before = epsilon.Parameters.ToArray();
        var error = Assert.Throws<InvalidDataException>(() => epsilon.LoadOnnx(DataFile("layernorm.opset11.onnx")));
        output.WriteLine(error.Message);
        Assert.Contains("node '/1/ReduceMean' has epsilon 1E-05; expected 0.001 for layer 2 (LayerNorm over 6 values)", error.Message);
        Assert.Equal(before, epsilon.Parameters.ToArray());

        var activation = new OtherActivationLayerNormNet();
        before = activation.Parameters.ToArray();
        error = Assert.Throws<InvalidDataException>(() => activation.LoadOnnx(DataFile("layernorm.onnx")));
        output.WriteLine(error.Message);
        Assert.Contains("node '/2/Relu' (Relu) is where layer 3 (Activation(Tanh)) is; expected Tanh", error.Message);
        Assert.Equal(before, activation.Parameters.ToArray());
    }

    [Fact]
    public void A_file_that_does_not_fit_is_refused_naming_the_tensor_and_leaves_the_network_unchanged()
    {
        var net = new LayerNormWhereBatchNormWasNet();
        float[] before = net.Parameters.ToArray();
        var error = Assert.Throws<InvalidDataException>(() => net.LoadSafetensors(DataFile("linear_batchnorm.safetensors")));
        output.WriteLine(error.Message);
        Assert.Contains("'1.running_mean' is extra", error.Message);
        Assert.Equal(before, net.Parameters.ToArray());

        // The file's LayerNorm(6) where the network's has 5 values: the tensor and both shapes are named.
        var other = new LayerNormWhereBatchNormWasNet();
        float[] unchanged = other.Parameters.ToArray();
        var shape = Assert.Throws<InvalidDataException>(() => other.LoadSafetensors(DataFile("layernorm.safetensors")));
        output.WriteLine(shape.Message);
        Assert.Contains("tensor '1.weight' has shape [6]; expected [5] for layer 2 (LayerNorm over 5 values)", shape.Message);
        Assert.Equal(unchanged, other.Parameters.ToArray());
    }
}
