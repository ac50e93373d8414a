using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NeuralNet.Gen.Compatibility.Tests;

/// <summary>Unity's setting for the kit's harness: C# 9 against netstandard2.1 and the runtime's netstandard2.1 build.</summary>
internal static class NetStandard21
{
    public static readonly string ReferenceFolder = Path.Combine(AppContext.BaseDirectory, "netstandard2.1");

    public static readonly CSharpParseOptions ParseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.CSharp9);

    /// <summary>The netstandard2.1 reference assemblies and the runtime's netstandard2.1 build, copied next to the tests at build time.</summary>
    public static readonly ImmutableArray<MetadataReference> References =
        Directory.GetFiles(ReferenceFolder, "*.dll").Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray();

    /// <summary>Runs the generator on one C# 9 source compiled against netstandard2.1.</summary>
    public static GenerationRun Generate(string assemblyName, string source, params AdditionalText[] additionalFiles) =>
        RoslynHarness.Generate(RoslynHarness.Compile(new[] { ("Source.cs", source) }, assemblyName, ParseOptions, References), additionalFiles);
}
