using System;
using System.Collections.Generic;
using System.Linq;
using NeuralNet.Gen.Generators.Emit;
using NeuralNet.Gen.Generators.Model;
using NeuralNet.Gen.Generators.Parsing;
using NeuralNet.Gen.Weights;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Layers;

/// <summary>
/// <c>[Conv1D(filters, kernelSize, activation, Stride, Padding, Dilation, UseBias)]</c> over a sequence; weights
/// [filters, features, kernelSize] then bias, as PyTorch's <c>nn.Conv1d</c>. Not the Conv2D kernels as a height-1
/// image: those have square kernels and no dilation. The runtime's <c>Conv1DKernels</c> copies each output step's window
/// in the weights' own [feature][tap] order, so the parameters multiply it in place with the Dense kernel over
/// batch × output steps rows. A Causal stride-1 Conv1D streams: it keeps its last dilation·(kernelSize − 1) input rows.
/// </summary>
internal sealed class Conv1DLayer : Layer
{
    public override LayerKind Kind => LayerKind.Conv1D;

    public override LayerSpec? Read(LayerReader r)
    {
        int filters = r.Positive(0, "Conv1D filters");
        int kernel = r.Positive(1, "Conv1D kernel size");
        var activation = r.Enum(2, Activation.Linear);
        int stride = r.NamedInt("Stride", 1);
        int dilation = r.NamedInt("Dilation", 1);
        var padding = r.NamedEnum("Padding", Padding.Valid);
        var init = r.NamedEnum("WeightInit", DenseLayer.DefaultInit(activation));
        bool useBias = r.NamedBool("UseBias", true);
        if (stride <= 0) r.NamedError(DiagnosticIds.InvalidArgument, "Stride", $"Conv1D stride must be positive, but it is {stride}");
        if (dilation <= 0) r.NamedError(DiagnosticIds.InvalidArgument, "Dilation", $"Conv1D dilation must be positive, but it is {dilation}");
        if (!r.Valid || !r.InputKnown) return null;
        var input = r.Input;
        if (!input.IsSequence)
        {
            r.Error(DiagnosticIds.ShapeMismatch, $"Conv1D expects a sequence (steps x features) input but the previous layer '{r.Previous}' outputs {(input.IsVector ? "a vector of " : "an image ")}{input}; " +
                "declare [Input(steps, features)] (or use Conv2D on an image)");
            return null;
        }
        long span = (long)dilation * (kernel - 1) + 1;
        if (padding == Padding.Valid && span > input.Steps)
        {
            r.ArgumentError(DiagnosticIds.ShapeMismatch, 1, $"Conv1D kernel {kernel}{(dilation > 1 ? $" with dilation {dilation} spans {span} steps, which is" : " is")} longer than its input of {input.Steps} steps from '{r.Previous}'; " +
                $"use a kernel spanning at most {input.Steps} steps, or Padding = Padding.Same or Padding.Causal");
            return null;
        }
        int steps = ConvolutionArithmetic.Output(input.Steps, (int)Math.Min(span, int.MaxValue), stride, padding);
        long weights = (long)filters * input.Channels * kernel;
        if ((long)steps * filters > AttributeArguments.MaxSize || (long)steps * input.Channels * kernel > AttributeArguments.MaxSize
            || weights + filters + r.ParameterOffset > AttributeArguments.MaxSize || span > AttributeArguments.MaxSize)
        {
            r.ArgumentError(DiagnosticIds.InvalidArgument, 0, $"Conv1D({filters}, {kernel}) on {input} is larger than a network can hold ({AttributeArguments.MaxSize} values or parameters); use fewer filters or a smaller kernel");
            return null;
        }
        return r.Create(LayerKind.Conv1D, Shape.Sequence(steps, filters), filters, kernel, stride, padding, 0, activation, init) with { Dilation = dilation, UseBias = useBias };
    }

    public override int WeightCount(LayerSpec l) => l.Units * l.InputShape.Channels * l.KernelSize;

    public override int BiasCount(LayerSpec l) => l.UseBias ? l.Units : 0;

    /// <summary>As Keras: kernel × features in, kernel × filters out.</summary>
    public override (int In, int Out) Fans(LayerSpec l) => (l.KernelSize * l.InputShape.Channels, l.KernelSize * l.Units);

    public override Activation? ActivationOf(LayerSpec l) => l.Activation;

    public override bool SupportsSoftmax => false;

    public override string Description(LayerSpec l)
    {
        var named = new List<string>();
        if (l.Stride != 1) named.Add($"Stride = {Int(l.Stride)}");
        if (l.Padding != Padding.Valid) named.Add($"Padding = Padding.{l.Padding}");
        if (l.Dilation != 1) named.Add($"Dilation = {Int(l.Dilation)}");
        if (!l.UseBias) named.Add("UseBias = false");
        return $"Conv1D({Int(l.Units)}, {Int(l.KernelSize)}{(l.Activation == Activation.Linear ? "" : ", " + l.Activation)}{(named.Count > 0 ? ", " + string.Join(", ", named) : "")})";
    }

    public override string Fingerprint(LayerSpec l) =>
        $"Conv1D({Int(l.Units)},{Int(l.KernelSize)},{l.Activation},{Int(l.Stride)},{l.Padding},{Int(l.Dilation)}{(l.UseBias ? "" : ",nobias")})";

    public override string Describe(LayerPlan plan)
    {
        var l = plan.Spec;
        return $"Layer {Int(l.Index)}: {Shapes(l)} (weight [{Int(l.Units)}x{Int(l.InputShape.Channels)}x{Int(l.KernelSize)}] at {Int(l.ParameterOffset)}" +
               (l.UseBias ? $", bias [{Int(l.Units)}] at {Int(l.BiasOffset)})" : ", no bias)");
    }

    private static string Shapes(LayerSpec l) =>
        $"Conv1D {l.InputShape} -> {l.OutputShape}, {l.Activation}, kernel {Int(l.KernelSize)} stride {Int(l.Stride)} dilation {Int(l.Dilation)} {l.Padding}" +
        (PadBefore(l) > 0 ? $" ({Int(PadBefore(l))} zero steps before)" : "");

    public override string SummaryName(LayerSpec l, int ordinal) => $"conv1d_{Int(ordinal)} (Conv1D, {l.Activation})";

    public override string TorchModule => "nn.Conv1d";

    /// <summary>PyTorch's <c>weight</c> [filters, features, kernel] (our own layout) and <c>bias</c> [filters].</summary>
    public override ImportedLayer ImportLayout(LayerSpec l, int bufferOffset, Shape? flattenedImage) =>
        new Conv1DImport(l.Index, l.InputShape.Channels, l.Units, l.KernelSize, l.Activation.ToString(), l.ParameterOffset, l.UseBias);

    public override bool ChannelsFirstInTorch(LayerSpec layer, bool inputChannelsFirst) => true;

    public override string OnnxDescription(LayerPlan plan)
    {
        var l = plan.Spec;
        return $"global::NeuralNet.Gen.LayerDescription.Conv1D({Int(l.InputShape.Steps)}, {Int(l.InputShape.Channels)}, {Int(l.Units)}, {Int(l.KernelSize)}, {Int(l.Stride)}, {Int(l.Dilation)}, " +
               $"{Int(PadBefore(l))}, {Int(l.OutputShape.Steps)}, global::NeuralNet.Gen.Activation.{l.Activation}, {Int(l.ParameterOffset)}{(l.UseBias ? "" : ", useBias: false")})";
    }

    public override string ParameterDocumentation(LayerPlan plan)
    {
        var l = plan.Spec;
        return $"Layer {Int(l.Index)} (Conv1D {l.InputShape} -&gt; {l.OutputShape}): weight [filters {Int(l.Units)}, features {Int(l.InputShape.Channels)}, kernel {Int(l.KernelSize)}] row-major at {Int(l.ParameterOffset)}" +
               (l.UseBias ? $", bias [{Int(l.Units)}] at {Int(l.BiasOffset)}" : ", no bias");
    }

    public override void EmitInitialization(SourceWriter w, EmitContext c, LayerPlan plan)
    {
        var l = plan.Spec;
        w.Line($"// Layer {Int(l.Index)}: Conv1D {Int(l.Units)} filters of {Int(l.KernelSize)} taps, {l.WeightInit} weights (fans as Keras: kernel x features in, x filters out)");
        w.Line($"global::NeuralNet.Gen.WeightInitializer.Fill(p.Slice({Int(l.ParameterOffset)}, {Int(l.WeightCount)}), global::NeuralNet.Gen.WeightInit.{l.WeightInit}, {Int(plan.FanIn)}, {Int(plan.FanOut)}, ref random);");
        if (l.UseBias) w.Line($"p.Slice({Int(l.BiasOffset)}, {Int(l.BiasCount)}).Clear();");
    }

    /// <summary>Zero steps before the sequence: Same as Keras (half the total, rounded down), Causal all of dilation·(k − 1).</summary>
    private static int PadBefore(LayerSpec l)
    {
        int span = l.Dilation * (l.KernelSize - 1) + 1;
        return ConvolutionArithmetic.PaddingBefore(l.InputShape.Steps, l.OutputShape.Steps, span, l.Stride, l.Padding);
    }

    private static int Window(LayerSpec l) => l.InputShape.Channels * l.KernelSize;

    public override IEnumerable<BufferSlot> SampleSlots(LayerPlan plan, bool training)
    {
        var l = plan.Spec;
        yield return ValueSlot("z" + plan.Name, l.OutputSize);
        yield return ValueSlot("a" + plan.Name, l.OutputSize);
        yield return ValueSlot("columns" + plan.Name, l.OutputShape.Steps * Window(l));
        if (!training) yield break;
        yield return ValueSlot("d" + plan.Name, l.OutputSize, trainingOnly: true);
        // The first layer passes no gradient back to the network's input, so it needs no window gradients.
        if (!plan.ReadsNetworkInput) yield return ValueSlot("columnGradients" + plan.Name, l.OutputShape.Steps * Window(l), trainingOnly: true);
    }

    /// <summary>Without a bias the kernels add zeros (and their bias gradient goes to a discarded span).</summary>
    public override IEnumerable<BufferSlot> WorkspaceSlots(LayerPlan plan, bool training)
    {
        if (!plan.Spec.UseBias) yield return ValueSlot("zeroBias" + plan.Name, plan.Spec.Units);
    }

    public override string PreActivation(LayerPlan plan) => "z" + plan.Name;

    private static string Bias(LayerSpec l, string parameters, string name) =>
        l.UseBias ? $"{parameters}.Slice({Int(l.BiasOffset)}, {Int(l.Units)})" : "zeroBias" + name;

    public override void EmitBatchForward(SourceWriter w, EmitContext c, BatchStep step)
    {
        var plan = step.Layer;
        var l = plan.Spec;
        string i = plan.Name, T = c.T;
        w.Line($"// Each output step's window of {Int(Window(l))} values, in the weights' [feature][tap] order, times the weights where they lie (Dense kernel, batch x {Int(l.OutputShape.Steps)} rows).");
        EmitGeometry(w, plan);
        if (!l.UseBias) w.Line($"zeroBias{i}.Clear();");
        w.Line($"global::NeuralNet.Gen.Conv1DKernels.Forward<{T}>({step.Input}, p.Slice({Int(l.ParameterOffset)}, {Int(l.WeightCount)}), {Bias(l, "p", i)}, z{i}, columns{i}, batchSize, geometry{i});");
        ActivationEmitter.EmitBatchActivation(w, c, plan);
    }

    public override void EmitBatchBackward(SourceWriter w, EmitContext c, BatchStep step)
    {
        var plan = step.Layer;
        var l = plan.Spec;
        string i = plan.Name, T = c.T, empty = $"global::System.Span<{T}>.Empty";
        w.Line($"// Backward through layer {i}: {Shapes(l)}");
        if (!plan.IsLast) ActivationEmitter.EmitBatchActivationBackward(w, c, plan);
        EmitGeometry(w, plan);
        w.Line($"global::NeuralNet.Gen.Conv1DKernels.Backward<{T}>(columns{i}, d{i}, p.Slice({Int(l.ParameterOffset)}, {Int(l.WeightCount)}), g.Slice({Int(l.ParameterOffset)}, {Int(l.WeightCount)}), {Bias(l, "g", i)}, " +
               $"{step.InputGradient ?? empty}, {(step.InputGradient is null ? empty : "columnGradients" + i)}, batchSize, geometry{i});");
    }

    private static void EmitGeometry(SourceWriter w, LayerPlan plan)
    {
        var l = plan.Spec;
        w.Line($"var geometry{plan.Name} = new global::NeuralNet.Gen.Conv1DGeometry({Int(l.InputShape.Steps)}, {Int(l.InputShape.Channels)}, {Int(l.Units)}, {Int(l.KernelSize)}, " +
               $"{Int(l.Stride)}, {Int(l.Dilation)}, {Int(PadBefore(l))}, {Int(l.OutputShape.Steps)});");
    }

    // Streaming: a Causal stride-1 convolution sees only the current and earlier steps; it keeps dilation·(k − 1) rows.
    public override bool IsCausal(LayerSpec l) => l.Padding == Padding.Causal && l.Stride == 1;

    public override bool KeepsState(LayerSpec l) => IsCausal(l) && StateCount(l) > 0;

    public override int StateCount(LayerSpec l) => IsCausal(l) ? l.Dilation * (l.KernelSize - 1) * l.InputShape.Channels : 0;

    public override IEnumerable<BufferSlot> StepSlots(LayerPlan plan)
    {
        var l = plan.Spec;
        yield return ValueSlot("s" + plan.Name, l.Units);
        yield return ValueSlot("window" + plan.Name, Window(l));
        if (!l.UseBias) yield return ValueSlot("zeroBias" + plan.Name, l.Units);
    }

    public override void EmitStep(SourceWriter w, EmitContext c, StreamStep step)
    {
        var plan = step.Layer;
        var l = plan.Spec;
        string i = plan.Name, n = Int(l.Units);
        EmitGeometry(w, plan);
        w.Line($"global::NeuralNet.Gen.Conv1DKernels.Step<{c.T}>({step.Input}, {step.State}, p.Slice({Int(l.ParameterOffset)}, {Int(l.WeightCount)}), {Bias(l, "p", i)}, window{i}, s{i}, geometry{i});");
        if (l.Activation != Activation.Linear)
        {
            using (w.Block($"for (int o = 0; o < {n}; o++)")) w.Line($"s{i}[o] = {ActivationEmitter.Apply(l.Activation, $"s{i}[o]")};");
        }
    }

    /// <summary>Small convolutions step on packed weights, their history a ring (<c>StepKernels.CausalConvolution</c>), instead of a shift register and the kernel.</summary>
    public override bool UnrollsStep(LayerPlan plan) =>
        IsCausal(plan.Spec) && plan.Spec.WeightCount <= StepEmitter.UnrollMaxWeights && Window(plan.Spec) <= StepEmitter.UnrollMaxInputs;

    /// <summary>Small causal convolutions with an activation the kernels apply are written as straight-line vector code.</summary>
    public override bool WritesStepLanes(LayerPlan plan) => UnrollsStep(plan) && DenseLayer.FusesStepActivation(plan.Spec.Activation);

    /// <summary>
    /// The taps' ring rows once per step, then each vector of filters summed over the window in the kernel's
    /// [feature][tap] order (taps read where they lie in the ring, the newest row last), the bias last, the activation;
    /// then the newest row replaces the oldest.
    /// </summary>
    public override LaneRow EmitStepLanes(SourceWriter w, EmitContext c, LaneStep step)
    {
        var l = step.Layer.Spec;
        string i = step.Layer.Name;
        int f = l.InputShape.Channels, k = l.KernelSize, d = l.Dilation, rows = d * (k - 1), vectors = step.Vectors(l.Units);
        if (rows > 0) w.Line($"// The ring holds the last {Int(rows)} rows of {Int(f)}, the oldest at row _ring{i}; tap j reads the row j·{Int(d)} after it.");
        for (int j = 0; j < k - 1; j++)
        {
            int after = j * d;
            string row = j == 0 ? $"_ring{i}" : $"(_ring{i} < {Int(rows - after)} ? _ring{i} + {Int(after)} : _ring{i} - {Int(rows - after)})";
            w.Line($"ref {c.T} tap{i}_{Int(j)} = ref {LaneCode.Kernels}.At(ref stream, {(step.StateOffset > 0 ? Int(step.StateOffset) + " + " : "")}{row} * {Int(f)});");
        }
        var sums = Enumerable.Range(0, vectors).Select(v => $"z{i}_{Int(v)}").ToList();
        LaneCode.Project(w, c, sums, sums.Select((_, v) => v * step.Lanes).ToList(), Window(l), PaddedRow(l.Units), step.PackedOffset,
            n => n % k == k - 1 ? step.Input.At(n / k) : new LaneRow($"tap{i}_{Int(n % k)}", 0).At(n / k));
        var output = new LaneRow("work", step.Slots["s" + i]);
        LaneCode.StoreActivated(w, l.Activation, sums, output, step.Lanes);
        if (rows > 0)
        {
            w.Line("// The newest row takes the oldest one's place.");
            LaneCode.Copy(w, step.Input, $"tap{i}_0", "0", f, step.Lanes);
            w.Line($"_ring{i} = _ring{i} + 1 == {Int(rows)} ? 0 : _ring{i} + 1;");
        }
        return output;
    }

    /// <summary>The ring's oldest row, when the layer keeps history rows.</summary>
    public override IEnumerable<string> StepCounters(LayerPlan plan)
    {
        if (StateCount(plan.Spec) > 0) yield return "_ring" + plan.Name;
    }

    /// <summary>The output row (padded for whole vectors).</summary>
    public override IEnumerable<BufferSlot> UnrolledStepSlots(LayerPlan plan)
    {
        yield return ValueSlot("s" + plan.Name, PaddedRow(plan.Spec.Units));
    }

    /// <summary>The weights [filters, channels·kernel] as a projection of the window (no bias: zeros).</summary>
    public override int StepWeightCount(LayerPlan plan) => PackedLength(Window(plan.Spec), plan.Spec.Units);

    public override void EmitStepWeightPacking(SourceWriter w, EmitContext c, LayerPlan plan, int offset)
    {
        var l = plan.Spec;
        string bias = l.UseBias ? $"p.Slice({Int(l.BiasOffset)}, {Int(l.Units)})" : $"global::System.ReadOnlySpan<{c.T}>.Empty";
        w.Line($"// Layer {Int(l.Index)}: Conv1D, weight [{Int(l.Units)}x{Int(l.InputShape.Channels)}x{Int(l.KernelSize)}] as [{Int(l.Units)}x{Int(Window(l))}]");
        w.Line($"global::NeuralNet.Gen.StepKernels.Pack<{c.T}>(p.Slice({Int(l.ParameterOffset)}, {Int(l.WeightCount)}), {bias}, packed.Slice({Int(offset)}, {Int(StepWeightCount(plan))}), {Int(Window(l))}, {Int(l.Units)});");
    }

    /// <summary>
    /// One call (<c>StepKernels.CausalConvolution</c>, which also moves the ring on): the taps read where they lie in the
    /// ring, in the kernel's [feature][tap] order, through the packed weights: each filter a lane, summed in window
    /// order, the bias last (the kernel's bits), the activation applied before the store.
    /// </summary>
    public override Values EmitUnrolledStep(SourceWriter w, EmitContext c, StreamStep step, Values input)
    {
        var plan = step.Layer;
        var l = plan.Spec;
        string i = plan.Name;
        int f = l.InputShape.Channels, k = l.KernelSize, d = l.Dilation, history = d * (k - 1);
        string activation = DenseLayer.StepKernelActivation(l.Activation);
        if (history > 0)
        {
            w.Line($"// The window's taps read from a ring of {Int(history)} history rows of {Int(f)}; the newest row then replaces the oldest.");
            w.Line($"_ring{i} = global::NeuralNet.Gen.StepKernels.CausalConvolution<{c.T}>({step.Packed(0, StepWeightCount(plan))}, {step.State}, _ring{i}, {step.Input}, s{i}, {Int(k)}, {Int(d)}, {Int(l.Units)}, {activation});");
        }
        else
        {
            // A kernel of one tap keeps no history: its window is the row.
            w.Line($"global::NeuralNet.Gen.StepKernels.Project<{c.T}>({step.Packed(0, StepWeightCount(plan))}, {step.Input}, s{i}, {Int(Window(l))}, {Int(l.Units)}, {activation});");
        }
        if (!DenseLayer.FusesStepActivation(l.Activation)) DenseLayer.EmitStepActivation(w, c, l.Activation, "s" + i, l.Units);
        return Values.PaddedSpan("s" + i);
    }
}
