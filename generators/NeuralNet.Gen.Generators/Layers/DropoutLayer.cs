using System.Collections.Generic;
using System.Globalization;
using NeuralNet.Gen.Generators.Emit;
using NeuralNet.Gen.Generators.Model;
using NeuralNet.Gen.Generators.Parsing;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Layers;

/// <summary>
/// <c>[Dropout(rate)]</c>, inverted: training multiplies by a fresh mask of 0 and 1/(1 - rate) drawn from the network's
/// dropout stream; inference is the identity, so the layer then has no buffer.
/// </summary>
internal sealed class DropoutLayer : Layer
{
    public override LayerKind Kind => LayerKind.Dropout;

    public override LayerSpec? Read(LayerReader r)
    {
        double rate = r.ArgumentCount > 0 ? r.Double(0) : 0;
        if (!(rate >= 0 && rate < 1))
        {
            r.ArgumentError(DiagnosticIds.InvalidArgument, 0, $"Dropout rate must be in [0, 1), but it is {Rate(rate)}");
            return null;
        }
        if (!r.InputKnown) return null;
        return r.Create(LayerKind.Dropout, r.Input, rate: rate);
    }

    private static string Rate(double rate) => rate.ToString("R", CultureInfo.InvariantCulture);

    public override string Description(LayerSpec layer) => $"Dropout({Rate(layer.Rate)})";

    public override string Fingerprint(LayerSpec layer) => $"Dropout({Rate(layer.Rate)})";

    public override string Describe(LayerPlan plan) => $"Layer {Int(plan.Spec.Index)}: Dropout {Rate(plan.Spec.Rate)} over {plan.Spec.OutputShape} (training only)";

    public override string SummaryName(LayerSpec layer, int ordinal) => $"dropout_{Int(ordinal)} (Dropout)";

    public override bool DrawsRandomMasks => true;

    public override string OnnxDescription(LayerPlan plan) => $"global::NeuralNet.Gen.LayerDescription.Dropout({OnnxDimensions(plan.Spec.InputShape)})";

    public override bool AliasesInput(bool training) => !training;

    public override IEnumerable<BufferSlot> SampleSlots(LayerPlan layer, bool training)
    {
        if (!training) yield break;
        int n = layer.Spec.OutputSize;
        yield return ValueSlot("a" + layer.Name, n, trainingOnly: true);
        yield return ValueSlot("d" + layer.Name, n, trainingOnly: true);
        yield return ValueSlot("mask" + layer.Name, n, trainingOnly: true);
    }

    public override void EmitBatchForward(SourceWriter w, EmitContext c, BatchStep step)
    {
        if (!step.Training)
        {
            w.Line("// Identity at inference (inverted dropout scales in training instead).");
            return;
        }
        string i = step.Layer.Name;
        w.Line("// A fresh mask per call from the network's dropout stream, kept for the backward pass.");
        w.Line($"global::NeuralNet.Gen.ConvolutionKernels.DropoutMask<{c.T}>(mask{i}, {Rate(step.Layer.Spec.Rate)}, ref _dropoutRandom);");
        w.Line($"global::NeuralNet.Gen.ConvolutionKernels.Multiply<{c.T}>({step.Input}, mask{i}, a{i});");
    }

    public override void EmitBatchBackward(SourceWriter w, EmitContext c, BatchStep step)
    {
        string i = step.Layer.Name;
        w.Line($"// Backward through layer {i}: Dropout, the same mask as forward");
        if (step.InputGradient is not null) w.Line($"global::NeuralNet.Gen.ConvolutionKernels.Multiply<{c.T}>(d{i}, mask{i}, {step.InputGradient});");
        else w.Line("// (no gradient to pass back to the input)");
    }
}
