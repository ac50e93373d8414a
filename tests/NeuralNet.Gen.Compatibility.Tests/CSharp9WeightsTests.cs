using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using NeuralNet.Gen.Generators;
using Xunit;

namespace NeuralNet.Gen.Compatibility.Tests;

/// <summary>A network with [Weights] baked in compiles as C# 9 against the runtime's netstandard2.1 build (Unity).</summary>
public class CSharp9WeightsTests
{
    private sealed class JsonFile(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    [Theory]
    [InlineData("Single")]
    [InlineData("Double")]
    public void A_baked_network_compiles_as_CSharp9_against_netstandard21(string precision)
    {
        var source = $$"""
            using NeuralNet.Gen;
            namespace Game
            {
                [Network(Precision = Precision.{{precision}})]
                [Input(2)] [Dense(2, Activation.Tanh)] [Dense(1)]
                [Loss(LossFunction.MeanSquaredError)]
                [Weights("xor.json")]
                public partial class Net { }
            }
            """;
        const string json = """{"layers": [{"type": "dense", "activation": "tanh", "weights": [[[2.5, -2.5], [2.5, -2.5]], [-1.0, 3.5]]}, {"type": "dense", "weights": [[[1.0], [1.0]], [-1.5]]}]}""";
        var parseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.CSharp9);
        var folder = Path.Combine(AppContext.BaseDirectory, "netstandard2.1");
        var references = Directory.GetFiles(folder, "*.dll").Select(path => MetadataReference.CreateFromFile(path)).ToArray();
        var compilation = CSharpCompilation.Create("Baked" + precision, new[] { CSharpSyntaxTree.ParseText(source, parseOptions) }, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new NetworkGenerator().AsSourceGenerator() },
            additionalTexts: new AdditionalText[] { new JsonFile("/game/xor.json", json) }, parseOptions: parseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        var generated = Assert.Single(driver.GetRunResult().GeneratedTrees);
        Assert.Contains("TrainedParameterData", generated.ToString());
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
        Assert.True(problems.IsEmpty, string.Join(Environment.NewLine, problems.Select(d => d.ToString())));
    }
}
