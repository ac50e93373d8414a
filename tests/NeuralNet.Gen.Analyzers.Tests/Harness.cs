using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace NeuralNet.Gen.Analyzers.Tests;

/// <summary>The analyzer tests' entry points into the test kit's <see cref="RoslynHarness"/>, with their file names.</summary>
internal static class Harness
{
    public const string Usings = RoslynHarness.Usings;

    public static ImmutableArray<DiagnosticAnalyzer> Analyzers => RoslynHarness.Analyzers;

    public static ImmutableArray<MetadataReference> References => RoslynHarness.References;

    public static CSharpCompilationOptions CompilationOptions => RoslynHarness.CompilationOptions;

    public static SyntaxTree Parse(string source, string path = "Test.cs") => RoslynHarness.Parse(source, path);

    /// <summary>Generator first, then compiler and analyzers on the compilation that includes the generated code.</summary>
    public static AnalysisRun Run(params string[] sources) =>
        Run(sources.Select((s, i) => ($"Test{i}.cs", s)));

    /// <summary>Generator first, then compiler and analyzers on the compilation that includes the generated code.</summary>
    public static AnalysisRun Run(IEnumerable<(string Path, string Source)> files, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary,
        ImmutableArray<AdditionalText> additionalFiles = default) =>
        RoslynHarness.Analyze(RoslynHarness.Compile(files, outputKind: outputKind), additionalFiles);

    /// <summary>The text a location covers, e.g. the argument a diagnostic points at.</summary>
    public static string TextAt(Diagnostic diagnostic) =>
        diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);

    public static Diagnostic Single(AnalysisRun run, string id)
    {
        var matches = run.Nng.Where(d => d.Id == id).ToList();
        Assert.True(matches.Count == 1, $"Expected one {id}, got: {string.Join("; ", run.Nng)}");
        return matches[0];
    }

    public static Task<string> ApplyFixAsync(CodeFixProvider provider, string id, string source, ImmutableArray<AdditionalText> additionalFiles = default) =>
        RoslynHarness.ApplyFixAsync(provider, id, source, additionalFiles);

    public static Task<int> CountFixesAsync(CodeFixProvider provider, string id, string source) => RoslynHarness.CountFixesAsync(provider, id, source);
}
