using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
#if !NNG_GENERATOR_ONLY
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
#endif
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
#if !NNG_GENERATOR_ONLY
using NeuralNet.Gen.Analyzers;
#endif
using NeuralNet.Gen.Generators;
using Xunit;

namespace NeuralNet.Gen.TestKit;

/// <summary>One generator run: the driver (to run again, for caching tests), its result and the compilation it produced.</summary>
public sealed record GenerationRun(GeneratorDriver Driver, GeneratorRunResult Result, Compilation Output, ImmutableArray<Diagnostic> Diagnostics);

/// <summary>What one source gives: the compilation after generation, and every diagnostic of each stage.</summary>
public sealed record AnalysisRun(
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

/// <summary>An AdditionalFiles item: in memory, or read from disk when <paramref name="text"/> is null.</summary>
public sealed class AdditionalFile(string path, string? text = null) : AdditionalText
{
    public override string Path { get; } = path;

    public override SourceText? GetText(CancellationToken cancellationToken = default) =>
        SourceText.From(text ?? System.IO.File.ReadAllText(Path));
}

/// <summary>
/// The one Roslyn harness of the tests: compile in memory, run the generator, run the analyzers, apply a code fix.
/// The Microsoft testing packages are not on our feed. Compilations use the .NET 8 reference assemblies from
/// Basic.Reference.Assemblies and the runtime library built by this solution, unless a test passes its own.
/// </summary>
public static class RoslynHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    public static readonly CSharpCompilationOptions CompilationOptions = new(OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true);

    /// <summary>.NET 8's reference assemblies and the runtime (attributes, INetwork&lt;T&gt;, kernels).</summary>
    public static readonly ImmutableArray<MetadataReference> References =
        Net80.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(NetworkAttribute).Assembly.Location))
            .ToImmutableArray();

#if !NNG_GENERATOR_ONLY
    public static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers =
        ImmutableArray.Create<DiagnosticAnalyzer>(new NetworkAnalyzer(), new BufferLengthAnalyzer(), new NetworkUsageAnalyzer(),
            new ScalerLeakAnalyzer(), new TargetEncodingAnalyzer());
#endif

    /// <summary>The usings every network source starts with.</summary>
    public const string Usings = "using System;\nusing NeuralNet.Gen;\nusing static NeuralNet.Gen.Activation;\n";

    public static SyntaxTree Parse(string source, string path, CSharpParseOptions? parseOptions = null) =>
        CSharpSyntaxTree.ParseText(source, parseOptions ?? ParseOptions, path);

    /// <summary>A compilation of the files; by default a library against <see cref="References"/> in C# 12.</summary>
    public static CSharpCompilation Compile(IEnumerable<(string Path, string Source)> files, string assemblyName = "Tests",
        CSharpParseOptions? parseOptions = null, IEnumerable<MetadataReference>? references = null, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary) =>
        CSharpCompilation.Create(assemblyName, files.Select(f => Parse(f.Source, f.Path, parseOptions)), references ?? References,
            CompilationOptions.WithOutputKind(outputKind));

    /// <summary>A driver for the network generator; with step tracking, so caching can be asserted.</summary>
    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText>? additionalTexts = null, CSharpParseOptions? parseOptions = null) =>
        CSharpGeneratorDriver.Create(
            new[] { new NetworkGenerator().AsSourceGenerator() },
            additionalTexts: additionalTexts,
            parseOptions: parseOptions ?? ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once on the compilation; asserts it did not throw.</summary>
    public static GenerationRun Generate(Compilation compilation, IEnumerable<AdditionalText>? additionalTexts = null, CSharpParseOptions? parseOptions = null)
    {
        var driver = CreateDriver(additionalTexts, parseOptions ?? (CSharpParseOptions?)compilation.SyntaxTrees.FirstOrDefault()?.Options)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null) throw new InvalidOperationException("The generator threw", result.Exception);
        Assert.DoesNotContain(diagnostics, d => d.Id == "CS8785"); // "Generator failed to generate source"
        return new GenerationRun(driver, result, output, diagnostics);
    }

    /// <summary>The single generated file's text.</summary>
    public static string SingleSource(GeneratorRunResult result) => result.GeneratedSources.Single().SourceText.ToString();

    /// <summary>Errors and warnings of a compilation (for generated code: it must have neither).</summary>
    public static ImmutableArray<Diagnostic> Problems(Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();

    /// <summary>Asserts the compilation has no error and no warning, listing them if it has.</summary>
    public static void AssertNoProblems(Compilation compilation)
    {
        var problems = Problems(compilation);
        Assert.True(problems.IsEmpty, string.Join(Environment.NewLine, problems.Select(d => d.ToString())));
    }

    /// <summary>Asserts every output of the named tracked steps, and every source output, came from the cache.</summary>
    public static void AssertAllCached(GeneratorRunResult result, params string[] stepNames)
    {
        foreach (var name in stepNames)
        {
            Assert.True(result.TrackedSteps.TryGetValue(name, out var steps), $"no step named {name}");
            Assert.NotEmpty(steps);
            foreach (var (_, reason) in steps.SelectMany(step => step.Outputs))
            {
                Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {reason}");
            }
        }
        var outputs = result.TrackedOutputSteps.SelectMany(pair => pair.Value).ToList();
        Assert.NotEmpty(outputs);
        foreach (var (_, reason) in outputs.SelectMany(step => step.Outputs))
        {
            Assert.Equal(IncrementalStepRunReason.Cached, reason);
        }
    }

#if !NNG_GENERATOR_ONLY
    /// <summary>Generator first, then compiler and analyzers on the compilation that includes the generated code.</summary>
    public static AnalysisRun Analyze(Compilation compilation, ImmutableArray<AdditionalText> additionalFiles = default)
    {
        if (additionalFiles.IsDefault) additionalFiles = ImmutableArray<AdditionalText>.Empty;
        var generation = Generate(compilation, additionalFiles);

        var exceptions = new ConcurrentQueue<Exception>();
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions(additionalFiles),
            (exception, _, _) => exceptions.Enqueue(exception), concurrentAnalysis: true, logAnalyzerExecutionTime: false);
        // One pass for compiler and analyzer diagnostics: binding twice would double the cost of every test.
        var all = generation.Output.WithAnalyzers(Analyzers, options).GetAllDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
        if (!exceptions.IsEmpty) throw new AggregateException("An analyzer threw", exceptions);
        if (all.FirstOrDefault(d => d.Id == "AD0001") is { } ad) throw new InvalidOperationException(ad.ToString());
        static bool FromAnalyzer(Diagnostic d) => d.Id.StartsWith("NNG", StringComparison.Ordinal) || d.Id.StartsWith("AD", StringComparison.Ordinal);

        var generated = generation.Driver.GetRunResult().GeneratedTrees;
        return new AnalysisRun(generation.Output, generation.Diagnostics, all.Where(d => !FromAnalyzer(d)).ToImmutableArray(),
            all.Where(FromAnalyzer).ToImmutableArray(), generated.Length, generated.Select(t => t.FilePath).ToImmutableArray());
    }

    /// <summary>Applies the one fix <paramref name="provider"/> offers for <paramref name="id"/> and returns the new text.</summary>
    public static async Task<string> ApplyFixAsync(CodeFixProvider provider, string id, string source, ImmutableArray<AdditionalText> additionalFiles = default)
    {
        using var workspace = new AdhocWorkspace();
        var document = AddDocument(workspace, source);
        var diagnostic = Assert.Single(await AnalyzerDiagnosticsAsync(document, additionalFiles), d => d.Id == id);

        var actions = new List<CodeAction>();
        await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        var fix = Assert.Single(actions);
        var operations = await fix.GetOperationsAsync(CancellationToken.None);
        var apply = Assert.Single(operations.OfType<ApplyChangesOperation>());
        var changed = apply.ChangedSolution.GetDocument(document.Id)!;
        return (await changed.GetTextAsync()).ToString();
    }

    /// <summary>How many fixes <paramref name="provider"/> offers for the <paramref name="id"/> diagnostics of the source.</summary>
    public static async Task<int> CountFixesAsync(CodeFixProvider provider, string id, string source)
    {
        using var workspace = new AdhocWorkspace();
        var document = AddDocument(workspace, source);
        int count = 0;
        foreach (var diagnostic in (await AnalyzerDiagnosticsAsync(document)).Where(d => d.Id == id))
        {
            await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (_, _) => count++, CancellationToken.None));
        }
        return count;
    }

    private static Document AddDocument(AdhocWorkspace workspace, string source)
    {
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Fix", "Fix", LanguageNames.CSharp,
            compilationOptions: CompilationOptions, parseOptions: ParseOptions, metadataReferences: References));
        return workspace.AddDocument(project.Id, "Test.cs", SourceText.From(source));
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzerDiagnosticsAsync(Document document, ImmutableArray<AdditionalText> additionalFiles = default)
    {
        var compilation = (await document.Project.GetCompilationAsync())!;
        var options = new AnalyzerOptions(additionalFiles.IsDefault ? ImmutableArray<AdditionalText>.Empty : additionalFiles);
        return await compilation.WithAnalyzers(Analyzers, options).GetAnalyzerDiagnosticsAsync();
    }
#endif
}
