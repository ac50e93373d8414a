using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NeuralNet.Gen.CodeFixes;
using Xunit;
using Xunit.Abstractions;
using static NeuralNet.Gen.Analyzers.Tests.Harness;

namespace NeuralNet.Gen.Analyzers.Tests;

/// <summary>The teaching hints NNG0020-NNG0026: each fires on its mistake, at the place at fault, and nowhere else.</summary>
public sealed class TeachingHintTests
{
    private readonly ITestOutputHelper _output;

    public TeachingHintTests(ITestOutputHelper output) => _output = output;

    private static AnalysisRun Net(string attributes) => Run(Usings + attributes + "\npublic partial class Net { }\n");

    private static IEnumerable<Diagnostic> Hints(AnalysisRun run) => run.Nng.Where(d => string.CompareOrdinal(d.Id, "NNG0020") >= 0 && string.CompareOrdinal(d.Id, "NNG0029") <= 0);

    private static void AssertNoHint(AnalysisRun run) => Assert.True(!Hints(run).Any(), string.Join("; ", Hints(run)));

    // NNG0020: Dense layers in a row without a nonlinearity.

    [Fact]
    public void LinearDenseStack_FiresOnTheLinearLayer()
    {
        var d = Single(Net("[Network, Input(4), Dense(8), Dense(3, Softmax), Loss(LossFunction.CategoricalCrossEntropy)]"), "NNG0020");
        Assert.Equal("Dense(8)", TextAt(d));
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Contains("Dense(3, Softmax)", d.GetMessage());
        Assert.Equal("Dense(3, Softmax)", d.AdditionalLocations.Single().SourceTree!.GetText().ToString(d.AdditionalLocations[0].SourceSpan));
    }

    [Fact]
    public void LinearDenseStack_SeesThroughDropoutAndExplicitLinear()
    {
        var d = Single(Net("[Network, Input(4), Dense(8, Activation.Linear), Dropout(0.5f), Dense(1)]"), "NNG0020");
        Assert.Equal("Dense(8, Activation.Linear)", TextAt(d));
    }

    [Theory]
    [InlineData("[Network, Input(1), Dense(1), Loss(LossFunction.MeanSquaredError)]")]               // linear regression: one Dense
    [InlineData("[Network, Input(4), Dense(8, Relu), Dense(1)]")]                                      // linear output after a nonlinearity
    [InlineData("[Network, Input(8, 8, 1), Conv2D(4, 3), Flatten, Dense(2, Softmax)]")]               // not two Dense layers
    public void LinearDenseStack_SilentWithoutTwoLinearDenseInARow(string attributes) => AssertNoHint(Net(attributes));

    [Fact]
    public void ArchitectureHints_SilentWhenAWeightsFileDictatesTheLayers()
    {
        // PretrainedWeights' situation: the layers are those the file was trained with.
        var json = File.ReadAllText(Path.Combine(NetworkAnalyzerTests.RepositoryRoot(), "tests", "TestData", "keras-dense", "dense.json"));
        var source = Usings + "#pragma warning disable NNG0007\n[Network, Input(1), Dense(8, Tanh), Dense(8, Relu), Dense(8, Elu), Dense(8, Softmax), Dense(1), Dense(8), Dense(8), Dense(1), Weights(\"dense.json\")]\npublic partial class Net { }\n";
        var run = Run(new[] { ("Test0.cs", source) }, additionalFiles: ImmutableArray.Create<AdditionalText>(new AdditionalFile("/project/dense.json", json)));
        Assert.Empty(run.Nng);
        Assert.Contains("NNG0020", Net("[Network, Input(1), Dense(8, Tanh), Dense(8, Relu), Dense(8, Elu), Dense(8, Relu), Dense(1), Dense(8), Dense(8), Dense(1)]").Nng.Select(d => d.Id));
    }

    [Fact]
    public Task LinearDenseStack_FixAddsRelu() => AssertFixAsync(new UseReluCodeFix(), "NNG0020",
        "[Network]\n[Input(4)]\n[Dense(8)]\n[Dense(1, Sigmoid)]\npublic partial class Net { }\n",
        "[Network]\n[Input(4)]\n[Dense(8, Activation.Relu)]\n[Dense(1, Sigmoid)]\npublic partial class Net { }\n");

    // NNG0021: Softmax output with a regression loss.

    [Theory]
    [InlineData("MeanSquaredError")]
    [InlineData("MeanAbsoluteError")]
    [InlineData("Huber")]
    public void SoftmaxWithRegressionLoss_IsInfoAtTheLoss(string loss)
    {
        var d = Single(Net($"[Network, Input(4), Dense(8, Relu), Dense(3, Softmax), Loss(LossFunction.{loss})]"), "NNG0021");
        Assert.Equal("LossFunction." + loss, TextAt(d));
        Assert.Equal(DiagnosticSeverity.Info, d.Severity);
    }

    [Theory]
    [InlineData("[Network, Input(4), Dense(8, Relu), Dense(3, Softmax), Loss(LossFunction.CategoricalCrossEntropy)]")]
    [InlineData("[Network, Input(2), Dense(2, Sigmoid), Dense(1, Sigmoid), Loss(LossFunction.MeanSquaredError)]")] // the gender tutorial
    [InlineData("[Network, Input(4), Dense(8, Relu), Dense(3, Softmax)]")]                                        // inference only
    public void SoftmaxWithRegressionLoss_SilentOtherwise(string attributes) => AssertNoHint(Net(attributes));

    [Fact]
    public Task SoftmaxWithRegressionLoss_FixUsesCrossEntropy() => AssertFixAsync(new UseCrossEntropyCodeFix(), "NNG0021",
        "[Network, Input(4), Dense(8, Relu), Dense(3, Softmax)]\n[Loss(LossFunction.MeanSquaredError)]\npublic partial class Net { }\n",
        "[Network, Input(4), Dense(8, Relu), Dense(3, Softmax)]\n[Loss(LossFunction.CategoricalCrossEntropy)]\npublic partial class Net { }\n");

    // NNG0022: learning rate far above the usual range.

    [Theory]
    [InlineData("Adam", "0.1f")]
    [InlineData("AdamW", "0.5")]
    [InlineData("RmsProp", "0.2f")]
    [InlineData("Sgd", "1")]
    [InlineData("Momentum", "2.5f")]
    [InlineData("Nesterov", "1f")]
    [InlineData("Adagrad", "1.5f")]
    public void LearningRateTooHigh_FiresAtTheArgument(string optimizer, string rate)
    {
        var d = Single(Net($"[Network, Input(2), Dense(1, Sigmoid), Loss(LossFunction.BinaryCrossEntropy), Optimizer(OptimizerKind.{optimizer}, LearningRate = {rate})]"), "NNG0022");
        Assert.Equal("LearningRate = " + rate, TextAt(d));
        Assert.Contains(optimizer, d.GetMessage());
    }

    [Theory]
    [InlineData("Adam", "0.05f")]       // AotInference's XOR
    [InlineData("Sgd", "0.1f")]         // the gender and Fashion-MNIST tutorials
    [InlineData("Sgd", "0.5f")]
    [InlineData("RmsProp", "0.01f")]
    public void LearningRateTooHigh_SilentInTheUsualRange(string optimizer, string rate) =>
        AssertNoHint(Net($"[Network, Input(2), Dense(1, Sigmoid), Loss(LossFunction.BinaryCrossEntropy), Optimizer(OptimizerKind.{optimizer}, LearningRate = {rate})]"));

    [Fact]
    public Task LearningRateTooHigh_FixUsesTheDefault() => AssertFixAsync(new UseUsualLearningRateCodeFix(), "NNG0022",
        "[Network, Input(2), Dense(1, Sigmoid), Loss(LossFunction.BinaryCrossEntropy)]\n[Optimizer(OptimizerKind.Adam, LearningRate = 0.5f)]\npublic partial class Net { }\n",
        "[Network, Input(2), Dense(1, Sigmoid), Loss(LossFunction.BinaryCrossEntropy)]\n[Optimizer(OptimizerKind.Adam, LearningRate = 0.001f)]\npublic partial class Net { }\n");

    [Fact]
    public Task LearningRateTooHigh_FixForSgd() => AssertFixAsync(new UseUsualLearningRateCodeFix(), "NNG0022",
        "[Network, Input(2), Dense(1), Loss(LossFunction.MeanSquaredError), Optimizer(OptimizerKind.Sgd, LearningRate = 3)]\npublic partial class Net { }\n",
        "[Network, Input(2), Dense(1), Loss(LossFunction.MeanSquaredError), Optimizer(OptimizerKind.Sgd, LearningRate = 0.01)]\npublic partial class Net { }\n");

    // NNG0023: deep Sigmoid/Tanh stacks.

    [Fact]
    public void SaturatingStack_FiresOnTheFirstLayerAndNamesTheOthers()
    {
        var d = Single(Net("[Network, Input(4), Dense(16, Sigmoid), Dense(16, Tanh), Dropout(0.2f), Dense(16, Sigmoid), Dense(16, Sigmoid), Dense(1, Sigmoid), Loss(LossFunction.BinaryCrossEntropy)]"), "NNG0023");
        Assert.Equal("Dense(16, Sigmoid)", TextAt(d));
        Assert.Equal(3, d.AdditionalLocations.Count);
        Assert.StartsWith("4 hidden layers", d.GetMessage());
    }

    [Theory]
    [InlineData("[Network, Input(4), Dense(16, Sigmoid), Dense(16, Sigmoid), Dense(16, Sigmoid), Dense(1, Sigmoid), Loss(LossFunction.BinaryCrossEntropy)]")] // three hidden
    [InlineData("[Network, Input(4), Dense(16, Sigmoid), Dense(16, Sigmoid), Dense(16, Relu), Dense(16, Sigmoid), Dense(16, Sigmoid), Dense(1, Sigmoid), Loss(LossFunction.BinaryCrossEntropy)]")] // broken by Relu
    [InlineData("[Network, Input(4), Dense(16, Tanh), Dense(16, Tanh), Dense(16, Tanh), Dense(16, Tanh), Dense(1, Tanh)]")] // no loss: not trained by gradients
    public void SaturatingStack_SilentOnShortRunsAndUntrainedNetworks(string attributes) => AssertNoHint(Net(attributes));

    [Fact]
    public Task SaturatingStack_FixUsesReluOnEveryHiddenLayer() => AssertFixAsync(new UseReluCodeFix(), "NNG0023",
        "[Network, Input(4)]\n[Dense(8, Sigmoid)]\n[Dense(8, Activation.Tanh)]\n[Dense(8, activation: Sigmoid)]\n[Dense(8, Sigmoid)]\n[Dense(1, Sigmoid)]\n[Loss(LossFunction.BinaryCrossEntropy)]\npublic partial class Net { }\n",
        "[Network, Input(4)]\n[Dense(8, Relu)]\n[Dense(8, Activation.Relu)]\n[Dense(8, activation: Relu)]\n[Dense(8, Relu)]\n[Dense(1, Sigmoid)]\n[Loss(LossFunction.BinaryCrossEntropy)]\npublic partial class Net { }\n");

    // NNG0024: Dropout after the output layer.

    [Fact]
    public void DropoutOnOutput_FiresAtTheDropout()
    {
        var d = Single(Net("[Network, Input(4), Dense(8, Relu), Dense(1), Dropout(0.5f), Loss(LossFunction.MeanSquaredError)]"), "NNG0024");
        Assert.Equal("Dropout(0.5f)", TextAt(d));
    }

    [Fact]
    public void DropoutOnOutput_SilentBetweenHiddenLayers() =>
        AssertNoHint(Net("[Network, Input(4), Dense(8, Relu), Dropout(0.5f), Dense(3, Softmax), Loss(LossFunction.CategoricalCrossEntropy)]"));

    [Fact]
    public Task DropoutOnOutput_FixRemovesItsLine() => AssertFixAsync(new RemoveOutputDropoutCodeFix(), "NNG0024",
        "[Network]\n[Input(4)]\n[Dense(8, Relu)]\n[Dense(1)]\n[Dropout(0.5f)]\n[Loss(LossFunction.MeanSquaredError)]\npublic partial class Net { }\n",
        "[Network]\n[Input(4)]\n[Dense(8, Relu)]\n[Dense(1)]\n[Loss(LossFunction.MeanSquaredError)]\npublic partial class Net { }\n");

    [Fact]
    public Task DropoutOnOutput_FixRemovesItFromAList() => AssertFixAsync(new RemoveOutputDropoutCodeFix(), "NNG0024",
        "[Network, Input(4), Dense(8, Relu), Dense(1), Dropout(0.5f), Loss(LossFunction.MeanSquaredError)]\npublic partial class Net { }\n",
        "[Network, Input(4), Dense(8, Relu), Dense(1), Loss(LossFunction.MeanSquaredError)]\npublic partial class Net { }\n");

    // NNG0026: [Optimizer] without [Loss].

    [Fact]
    public void OptimizerWithoutLoss_FiresAtTheOptimizer()
    {
        var d = Single(Net("[Network, Input(2), Dense(1, Sigmoid), Optimizer(OptimizerKind.Adam)]"), "NNG0026");
        Assert.Equal("Optimizer(OptimizerKind.Adam)", TextAt(d));
    }

    [Fact]
    public void OptimizerWithoutLoss_SilentWithALossOrWithoutAnOptimizer()
    {
        AssertNoHint(Net("[Network, Input(2), Dense(1, Sigmoid), Loss(LossFunction.BinaryCrossEntropy), Optimizer(OptimizerKind.Adam)]"));
        AssertNoHint(Net("[Network, Input(2), Dense(1, Sigmoid)]"));
    }

    // NNG0025: scaler fitted before the split.

    private const string DataUsings = "using System;\nusing NeuralNet.Gen;\nusing NeuralNet.Gen.Data;\n";

    private static AnalysisRun Program(string body) =>
        Run(new[] { ("Program.cs", DataUsings + "public static class App\n{\n    public static void Main(Dataset<float> data)\n    {\n" + body + "    }\n}\n") });

    [Fact]
    public void ScalerFittedBeforeSplit_FiresAtTheFit()
    {
        var run = Program("        var scaler = StandardScaler<float>.Fit(data.Inputs, data.InputSize);\n        scaler.Transform(data.Inputs);\n        var (train, validation, test) = data.Split(seed: 1);\n");
        var d = Single(run, "NNG0025");
        Assert.Equal("StandardScaler<float>.Fit(data.Inputs, data.InputSize)", TextAt(d));
        Assert.Equal("data.Split(seed: 1)", d.AdditionalLocations.Single().SourceTree!.GetText().ToString(d.AdditionalLocations[0].SourceSpan));
        Assert.Empty(run.CompilerErrors);
    }

    [Fact]
    public void ScalerFittedBeforeSplit_FiresForMinMaxOnALocal()
    {
        var run = Program("        var all = data;\n        var scaler = MinMaxScaler<float>.Fit(all.Inputs.AsSpan(), all.InputSize);\n        var parts = all.Split();\n");
        Assert.Equal("MinMaxScaler<float>.Fit(all.Inputs.AsSpan(), all.InputSize)", TextAt(Single(run, "NNG0025")));
    }

    [Theory]
    [InlineData("        var (train, validation, test) = data.Split(seed: 1);\n        var scaler = StandardScaler<float>.Fit(train.Inputs, train.InputSize);\n")] // the README's order
    [InlineData("        var (train, validation, test) = data.Split(seed: 1);\n        var scaler = StandardScaler<float>.Fit(data.Inputs, data.InputSize);\n")] // fitted after the split
    [InlineData("        var scaler = StandardScaler<float>.Fit(data.Inputs, data.InputSize);\n        var other = data.Shuffle(1);\n        var parts = other.Split();\n")] // another data set is split
    public void ScalerFittedBeforeSplit_SilentOtherwise(string body) => AssertNoHint(Program(body));

    // NNG0027: class indices vs one-hot.

    private static AnalysisRun Training(string network, string body) =>
        Run(new[] { ("Program.cs", Usings + body + "\n" + network + "\npublic partial class Net { }\n") }, OutputKind.ConsoleApplication);

    private const string Softmax3 = "[Network, Input(2), Dense(8, Relu), Dense(3, Softmax), Loss(LossFunction.CategoricalCrossEntropy)]";
    private const string Sigmoid1 = "[Network, Input(2), Dense(8, Relu), Dense(1, Sigmoid), Loss(LossFunction.BinaryCrossEntropy)]";

    [Fact]
    public void TargetEncoding_ClassIndicesForCategoricalCrossEntropy()
    {
        var run = Training(Softmax3, "float[] x = { 0, 0, 0, 1, 1, 0, 1, 1 };\nfloat[] y = { 0, 1, 2, 0 };\nvar net = new Net();\nnet.Fit(x, y);\n");
        var d = Single(run, "NNG0027");
        Assert.Equal("y", TextAt(d));
        Assert.Contains("Preprocessing.OneHot<float>(labels, 3)", d.GetMessage());
        Assert.Empty(run.CompilerErrors);
    }

    [Fact]
    public void TargetEncoding_OneHotRowsForSparseLabels()
    {
        var run = Training("[Network, Input(2), Dense(8, Relu), Dense(3, Softmax), Loss(LossFunction.SparseCategoricalCrossEntropy)]",
            "var net = new Net();\nnet.Fit(new float[8], new float[12]);\n");
        var d = Single(run, "NNG0027");
        Assert.Equal("new float[12]", TextAt(d));
        Assert.Contains("one class index per sample (4 in all)", d.GetMessage());
    }

    [Fact]
    public void TargetEncoding_OneHotForASigmoidOutput_InEvaluateAndValidation()
    {
        var run = Training(Sigmoid1, "var net = new Net();\nnet.Evaluate(new float[8], new float[8]);\nnet.Fit(new float[8], new float[4], new float[4], new float[4]);\n");
        var hints = run.Nng.Where(d => d.Id == "NNG0027").Select(TextAt).ToList();
        Assert.Equal(new[] { "new float[8]", "new float[4]" }, hints); // Evaluate's targets, then Fit's validation targets
    }

    [Theory]
    [InlineData(Softmax3, "net.Fit(new float[8], new float[12]);")]    // one-hot, 4 samples x 3 classes
    [InlineData(Sigmoid1, "net.Fit(new float[8], new float[4]);")]     // one label per sample
    [InlineData("[Network, Input(2), Dense(3, Softmax), Loss(LossFunction.SparseCategoricalCrossEntropy)]", "net.Fit(new float[8], new float[4]);")] // one class index per sample
    [InlineData(Softmax3, "net.Fit(new float[8], Array.Empty<float>());")] // length unknown to the analyzer
    [InlineData("[Network, Input(2), Dense(3), Loss(LossFunction.MeanSquaredError)]", "net.Fit(new float[8], new float[4]);")] // regression: no encoding
    public void TargetEncoding_SilentWhenTheEncodingFits(string network, string call) =>
        AssertNoHint(Training(network, "var net = new Net();\n" + call + "\n"));

    // The repository's own networks.

    /// <summary>Every sample program, compiled as its project compiles it (its folder and the shared files it links).</summary>
    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (var project in Directory.GetFiles(Path.Combine(NetworkAnalyzerTests.RepositoryRoot(), "samples"), "*.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(Path.GetDirectoryName(project)!));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Samples_GetNoTeachingHint(string sample)
    {
        var samples = Path.Combine(NetworkAnalyzerTests.RepositoryRoot(), "samples");
        var folder = Path.Combine(samples, sample);
        var project = File.ReadAllText(Directory.GetFiles(folder, "*.csproj").Single());
        var files = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
            .Concat(Directory.GetFiles(Path.Combine(samples, "Shared"), "*.cs").Where(f => project.Contains(Path.GetFileName(f))))
            .Order(StringComparer.Ordinal).ToList();
        var sources = files.Select(f => (f, File.ReadAllText(f))).ToList();
        int networks = sources.Sum(s => s.Item2.Split("[Network").Length - 1);
        var run = Run(sources, OutputKind.ConsoleApplication, SampleWeights(folder));
        _output.WriteLine($"{sample}: {files.Count} files, {networks} network declarations, NNG: {string.Join("; ", run.Nng)}");
        Assert.True(networks > 0, $"{sample} declares no network");
        AssertNoHint(run);
    }

    [Fact]
    public void Template_GetsNoTeachingHint()
    {
        // The nngen-console template's program, with the implicit usings its project enables.
        var program = Path.Combine(NetworkAnalyzerTests.RepositoryRoot(), "src", "NeuralNet.Gen.Templates", "content", "nngen-console", "Program.cs");
        var source = "global using System;\nglobal using System.IO;\nglobal using System.Linq;\n" + File.ReadAllText(program);
        var run = Run(new[] { ("Program.cs", source) }, OutputKind.ConsoleApplication);
        Assert.Contains(run.Output.GetSymbolsWithName("Classifier"), s => s is INamedTypeSymbol);
        Assert.Equal(1, run.GeneratedFiles);
        AssertNoHint(run);
    }

    private static ImmutableArray<AdditionalText> SampleWeights(string folder) =>
        Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories)
            .Select(f => (AdditionalText)new AdditionalFile(f)).ToImmutableArray();

    // Help links.

    [Fact]
    public async Task HelpLinks_FollowTheBuildProperty()
    {
        var tree = Parse(Usings + "[Network, Input(4), Dense(8), Dense(1), Optimizer(OptimizerKind.Adam)]\npublic partial class Net { }\n");
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("Links", new[] { tree }, References, Harness.CompilationOptions);
        var withBase = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new BuildProperties("https://docs.example.org/nng"));
        var linked = await compilation.WithAnalyzers(Harness.Analyzers, withBase).GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        Assert.Contains(linked, d => d.Id == "NNG0020");
        Assert.All(linked.Where(d => d.Id.StartsWith("NNG", StringComparison.Ordinal)), d => Assert.Equal("https://docs.example.org/nng/" + d.Id + ".md", d.Descriptor.HelpLinkUri));

        var plain = await compilation.WithAnalyzers(Harness.Analyzers).GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        Assert.All(plain.Where(d => d.Id.StartsWith("NNG", StringComparison.Ordinal)), d => Assert.Equal("docs/diagnostics/" + d.Id + ".md", d.Descriptor.HelpLinkUri));
    }

    private sealed class BuildProperties(string helpLinkBase) : AnalyzerConfigOptionsProvider
    {
        private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
        }

        private readonly Options _global = new(new Dictionary<string, string> { ["build_property.NeuralNetGenHelpLinkBase"] = helpLinkBase });
        private readonly Options _empty = new(new Dictionary<string, string>());

        public override AnalyzerConfigOptions GlobalOptions => _global;
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _empty;
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _empty;
    }

    private static async Task AssertFixAsync(Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider provider, string id, string before, string after)
    {
        var fixedText = await ApplyFixAsync(provider, id, Usings + before);
        Assert.Equal(Usings + after, fixedText.Replace("\r\n", "\n"));
        var run = Run(fixedText);
        AssertNoHint(run);
        Assert.Empty(run.CompilerErrors);
    }
}
