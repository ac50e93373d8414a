using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using NeuralNet.Gen.Generators.Emit;
using NeuralNet.Gen.Generators.Model;
using NeuralNet.Gen.Onnx.Tests;
using NeuralNet.Gen.Weights;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Generators.Tests;

/// <summary>[Weights] in the pipeline: baked output, caching keyed on the file's content, and the build-time cost of a 1 MB file.</summary>
public sealed class WeightsGeneratorTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "nng-gen-weights-" + Guid.NewGuid().ToString("N"));

    public WeightsGeneratorTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_folder);
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private const string KerasNet = """
        using NeuralNet.Gen;
        using static NeuralNet.Gen.Activation;

        [Network, Input(2), Dense(2, Tanh), Dense(1)]
        [Weights("xor.json")]
        public partial class Xor { }
        """;

    private static string Keras(double bias) => $$"""
        {"layers": [
          {"type": "dense", "activation": "tanh", "weights": [[[2.5, -2.5], [2.5, -2.5]], [-1.0, 3.5]]},
          {"type": "dense", "weights": [[[1.0], [1.0]], [{{bias.ToString(System.Globalization.CultureInfo.InvariantCulture)}}]]}
        ]}
        """;

    private static GeneratorDriver Driver(params AdditionalText[] files) => RoslynHarness.CreateDriver(files);

    private static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps.TryGetValue(step, out var steps) ? steps.SelectMany(s => s.Outputs).Select(o => o.Reason) : Enumerable.Empty<IncrementalStepRunReason>();

    [Fact]
    public void A_baked_network_gets_constant_data_and_a_constructor_that_copies_it()
    {
        var compilation = GeneratorHarness.Compile(KerasNet);
        var driver = Driver(new AdditionalFile("/p/xor.json", Keras(-1.5))).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        string source = GeneratorHarness.SingleSource(driver.GetRunResult().Results.Single());
        Assert.Contains("private static global::System.ReadOnlySpan<char> TrainedParameterData => \"", source);
        Assert.Contains("public Xor() => RestoreTrainedParameters();", source);
        Assert.Contains("global::NeuralNet.Gen.BakedParameters.CopyTo(TrainedParameterData, _parameters);", source);
        Assert.DoesNotContain("public Xor() => InitializeParameters", source);
        // -1.5f is 0xBFC00000: little-endian bytes 00 00 C0 BF, two per char, the last of the 9 parameters.
        Assert.Contains("\\u0000\\uBFC0\";", source);
        Assert.Empty(GeneratorHarness.Problems(output));
    }

    /// <summary>An AdditionalText that fails the test if anything reads it.</summary>
    private sealed class UnreadableFile(string path) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText? GetText(CancellationToken cancellationToken = default) =>
            throw new Xunit.Sdk.XunitException($"{Path} was read, but no [Weights] attribute names it");
    }

    [Fact]
    public void Only_the_files_a_Weights_attribute_names_are_read()
    {
        // A project's other JSON files (settings, levels, ...) are never opened: only xor.json is.
        var driver = Driver(new AdditionalFile("/p/xor.json", Keras(-1.5)), new UnreadableFile("/p/appsettings.json"), new UnreadableFile("/p/level1.json"))
            .RunGenerators(GeneratorHarness.Compile(KerasNet));
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        var read = result.TrackedSteps[TrackingNames.ReadWeightsFiles].SelectMany(s => s.Outputs).Select(o => ((WeightsFile)o.Value).Path).ToArray();
        Assert.Equal(new[] { "/p/xor.json" }, read);
        Assert.Single(result.GeneratedSources);

        // Without any [Weights], no file is read at all.
        var plain = Driver(new UnreadableFile("/p/appsettings.json")).RunGenerators(GeneratorHarness.Compile(TestSources.Circles)).GetRunResult().Results.Single();
        Assert.Null(plain.Exception);
        Assert.Single(plain.GeneratedSources);
    }

    [Fact]
    public void The_importers_fingerprint_is_the_generated_one()
    {
        int checkedSpecs = 0;
        foreach (var source in new[] { TestSources.Circles, TestSources.LoopLayers, TestSources.Nested, KerasNet, KerasNet.Replace("[Network", "[Network(Precision = Precision.Double)") })
        {
            var result = Driver(new AdditionalFile("/p/xor.json", Keras(-1.5))).RunGenerators(GeneratorHarness.Compile(source)).GetRunResult().Results.Single();
            string generated = string.Concat(result.GeneratedSources.Select(g => g.SourceText.ToString()));
            foreach (var output in result.TrackedSteps[TrackingNames.ParseNetwork].SelectMany(s => s.Outputs))
            {
                // The importer checks .nng files against spec.ArchitectureFingerprint; the network reports the same text.
                var spec = Assert.IsType<NetworkSpec>(output.Value);
                Assert.Contains($"ArchitectureFingerprint => \"{spec.ArchitectureFingerprint}\";", generated);
                checkedSpecs++;
            }
        }
        Assert.True(checkedSpecs >= 5, $"{checkedSpecs} specs");
    }

    [Fact]
    public void A_network_whose_file_does_not_fit_gets_only_its_throwing_surface_and_the_generator_does_not_throw()
    {
        var compilation = GeneratorHarness.Compile(KerasNet.Replace("Dense(2, Tanh)", "Dense(3, Tanh)"));
        var result = Driver(new AdditionalFile("/p/xor.json", Keras(-1.5))).RunGenerators(compilation).GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        Assert.Contains("has an architecture error and was not generated", Assert.Single(result.GeneratedSources).SourceText.ToString());
        var missing = Driver().RunGenerators(GeneratorHarness.Compile(KerasNet)).GetRunResult().Results.Single();
        Assert.Null(missing.Exception);
        Assert.Contains("NNG0012", Assert.Single(missing.GeneratedSources).SourceText.ToString());
    }

    [Fact]
    public void An_unchanged_file_keeps_every_output_cached_and_a_changed_one_regenerates()
    {
        var compilation = GeneratorHarness.Compile(KerasNet, TestSources.Circles);
        var file = new AdditionalFile("/p/xor.json", Keras(-1.5));
        var driver = Driver(file, new AdditionalFile("/p/notes.txt", "not weights")).RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        Assert.Equal(2, first.GeneratedSources.Length);
        // Only the candidate (.json) is read; notes.txt never is.
        Assert.Single(Reasons(first, TrackingNames.ReadWeightsFiles));

        // Same AdditionalText (nothing changed): nothing runs again.
        var again = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Unrelated { }", GeneratorHarness.ParseOptions, path: "U.cs")));
        var second = again.GetRunResult().Results.Single();
        Assert.All(Reasons(second, TrackingNames.ReadWeightsFiles), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(Reasons(second, TrackingNames.BindWeights), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(second.TrackedOutputSteps.SelectMany(p => p.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));

        // The file saved again with the same bytes: read again, compared equal, nothing emitted again.
        var resaved = again.ReplaceAdditionalText(file, new AdditionalFile("/p/xor.json", Keras(-1.5)));
        var third = resaved.RunGenerators(compilation).GetRunResult().Results.Single();
        Assert.Contains(IncrementalStepRunReason.Unchanged, Reasons(third, TrackingNames.ReadWeightsFiles));
        Assert.All(third.TrackedOutputSteps.SelectMany(p => p.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));

        // New values: the baked network is regenerated, the other one is not.
        var changedFile = new AdditionalFile("/p/xor.json", Keras(-2.0));
        var changed = Driver(file, new AdditionalFile("/p/notes.txt", "not weights")).RunGenerators(compilation).ReplaceAdditionalText(file, changedFile).RunGenerators(compilation);
        var fourth = changed.GetRunResult().Results.Single();
        var reasons = fourth.TrackedOutputSteps.SelectMany(p => p.Value).SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Single(reasons, IncrementalStepRunReason.Modified);
        Assert.Contains("\\u0000\\uC000\";", fourth.GeneratedSources.Single(s => s.HintName.StartsWith("Xor", StringComparison.Ordinal)).SourceText.ToString()); // -2f
    }

    /// <summary>
    /// The build-time cost of a 1 MB safetensors file: generator run and compilation of its output, with the file and
    /// without it (same network, seeded). Prints the figures; asserts what was built.
    /// </summary>
    [Fact]
    public void Build_time_cost_of_a_one_megabyte_weights_file()
    {
        const string source = """
            using NeuralNet.Gen;
            using static NeuralNet.Gen.Activation;

            [Network, Input(256), Dense(512, Relu), Dense(256)]
            [Weights("big.safetensors")]
            public partial class Big { }
            """;
        var tensors = OneMegabyteWeights.Tensors();
        var bytes = OneMegabyteWeights.Safetensors(tensors);
        string path = Path.Combine(_folder, "big.safetensors");
        System.IO.File.WriteAllBytes(path, bytes);
        Assert.True(bytes.Length > 1_000_000);

        (double Generate, double Compile, int SourceChars) Measure(string code, AdditionalText[] files)
        {
            var compilation = GeneratorHarness.Compile(code);
            var stopwatch = Stopwatch.StartNew();
            Driver(files).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
            double generate = stopwatch.Elapsed.TotalMilliseconds;
            stopwatch.Restart();
            using var image = new MemoryStream();
            var emit = output.Emit(image);
            double compile = stopwatch.Elapsed.TotalMilliseconds;
            Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Take(5)));
            return (generate, compile, output.SyntaxTrees.Sum(t => t.Length));
        }

        // The same tensors as an ONNX file (Gemm, Relu, Gemm as torch.onnx.export writes nn.Linear), for the declared
        // network and for one that takes its layers from the file.
        var onnx = OneMegabyteWeights.Onnx(tensors);
        string onnxPath = Path.Combine(_folder, "big.onnx");
        System.IO.File.WriteAllBytes(onnxPath, onnx);
        Assert.True(onnx.Length > 1_000_000);
        var onnxSource = source.Replace("big.safetensors", "big.onnx");
        var fromFileSource = source.Replace("[Network, Input(256), Dense(512, Relu), Dense(256)]", "[Network]").Replace("big.safetensors", "big.onnx");

        var withoutSource = source.Replace("[Weights(\"big.safetensors\")]", "");
        var runs = new (string Name, string Source, AdditionalText[] Files)[]
        {
            ("without [Weights]", withoutSource, Array.Empty<AdditionalText>()),
            ("safetensors, layers declared", source, new AdditionalText[] { new AdditionalFile(path, "") }),
            ("ONNX, layers declared", onnxSource, new AdditionalText[] { new AdditionalFile(onnxPath, "") }),
            ("ONNX, layers from the file", fromFileSource, new AdditionalText[] { new AdditionalFile(onnxPath, "") }),
        };
        foreach (var run in runs) Measure(run.Source, run.Files); // warm up JIT of generator and compiler
        // The median of five runs each, interleaved so a busy machine weighs on every configuration alike.
        var samples = runs.Select(_ => new List<(double Generate, double Compile, int SourceChars)>()).ToArray();
        for (int round = 0; round < 5; round++)
        {
            for (int i = 0; i < runs.Length; i++) samples[i].Add(Measure(runs[i].Source, runs[i].Files));
        }
        var medians = samples.Select(list => (Generate: list.Select(m => m.Generate).Order().ElementAt(2), Compile: list.Select(m => m.Compile).Order().ElementAt(2), list[0].SourceChars)).ToArray();
        var without = medians[0];
        for (int i = 1; i < runs.Length; i++) Assert.True(medians[i].SourceChars > without.SourceChars + bytes.Length, $"{runs[i].Name}: the parameters are in the generated source");
        _output.WriteLine($"1 MB weights (safetensors {bytes.Length} bytes, ONNX {onnx.Length} bytes, 262,912 float parameters), median of 5:");
        for (int i = 0; i < runs.Length; i++)
        {
            _output.WriteLine($"  {runs[i].Name}: generator {medians[i].Generate:F0} ms (+{medians[i].Generate - without.Generate:F0} ms), compile (emit) {medians[i].Compile:F0} ms (+{medians[i].Compile - without.Compile:F0} ms), source {medians[i].SourceChars} chars");
        }
    }
}
