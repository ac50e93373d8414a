using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using NeuralNet.Gen.Generators.Parsing;

namespace NeuralNet.Gen.Analyzers;

/// <summary>
/// The one catalogue of NeuralNet.Gen diagnostics. The parser writes each finding's full message (what was
/// expected, what was found), so every descriptor's message format is just "{0}"; titles and help links are per ID.
/// </summary>
internal static class DiagnosticDescriptors
{
    public const string Category = "NeuralNet.Gen";

    /// <summary>Where docs/diagnostics/NNG000N.md is published; the help link of each ID is this plus "NNG000N.md".</summary>
    public const string HelpLinkBase = "https://github.com/neuralnet-gen/NeuralNet.Gen/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor NotPartial = Create(DiagnosticIds.NotPartial, "Network class must be partial", DiagnosticSeverity.Error);
    public static readonly DiagnosticDescriptor InputPlacement = Create(DiagnosticIds.InputPlacement, "[Input] missing, not the first layer, or repeated", DiagnosticSeverity.Error);
    public static readonly DiagnosticDescriptor NoLayers = Create(DiagnosticIds.NoLayers, "No layer after [Input]", DiagnosticSeverity.Error);
    public static readonly DiagnosticDescriptor OutOfRange = Create(DiagnosticIds.InvalidArgument, "Layer argument out of range", DiagnosticSeverity.Error);
    public static readonly DiagnosticDescriptor ShapeMismatch = Create(DiagnosticIds.ShapeMismatch, "Layer cannot take the previous layer's output shape", DiagnosticSeverity.Error);
    public static readonly DiagnosticDescriptor LossMismatch = Create(DiagnosticIds.LossMismatch, "Loss does not fit the output layer", DiagnosticSeverity.Error);
    public static readonly DiagnosticDescriptor SoftmaxPlacement = Create(DiagnosticIds.SoftmaxPlacement, "Softmax on a hidden layer or on a single unit", DiagnosticSeverity.Warning);
    public static readonly DiagnosticDescriptor SplitDeclaration = Create(DiagnosticIds.SplitDeclaration, "Layer attributes on more than one partial declaration", DiagnosticSeverity.Error);
    public static readonly DiagnosticDescriptor BufferLength = Create(DiagnosticIds.BufferLength, "Buffer length does not match the network", DiagnosticSeverity.Warning);
    public static readonly DiagnosticDescriptor GenericNetwork = Create(DiagnosticIds.UnsupportedType, "Network type cannot be generated: generic, nested in a generic type, static or a record", DiagnosticSeverity.Error);
    public static readonly DiagnosticDescriptor OptimizerOutOfRange = Create(DiagnosticIds.InvalidOptimizer, "Optimizer hyper-parameter out of range", DiagnosticSeverity.Error);
    public static readonly DiagnosticDescriptor WeightsMismatch = Create(DiagnosticIds.WeightsMismatch, "Weights file missing, unreadable, or does not fit the network", DiagnosticSeverity.Error);

    /// <summary>The descriptors of the parser's findings (all but NNG0009, which is about call sites).</summary>
    public static readonly ImmutableArray<DiagnosticDescriptor> ParserDescriptors = ImmutableArray.Create(
        NotPartial, InputPlacement, NoLayers, OutOfRange, ShapeMismatch, LossMismatch, SoftmaxPlacement, SplitDeclaration,
        GenericNetwork, OptimizerOutOfRange, WeightsMismatch);

    private static readonly Dictionary<string, DiagnosticDescriptor> ById = CreateIndex();

    public static DiagnosticDescriptor? Find(string id) => ById.TryGetValue(id, out var descriptor) ? descriptor : null;

    private static Dictionary<string, DiagnosticDescriptor> CreateIndex()
    {
        var index = new Dictionary<string, DiagnosticDescriptor>();
        foreach (var descriptor in ParserDescriptors) index.Add(descriptor.Id, descriptor);
        index.Add(BufferLength.Id, BufferLength);
        return index;
    }

    private static DiagnosticDescriptor Create(string id, string title, DiagnosticSeverity severity) =>
        new(id, title, "{0}", Category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md");
}
