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

    /// <summary>
    /// The help link base when the build sets no <c>NeuralNetGenHelpLinkBase</c> property: the pages' path in the
    /// repository. The package and the repository's own builds set the property (see <see cref="HelpLinks"/>).
    /// </summary>
    public const string HelpLinkBase = "docs/diagnostics/";

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
    public static readonly DiagnosticDescriptor NameReference = Create(DiagnosticIds.NameReference, "Layer Name repeated or reserved, or Add/Concatenate naming no earlier layer", DiagnosticSeverity.Error);
    public static readonly DiagnosticDescriptor LayersFromWeights = Create(DiagnosticIds.LayersFromWeights, "Network takes its layers from its weights file", DiagnosticSeverity.Info);
    public static readonly DiagnosticDescriptor UnusedOptimizerSetting = Create(DiagnosticIds.UnusedOptimizerSetting, "Optimizer setting that the chosen optimizer does not use", DiagnosticSeverity.Warning);
    public static readonly DiagnosticDescriptor NetworkAttributeMissing = Create(DiagnosticIds.NetworkUsage, "[Network] or [Loss] missing for what the code uses", DiagnosticSeverity.Error);

    // Teaching hints (NNG0020-NNG0029): the network builds and runs, but its setup works against what it is for.
    public static readonly DiagnosticDescriptor LinearDenseStack = Create(DiagnosticIds.LinearDenseStack, "Dense layers in a row without a nonlinearity collapse into one", DiagnosticSeverity.Warning);
    public static readonly DiagnosticDescriptor SoftmaxWithRegressionLoss = Create(DiagnosticIds.SoftmaxWithRegressionLoss, "Softmax output trained with a regression loss", DiagnosticSeverity.Info);
    public static readonly DiagnosticDescriptor LearningRateTooHigh = Create(DiagnosticIds.LearningRateTooHigh, "Learning rate far above the usual range for the optimizer", DiagnosticSeverity.Warning);
    public static readonly DiagnosticDescriptor SaturatingStack = Create(DiagnosticIds.SaturatingStack, "Deep stack of Sigmoid or Tanh hidden layers", DiagnosticSeverity.Warning);
    public static readonly DiagnosticDescriptor DropoutOnOutput = Create(DiagnosticIds.DropoutOnOutput, "Dropout after the output layer", DiagnosticSeverity.Warning);
    public static readonly DiagnosticDescriptor ScalerFittedBeforeSplit = Create(DiagnosticIds.ScalerFittedBeforeSplit, "Scaler fitted on data that is split afterwards", DiagnosticSeverity.Warning);
    public static readonly DiagnosticDescriptor OptimizerWithoutLoss = Create(DiagnosticIds.OptimizerWithoutLoss, "[Optimizer] on a network without [Loss]", DiagnosticSeverity.Warning);
    public static readonly DiagnosticDescriptor TargetEncoding = Create(DiagnosticIds.TargetEncoding, "Targets encoded for another loss: class indices vs one-hot", DiagnosticSeverity.Warning);

    /// <summary>The network-level teaching hints (NNG0025 and NNG0027 are about calling code and have their own analyzers).</summary>
    public static readonly ImmutableArray<DiagnosticDescriptor> TeachingDescriptors = ImmutableArray.Create(
        LinearDenseStack, SoftmaxWithRegressionLoss, LearningRateTooHigh, SaturatingStack, DropoutOnOutput, OptimizerWithoutLoss);

    /// <summary>The descriptors of the parser's findings (all but NNG0009, which is about call sites).</summary>
    public static readonly ImmutableArray<DiagnosticDescriptor> ParserDescriptors = ImmutableArray.Create(
        NotPartial, InputPlacement, NoLayers, OutOfRange, ShapeMismatch, LossMismatch, SoftmaxPlacement, SplitDeclaration,
        GenericNetwork, OptimizerOutOfRange, WeightsMismatch, NameReference, UnusedOptimizerSetting, LayersFromWeights);

    private static readonly Dictionary<string, DiagnosticDescriptor> ById = CreateIndex();

    public static DiagnosticDescriptor? Find(string id) => ById.TryGetValue(id, out var descriptor) ? descriptor : null;

    private static Dictionary<string, DiagnosticDescriptor> CreateIndex()
    {
        var index = new Dictionary<string, DiagnosticDescriptor>();
        foreach (var descriptor in ParserDescriptors) index.Add(descriptor.Id, descriptor);
        index.Add(BufferLength.Id, BufferLength);
        index.Add(NetworkAttributeMissing.Id, NetworkAttributeMissing);
        foreach (var descriptor in TeachingDescriptors) index.Add(descriptor.Id, descriptor);
        index.Add(ScalerFittedBeforeSplit.Id, ScalerFittedBeforeSplit);
        index.Add(TargetEncoding.Id, TargetEncoding);
        return index;
    }

    private static DiagnosticDescriptor Create(string id, string title, DiagnosticSeverity severity) =>
        new(id, title, "{0}", Category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md");
}
