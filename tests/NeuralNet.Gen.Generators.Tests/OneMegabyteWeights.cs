using System;
using System.Linq;
using System.Text;
using NeuralNet.Gen.Onnx.Tests;

namespace NeuralNet.Gen.Generators.Tests;

/// <summary>
/// The weights of <c>[Input(256), Dense(512, Relu), Dense(256)]</c> (262,912 seeded floats, about 1 MB) as a
/// safetensors file and as the ONNX file torch.onnx.export writes for nn.Linear, ReLU, nn.Linear (Gemm with transB,
/// Relu, Gemm): what the build-cost test and benchmark feed the generator. Linked into the benchmarks.
/// </summary>
internal static class OneMegabyteWeights
{
    public const string Declaration = "[Network, Input(256), Dense(512, Relu), Dense(256)]";

    public static (string Name, long[] Shape, byte[] Data)[] Tensors()
    {
        var random = new Random(1);
        byte[] Tensor(int count) => Enumerable.Range(0, count).SelectMany(_ => BitConverter.GetBytes((float)(random.NextDouble() - 0.5))).ToArray();
        return new (string Name, long[] Shape, byte[] Data)[]
        {
            ("0.weight", new long[] { 512, 256 }, Tensor(512 * 256)), ("0.bias", new long[] { 512 }, Tensor(512)),
            ("2.weight", new long[] { 256, 512 }, Tensor(256 * 512)), ("2.bias", new long[] { 256 }, Tensor(256)),
        };
    }

    public static byte[] Safetensors((string Name, long[] Shape, byte[] Data)[] tensors)
    {
        var header = new StringBuilder("{");
        long offset = 0;
        foreach (var t in tensors)
        {
            header.Append($"{(offset == 0 ? "" : ",")}\"{t.Name}\":{{\"dtype\":\"F32\",\"shape\":[{string.Join(",", t.Shape)}],\"data_offsets\":[{offset},{offset + t.Data.Length}]}}");
            offset += t.Data.Length;
        }
        header.Append('}');
        return BitConverter.GetBytes((ulong)header.Length).Concat(Encoding.UTF8.GetBytes(header.ToString())).Concat(tensors.SelectMany(t => t.Data)).ToArray();
    }

    public static byte[] Onnx((string Name, long[] Shape, byte[] Data)[] tensors)
    {
        static byte[] Gemm(string input, string weight, string bias, string output) =>
            OnnxBytes.Node("Gemm", new[] { input, weight, bias }, new[] { output }, OnnxBytes.IntAttribute("transB", 1));
        return OnnxBytes.Model(17,
            new[] { Gemm("x", "0.weight", "0.bias", "h"), OnnxBytes.Node("Relu", new[] { "h" }, new[] { "r" }), Gemm("r", "2.weight", "2.bias", "y") },
            tensors.Select(t => OnnxBytes.TensorHeader(t.Name, 1, t.Shape).Concat(OnnxBytes.Field(9, t.Data)).ToArray()).ToArray(),
            new[] { OnnxBytes.ValueInfo("x", -1, 256) }, new[] { OnnxBytes.ValueInfo("y", -1, 256) });
    }
}
