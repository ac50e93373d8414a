using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Xunit;
using static NeuralNet.Gen.Analyzers.Tests.Harness;

namespace NeuralNet.Gen.Analyzers.Tests;

/// <summary>The examples of docs/diagnostics are compiled: the wrong one gets its ID, the right one compiles clean.</summary>
public sealed class DocumentationTests
{
    public static TheoryData<string> Ids => new() { "NNG0001", "NNG0002", "NNG0003", "NNG0004", "NNG0005", "NNG0006", "NNG0007", "NNG0008", "NNG0009", "NNG0010", "NNG0011", "NNG0012", "NNG0013",
        "NNG0014", "NNG0015", "NNG0016", "NNG0020", "NNG0021", "NNG0022", "NNG0023", "NNG0024", "NNG0025", "NNG0026", "NNG0027" };

    [Theory]
    [MemberData(nameof(Ids))]
    public void WrongExampleGetsTheDiagnosticAndRightExampleIsClean(string id)
    {
        var page = File.ReadAllText(Path.Combine(NetworkAnalyzerTests.RepositoryRoot(), "docs", "diagnostics", id + ".md"));
        var blocks = Regex.Matches(page, "```csharp\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(2, blocks.Length);
        // Pages with statements are whole programs.
        var kind = blocks[0].Contains("var net") ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary;

        // A page may show a weights file ([Weights]); both examples get it as an AdditionalFiles item.
        var files = ImmutableArray<AdditionalText>.Empty;
        var json = Regex.Match(page, "```json\n(.*?)```", RegexOptions.Singleline);
        var weights = Regex.Match(blocks[1], "\\[Weights\\(\"([^\"]+)\"");
        if (json.Success && weights.Success) files = ImmutableArray.Create<AdditionalText>(new AdditionalFile("/project/" + weights.Groups[1].Value, json.Groups[1].Value));
        // An ONNX file is one of the reference models (tests/TestData/onnx).
        if (weights.Success && weights.Groups[1].Value.EndsWith(".onnx", System.StringComparison.Ordinal))
            files = ImmutableArray.Create<AdditionalText>(new AdditionalFile(Path.Combine(NetworkAnalyzerTests.RepositoryRoot(), "tests", "TestData", "onnx", weights.Groups[1].Value)));

        var wrong = Run(new[] { ("Wrong.cs", blocks[0]) }, kind, files);
        Assert.Contains(wrong.Nng, d => d.Id == id);
        Assert.All(wrong.Nng, d => Assert.True(d.Id == id || d.Severity == DiagnosticSeverity.Error, d.ToString()));

        var right = Run(new[] { ("Right.cs", blocks[1]) }, kind, files);
        Assert.Empty(right.Nng);
        Assert.Empty(right.CompilerErrors);
    }
}
