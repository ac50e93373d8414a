using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using NeuralNet.Gen.Generators.Model;
using NeuralNet.Gen.Generators.Parsing;

namespace NeuralNet.Gen.Analyzers;

/// <summary>A teaching hint: where it points (as a parser finding, so it is located the same way) and the other layers it is about.</summary>
internal sealed record TeachingHint(ParseDiagnostic Finding, ImmutableArray<int> RelatedAttributeIndices);

/// <summary>
/// The rules of the teaching hints NNG0020-NNG0024 and NNG0026, over a network the parser accepted. Each rule is
/// narrow on purpose: it fires only where the setup certainly works against training, never on a matter of taste.
/// This is the only place that reads the spec for them, so a change of the spec's shape stays here.
/// </summary>
internal static class TeachingHints
{
    /// <summary>NNG0023: this many hidden Sigmoid/Tanh layers in a row shrink the gradient of the first one too far.</summary>
    public const int SaturatingStackLength = 4;

    /// <summary>The fix kinds of the hints' code fixes (diagnostic property <see cref="FixKinds.PropertyName"/>).</summary>
    public const string UseRelu = "UseRelu";
    public const string UseCategoricalCrossEntropy = "UseCategoricalCrossEntropy";
    public const string UseUsualLearningRate = "UseUsualLearningRate";
    public const string RemoveAttribute = "RemoveAttribute";

    public static IEnumerable<TeachingHint> Find(NetworkSpec spec, ImmutableArray<AttributeData> attributes)
    {
        var layers = spec.Layers;
        // Architecture hints are silent on a network whose layers a [Weights] file dictates: changing them means retraining elsewhere.
        bool designedHere = spec.Weights is null;

        if (designedHere)
        {
            foreach (var hint in LinearDenseStacks(layers)) yield return hint;
            if (spec.Loss is not null && SaturatingStack(layers) is { } stack) yield return stack;
        }

        if (layers.Count > 0 && layers[layers.Count - 1] is { Kind: LayerKind.Dropout } last)
        {
            yield return Hint(DiagnosticIds.DropoutOnOutput, last.AttributeIndex, -1, null, RemoveAttribute,
                $"{last.Description} is the last layer, so in training it zeroes random outputs of the network itself and the loss "
                + "punishes predictions that were never made; put Dropout between hidden layers, or remove it");
        }

        int lossIndex = IndexOf(attributes, "LossAttribute");
        int optimizerIndex = IndexOf(attributes, "OptimizerAttribute");
        var output = layers.LastOrDefault(l => l.Kind != LayerKind.Dropout);

        if (spec.Loss is { } loss && output is { Kind: LayerKind.Dense, Activation: Activation.Softmax }
            && loss is LossFunction.MeanSquaredError or LossFunction.MeanAbsoluteError or LossFunction.Huber && lossIndex >= 0)
        {
            yield return Hint(DiagnosticIds.SoftmaxWithRegressionLoss, lossIndex, 0, null, UseCategoricalCrossEntropy,
                $"The output is Softmax, a probability for each class, but the loss is {loss}; CategoricalCrossEntropy learns faster "
                + "(its gradient is prediction minus target, with no Softmax derivative to shrink it when the network is confidently wrong)");
        }

        if (spec.Loss is not null && optimizerIndex >= 0 && HasNamedArgument(attributes[optimizerIndex], "LearningRate")
            && UsualLimit(spec.Optimizer.Kind) is var (limit, usual) && spec.Optimizer.LearningRate >= limit)
        {
            yield return Hint(DiagnosticIds.LearningRateTooHigh, optimizerIndex, -1, "LearningRate", UseUsualLearningRate,
                $"A learning rate of {Num(spec.Optimizer.LearningRate)} is far above the usual range of {spec.Optimizer.Kind} "
                + $"(it is {usual} by default; {Num(limit)} or more usually makes the loss jump or diverge to NaN); start from {usual}");
        }

        if (spec.Loss is null && optimizerIndex >= 0)
        {
            yield return Hint(DiagnosticIds.OptimizerWithoutLoss, optimizerIndex, -1, null, null,
                "The network has no [Loss], so it is inference-only: no training members are generated and [Optimizer] has no effect; "
                + "add a [Loss] to train it, or remove [Optimizer]");
        }
    }

    /// <summary>NNG0020: a Dense layer without activation whose next layer (Dropout aside) is a Dense layer.</summary>
    private static IEnumerable<TeachingHint> LinearDenseStacks(IReadOnlyList<LayerSpec> layers)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i] is not { Kind: LayerKind.Dense, Activation: Activation.Linear } linear) continue;
            var next = layers.Skip(i + 1).FirstOrDefault(l => l.Kind != LayerKind.Dropout);
            if (next is not { Kind: LayerKind.Dense }) continue;
            yield return new TeachingHint(
                new ParseDiagnostic(DiagnosticIds.LinearDenseStack, DiagnosticTarget.Attribute, linear.AttributeIndex, -1, null,
                    $"{linear.Description} has no activation and feeds {next.Description}: two linear maps in a row are one linear map "
                    + "(W2·(W1·x + b1) + b2 = W·x + b), so the pair learns nothing a single Dense could not; give this layer a nonlinearity such as Relu",
                    false, next.AttributeIndex, UseRelu),
                ImmutableArray.Create(next.AttributeIndex));
        }
    }

    /// <summary>NNG0023: a run of hidden Dense/Conv2D layers with Sigmoid or Tanh (pooling, Flatten and Dropout between them do not break it).</summary>
    private static TeachingHint? SaturatingStack(IReadOnlyList<LayerSpec> layers)
    {
        int outputIndex = -1;
        for (int i = layers.Count - 1; i >= 0 && outputIndex < 0; i--)
        {
            if (layers[i].Kind is LayerKind.Dense or LayerKind.Conv2D) outputIndex = i;
        }
        var run = new List<LayerSpec>();
        for (int i = 0; i < outputIndex; i++)
        {
            var layer = layers[i];
            if (layer.Kind is not (LayerKind.Dense or LayerKind.Conv2D)) continue;
            if (layer.Activation is Activation.Sigmoid or Activation.Tanh)
            {
                run.Add(layer);
                continue;
            }
            if (run.Count >= SaturatingStackLength) break;
            run.Clear();
        }
        if (run.Count < SaturatingStackLength) return null;
        return new TeachingHint(
            new ParseDiagnostic(DiagnosticIds.SaturatingStack, DiagnosticTarget.Attribute, run[0].AttributeIndex, -1, null,
                $"{run.Count.ToString(CultureInfo.InvariantCulture)} hidden layers in a row use Sigmoid or Tanh, starting with {run[0].Description}: "
                + "backpropagation multiplies the gradient by each one's derivative (at most 0.25 for Sigmoid, near 0 once saturated), "
                + "so the first layers barely learn; use Relu on the hidden layers",
                false, -1, UseRelu),
            run.Skip(1).Select(l => l.AttributeIndex).ToImmutableArray());
    }

    /// <summary>The learning rate from which an optimizer usually fails, and its default (as the parser fills it in).</summary>
    private static (double Limit, string Usual)? UsualLimit(OptimizerKind kind) => kind switch
    {
        OptimizerKind.Adam or OptimizerKind.AdamW => (0.1, "0.001"),
        OptimizerKind.RmsProp => (0.1, "0.01"),
        OptimizerKind.Sgd or OptimizerKind.Momentum or OptimizerKind.Nesterov or OptimizerKind.Adagrad => (1.0, "0.01"),
        _ => null,
    };

    /// <summary>The default learning rate the code fix of NNG0022 writes, for an optimizer named as the enum member.</summary>
    public static string? UsualLearningRate(string optimizerKind) =>
        System.Enum.TryParse<OptimizerKind>(optimizerKind, out var kind) && UsualLimit(kind) is var (_, usual) ? usual : null;

    private static TeachingHint Hint(string id, int attributeIndex, int position, string? name, string? fix, string message) =>
        new(new ParseDiagnostic(id, name is not null || position >= 0 ? DiagnosticTarget.Argument : DiagnosticTarget.Attribute,
            attributeIndex, position, name, message, false, -1, fix), ImmutableArray<int>.Empty);

    private static int IndexOf(ImmutableArray<AttributeData> attributes, string name)
    {
        for (int i = 0; i < attributes.Length; i++)
        {
            if (NetworkParser.IsNetworkAttribute(attributes[i], name)) return i;
        }
        return -1;
    }

    private static bool HasNamedArgument(AttributeData attribute, string name) => attribute.NamedArguments.Any(a => a.Key == name);

    private static string Num(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
