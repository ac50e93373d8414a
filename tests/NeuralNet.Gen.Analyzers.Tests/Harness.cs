using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using NeuralNet.Gen.Generators;
using Xunit;

namespace NeuralNet.Gen.Analyzers.Tests;

/// <summary>What one source gives: the compilation after generation, and every diagnostic of each stage.</summary>
internal sealed record AnalysisRun(
    Compilation Output,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> CompilerDiagnostics,
    ImmutableArray<Diagnostic> AnalyzerDiagnostics,
    int GeneratedFiles,
    ImmutableArray<string> GeneratedPaths)
{
    public IEnumerable<Diagnostic> Nng => AnalyzerDiagnostics.Where(d => d.Id.StartsWith("NNG", StringComparison.Ordinal));

    public IEnumerable<Diagnostic> CompilerErrors => CompilerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);
}

/// <summary>
/// A small analyzer and code-fix harness: the Microsoft testing packages are not on our feed. Compilations use the
/// .NET 8 reference assemblies from Basic.Reference.Assemblies and the runtime library built by this solution.
/// </summary>
internal static class Harness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    public static readonly CSharpCompilationOptions CompilationOptions = new(OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true);

    public static readonly ImmutableArray<MetadataReference> References =
        Net80.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(NetworkAttribute).Assembly.Location))
            .ToImmutableArray();

    public static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers =
        ImmutableArray.Create<DiagnosticAnalyzer>(new NetworkAnalyzer(), new BufferLengthAnalyzer(), new TeachingAnalyzer(), new ScalerLeakAnalyzer(), new TargetEncodingAnalyzer());

    private static readonly CSharpCompilation Empty = CSharpCompilation.Create("Tests", references: References, options: CompilationOptions);

    public const string Usings = "using System;\nusing NeuralNet.Gen;\nusing static NeuralNet.Gen.Activation;\n";

    public static SyntaxTree Parse(string source, string path = "Test.cs") =>
        CSharpSyntaxTree.ParseText(source, ParseOptions, path);

    /// <summary>Generator first, then compiler and analyzers on the compilation that includes the generated code.</summary>
    public static AnalysisRun Run(params string[] sources) =>
        Run(sources.Select((s, i) => ($"Test{i}.cs", s)));

    /// <summary>Generator first, then compiler and analyzers on the compilation that includes the generated code.</summary>
    public static AnalysisRun Run(IEnumerable<(string Path, string Source)> files, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary,
        ImmutableArray<AdditionalText> additionalFiles = default)
    {
        if (additionalFiles.IsDefault) additionalFiles = ImmutableArray<AdditionalText>.Empty;
        var start = outputKind == OutputKind.DynamicallyLinkedLibrary ? Empty : Empty.WithOptions(CompilationOptions.WithOutputKind(outputKind));
        var compilation = start.AddSyntaxTrees(files.Select(f => Parse(f.Source, f.Path)));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new NetworkGenerator().AsSourceGenerator() }, additionalTexts: additionalFiles, parseOptions: ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var result = driver.GetRunResult();
        foreach (var generator in result.Results)
        {
            if (generator.Exception is not null) throw new InvalidOperationException("The generator threw", generator.Exception);
        }

        var exceptions = new ConcurrentQueue<Exception>();
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions(additionalFiles),
            (exception, _, _) => exceptions.Enqueue(exception), concurrentAnalysis: true, logAnalyzerExecutionTime: false);
        var withAnalyzers = output.WithAnalyzers(Analyzers, options);
        // One pass for compiler and analyzer diagnostics: binding twice would double the cost of every test.
        var all = withAnalyzers.GetAllDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
        if (!exceptions.IsEmpty) throw new AggregateException("An analyzer threw", exceptions);
        if (all.FirstOrDefault(d => d.Id == "AD0001") is { } ad) throw new InvalidOperationException(ad.ToString());
        bool FromAnalyzer(Diagnostic d) => d.Id.StartsWith("NNG", StringComparison.Ordinal) || d.Id.StartsWith("AD", StringComparison.Ordinal);

        return new AnalysisRun(output, generatorDiagnostics, all.Where(d => !FromAnalyzer(d)).ToImmutableArray(),
            all.Where(FromAnalyzer).ToImmutableArray(), result.GeneratedTrees.Length, result.GeneratedTrees.Select(t => t.FilePath).ToImmutableArray());
    }

    /// <summary>An AdditionalFiles item: in memory, or read from disk when <paramref name="text"/> is null (binary files).</summary>
    public sealed class AdditionalFile(string path, string? text = null) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText? GetText(CancellationToken cancellationToken = default) =>
            SourceText.From(text ?? System.IO.File.ReadAllText(Path));
    }

    /// <summary>The text a location covers, e.g. the argument a diagnostic points at.</summary>
    public static string TextAt(Diagnostic diagnostic) =>
        diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);

    public static Diagnostic Single(AnalysisRun run, string id)
    {
        var matches = run.Nng.Where(d => d.Id == id).ToList();
        Assert.True(matches.Count == 1, $"Expected one {id}, got: {string.Join("; ", run.Nng)}");
        return matches[0];
    }

    /// <summary>Applies the one fix <paramref name="provider"/> offers for <paramref name="id"/> and returns the new text.</summary>
    public static async Task<string> ApplyFixAsync(CodeFixProvider provider, string id, string source)
    {
        using var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(projectId, VersionStamp.Default, "Fix", "Fix", LanguageNames.CSharp,
                compilationOptions: CompilationOptions, parseOptions: ParseOptions, metadataReferences: References));
        var documentId = DocumentId.CreateNewId(projectId);
        solution = solution.AddDocument(documentId, "Test.cs", SourceText.From(source));
        var document = solution.GetDocument(documentId)!;

        var compilation = (await document.Project.GetCompilationAsync())!;
        var diagnostics = await compilation.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync();
        var diagnostic = Assert.Single(diagnostics, d => d.Id == id);

        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context);
        var fix = Assert.Single(actions);
        var operations = await fix.GetOperationsAsync(CancellationToken.None);
        var apply = Assert.Single(operations.OfType<ApplyChangesOperation>());
        var changed = apply.ChangedSolution.GetDocument(documentId)!;
        return (await changed.GetTextAsync()).ToString();
    }

    /// <summary>How many fixes <paramref name="provider"/> offers for the <paramref name="id"/> diagnostic of the source.</summary>
    public static async Task<int> CountFixesAsync(CodeFixProvider provider, string id, string source)
    {
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Fix", "Fix", LanguageNames.CSharp,
            compilationOptions: CompilationOptions, parseOptions: ParseOptions, metadataReferences: References));
        var document = workspace.AddDocument(project.Id, "Test.cs", SourceText.From(source));
        var compilation = (await document.Project.GetCompilationAsync())!;
        var diagnostics = await compilation.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync();
        int count = 0;
        foreach (var diagnostic in diagnostics.Where(d => d.Id == id))
        {
            var context = new CodeFixContext(document, diagnostic, (_, _) => count++, CancellationToken.None);
            await provider.RegisterCodeFixesAsync(context);
        }
        return count;
    }
}
