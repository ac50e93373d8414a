using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Xunit;

namespace NeuralNet.Gen.Onnx.Tests;

/// <summary>The script's own safetensors writer: the format's layout, and the same values the exporter put in the .onnx file.</summary>
public class StateDictTests
{
    [Fact]
    public void EachStateDictIsWellFormedAndMatchesTheOnnxInitializers()
    {
        int compared = 0;
        foreach (string path in Directory.GetFiles(ReferenceModels.Folder, "*.safetensors").Order(StringComparer.Ordinal))
        {
            byte[] file = File.ReadAllBytes(path);
            long headerLength = BinaryPrimitives.ReadInt64LittleEndian(file);
            JsonElement header = JsonDocument.Parse(Encoding.UTF8.GetString(file, 8, (int)headerLength)).RootElement;
            int dataStart = 8 + (int)headerLength;
            long end = 0;
            OnnxModel model = ReferenceModels.Read(Path.GetFileNameWithoutExtension(path) + ".onnx");
            foreach (JsonProperty tensor in header.EnumerateObject())
            {
                long[] offsets = tensor.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                long[] shape = tensor.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                string dtype = tensor.Value.GetProperty("dtype").GetString()!;
                int size = dtype == "F32" ? 4 : 8;
                Assert.Equal(end, offsets[0]);
                Assert.Equal(shape.Aggregate(1L, (a, b) => a * b) * size, offsets[1] - offsets[0]);
                end = offsets[1];
                // torch keeps state_dict names for the initializers it does not rewrite (Gemm, Conv, norms).
                if (dtype == "F32" && model.Graph.Initializers.FirstOrDefault(t => t.Name == tensor.Name) is { } initializer)
                {
                    Assert.Equal(shape, initializer.Dims);
                    double[] values = Enumerable.Range(0, (int)(end - offsets[0]) / 4)
                        .Select(i => (double)BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(dataStart + (int)offsets[0] + 4 * i)))
                        .ToArray();
                    Assert.Equal(initializer.FloatValues, values);
                    compared++;
                }
            }
            Assert.Equal(file.Length, dataStart + end);
        }
        Assert.True(compared >= 50, $"{compared} tensors compared");
    }
}
