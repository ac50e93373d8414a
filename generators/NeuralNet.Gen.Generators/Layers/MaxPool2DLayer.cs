using System;
using System.Collections.Generic;
using NeuralNet.Gen.Generators.Emit;
using NeuralNet.Gen.Generators.Model;
using NeuralNet.Gen.Generators.Parsing;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Layers;

/// <summary>
/// <c>[MaxPool2D(pool, Stride = pool)]</c>: the maximum of each window, per channel. Training records each window's
/// winner so the backward pass routes the gradient to it alone.
/// </summary>
internal sealed class MaxPool2DLayer : Layer
{
    public override LayerKind Kind => LayerKind.MaxPool2D;

    public override LayerSpec? Read(LayerReader r)
    {
        int pool = r.Positive(0, "MaxPool2D pool size");
        int stride = r.NamedInt("Stride", pool);
        if (stride <= 0 && r.HasNamed("Stride")) r.NamedError(DiagnosticIds.InvalidArgument, "Stride", $"MaxPool2D stride must be positive, but it is {stride}");
        if (!r.Valid || !r.InputKnown) return null;
        var input = r.Input;
        if (input.Rank != 3)
        {
            r.Error(DiagnosticIds.ShapeMismatch, $"MaxPool2D expects a height x width x channels input but the previous layer '{r.Previous}' outputs a vector of {input}");
            return null;
        }
        if (pool > input.Height || pool > input.Width)
        {
            r.ArgumentError(DiagnosticIds.ShapeMismatch, 0, $"MaxPool2D pool {pool}x{pool} is larger than its input {input} from '{r.Previous}'; use a pool of at most {Math.Min(input.Height, input.Width)}");
            return null;
        }
        var output = Shape.Image(ConvolutionGeometry.PoolOutput(input.Height, pool, stride), ConvolutionGeometry.PoolOutput(input.Width, pool, stride), input.Channels);
        return r.Create(LayerKind.MaxPool2D, output, kernelSize: pool, stride: stride);
    }

    public override string Description(LayerSpec layer) => $"MaxPool2D({Int(layer.KernelSize)})";

    public override string Fingerprint(LayerSpec layer) => $"MaxPool2D({Int(layer.KernelSize)},{Int(layer.Stride)})";

    public override string Describe(LayerPlan plan)
    {
        var layer = plan.Spec;
        return $"Layer {Int(layer.Index)}: MaxPool2D {layer.InputShape} -> {layer.OutputShape}, pool {Int(layer.KernelSize)}x{Int(layer.KernelSize)} stride {Int(layer.Stride)}";
    }

    public override string SummaryName(LayerSpec layer, int ordinal) => $"max_pooling2d_{Int(ordinal)} (MaxPool2D)";

    public override string OnnxDescription(LayerPlan plan)
    {
        var l = plan.Spec;
        return $"global::NeuralNet.Gen.LayerDescription.MaxPool2D({OnnxDimensions(l.InputShape)}, {Int(l.KernelSize)}, {Int(l.Stride)})";
    }

    public override IEnumerable<BufferSlot> SampleSlots(LayerPlan layer, bool training)
    {
        int n = layer.Spec.OutputSize;
        yield return ValueSlot("a" + layer.Name, n);
        if (training)
        {
            yield return ValueSlot("d" + layer.Name, n, trainingOnly: true);
            yield return IndexSlot("argmax" + layer.Name, n);
        }
    }

    public override void EmitBatchForward(SourceWriter w, EmitContext c, BatchStep step)
    {
        var layer = step.Layer.Spec;
        var s = layer.InputShape;
        var o = layer.OutputShape;
        string i = step.Layer.Name;
        string argmax = step.Training ? $"argmax{i}" : "global::System.Span<int>.Empty";
        w.Line($"global::NeuralNet.Gen.ConvolutionKernels.MaxPoolForward<{c.T}>({step.Input}, a{i}, {argmax}, batchSize, {Int(s.Height)}, {Int(s.Width)}, {Int(s.Channels)}, {Int(layer.KernelSize)}, {Int(layer.Stride)}, {Int(o.Height)}, {Int(o.Width)});");
    }

    public override void EmitBatchBackward(SourceWriter w, EmitContext c, BatchStep step)
    {
        var layer = step.Layer.Spec;
        string i = step.Layer.Name;
        w.Line($"// Backward through layer {i}: MaxPool2D, each gradient to its window's recorded maximum");
        if (step.InputGradient is not null) w.Line($"global::NeuralNet.Gen.ConvolutionKernels.MaxPoolBackward<{c.T}>(d{i}, argmax{i}, {step.InputGradient}, batchSize, {Int(layer.InputSize)}, {Int(layer.OutputSize)});");
        else w.Line("// (no gradient to pass back to the input)");
    }
}
