using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using NeuralNet.Gen.Generators.Tests;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Onnx.Tests;

/// <summary>Every committed graph as layer candidates: what they are (snapshot) and that they compute PyTorch's outputs.</summary>
public class NormalizerTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(ReferenceModels.OnnxFileNames), MemberType = typeof(ReferenceModels))]
    public void CandidatesComputeThePyTorchOutput(string fileName)
    {
        OnnxLayerGraph graph = OnnxGraphNormalizer.Normalize(ReferenceModels.Read(fileName));
        string name = ReferenceModels.ModelName(fileName);
        var (inputShape, input) = ReferenceModels.Io(name, "input");
        var (outputShape, expected) = ReferenceModels.Io(name, "output");

        // Each layer's inferred shape is the one its computed output has.
        Tensor result = CandidateInterpreter.Run(graph, new Tensor(inputShape, input.Select(v => (double)v).ToArray()),
            (layer, value) => Assert.Equal(value.Dims.Skip(1), layer.OutputShape!));

        Assert.Equal(outputShape, result.Dims);
        double worst = expected.Zip(result.Data, (e, a) => Math.Abs(e - a) / (1 + Math.Abs(e))).Max();
        output.WriteLine($"{fileName}: worst difference {worst:E2}");
        Assert.True(worst < 1e-5, $"{fileName}: worst difference {worst}");
    }

    /// <summary>The candidate list of every file, reviewed once and kept: a change in the normaliser shows here.</summary>
    [Fact]
    public void CandidatesMatchTheSnapshot()
    {
        var text = new StringBuilder();
        foreach (string fileName in ReferenceModels.OnnxFiles)
        {
            OnnxLayerGraph graph = OnnxGraphNormalizer.Normalize(ReferenceModels.Read(fileName));
            text.AppendLine($"{fileName}: input '{graph.Input.Name}' [{string.Join(", ", graph.Input.Shape!)}] -> output '{graph.Output}'");
            foreach (OnnxLayerCandidate layer in graph.Layers)
            {
                text.AppendLine($"  {layer}  <- {string.Join(", ", layer.Inputs)}  from {string.Join(", ", layer.Nodes)}");
            }
        }
        SnapshotAssert.Compare(SnapshotDirectory(), "Candidates", text.ToString(),
            Environment.GetEnvironmentVariable(SnapshotAssert.AcceptVariable) == "1");
    }

    /// <summary>Opset 11 and opset 17 exports of one model (different graphs) give the same layers and tensors.</summary>
    [Fact]
    public void BothOpsetsGiveTheSameLayers()
    {
        string[] pairs = ReferenceModels.OnnxFiles.Where(f => System.Text.RegularExpressions.Regex.IsMatch(f, @"\.opset\d+\.onnx$")).ToArray();
        Assert.NotEmpty(pairs);
        foreach (string opset11 in pairs)
        {
            var older = OnnxGraphNormalizer.Normalize(ReferenceModels.Read(opset11)).Layers;
            var newer = OnnxGraphNormalizer.Normalize(ReferenceModels.Read(ReferenceModels.ModelName(opset11) + ".onnx")).Layers;
            Assert.Equal(newer.Select(l => l.ToString()), older.Select(l => l.ToString()));
            for (int i = 0; i < newer.Count; i++)
            {
                foreach (var (role, tensor) in newer[i].Tensors)
                {
                    Assert.Equal(tensor.FloatValues, older[i].Tensors[role].FloatValues);
                }
            }
        }
    }

    [Theory]
    [InlineData("act_gelu_tanh.onnx", "Gelu", "tanh")]
    [InlineData("act_gelu.onnx", "Gelu", "none")]
    [InlineData("act_mish.onnx", "Mish", null)]
    [InlineData("act_hardswish.opset11.onnx", "HardSwish", null)]
    [InlineData("act_relu6.onnx", "Relu6", null)]
    public void DecompositionsBecomeOneActivation(string fileName, string op, string? approximate)
    {
        OnnxLayerGraph graph = OnnxGraphNormalizer.Normalize(ReferenceModels.Read(fileName));
        Assert.Equal(new[] { OnnxLayerKind.Dense, OnnxLayerKind.Activation }, graph.Layers.Select(l => l.Kind));
        OnnxLayerCandidate activation = graph.Layers[1];
        Assert.Equal(op, activation.Operator);
        Assert.Equal(approximate, activation.Strings.TryGetValue("approximate", out string? a) ? a : null);
        Assert.Equal(graph.Output, activation.Output);
    }

    [Fact]
    public void TheCausalPadFoldsIntoTheConvolution()
    {
        OnnxLayerCandidate conv = OnnxGraphNormalizer.Normalize(ReferenceModels.Read("conv1d_causal.onnx")).Layers[0];
        Assert.Equal(OnnxLayerKind.Conv, conv.Kind);
        Assert.Equal(new long[] { 4, 0 }, conv.Ints["pads"]);
        Assert.Equal(new long[] { 2 }, conv.Ints["dilations"]);
        Assert.Equal("/Pad", conv.Nodes[0]);
    }

    [Fact]
    public void KerasKernelsAreTransposedToPyTorchsLayout()
    {
        OnnxModel model = ReferenceModels.Read("keras_dense.onnx");
        OnnxTensor kernel = model.Graph.Initializers.Single(t => t.Name == "dense/kernel");
        OnnxLayerCandidate dense = OnnxGraphNormalizer.Normalize(model).Layers[0];
        Assert.Equal(new long[] { 6, 4 }, dense.Tensors["weight"].Dims);
        for (int i = 0; i < 4; i++)
        {
            for (int u = 0; u < 6; u++)
            {
                Assert.Equal(kernel.FloatValues![i * 6 + u], dense.Tensors["weight"].FloatValues![u * 4 + i]);
            }
        }
        Assert.Equal("dense/bias", dense.Tensors["bias"].Name);
    }

    [Fact]
    public void AnUnsupportedOperatorIsNamed()
    {
        // Every "Relu" in the file (operator, node and value names) renamed "Relx": a consistent graph with an unknown operator.
        byte[] data = ReferenceModels.Bytes("mlp.onnx");
        byte[] relu = Encoding.ASCII.GetBytes("Relu");
        for (int i = 0; i + relu.Length <= data.Length; i++)
        {
            if (data.AsSpan(i, relu.Length).SequenceEqual(relu))
            {
                data[i + 3] = (byte)'x';
            }
        }
        var error = Assert.Throws<OnnxFormatException>(() => OnnxGraphNormalizer.Normalize(OnnxReader.Read(data)));
        Assert.Equal("node '/1/Relx' (Relx): operator Relx is not supported on the network's data", error.Message);
    }

    /// <summary>
    /// cnn.onnx's Gemm reads the pooled map [4, 3, 3] flattened channels-first; with its columns moved it gives the
    /// same outputs from the map flattened channels-last, our layout.
    /// </summary>
    [Fact]
    public void FlattenThenDenseReadsAChannelsLastMapOncePermuted()
    {
        OnnxLayerGraph graph = OnnxGraphNormalizer.Normalize(ReferenceModels.Read("cnn.onnx"));
        var (inputShape, input) = ReferenceModels.Io("cnn", "input");
        Tensor? pooled = null, logits = null;
        CandidateInterpreter.Run(graph, new Tensor(inputShape, input.Select(v => (double)v).ToArray()), (layer, value) =>
        {
            if (layer.Kind == OnnxLayerKind.MaxPool) pooled = value;
            if (layer.Kind == OnnxLayerKind.Dense) logits = value;
        });
        OnnxLayerCandidate dense = graph.Layers.Single(l => l.Kind == OnnxLayerKind.Dense);
        OnnxLayerCandidate pool = graph.Layers.Single(l => l.Kind == OnnxLayerKind.MaxPool);
        OnnxTensor permuted = OnnxLayout.DenseWeightForChannelsLast(dense.Tensors["weight"], pool.OutputShape!);

        int channels = 4, spatial = 9, units = 5;
        for (int sample = 0; sample < 2; sample++)
        {
            for (int u = 0; u < units; u++)
            {
                double sum = dense.Tensors["bias"].FloatValues![u];
                for (int s = 0; s < spatial; s++)
                {
                    for (int c = 0; c < channels; c++)
                    {
                        // Channels-last: element (s, c) of the map is at s·C + c.
                        sum += permuted.FloatValues![u * 36 + s * channels + c] * pooled!.Data[sample * 36 + c * spatial + s];
                    }
                }
                Assert.Equal(logits!.Data[sample * units + u], sum, 1e-12);
            }
        }
        Assert.NotEqual(dense.Tensors["weight"].FloatValues, permuted.FloatValues);
        Assert.Throws<ArgumentException>(() => OnnxLayout.DenseWeightForChannelsLast(dense.Tensors["weight"], new long[] { 4, 3, 2 }));
    }

    [Fact]
    public void ADenseThatDoesNotTakeItsInputIsNamed()
    {
        byte[] file = OnnxBytes.Model(17,
            new[] { OnnxBytes.Node("Gemm", new[] { "x", "W", "B" }, new[] { "y" }, OnnxBytes.IntAttribute("transB", 1)) },
            new[] { OnnxBytes.FloatTensor("W", new long[] { 3, 5 }, new float[15]), OnnxBytes.FloatTensor("B", new long[] { 3 }, 1, 2, 3) },
            new[] { OnnxBytes.ValueInfo("x", -1, 4) }, new[] { OnnxBytes.ValueInfo("y", -1, 3) });
        var error = Assert.Throws<OnnxFormatException>(() => OnnxGraphNormalizer.Normalize(OnnxReader.Read(file)));
        Assert.Equal("node 'gemm' (Dense) expects a weight [units, 4], found [3, 5] for an input [4]", error.Message);
    }

    [Fact]
    public void AKernelLongerThanTheSequenceIsNamed()
    {
        byte[] file = OnnxBytes.Model(17,
            new[] { OnnxBytes.Node("Conv", new[] { "x", "W" }, new[] { "y" }) },
            new[] { OnnxBytes.FloatTensor("W", new long[] { 2, 1, 5 }, new float[10]) },
            new[] { OnnxBytes.ValueInfo("x", -1, 1, 3) }, new[] { OnnxBytes.ValueInfo("y") });
        var error = Assert.Throws<OnnxFormatException>(() => OnnxGraphNormalizer.Normalize(OnnxReader.Read(file)));
        Assert.Equal("node 'conv' (Conv) expects a window of 5 within the padded size, found size 3 with pads 0 and 0", error.Message);
    }

    [Fact]
    public void ElementwiseNodesThatAreNoActivationAreNamed()
    {
        byte[] file = OnnxBytes.Model(17,
            new[] { OnnxBytes.Node("Mul", new[] { "x", "three" }, new[] { "y" }) },
            new[] { OnnxBytes.FloatTensor("three", Array.Empty<long>(), 3) },
            new[] { OnnxBytes.ValueInfo("x", -1, 4) }, new[] { OnnxBytes.ValueInfo("y") });
        var error = Assert.Throws<OnnxFormatException>(() => OnnxGraphNormalizer.Normalize(OnnxReader.Read(file)));
        Assert.Equal("node 'mul' (Mul): the elementwise nodes 'mul' (Mul) compute no activation the product has", error.Message);
    }

    [Fact]
    public void AGraphWithTwoInputsIsRefused()
    {
        byte[] file = OnnxBytes.Model(17,
            new[] { OnnxBytes.Node("Add", new[] { "x", "z" }, new[] { "y" }) }, Array.Empty<byte[]>(),
            new[] { OnnxBytes.ValueInfo("x", -1, 4), OnnxBytes.ValueInfo("z", -1, 4) }, new[] { OnnxBytes.ValueInfo("y") });
        var error = Assert.Throws<OnnxFormatException>(() => OnnxGraphNormalizer.Normalize(OnnxReader.Read(file)));
        Assert.Equal("the graph has 2 inputs ('x', 'z'); a network reads one", error.Message);
    }

    private static string SnapshotDirectory([CallerFilePath] string path = "") =>
        Path.Combine(Path.GetDirectoryName(path)!, "Snapshots");
}
