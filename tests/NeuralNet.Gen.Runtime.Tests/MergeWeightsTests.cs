using System;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Runtime.Tests;

/// <summary>
/// Skip connections from torch.onnx.export files: ONNX's Add and Concat matched to declared Add and Concatenate (which
/// output each reads), at build and run time, checked against PyTorch's outputs; graphs that are not our chain are refused.
/// </summary>
public class MergeWeightsTests(ITestOutputHelper output)
{
    private static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "onnx", name);

    private void AssertMatchesTorch(INetwork<float> net, string model)
    {
        double worst = RecurrentWeightsTests.WorstDifference(net, model);
        output.WriteLine($"{net.GetType().Name} ({model}): worst difference from PyTorch {worst:E2}");
        Assert.True(worst <= 1e-6, $"worst difference {worst:E2}");
    }

    [Fact]
    public void LoadOnnx_matches_an_Add_to_the_declared_skip()
    {
        var net = new TorchResidualSkipNet();
        net.LoadOnnx(DataFile("residual_skip.onnx"));
        AssertMatchesTorch(net, "residual_skip");
    }

    [Fact]
    public void LoadOnnx_matches_a_Concat_with_the_input()
    {
        var net = new TorchConcatInputNet();
        net.LoadOnnx(DataFile("concat_input.onnx"));
        AssertMatchesTorch(net, "concat_input");
    }

    [Fact]
    public void Weights_attribute_bakes_skip_connections_in_at_build_time()
    {
        AssertMatchesTorch(new OnnxBakedResidualSkipNet(), "residual_skip");
        AssertMatchesTorch(new OnnxBakedConcatInputNet(), "concat_input");
    }

    [Fact]
    public void The_same_state_dicts_load_from_safetensors()
    {
        var skip = new TorchResidualSkipNet();
        skip.LoadSafetensors(DataFile("residual_skip.safetensors"), "fc1, fc2, out");
        AssertMatchesTorch(skip, "residual_skip");
        var concat = new TorchConcatInputNet();
        concat.LoadSafetensors(DataFile("concat_input.safetensors"), "fc, out");
        AssertMatchesTorch(concat, "concat_input");
    }

    [Fact]
    public void A_skip_from_another_layer_is_refused_naming_the_node_and_the_network_is_unchanged()
    {
        var net = new InputSkipNet();
        float[] before = net.Parameters.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => net.LoadOnnx(DataFile("residual_skip.onnx")));
        Assert.Contains("node '/Add' (Add) reads '/Relu_output_0' as its second operand; expected the network's input 'input' for layer 3 (Add of the network's input)", e.Message);
        Assert.Equal(before, net.Parameters.ToArray());

        var reversed = Assert.Throws<InvalidDataException>(() => new TorchResidualSkipNet().LoadOnnx(DataFile("concat_input.onnx")));
        Assert.Contains("node '/Concat' is an ONNX Concat; expected an Add for layer 3 (Add of layer 1's output)", reversed.Message);
    }

    [Fact]
    public void Branches_that_are_not_a_chain_and_merges_the_network_lacks_are_refused()
    {
        // concat.onnx runs two Linear layers side by side on the input: the second does not read the first.
        var branches = Assert.Throws<InvalidDataException>(() => new TorchConcatInputNet().LoadOnnx(DataFile("concat.onnx")));
        Assert.Contains("node '/right/Gemm' reads 'input'; expected the previous layer's output", branches.Message);

        // residual.onnx applies a Relu after its Add, which no declared layer does.
        var mlp = Assert.Throws<InvalidDataException>(() => new TorchResidualSkipNet().LoadOnnx(DataFile("residual.onnx")));
        Assert.Contains("node '/Relu_1' (Relu) does not follow a Dense or Conv2D layer", mlp.Message);

        var missing = Assert.Throws<InvalidDataException>(() => new TorchConcatInputNet().LoadOnnx(DataFile("mlp.onnx")));
        Assert.Contains("layer 2 (Concatenate of the network's input) is missing: the file has 0 Add or Concat nodes, the network 1", missing.Message);
    }
}
