using System;
using System.Collections.Immutable;
using System.Linq;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace NeuralNet.Gen.Generators.Tests;

/// <summary>Builds test compilations against .NET 8 reference assemblies and the runtime, and runs the generator on them.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    private static readonly ImmutableArray<MetadataReference> References =
        Net80.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(NeuralNet.Gen.NetworkAttribute).Assembly.Location))
            .ToImmutableArray();

    public static CSharpCompilation Compile(params string[] sources) =>
        CSharpCompilation.Create(
            "GeneratorTests",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            new[] { new NetworkGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once on the sources; asserts it did not throw.</summary>
    public static (GeneratorDriver Driver, GeneratorRunResult Result, Compilation Output) Run(params string[] sources)
    {
        var compilation = Compile(sources);
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        Assert.DoesNotContain(diagnostics, d => d.Id == "CS8785"); // "Generator failed to generate source"
        return (driver, result, output);
    }

    /// <summary>The single generated file's text.</summary>
    public static string SingleSource(GeneratorRunResult result) => result.GeneratedSources.Single().SourceText.ToString();

    /// <summary>Errors and warnings of the compilation that includes the generated code.</summary>
    public static ImmutableArray<Diagnostic> Problems(Compilation output) =>
        output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();

    /// <summary>Asserts every output of every tracked step of the pipeline, and every source output, came from the cache.</summary>
    public static void AssertAllCached(GeneratorRunResult result)
    {
        foreach (var name in new[] { TrackingNames.ParseNetwork, TrackingNames.EmittableNetworks })
        {
            Assert.True(result.TrackedSteps.TryGetValue(name, out var steps), $"no step named {name}");
            Assert.NotEmpty(steps);
            foreach (var step in steps)
            {
                foreach (var (_, reason) in step.Outputs)
                {
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {reason}");
                }
            }
        }
        var outputs = result.TrackedOutputSteps.SelectMany(pair => pair.Value).ToList();
        Assert.NotEmpty(outputs);
        foreach (var step in outputs)
        {
            foreach (var (_, reason) in step.Outputs)
            {
                Assert.Equal(IncrementalStepRunReason.Cached, reason);
            }
        }
    }
}
