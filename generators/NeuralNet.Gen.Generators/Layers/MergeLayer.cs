using System.Collections.Generic;
using NeuralNet.Gen.Generators.Emit;
using NeuralNet.Gen.Generators.Model;
using NeuralNet.Gen.Generators.Parsing;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Layers;

/// <summary>
/// What <c>[Add(from)]</c> and <c>[Concatenate(from)]</c> share: they read the previous layer's output and the output
/// of the earlier layer named <c>from</c> (or the network's input), have no parameters, and keep their output and
/// its gradient in their own slots. The gradient of the second input is added where another reader already wrote it.
/// </summary>
internal abstract class MergeLayer : Layer
{
    public override LayerSpec? Read(LayerReader r)
    {
        var source = r.Source(Kind.ToString());
        if (source is null || !source.Known || !r.InputKnown) return null;
        var output = Merge(r, source);
        return output is { } shape ? r.Create(Kind, shape) with { From = source.Name, FromIndex = source.Index } : null;
    }

    /// <summary>The output shape of the previous layer's output merged with <paramref name="source"/>'s, or null with NNG0005 at argument 0.</summary>
    protected abstract Shape? Merge(LayerReader r, LayerSource source);

    public override int? SecondInputIndex(LayerSpec layer) => layer.FromIndex;

    public override string Description(LayerSpec layer) => $"{Kind}(\"{layer.From}\")";

    // By number, not name: renaming a layer keeps parameter files valid.
    public override string Fingerprint(LayerSpec layer) => $"{Kind}({Int(layer.FromIndex)})";

    public override string Describe(LayerPlan plan)
    {
        var l = plan.Spec;
        string source = l.FromIndex == 0 ? "the network's input" : $"layer {Int(l.FromIndex)} (\"{l.From}\")";
        return $"Layer {Int(l.Index)}: {Kind} of layer {Int(l.Index - 1)}'s output {l.InputShape} and {source}'s -> {l.OutputShape}";
    }

    public override bool SupportsSoftmax => false;

    public override IEnumerable<BufferSlot> SampleSlots(LayerPlan layer, bool training)
    {
        int n = layer.Spec.OutputSize;
        yield return ValueSlot("a" + layer.Name, n);
        if (training) yield return ValueSlot("d" + layer.Name, n, trainingOnly: true);
    }
}

/// <summary><c>[Add(from)]</c>: the sum of the previous layer's output and the named one's, of equal shapes (a residual connection).</summary>
internal sealed class AddLayer : MergeLayer
{
    public override LayerKind Kind => LayerKind.Add;

    protected override Shape? Merge(LayerReader r, LayerSource source)
    {
        if (source.Shape == r.Input) return r.Input;
        r.ArgumentError(DiagnosticIds.ShapeMismatch, 0,
            $"Add needs two outputs of one shape; expected \"{source.Name}\" ({source.Description}) to give {r.Input} as {r.Previous} does, found {source.Shape}");
        return null;
    }

    public override string SummaryName(LayerSpec layer, int ordinal) => $"add_{Int(ordinal)} (Add)";

    public override string OnnxDescription(LayerPlan plan) =>
        $"global::NeuralNet.Gen.LayerDescription.Add({Int(plan.Spec.FromIndex - 1)}, {OnnxDimensions(plan.Spec.InputShape)})";

    public override void EmitBatchForward(SourceWriter w, EmitContext c, BatchStep step) =>
        w.Line($"global::NeuralNet.Gen.MergeKernels.Add<{c.T}>({step.Input}, {step.SecondInput}, a{step.Layer.Name});");

    public override void EmitBatchBackward(SourceWriter w, EmitContext c, BatchStep step)
    {
        string i = step.Layer.Name;
        w.Line($"// Backward through layer {i}: Add, the gradient flows unchanged to both inputs (the skip's part is added before layer {Int(step.Layer.Spec.FromIndex)}'s step)");
        if (step.InputGradient is not null) w.Line($"d{i}.CopyTo({step.InputGradient});");
        else w.Line("// (no gradient to pass back to the input)");
    }

    public override void EmitSecondInputGradient(SourceWriter w, EmitContext c, BatchStep step)
    {
        if (step.SecondInputGradient is null) return;
        w.Line($"// The skip from layer {step.Layer.Name} (Add): its gradient joins the one the next layer wrote");
        w.Line($"global::NeuralNet.Gen.MergeKernels.Accumulate<{c.T}>(d{step.Layer.Name}, {step.SecondInputGradient});");
    }
}

/// <summary>
/// <c>[Concatenate(from)]</c>: at each position (sample, step, pixel) the previous layer's channels, then the named
/// one's; the other axes must be equal.
/// </summary>
internal sealed class ConcatenateLayer : MergeLayer
{
    public override LayerKind Kind => LayerKind.Concatenate;

    protected override Shape? Merge(LayerReader r, LayerSource source)
    {
        var input = r.Input;
        if (source.Shape.Rank == input.Rank && source.Shape.Height == input.Height && source.Shape.Width == input.Width)
        {
            return input with { Channels = input.Channels + source.Shape.Channels };
        }
        var expected = input with { Channels = source.Shape.Channels };
        r.ArgumentError(DiagnosticIds.ShapeMismatch, 0,
            $"Concatenate needs outputs that differ only in the last axis; expected \"{source.Name}\" ({source.Description}) to give {expected} (any last axis) next to {r.Previous}'s {input}, found {source.Shape}");
        return null;
    }

    public override string SummaryName(LayerSpec layer, int ordinal) => $"concatenate_{Int(ordinal)} (Concatenate)";

    public override string OnnxDescription(LayerPlan plan)
    {
        var l = plan.Spec;
        return $"global::NeuralNet.Gen.LayerDescription.Concatenate({Int(l.FromIndex - 1)}, {Int(l.OutputShape.Channels - l.InputShape.Channels)}, {OnnxDimensions(l.InputShape)})";
    }

    private static string Sizes(LayerSpec l) =>
        $"batchSize * {Int(l.InputShape.Positions)}, {Int(l.InputShape.Channels)}, {Int(l.OutputShape.Channels - l.InputShape.Channels)}";

    public override void EmitBatchForward(SourceWriter w, EmitContext c, BatchStep step) =>
        w.Line($"global::NeuralNet.Gen.MergeKernels.Concatenate<{c.T}>({step.Input}, {step.SecondInput}, a{step.Layer.Name}, {Sizes(step.Layer.Spec)});");

    public override void EmitBatchBackward(SourceWriter w, EmitContext c, BatchStep step)
    {
        string i = step.Layer.Name;
        w.Line($"// Backward through layer {i}: Concatenate, the first {Int(step.Layer.Spec.InputShape.Channels)} channels of each position to the previous layer");
        if (step.InputGradient is null)
        {
            w.Line("// (no gradient to pass back to the input)");
            return;
        }
        w.Line($"global::NeuralNet.Gen.MergeKernels.ConcatenateBackward<{c.T}>(d{i}, {step.InputGradient}, global::System.Span<{c.T}>.Empty, {Sizes(step.Layer.Spec)});");
    }

    public override void EmitSecondInputGradient(SourceWriter w, EmitContext c, BatchStep step)
    {
        if (step.SecondInputGradient is null) return;
        w.Line($"// The skip from layer {step.Layer.Name} (Concatenate): its last channels' gradient joins the one the next layer wrote");
        w.Line($"global::NeuralNet.Gen.MergeKernels.ConcatenateBackward<{c.T}>(d{step.Layer.Name}, global::System.Span<{c.T}>.Empty, {step.SecondInputGradient}, {Sizes(step.Layer.Spec)});");
    }
}
