using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;

namespace NeuralNet.Gen.Onnx.Tests;

/// <summary>Each committed file reads to exactly what the onnx package found in it.</summary>
public class OnnxReaderTests
{
    [Fact]
    public void EveryExporterAndOpsetIsCovered()
    {
        string[] files = ReferenceModels.OnnxFiles.ToArray();
        Assert.True(files.Length >= 40, $"{files.Length} files");
        Assert.Contains(files, f => f.EndsWith(".opset11.onnx", StringComparison.Ordinal));
        Assert.Contains(files.Select(ReferenceModels.Read), m => m.ProducerName == "onnx.helper");
        Assert.Contains(files.Select(ReferenceModels.Read), m => m.ProducerName == "pytorch" && m.Opset == 17);
    }

    [Theory]
    [MemberData(nameof(ReferenceModels.OnnxFileNames), MemberType = typeof(ReferenceModels))]
    public void ReadsWhatTheOnnxPackageRecorded(string fileName)
    {
        OnnxModel model = ReferenceModels.Read(fileName);
        JsonElement expected = ReferenceModels.GraphSummary(fileName);

        Assert.Equal(expected.GetProperty("ir_version").GetInt64(), model.IrVersion);
        Assert.Equal(expected.GetProperty("producer_name").GetString(), model.ProducerName);
        Assert.Equal(expected.GetProperty("opset_import").EnumerateArray()
                .Select(o => new OnnxOpsetImport(o.GetProperty("domain").GetString()!, o.GetProperty("version").GetInt64())),
            model.OpsetImports);
        AssertValueInfos(expected.GetProperty("inputs"), model.Graph.Inputs);
        AssertValueInfos(expected.GetProperty("outputs"), model.Graph.Outputs);

        JsonElement[] nodes = expected.GetProperty("nodes").EnumerateArray().ToArray();
        Assert.Equal(nodes.Select(n => n.GetProperty("op_type").GetString()), model.Graph.Nodes.Select(n => n.OpType));
        for (int i = 0; i < nodes.Length; i++)
        {
            OnnxNode node = model.Graph.Nodes[i];
            Assert.Equal(nodes[i].GetProperty("name").GetString(), node.Name);
            Assert.Equal(nodes[i].GetProperty("domain").GetString(), node.Domain);
            Assert.Equal(Strings(nodes[i].GetProperty("inputs")), node.Inputs);
            Assert.Equal(Strings(nodes[i].GetProperty("outputs")), node.Outputs);
            JsonElement[] attributes = nodes[i].GetProperty("attributes").EnumerateArray().ToArray();
            Assert.Equal(attributes.Select(a => a.GetProperty("name").GetString()), node.Attributes.Select(a => a.Name));
            for (int j = 0; j < attributes.Length; j++)
            {
                AssertAttribute(attributes[j], node.Attributes[j]);
            }
        }

        JsonElement[] initializers = expected.GetProperty("initializers").EnumerateArray().ToArray();
        Assert.Equal(initializers.Select(t => t.GetProperty("name").GetString()), model.Graph.Initializers.Select(t => t.Name));
        for (int i = 0; i < initializers.Length; i++)
        {
            AssertTensor(initializers[i], model.Graph.Initializers[i]);
        }
    }

    /// <summary>The reference outputs are those of ONNX Runtime too: the files and the expected values agree.</summary>
    [Theory]
    [MemberData(nameof(ReferenceModels.OnnxFileNames), MemberType = typeof(ReferenceModels))]
    public void OnnxRuntimeComputesTheRecordedOutput(string fileName)
    {
        string name = ReferenceModels.ModelName(fileName);
        var (inputShape, input) = ReferenceModels.Io(name, "input");
        var (outputShape, expected) = ReferenceModels.Io(name, "output");
        using var session = new InferenceSession(ReferenceModels.Bytes(fileName));
        var feed = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(),
                new DenseTensor<float>(input, inputShape.Select(d => (int)d).ToArray())),
        };
        using var results = session.Run(feed);
        var output = (DenseTensor<float>)results.Single().AsTensor<float>();
        Assert.Equal(outputShape.Select(d => (int)d), output.Dimensions.ToArray());
        float[] actual = output.Buffer.ToArray();
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst < 1e-5, $"{fileName}: worst difference {worst}");
    }

    private static void AssertValueInfos(JsonElement expected, IReadOnlyList<OnnxValueInfo> actual)
    {
        JsonElement[] infos = expected.EnumerateArray().ToArray();
        Assert.Equal(infos.Length, actual.Count);
        for (int i = 0; i < infos.Length; i++)
        {
            Assert.Equal(infos[i].GetProperty("name").GetString(), actual[i].Name);
            Assert.Equal(infos[i].GetProperty("elem_type").GetInt32(), (int)actual[i].ElementType);
            Assert.Equal(infos[i].GetProperty("shape").EnumerateArray()
                    .Select(d => d.ValueKind == JsonValueKind.String ? d.GetString() : d.GetInt64().ToString()),
                actual[i].Shape!.Select(d => d.ToString()));
        }
    }

    private static void AssertAttribute(JsonElement expected, OnnxAttribute actual)
    {
        string type = expected.GetProperty("type").GetString()!;
        Assert.Equal(type, actual.Type.ToString().ToUpperInvariant());
        JsonElement value = expected.GetProperty("value");
        switch (actual.Type)
        {
            case OnnxAttributeType.Float: Assert.Equal((float)value.GetDouble(), actual.Float); break;
            case OnnxAttributeType.Int: Assert.Equal(value.GetInt64(), actual.Int); break;
            case OnnxAttributeType.String: Assert.Equal(value.GetString(), actual.String); break;
            case OnnxAttributeType.Strings: Assert.Equal(Strings(value), actual.Strings); break;
            case OnnxAttributeType.Ints: Assert.Equal(value.EnumerateArray().Select(v => v.GetInt64()), actual.Ints); break;
            case OnnxAttributeType.Floats:
                Assert.Equal(value.EnumerateArray().Select(v => (float)v.GetDouble()), actual.Floats);
                break;
            case OnnxAttributeType.Tensor: AssertTensor(value, actual.Tensor!); break;
            default: throw new Xunit.Sdk.XunitException($"the reference files hold no {type} attribute");
        }
    }

    private static void AssertTensor(JsonElement expected, OnnxTensor actual)
    {
        Assert.Equal(expected.GetProperty("data_type").GetInt32(), (int)actual.DataType);
        Assert.Equal(expected.GetProperty("dims").EnumerateArray().Select(d => d.GetInt64()), actual.Dims);
        double[] values = actual.FloatValues ?? actual.IntValues!.Select(v => (double)v).ToArray();
        Assert.Equal(expected.GetProperty("count").GetInt32(), values.Length);
        AssertClose(expected.GetProperty("sum").GetDouble(), values.Sum());
        AssertClose(expected.GetProperty("weighted_sum").GetDouble(), values.Select((v, i) => (i + 1) * v).Sum());
    }

    /// <summary>The script summed with math.fsum; a plain sum in double differs in the last bits only.</summary>
    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, read {actual}");

    private static IEnumerable<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!);
}
