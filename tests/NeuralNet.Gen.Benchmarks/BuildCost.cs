using System;
using System.IO;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using NeuralNet.Gen.Onnx.Tests;
using NeuralNet.Gen.TestKit;

namespace NeuralNet.Gen.Benchmarks;

/// <summary>
/// Issue 14's build cost: the generator over one network with 262,912 float parameters (Input(256), Dense(512, Relu),
/// Dense(256), about 1 MB) baked in from a safetensors file, from an ONNX file with the layers declared, from the same
/// ONNX file with the layers read from it, and with no [Weights] at all. "Reading a 1 MB ONNX file adds at most what a
/// 1 MB safetensors file adds": compare each row's time with the first's. <c>-- --build-cost</c>.
/// </summary>
[MemoryDiagnoser]
public class BuildCostBenchmarks
{
    private const string Declared = """
        using NeuralNet.Gen;
        using static NeuralNet.Gen.Activation;

        [Network, Input(256), Dense(512, Relu), Dense(256)]
        [Weights("big.safetensors")]
        public partial class Big { }
        """;

    private string _folder = "";
    private Compilation _compilation = null!;
    private AdditionalText[] _files = Array.Empty<AdditionalText>();

    /// <summary>none: no [Weights]; safetensors; onnx: the layers declared; onnx-layers: the layers read from the file.</summary>
    [Params("none", "safetensors", "onnx", "onnx-layers")]
    public string Weights { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "nng-build-cost-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        var random = new Random(1);
        byte[] Tensor(int count) => Enumerable.Range(0, count).SelectMany(_ => BitConverter.GetBytes((float)(random.NextDouble() - 0.5))).ToArray();
        var tensors = new (string Name, long[] Shape, byte[] Data)[]
        {
            ("0.weight", new long[] { 512, 256 }, Tensor(512 * 256)), ("0.bias", new long[] { 512 }, Tensor(512)),
            ("2.weight", new long[] { 256, 512 }, Tensor(256 * 512)), ("2.bias", new long[] { 256 }, Tensor(256)),
        };
        string source = Declared;
        switch (Weights)
        {
            case "none":
                source = Declared.Replace("[Weights(\"big.safetensors\")]", "");
                break;
            case "safetensors":
                _files = new AdditionalText[] { new AdditionalFile(Write("big.safetensors", Safetensors(tensors)), "") };
                break;
            default:
                _files = new AdditionalText[] { new AdditionalFile(Write("big.onnx", Onnx(tensors)), "") };
                source = Declared.Replace("big.safetensors", "big.onnx");
                if (Weights == "onnx-layers") source = source.Replace("[Network, Input(256), Dense(512, Relu), Dense(256)]", "[Network]");
                break;
        }
        _compilation = RoslynHarness.Compile(new[] { ("Big.cs", source) }, "BuildCost");
        // The parameters must be in the generated source, or the benchmark measures a refusal.
        if (Weights != "none" && Generate() < 1_000_000) throw new InvalidOperationException($"{Weights}: the generator did not bake the parameters in");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    /// <summary>A fresh driver each time: a first build (or a changed file), not the cached incremental one.</summary>
    [Benchmark]
    public int Generate() =>
        RoslynHarness.CreateDriver(_files).RunGenerators(_compilation).GetRunResult().GeneratedTrees.Sum(t => t.Length);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Safetensors((string Name, long[] Shape, byte[] Data)[] tensors)
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

    /// <summary>The same tensors as torch.onnx.export writes nn.Linear, ReLU, nn.Linear: Gemm (transB), Relu, Gemm.</summary>
    private static byte[] Onnx((string Name, long[] Shape, byte[] Data)[] tensors)
    {
        static byte[] Gemm(string input, string weight, string bias, string output) =>
            OnnxBytes.Node("Gemm", new[] { input, weight, bias }, new[] { output }, OnnxBytes.IntAttribute("transB", 1));
        return OnnxBytes.Model(17,
            new[] { Gemm("x", "0.weight", "0.bias", "h"), OnnxBytes.Node("Relu", new[] { "h" }, new[] { "r" }), Gemm("r", "2.weight", "2.bias", "y") },
            tensors.Select(t => OnnxBytes.TensorHeader(t.Name, 1, t.Shape).Concat(OnnxBytes.Field(9, t.Data)).ToArray()).ToArray(),
            new[] { OnnxBytes.ValueInfo("x", -1, 256) }, new[] { OnnxBytes.ValueInfo("y", -1, 256) });
    }
}
