using System;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using NeuralNet.Gen.Generators.Tests;
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
        var tensors = OneMegabyteWeights.Tensors();
        string source = Declared;
        switch (Weights)
        {
            case "none":
                source = Declared.Replace("[Weights(\"big.safetensors\")]", "");
                break;
            case "safetensors":
                _files = new AdditionalText[] { new AdditionalFile(Write("big.safetensors", OneMegabyteWeights.Safetensors(tensors)), "") };
                break;
            default:
                _files = new AdditionalText[] { new AdditionalFile(Write("big.onnx", OneMegabyteWeights.Onnx(tensors)), "") };
                source = Declared.Replace("big.safetensors", "big.onnx");
                if (Weights == "onnx-layers") source = source.Replace(OneMegabyteWeights.Declaration, "[Network]");
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

    /// <summary>
    /// Bytes allocated (on every thread) by one fresh generator run of each configuration, after a warm-up run: a
    /// figure a busy machine does not change, beside the times above. <c>-- --build-cost-allocations</c>.
    /// </summary>
    public static int PrintAllocations()
    {
        const int runs = 5;
        foreach (string weights in new[] { "none", "safetensors", "onnx", "onnx-layers" })
        {
            var benchmark = new BuildCostBenchmarks { Weights = weights };
            benchmark.Setup();
            try
            {
                benchmark.Generate();
                long before = GC.GetTotalAllocatedBytes(precise: true);
                for (int i = 0; i < runs; i++) benchmark.Generate();
                long perRun = (GC.GetTotalAllocatedBytes(precise: true) - before) / runs;
                Console.WriteLine($"{weights,-12} {perRun,14:N0} bytes allocated per generator run");
            }
            finally
            {
                benchmark.Cleanup();
            }
        }
        return 0;
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
