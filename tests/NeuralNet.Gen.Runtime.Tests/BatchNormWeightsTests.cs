using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Runtime.Tests;

/// <summary>
/// BatchNorm from PyTorch files: ONNX's BatchNormalization (scale, B, mean, var) and the state_dict's weight, bias,
/// running_mean, running_var, into Parameters and Buffers, at build and run time; Forward (eval mode) then gives PyTorch's outputs.
/// </summary>
public class BatchNormWeightsTests(ITestOutputHelper output)
{
    private static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "onnx", name);

    /// <summary>Our Forward on PyTorch's input against its output, both converted from channels-first images to our channels-last layout.</summary>
    private void AssertMatchesTorch(INetwork<float> net, string model)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(DataFile(model + ".io.json")));
        float[] x = ChannelsLast(json.RootElement.GetProperty("input"));
        float[] expected = ChannelsLast(json.RootElement.GetProperty("output"));
        int batch = x.Length / net.InputSize;
        var y = new float[expected.Length];
        net.Forward(x, y, batch);
        double worst = expected.Select((e, i) => (double)Math.Abs(e - y[i])).Max();
        output.WriteLine($"{net.GetType().Name} ({model}): worst difference from PyTorch {worst:E2}");
        Assert.True(worst <= 2e-6, $"worst difference {worst:E2}");
    }

    private static float[] ChannelsLast(JsonElement tensor)
    {
        int[] s = tensor.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        float[] data = tensor.GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        if (s.Length != 4) return data;
        var nhwc = new float[data.Length];
        for (int b = 0; b < s[0]; b++)
            for (int c = 0; c < s[1]; c++)
                for (int h = 0; h < s[2]; h++)
                    for (int w = 0; w < s[3]; w++)
                        nhwc[((b * s[2] + h) * s[3] + w) * s[1] + c] = data[((b * s[1] + c) * s[2] + h) * s[3] + w];
        return nhwc;
    }

    [Fact]
    public void LoadOnnx_fills_BatchNorm_parameters_and_running_statistics()
    {
        var net = new TorchLinearBatchNormNet();
        net.LoadOnnx(DataFile("linear_batchnorm.onnx"));
        Assert.NotEqual(new float[] { 0, 0, 0, 0, 0, 1, 1, 1, 1, 1 }, net.Buffers.ToArray());
        AssertMatchesTorch(net, "linear_batchnorm");

        var conv = new TorchConvBatchNormNet();
        conv.LoadOnnx(DataFile("batchnorm2d.onnx"));
        AssertMatchesTorch(conv, "batchnorm2d");
    }

    [Fact]
    public void LoadSafetensors_reads_running_mean_and_running_var_into_the_buffers()
    {
        var net = new TorchLinearBatchNormNet();
        net.LoadSafetensors(DataFile("linear_batchnorm.safetensors"));
        AssertMatchesTorch(net, "linear_batchnorm");
    }

    [Fact]
    public void Weights_attribute_bakes_BatchNorm_statistics_in_at_build_time()
    {
        AssertMatchesTorch(new OnnxBakedLinearBatchNormNet(), "linear_batchnorm");
        AssertMatchesTorch(new SafetensorsBakedLinearBatchNormNet(), "linear_batchnorm");
        var conv = new OnnxBakedConvBatchNormNet();
        AssertMatchesTorch(conv, "batchnorm2d");

        // RestoreTrainedParameters puts the file's statistics back after InitializeParameters reset them.
        float[] buffers = conv.Buffers.ToArray();
        conv.InitializeParameters(3);
        Assert.NotEqual(buffers, conv.Buffers.ToArray());
        conv.RestoreTrainedParameters();
        Assert.Equal(buffers, conv.Buffers.ToArray());
    }

    [Fact]
    public void A_BatchNorm_that_does_not_fit_is_refused_and_the_network_is_unchanged()
    {
        var net = new OtherEpsilonBatchNormNet();
        float[] parameters = net.Parameters.ToArray(), buffers = net.Buffers.ToArray();
        var epsilon = Assert.Throws<InvalidDataException>(() => net.LoadOnnx(DataFile("linear_batchnorm.onnx")));
        Assert.Contains("node '/1/BatchNormalization' has epsilon 1E-05; expected 0.001 for layer 2 (BatchNorm over 5 channels) (declare [BatchNorm(Epsilon = ...)])", epsilon.Message);
        Assert.Equal(parameters, net.Parameters.ToArray());
        Assert.Equal(buffers, net.Buffers.ToArray());

        var missing = Assert.Throws<InvalidDataException>(() => new TorchLinearBatchNormNet().LoadOnnx(DataFile("mlp.onnx")));
        Assert.Contains("node '/2/Gemm' is a Gemm/MatMul; expected a BatchNormalization for layer 2 (BatchNorm over 5 channels)", missing.Message);
    }
}
