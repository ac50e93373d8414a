using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using NeuralNet.Gen.CodeFixes;
using Xunit;
using static NeuralNet.Gen.Analyzers.Tests.Harness;

namespace NeuralNet.Gen.Analyzers.Tests;

/// <summary>
/// <c>[Network][Weights("x.onnx")]</c> with no layer attributes: NNG0014 on the class name gives the stack the file
/// declares and its code fix writes it out; a file that cannot declare a network is NNG0012 on the path, never a crash.
/// </summary>
public sealed class LayersFromWeightsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "nng-arch-" + Guid.NewGuid().ToString("N"));

    public LayersFromWeightsTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private static string Model(string name) => Path.Combine(NetworkAnalyzerTests.RepositoryRoot(), "tests", "TestData", "onnx", name + ".onnx");

    private static ImmutableArray<AdditionalText> Files(string path) => ImmutableArray.Create<AdditionalText>(new AdditionalFile(path));

    private const string Policy = """
        using NeuralNet.Gen;

        namespace Game;

        [Network]
        [Weights("mlp.onnx")]
        public partial class Policy { }
        """;

    private static AnalysisRun Analyze(string source, ImmutableArray<AdditionalText> files) => Run(new[] { ("Policy.cs", source) }, additionalFiles: files);

    private static string Generated(AnalysisRun run, string name) =>
        run.Output.SyntaxTrees.Single(t => t.FilePath.EndsWith(name, StringComparison.Ordinal)).ToString();

    [Fact]
    public void NNG0014_on_the_class_name_gives_the_stack_the_file_declares()
    {
        var run = Analyze(Policy, Files(Model("mlp")));
        Assert.Empty(run.CompilerErrors);
        var info = Assert.Single(run.Nng);
        Assert.Equal("NNG0014", info.Id);
        Assert.Equal(DiagnosticSeverity.Info, info.Severity);
        Assert.Equal("Policy", TextAt(info));
        Assert.Equal("Network 'Policy' takes its layers from 'mlp.onnx': [Input(4)] [Dense(8, Activation.Relu)] [Dense(6, Activation.Sigmoid)] [Dense(3, Activation.Softmax)]; write them out to see and check them in the source",
            info.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_code_fix_writes_the_stack_and_the_network_stays_the_same()
    {
        var files = Files(Model("cnn"));
        string source = Policy.Replace("mlp.onnx", "cnn.onnx");
        string fixedSource = await ApplyFixAsync(new WriteLayersCodeFix(), "NNG0014", source, files);
        Assert.Equal("""
            using NeuralNet.Gen;

            namespace Game;

            [Network]
            [Weights("cnn.onnx")]
            [Input(6, 6, 2)]
            [Conv2D(4, 3, Activation.Relu, Padding = Padding.Same)]
            [MaxPool2D(2)]
            [Flatten]
            [Dense(5)]
            public partial class Policy { }
            """, fixedSource);
        var before = Analyze(source, files);
        var after = Analyze(fixedSource, files);
        Assert.Empty(after.CompilerErrors);
        Assert.Empty(after.Nng);
        Assert.Equal(Generated(before, "Game.Policy.g.cs"), Generated(after, "Game.Policy.g.cs"));
    }

    [Theory]
    [InlineData("linear_nobias", "[Dense(3, Activation.Tanh, UseBias = false)]")]
    [InlineData("conv2d_nobias", "[Conv2D(3, 3, Activation.Tanh, UseBias = false)]")]
    public async Task A_layer_without_bias_in_the_file_is_written_with_UseBias_false(string model, string layer)
    {
        var files = Files(Model(model));
        string source = Policy.Replace("mlp.onnx", model + ".onnx");
        string fixedSource = await ApplyFixAsync(new WriteLayersCodeFix(), "NNG0014", source, files);
        Assert.Contains(layer, fixedSource, StringComparison.Ordinal);
        var before = Analyze(source, files);
        var after = Analyze(fixedSource, files);
        Assert.Empty(after.CompilerErrors);
        Assert.Empty(after.Nng);
        Assert.Equal(Generated(before, "Game.Policy.g.cs"), Generated(after, "Game.Policy.g.cs"));
    }

    [Fact]
    public async Task Without_a_using_the_code_fix_writes_qualified_names()
    {
        const string source = """
            [NeuralNet.Gen.Network, NeuralNet.Gen.Weights("mlp.onnx")] public partial class Policy { }
            """;
        var files = Files(Model("mlp"));
        string fixedSource = await ApplyFixAsync(new WriteLayersCodeFix(), "NNG0014", source, files);
        Assert.Contains("[global::NeuralNet.Gen.Dense(8, global::NeuralNet.Gen.Activation.Relu)]", fixedSource, StringComparison.Ordinal);
        var after = Analyze(fixedSource, files);
        Assert.Empty(after.CompilerErrors);
        Assert.Empty(after.Nng);
    }

    public static TheoryData<string, string> Unsupported => new()
    {
        { "concat", "a file declares a chain of layers" },
        { "avgpool2d_padded", "(count_include_pad 1 counts the padding in the mean)" },
        { "act_gelu", "(Gelu approximate none) is not an activation the product has" },
    };

    [Theory]
    [MemberData(nameof(Unsupported))]
    public void A_file_the_stack_cannot_declare_is_NNG0012_naming_the_node(string model, string expected)
    {
        var run = Analyze(Policy.Replace("mlp.onnx", model + ".onnx"), Files(Model(model)));
        var error = Assert.Single(run.Nng);
        Assert.Equal("NNG0012", error.Id);
        Assert.Equal($"\"{model}.onnx\"", TextAt(error));
        Assert.Contains(expected, error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(run.CompilerErrors);
    }

    [Fact]
    public void A_missing_file_is_NNG0012()
    {
        var run = Analyze(Policy, ImmutableArray<AdditionalText>.Empty);
        var error = Assert.Single(run.Nng);
        Assert.Equal("NNG0012", error.Id);
        Assert.Contains("the file is missing", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(run.CompilerErrors);
    }

    [Fact]
    public void Without_layers_a_safetensors_file_still_needs_Input()
    {
        var run = Analyze(Policy.Replace("mlp.onnx", "mlp.safetensors"), Files(Model("mlp").Replace(".onnx", ".safetensors")));
        Assert.Contains(run.Nng, d => d.Id == "NNG0002");
    }

    /// <summary>Every prefix of the file and a bit flipped in every byte: NNG0012 or a network, never an exception or a compiler error.</summary>
    [Fact]
    public void Truncated_and_bit_flipped_files_are_NNG0012_or_a_network_and_nothing_throws()
    {
        byte[] original = File.ReadAllBytes(Model("mlp"));
        string path = Path.Combine(_folder, "mlp.onnx");
        var random = new Random(14);
        int refused = 0, accepted = 0;
        var lengths = Enumerable.Range(0, 40).Select(_ => random.Next(original.Length)).Append(0).Append(original.Length - 1);
        var flips = Enumerable.Range(0, 60).Select(_ => (Index: random.Next(original.Length), Bit: random.Next(8)));
        var variants = lengths.Select(n => original.Take(n).ToArray())
            .Concat(flips.Select(f => { var b = (byte[])original.Clone(); b[f.Index] ^= (byte)(1 << f.Bit); return b; }));
        foreach (var bytes in variants)
        {
            File.WriteAllBytes(path, bytes);
            var run = Analyze(Policy, Files(path));
            Assert.Empty(run.CompilerErrors);
            var finding = Assert.Single(run.Nng);
            Assert.True(finding.Id is "NNG0012" or "NNG0014", finding.ToString());
            if (finding.Id == "NNG0012") refused++; else accepted++;
        }
        Assert.True(refused >= 42, $"{refused} refused, {accepted} accepted");
    }
}
