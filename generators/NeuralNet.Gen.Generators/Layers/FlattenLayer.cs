using System.Collections.Generic;
using NeuralNet.Gen.Generators.Emit;
using NeuralNet.Gen.Generators.Model;
using NeuralNet.Gen.Generators.Parsing;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Layers;

/// <summary><c>[Flatten]</c>: a height x width x channels image as one vector. Row-major HWC already is that vector, so the layer has no buffer.</summary>
internal sealed class FlattenLayer : Layer
{
    public override LayerKind Kind => LayerKind.Flatten;

    public override LayerSpec? Read(LayerReader r)
    {
        if (!r.InputKnown) return null;
        if (r.Input.Rank == 1)
        {
            r.Error(DiagnosticIds.ShapeMismatch, $"Flatten expects a sequence or a height x width x channels input but the previous layer '{r.Previous}' already outputs a vector of {r.Input}; remove [Flatten]");
            return null;
        }
        return r.Create(LayerKind.Flatten, Shape.Vector(r.Input.Size));
    }

    public override string Description(LayerSpec layer) => "Flatten";

    public override string Fingerprint(LayerSpec layer) => "Flatten";

    public override string Describe(LayerPlan plan) => $"Layer {Int(plan.Spec.Index)}: Flatten {plan.Spec.InputShape} -> {plan.Spec.OutputShape}";

    public override string SummaryName(LayerSpec layer, int ordinal) => $"flatten_{Int(ordinal)} (Flatten)";

    public override string OnnxDescription(LayerPlan plan) => $"global::NeuralNet.Gen.LayerDescription.Flatten({OnnxDimensions(plan.Spec.InputShape)})";

    public override bool AliasesInput(bool training) => true;

    public override Shape? FlattenedImageAfter(LayerSpec layer, Shape? flattenedImage) => layer.InputShape.IsImage ? layer.InputShape : null;

    public override IEnumerable<BufferSlot> SampleSlots(LayerPlan layer, bool training)
    {
        // Its gradient is its input's, except when it reads the network's input (which has none) and is the output.
        if (training && layer.IsLast && layer.ReadsNetworkInput) yield return ValueSlot("d" + layer.Name, layer.Spec.OutputSize, trainingOnly: true);
    }

    public override void EmitBatchForward(SourceWriter w, EmitContext c, BatchStep step) =>
        w.Line("// Row-major HWC is already the flat vector: nothing to copy.");

    public override void EmitBatchBackward(SourceWriter w, EmitContext c, BatchStep step) =>
        w.Line($"// Backward through layer {step.Layer.Name}: Flatten (HWC is already flat: the gradient is shared with the layer before)");
}
