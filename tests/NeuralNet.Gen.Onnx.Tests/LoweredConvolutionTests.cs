using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;

namespace NeuralNet.Gen.Onnx.Tests;

/// <summary>
/// A convolution written as Pad, strided Slices, Concat, MatMul and Add over the channels-last data (ExportOnnx's
/// double form: ONNX Runtime has no double Conv) reads as Transpose, Conv, Transpose; the candidates compute what
/// ONNX Runtime computes for the file, and windows that are no convolution's are refused naming the node.
/// </summary>
public class LoweredConvolutionTests
{
    private const int Steps = 7, Channels = 2, Filters = 4, Kernel = 3, Dilation = 2, Stride = 2, PadBefore = 2, PadAfter = 1;

    /// <summary>Padded steps 10, span 5, stride 2: 3 outputs, so window j ends at 2j + 5.</summary>
    private const int OutSteps = 3;

    private static byte[] Model(Func<int, long> end, long[]? starts = null, bool bias = true)
    {
        var random = new Random(5);
        double[] weight = Enumerable.Range(0, Kernel * Channels * Filters).Select(_ => random.NextDouble() - 0.5).ToArray();
        var nodes = new List<byte[]> { OnnxBytes.NamedNode("pad", "Pad", new[] { "x", "pads" }, new[] { "padded" }) };
        var initializers = new List<byte[]>
        {
            OnnxBytes.Int64Tensor("pads", 0, PadBefore, 0, 0, PadAfter, 0),
            OnnxBytes.Int64Tensor("axes", 1), OnnxBytes.Int64Tensor("steps", Stride),
            OnnxBytes.DoubleTensor("w", new long[] { Kernel * Channels, Filters }, weight),
            OnnxBytes.DoubleTensor("b", new long[] { Filters }, 0.5, -0.25, 0.125, 1),
        };
        var taps = new string[Kernel];
        for (int j = 0; j < Kernel; j++)
        {
            long start = starts?[j] ?? j * Dilation;
            taps[j] = $"tap{j}";
            initializers.Add(OnnxBytes.Int64Tensor($"starts{j}", start));
            initializers.Add(OnnxBytes.Int64Tensor($"ends{j}", end(j)));
            nodes.Add(OnnxBytes.NamedNode(taps[j], "Slice", new[] { "padded", $"starts{j}", $"ends{j}", "axes", "steps" }, new[] { taps[j] }));
        }
        nodes.Add(OnnxBytes.NamedNode("columns", "Concat", taps, new[] { "columns" }, OnnxBytes.IntAttribute("axis", -1)));
        nodes.Add(OnnxBytes.NamedNode("matmul", "MatMul", new[] { "columns", "w" }, new[] { bias ? "product" : "y" }));
        if (bias) nodes.Add(OnnxBytes.NamedNode("bias_add", "Add", new[] { "product", "b" }, new[] { "y" }));
        return OnnxBytes.Model(20, nodes.ToArray(), initializers.ToArray(),
            new[] { OnnxBytes.TypedValueInfo("x", 11, -1, Steps, Channels) }, new[] { OnnxBytes.TypedValueInfo("y", 11, -1, OutSteps, Filters) });
    }

    private static long WindowEnd(int j) => j * Dilation + (OutSteps - 1) * Stride + 1;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_candidates_compute_what_ONNX_Runtime_computes(bool bias)
    {
        byte[] file = Model(WindowEnd, bias: bias);
        OnnxLayerGraph graph = OnnxGraphNormalizer.Normalize(OnnxReader.Read(file));
        Assert.Equal(new[] { OnnxLayerKind.Transpose, OnnxLayerKind.Conv, OnnxLayerKind.Transpose }, graph.Layers.Select(l => l.Kind));
        OnnxLayerCandidate conv = graph.Layers[1];
        Assert.Equal(new long[] { PadBefore, PadAfter }, conv.Ints["pads"]);
        Assert.Equal(new long[] { Dilation }, conv.Ints["dilations"]);
        Assert.Equal(new long[] { Stride }, conv.Ints["strides"]);
        Assert.Equal(new long[] { Filters, Channels, Kernel }, conv.Tensors["weight"].Dims);
        Assert.Equal(bias, conv.Tensors.ContainsKey("bias"));
        Assert.Equal("pad", conv.Nodes[0]);
        Assert.Equal("y", graph.Output);

        const int batch = 2;
        var random = new Random(6);
        double[] input = Enumerable.Range(0, batch * Steps * Channels).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        using var session = new InferenceSession(file);
        var feed = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor("x", new DenseTensor<double>(input, new[] { batch, Steps, Channels })) };
        using var results = session.Run(feed);
        double[] expected = results.Single().AsTensor<double>().ToArray();

        Tensor actual = CandidateInterpreter.Run(graph, new Tensor(new long[] { batch, Steps, Channels }, input));
        Assert.Equal(new long[] { batch, OutSteps, Filters }, actual.Dims);
        Assert.Equal(expected.Length, actual.Data.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual.Data[i], 1e-12);
    }

    [Fact]
    public void Windows_that_drop_an_output_position_are_refused_naming_the_node()
    {
        // Window 2 ends one stride early: two positions where the others have three.
        var error = Assert.Throws<OnnxFormatException>(() => OnnxGraphNormalizer.Normalize(OnnxReader.Read(Model(j => j == 2 ? WindowEnd(j) - Stride : WindowEnd(j)))));
        Assert.StartsWith("node 'pad' (Conv) expects Slices of 3 positions each, found ends [5, 7, 7]", error.Message);
    }

    [Fact]
    public void Windows_at_no_kernel_tap_are_refused_naming_the_node()
    {
        // Starts 0, 2, 5: no one dilation spaces them.
        var error = Assert.Throws<OnnxFormatException>(() => OnnxGraphNormalizer.Normalize(OnnxReader.Read(Model(WindowEnd, starts: new long[] { 0, 2, 5 }))));
        Assert.StartsWith("node 'matmul' (MatMul): it reads Slices of the data; only a convolution written as", error.Message);
    }

    [Fact]
    public void A_Slice_of_the_data_read_by_another_operator_is_refused_naming_it()
    {
        byte[] file = OnnxBytes.Model(20,
            new[]
            {
                OnnxBytes.NamedNode("first", "Slice", new[] { "x", "starts", "ends", "axes" }, new[] { "s" }),
                OnnxBytes.NamedNode("relu", "Relu", new[] { "s" }, new[] { "y" }),
            },
            new[] { OnnxBytes.Int64Tensor("starts", 0), OnnxBytes.Int64Tensor("ends", 2), OnnxBytes.Int64Tensor("axes", 1) },
            new[] { OnnxBytes.ValueInfo("x", -1, 4) }, new[] { OnnxBytes.ValueInfo("y") });
        var error = Assert.Throws<OnnxFormatException>(() => OnnxGraphNormalizer.Normalize(OnnxReader.Read(file)));
        Assert.StartsWith("node 'relu' (Relu): it reads 's', Slices of the data, which only a convolution written as", error.Message);
    }
}
