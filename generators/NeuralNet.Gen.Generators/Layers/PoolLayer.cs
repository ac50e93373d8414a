using System;
using System.Collections.Generic;
using NeuralNet.Gen.Generators.Emit;
using NeuralNet.Gen.Generators.Model;
using NeuralNet.Gen.Generators.Parsing;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Layers;

/// <summary>
/// What MaxPool1D, AveragePool1D and AveragePool2D share: <c>[Kind(pool, Stride = pool)]</c>, windows inside the input
/// only, over the steps of a sequence (1-D) or the height and width of an image (2-D, square windows), per channel. A
/// sequence is a height-steps, width-1 image, so both run the same runtime kernels
/// (<c>PoolingKernels</c>) with a window of pool × 1 or pool × pool. A max pool records each window's winner in
/// training so the backward pass routes the gradient to it alone; an average pool spreads it evenly over the window.
/// </summary>
internal abstract class PoolLayer : Layer
{
    /// <summary>Max (true) or average (false).</summary>
    protected abstract bool IsMax { get; }

    /// <summary>1: over a sequence's steps; 2: over an image's height and width.</summary>
    protected abstract int Dimensions { get; }

    /// <summary>Keras's layer name in <c>Summary()</c>, e.g. <c>max_pooling1d</c>.</summary>
    protected abstract string KerasName { get; }

    protected string Name => Kind.ToString();

    public override LayerSpec? Read(LayerReader r)
    {
        int pool = r.Positive(0, Name + " pool size");
        int stride = r.NamedInt("Stride", pool);
        if (stride <= 0 && r.HasNamed("Stride")) r.NamedError(DiagnosticIds.InvalidArgument, "Stride", $"{Name} stride must be positive, but it is {stride}");
        if (!r.Valid || !r.InputKnown) return null;
        var input = r.Input;
        if (Dimensions == 1 ? !input.IsSequence : !input.IsImage)
        {
            string expected = Dimensions == 1 ? "a sequence (steps x features)" : "a height x width x channels image";
            string hint = Dimensions == 1
                ? input.IsImage ? "; use AveragePool2D or MaxPool2D on an image" : "; declare [Input(steps, features)]"
                : input.IsSequence ? $"; use {(IsMax ? "MaxPool1D" : "AveragePool1D")} on a sequence" : "";
            r.Error(DiagnosticIds.ShapeMismatch, $"{Name} expects {expected} input but the previous layer '{r.Previous}' outputs {PoolShapes.Describe(input)}{hint}");
            return null;
        }
        int shortest = Dimensions == 1 ? input.Steps : Math.Min(input.Height, input.Width);
        if (pool > shortest)
        {
            string window = Dimensions == 1 ? $"{Int(pool)} steps" : $"{Int(pool)}x{Int(pool)}";
            r.ArgumentError(DiagnosticIds.ShapeMismatch, 0, $"{Name} pool {window} is larger than its input {PoolShapes.Describe(input)} from '{r.Previous}'; use a pool of at most {Int(shortest)}");
            return null;
        }
        var output = Dimensions == 1
            ? Shape.Sequence(ConvolutionGeometry.PoolOutput(input.Steps, pool, stride), input.Channels)
            : Shape.Image(ConvolutionGeometry.PoolOutput(input.Height, pool, stride), ConvolutionGeometry.PoolOutput(input.Width, pool, stride), input.Channels);
        return r.Create(Kind, output, kernelSize: pool, stride: stride);
    }

    public override string Description(LayerSpec layer) =>
        layer.Stride == layer.KernelSize ? $"{Name}({Int(layer.KernelSize)})" : $"{Name}({Int(layer.KernelSize)}, Stride = {Int(layer.Stride)})";

    public override string Fingerprint(LayerSpec layer) => $"{Name}({Int(layer.KernelSize)},{Int(layer.Stride)})";

    public override string Describe(LayerPlan plan)
    {
        var l = plan.Spec;
        string window = Dimensions == 1 ? Int(l.KernelSize) + " steps" : $"{Int(l.KernelSize)}x{Int(l.KernelSize)}";
        return $"Layer {Int(l.Index)}: {Name} {l.InputShape} -> {l.OutputShape}, {(IsMax ? "maximum" : "mean")} of {window} every {Int(l.Stride)}";
    }

    public override string SummaryName(LayerSpec layer, int ordinal) => $"{KerasName}_{Int(ordinal)} ({Name})";

    public override string OnnxDescription(LayerPlan plan)
    {
        var l = plan.Spec;
        return $"global::NeuralNet.Gen.LayerDescription.{Name}({OnnxDimensions(l.InputShape)}, {Int(l.KernelSize)}, {Int(l.Stride)})";
    }

    public override IEnumerable<BufferSlot> SampleSlots(LayerPlan layer, bool training)
    {
        int n = layer.Spec.OutputSize;
        yield return ValueSlot("a" + layer.Name, n);
        if (!training) yield break;
        yield return ValueSlot("d" + layer.Name, n, trainingOnly: true);
        if (IsMax) yield return IndexSlot("argmax" + layer.Name, n);
    }

    /// <summary>The kernels' geometry arguments, named so the call reads: a sequence is a height-steps, width-1 image.</summary>
    private string Geometry(LayerSpec l)
    {
        var s = l.InputShape;
        string pool = Int(l.KernelSize), stride = Int(l.Stride);
        return Dimensions == 1
            ? $"height: {Int(s.Steps)}, width: 1, channels: {Int(s.Channels)}, poolHeight: {pool}, poolWidth: 1, strideHeight: {stride}, strideWidth: 1"
            : $"height: {Int(s.Height)}, width: {Int(s.Width)}, channels: {Int(s.Channels)}, poolHeight: {pool}, poolWidth: {pool}, strideHeight: {stride}, strideWidth: {stride}";
    }

    public override void EmitBatchForward(SourceWriter w, EmitContext c, BatchStep step)
    {
        var l = step.Layer.Spec;
        string i = step.Layer.Name;
        if (IsMax)
        {
            string argmax = step.Training ? $"argmax{i}" : "global::System.Span<int>.Empty";
            w.Line($"global::NeuralNet.Gen.PoolingKernels.MaxPoolForward<{c.T}>({step.Input}, a{i}, {argmax}, batchSize, {Geometry(l)});");
        }
        else
        {
            w.Line($"global::NeuralNet.Gen.PoolingKernels.AveragePoolForward<{c.T}>({step.Input}, a{i}, batchSize, {Geometry(l)});");
        }
    }

    public override void EmitBatchBackward(SourceWriter w, EmitContext c, BatchStep step)
    {
        var l = step.Layer.Spec;
        string i = step.Layer.Name;
        w.Line(IsMax
            ? $"// Backward through layer {i}: {Name}, each gradient to its window's recorded maximum"
            : $"// Backward through layer {i}: {Name}, each gradient shared evenly by its window");
        if (step.InputGradient is null) w.Line("// (no gradient to pass back to the input)");
        else if (IsMax) w.Line($"global::NeuralNet.Gen.ConvolutionKernels.MaxPoolBackward<{c.T}>(d{i}, argmax{i}, {step.InputGradient}, batchSize, {Int(l.InputSize)}, {Int(l.OutputSize)});");
        else w.Line($"global::NeuralNet.Gen.PoolingKernels.AveragePoolBackward<{c.T}>(d{i}, {step.InputGradient}, batchSize, {Geometry(l)});");
    }
}

/// <summary>
/// What GlobalAveragePool and GlobalMaxPool share: a sequence (over its steps) or an image (over its height × width
/// positions) to a vector of one value per channel, as Keras's <c>GlobalAveragePooling1D/2D</c> and
/// <c>GlobalMaxPooling1D/2D</c>.
/// </summary>
internal abstract class GlobalPoolLayer : Layer
{
    protected abstract bool IsMax { get; }

    protected string Name => Kind.ToString();

    public override LayerSpec? Read(LayerReader r)
    {
        if (!r.InputKnown) return null;
        if (r.Input.IsVector)
        {
            r.Error(DiagnosticIds.ShapeMismatch, $"{Name} expects a sequence (steps x features) or a height x width x channels input but the previous layer '{r.Previous}' outputs {PoolShapes.Describe(r.Input)}; " +
                $"remove [{Name}] or place it before the [Flatten]");
            return null;
        }
        return r.Create(Kind, Shape.Vector(r.Input.Channels));
    }

    public override string Description(LayerSpec layer) => Name;

    public override string Fingerprint(LayerSpec layer) => Name;

    public override string Describe(LayerPlan plan)
    {
        var l = plan.Spec;
        string over = l.InputShape.IsSequence ? Int(l.InputShape.Steps) + " steps" : Int(l.InputShape.Positions) + " positions";
        return $"Layer {Int(l.Index)}: {Name} {l.InputShape} -> {l.OutputShape}, {(IsMax ? "maximum" : "mean")} over {over}";
    }

    /// <summary>Keras names the layer by the rank it reads: <c>global_average_pooling1d</c> on a sequence, <c>…2d</c> on an image.</summary>
    public override string SummaryName(LayerSpec layer, int ordinal) =>
        $"global_{(IsMax ? "max" : "average")}_pooling{(layer.InputShape.IsSequence ? "1d" : "2d")}_{Int(ordinal)} ({Name})";

    public override string OnnxDescription(LayerPlan plan) => $"global::NeuralNet.Gen.LayerDescription.{Name}({OnnxDimensions(plan.Spec.InputShape)})";

    public override IEnumerable<BufferSlot> SampleSlots(LayerPlan layer, bool training)
    {
        int n = layer.Spec.OutputSize;
        yield return ValueSlot("a" + layer.Name, n);
        if (!training) yield break;
        yield return ValueSlot("d" + layer.Name, n, trainingOnly: true);
        if (IsMax) yield return IndexSlot("argmax" + layer.Name, n);
    }

    public override void EmitBatchForward(SourceWriter w, EmitContext c, BatchStep step)
    {
        var s = step.Layer.Spec.InputShape;
        string i = step.Layer.Name, geometry = $"batchSize, positions: {Int(s.Positions)}, channels: {Int(s.Channels)}";
        if (IsMax)
        {
            string argmax = step.Training ? $"argmax{i}" : "global::System.Span<int>.Empty";
            w.Line($"global::NeuralNet.Gen.PoolingKernels.GlobalMaxPoolForward<{c.T}>({step.Input}, a{i}, {argmax}, {geometry});");
        }
        else
        {
            w.Line($"global::NeuralNet.Gen.PoolingKernels.GlobalAveragePoolForward<{c.T}>({step.Input}, a{i}, {geometry});");
        }
    }

    public override void EmitBatchBackward(SourceWriter w, EmitContext c, BatchStep step)
    {
        var l = step.Layer.Spec;
        string i = step.Layer.Name;
        w.Line(IsMax
            ? $"// Backward through layer {i}: {Name}, each channel's gradient to its recorded maximum"
            : $"// Backward through layer {i}: {Name}, each channel's gradient shared evenly by its {Int(l.InputShape.Positions)} positions");
        if (step.InputGradient is null) w.Line("// (no gradient to pass back to the input)");
        else if (IsMax) w.Line($"global::NeuralNet.Gen.ConvolutionKernels.MaxPoolBackward<{c.T}>(d{i}, argmax{i}, {step.InputGradient}, batchSize, {Int(l.InputSize)}, {Int(l.OutputSize)});");
        else w.Line($"global::NeuralNet.Gen.PoolingKernels.GlobalAveragePoolBackward<{c.T}>(d{i}, {step.InputGradient}, batchSize, positions: {Int(l.InputShape.Positions)}, channels: {Int(l.InputShape.Channels)});");
    }
}

/// <summary>Shapes as the pooling layers' messages name them.</summary>
internal static class PoolShapes
{
    public static string Describe(Shape shape) =>
        shape.IsVector ? "a vector of " + shape : shape.IsSequence ? "a sequence of " + shape : "an image of " + shape;
}
