using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NeuralNet.Gen.Generators.Tests;

/// <summary>The generator tests' entry points into the test kit's <see cref="RoslynHarness"/>.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = RoslynHarness.ParseOptions;

    public static CSharpCompilation Compile(params string[] sources) =>
        RoslynHarness.Compile(sources.Select((s, i) => ($"Source{i}.cs", s)), "GeneratorTests");

    public static GeneratorDriver CreateDriver() => RoslynHarness.CreateDriver();

    /// <summary>Runs the generator once on the sources; asserts it did not throw.</summary>
    public static (GeneratorDriver Driver, GeneratorRunResult Result, Compilation Output) Run(params string[] sources)
    {
        var run = RoslynHarness.Generate(Compile(sources));
        return (run.Driver, run.Result, run.Output);
    }

    /// <summary>The single generated file's text.</summary>
    public static string SingleSource(GeneratorRunResult result) => RoslynHarness.SingleSource(result);

    /// <summary>Errors and warnings of the compilation that includes the generated code.</summary>
    public static ImmutableArray<Diagnostic> Problems(Compilation output) => RoslynHarness.Problems(output);

    /// <summary>Asserts every output of every tracked step of the pipeline, and every source output, came from the cache.</summary>
    public static void AssertAllCached(GeneratorRunResult result) =>
        RoslynHarness.AssertAllCached(result, TrackingNames.ParseNetwork, TrackingNames.EmittableNetworks);
}
