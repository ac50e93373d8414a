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
[Input(8, 2)]
[Conv1D(3, 3, Tanh)]
[Flatten]
[Dense(2)]
public partial class TorchConv1DFlattenNet { }

[Network]
[Input(8, 2)]
[Conv1D(3, 3, Tanh)]
[Flatten]
[Dense(2)]
[Weights("onnx/conv1d_flatten.safetensors")]
public partial class BakedTorchConv1DFlattenNet { }

// The Conv1d's channels-first layout survives a pool and a Dropout up to the Flatten.
[Network]
[Input(8, 2)]
[Conv1D(3, 3, Relu)]
[MaxPool1D(2)]
[Dropout(0.5)]
[Flatten]
[Dense(2)]
public partial class TorchConv1DPoolFlattenNet { }

[Network]
[Input(8, 2)]
[Conv1D(3, 3, Relu)]
[MaxPool1D(2)]
[Dropout(0.5)]
[Flatten]
[Dense(2)]
[Weights("onnx/conv1d_pool_flatten.safetensors")]
public partial class BakedTorchConv1DPoolFlattenNet { }

// nn.Linear per step over [batch, steps, features]: PyTorch's sequence is channels-last, as ours.
[Network]
[Input(5, 2)]
[Dense(3, Tanh)]
[Flatten]
[Dense(2)]
public partial class TorchSequenceLinearFlattenNet { }

[Network]
[Input(5, 2)]
[Dense(3, Tanh)]
[Flatten]
[Dense(2)]
[Weights("onnx/seq_linear_flatten.safetensors")]
public partial class BakedTorchSequenceLinearFlattenNet { }

/// <summary>
/// A Linear after the Flatten of a sequence, from PyTorch's state_dict and its ONNX export: after a Conv1d the
/// sequence is [channels, steps] in PyTorch, so the Linear's columns are channel-major and must be permuted to our
/// step-major order; after a per-step Linear it is [steps, features] in both and nothing moves. Outputs against
/// PyTorch's own (tests/TestData/onnx/make_models.py).
/// </summary>
public class SequenceFlattenWeightsTests(ITestOutputHelper output)
{
    private static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "onnx", name);

    /// <summary>PyTorch's input as our [N, steps, features] samples (a Conv1d's [N, C, L] transposed) and its [N, units] output.</summary>
    private static (float[] Inputs, float[] Outputs, int Batch) TorchIo(string model, bool channelsFirstInput)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(DataFile(model + ".io.json")));
        (float[] Data, int[] Shape) Read(string name)
        {
            var e = json.RootElement.GetProperty(name);
            return (e.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray(), e.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray());
        }
        var (x, xs) = Read("input");
        var (y, _) = Read("output");
        if (!channelsFirstInput) return (x, y, xs[0]);
        int n = xs[0], c = xs[1], l = xs[2];
        var nlc = new float[x.Length];
        for (int b = 0; b < n; b++)
            for (int ci = 0; ci < c; ci++)
                for (int t = 0; t < l; t++)
                    nlc[(b * l + t) * c + ci] = x[(b * c + ci) * l + t];
        return (nlc, y, n);
    }

    private void AssertMatchesTorch(INetwork<float> net, string model, bool channelsFirstInput = true)
    {
        var (inputs, expected, batch) = TorchIo(model, channelsFirstInput);
        Assert.Equal(expected.Length, batch * net.OutputSize);
        var outputs = new float[expected.Length];
        net.Forward(inputs, outputs, batch);
        double worst = expected.Zip(outputs, (a, b) => Math.Abs((double)a - b)).Max();
        output.WriteLine($"{model} ({net.GetType().Name}): worst difference from PyTorch {worst:E3}");
        Assert.True(worst <= 1e-5, $"worst difference from PyTorch {worst:E3}");
    }

    [Fact]
    public void LoadSafetensors_permutes_a_Linear_after_a_flattened_Conv1d_to_our_step_major_columns()
    {
        var net = new TorchConv1DFlattenNet();
        net.LoadSafetensors(DataFile("conv1d_flatten.safetensors"));
        AssertMatchesTorch(net, "conv1d_flatten");
        var pooled = new TorchConv1DPoolFlattenNet();
        pooled.LoadSafetensors(DataFile("conv1d_pool_flatten.safetensors"));
        AssertMatchesTorch(pooled, "conv1d_pool_flatten");
    }

    [Fact]
    public void Weights_attribute_permutes_a_Linear_after_a_flattened_Conv1d_at_build_time()
    {
        AssertMatchesTorch(new BakedTorchConv1DFlattenNet(), "conv1d_flatten");
        AssertMatchesTorch(new BakedTorchConv1DPoolFlattenNet(), "conv1d_pool_flatten");
    }

    [Fact]
    public void A_Linear_after_a_flattened_per_step_Linear_keeps_its_columns()
    {
        var net = new TorchSequenceLinearFlattenNet();
        net.LoadSafetensors(DataFile("seq_linear_flatten.safetensors"));
        AssertMatchesTorch(net, "seq_linear_flatten", channelsFirstInput: false);
        AssertMatchesTorch(new BakedTorchSequenceLinearFlattenNet(), "seq_linear_flatten", channelsFirstInput: false);
    }

    [Fact]
    public void LoadOnnx_of_the_same_models_permutes_once()
    {
        var net = new TorchConv1DFlattenNet();
        net.LoadOnnx(DataFile("conv1d_flatten.onnx"));
        AssertMatchesTorch(net, "conv1d_flatten");
        var pooled = new TorchConv1DPoolFlattenNet();
        pooled.LoadOnnx(DataFile("conv1d_pool_flatten.onnx"));
        AssertMatchesTorch(pooled, "conv1d_pool_flatten");
        var perStep = new TorchSequenceLinearFlattenNet();
        perStep.LoadOnnx(DataFile("seq_linear_flatten.onnx"));
        AssertMatchesTorch(perStep, "seq_linear_flatten", channelsFirstInput: false);
    }

    [Fact]
    public void The_ONNX_export_of_a_Conv1D_Flatten_Dense_network_loads_back_unpermuted()
    {
        var net = new TorchConv1DPoolFlattenNet();
        net.LoadSafetensors(DataFile("conv1d_pool_flatten.safetensors"));
        using var file = new MemoryStream();
        net.ExportOnnx(file);
        file.Position = 0;
        var twin = new TorchConv1DPoolFlattenNet();
        twin.LoadOnnx(file);
        Assert.Equal(net.Parameters.ToArray(), twin.Parameters.ToArray());
    }
}
