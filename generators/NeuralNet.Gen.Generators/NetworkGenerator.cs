using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NeuralNet.Gen.Generators.Emit;
using NeuralNet.Gen.Generators.Model;
using NeuralNet.Gen.Generators.Parsing;
using NeuralNet.Gen.Weights;

namespace NeuralNet.Gen.Generators;

/// <summary>
/// Finds classes marked <c>[Network]</c>, parses each into a <see cref="NetworkSpec"/> and emits its code.
/// A network with an error gets only its public surface, with bodies that throw: the analyzers explain the error
/// (same parser, same spec).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var specs = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.NetworkAttributeMetadataName,
                predicate: static (node, _) => node is ClassDeclarationSyntax,
                transform: static (ctx, ct) => ctx.TargetSymbol is INamedTypeSymbol type && NetworkParser.Parse(type, ct) is var result
                    ? result.Spec ?? result.FromWeights : null)
            .WithTrackingName(TrackingNames.ParseNetwork)
            // A network that takes its layers from its file has none yet: WeightsBinding.BindOrRefuse fills them in.
            .Where(static spec => spec is not null && (spec.LayersFromWeights || NetworkEmitter.CanEmit(spec)))
            .WithTrackingName(TrackingNames.EmittableNetworks);

        // The paths that [Weights] attributes name, as an equatable set: a keystroke that changes no path leaves it equal.
        var weightsPaths = specs
            .Select(static (spec, _) => spec!.Weights?.Path)
            .Where(static path => path is not null)
            .Collect()
            .Select(static (paths, _) => new EquatableArray<string>(paths.Distinct().OrderBy(p => p, System.StringComparer.Ordinal)!));

        // [Weights] files: only the AdditionalFiles items some attribute names are read (a project's other JSON files
        // never are), each once per change of the file.
        var weightsFiles = context.AdditionalTextsProvider
            .Where(static text => WeightsFile.IsCandidate(text.Path))
            .Combine(weightsPaths)
            .Where(static pair => pair.Right.Any(path => WeightsBinding.Matches(pair.Left.Path, path)))
            .Select(static (pair, ct) => WeightsFile.Read(pair.Left, ct))
            .WithTrackingName(TrackingNames.ReadWeightsFiles)
            .Collect();

        // A network without [Weights] passes through unchanged; one whose file does not fit is dropped (NNG0012) for
        // its surface below. Each file is imported once per run for both.
        var bindings = specs
            .Combine(weightsFiles)
            .Select(static (pair, _) => WeightsBinding.BindOrRefuse(pair.Left!, pair.Right))
            .WithTrackingName(TrackingNames.BindWeights);
        var bound = bindings
            .Select(static (binding, _) => binding.Spec)
            .Where(static spec => spec is not null);

        context.RegisterSourceOutput(bound, static (spc, spec) =>
        {
            spc.AddSource(spec!.FullName + ".g.cs", NetworkEmitter.Emit(spec));
            // The stack a file declared, in a file of its own so the network's code is the written-out stack's to the byte.
            if (spec.WeightsArchitecture is not null) spc.AddSource(spec.FullName + ".Architecture.g.cs", WeightsArchitectureEmitter.Emit(spec));
        });

        // No cascade: a network with an error still gets its public surface, whose members throw naming the error, so
        // its call sites compile and the build shows the NNG error alone (the analyzers report it; it fails the build).
        var broken = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.NetworkAttributeMetadataName,
                predicate: static (node, _) => node is ClassDeclarationSyntax,
                transform: static (ctx, ct) => ctx.TargetSymbol is INamedTypeSymbol type ? NetworkParser.Parse(type, ct).Broken : null)
            .WithTrackingName(TrackingNames.BrokenNetworks)
            .Where(static network => network is not null);
        var mismatched = bindings
            .Select(static (binding, _) => binding.Mismatch)
            .WithTrackingName(TrackingNames.MismatchedWeights)
            .Where(static network => network is not null);
        context.RegisterSourceOutput(broken, static (spc, network) => spc.AddSource(network!.FullName + ".g.cs", SurfaceEmitter.Emit(network)));
        context.RegisterSourceOutput(mismatched, static (spc, network) => spc.AddSource(network!.FullName + ".g.cs", SurfaceEmitter.Emit(network)));
    }
}
