using System.Collections.Generic;
using NeuralNet.Gen.Generators.Emit;
using NeuralNet.Gen.Generators.Model;
using NeuralNet.Gen.Generators.Parsing;
using NeuralNet.Gen.Weights;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Layers;

/// <summary>
/// What SimpleRNN, GRU and LSTM share, as PyTorch lays them out: weight_ih [G·units, features], weight_hh [G·units, units],
/// bias_ih [G·units], bias_hh [G·units], in that order, G gates. On the batch path the input projections of every step
/// of every sample are one Dense kernel call (W_ih·x_t + b_ih, rows = batch × steps); then each sample runs its steps
/// in order, the recurrent projection W_hh·h + b_hh one kernel call per step, the gates per unit. Backward goes through
/// every step in reverse, the input projections' gradient back into the same buffer, then one Dense kernel backward
/// for W_ih, b_ih and the input. A kind gives its gate count and its per-unit cell, forward and backward.
/// </summary>
internal abstract class RecurrentLayer : Layer
{
    /// <summary>G: rows of weight_ih per unit.</summary>
    protected abstract int Gates { get; }

    /// <summary>Values per unit and step kept for the backward pass (activated gates and the like).</summary>
    protected abstract int Saved { get; }

    /// <summary>Whether the layer has a cell state besides its hidden state (LSTM).</summary>
    protected virtual bool HasCell => false;

    /// <summary>Whether the per-unit cell reads the unit's previous state <c>hp</c> (SimpleRNN's reaches it only through W_hh).</summary>
    protected virtual bool ReadsPreviousState => true;

    /// <summary>The attribute's name as written, e.g. <c>GRU</c>.</summary>
    protected string Name => Kind.ToString();

    public override LayerSpec? Read(LayerReader r)
    {
        int units = r.Positive(0, Name + " units");
        var activation = ReadActivation(r);
        bool sequences = r.NamedBool("ReturnSequences", false);
        if (!r.Valid || !r.InputKnown) return null;
        var input = r.Input;
        if (!input.IsSequence)
        {
            r.Error(DiagnosticIds.ShapeMismatch, $"{Name} expects a sequence (steps x features) input but the previous layer '{r.Previous}' outputs {(input.IsVector ? "a vector of " : "")}{input}; " +
                "declare [Input(steps, features)] or give the recurrent layer before it ReturnSequences = true");
            return null;
        }
        long count = (long)Gates * units * (input.Channels + units + 2);
        if (count + r.ParameterOffset > AttributeArguments.MaxSize || (long)units * input.Steps * (Gates + 1) > AttributeArguments.MaxSize)
        {
            r.ArgumentError(DiagnosticIds.InvalidArgument, 0, $"{Name}({units}) on {input} brings the network to more than {AttributeArguments.MaxSize} values; use fewer units");
            return null;
        }
        var output = sequences ? Shape.Sequence(input.Steps, units) : Shape.Vector(units);
        return r.Create(Kind, output, units: units) with { ReturnSequences = sequences, CellActivation = activation };
    }

    /// <summary>The state's activation (SimpleRNN reads it; the gated kinds use Tanh).</summary>
    protected virtual Activation ReadActivation(LayerReader r) => Activation.Tanh;

    public override int WeightCount(LayerSpec l) => Gates * l.Units * (l.InputShape.Channels + l.Units);

    public override int BiasCount(LayerSpec l) => 2 * Gates * l.Units;

    public override bool SupportsSoftmax => false;

    public override string Description(LayerSpec l) => $"{Name}({Int(l.Units)}{DescribeActivation(l)}{(l.ReturnSequences ? ", ReturnSequences = true" : "")})";

    protected virtual string DescribeActivation(LayerSpec l) => "";

    public override string Fingerprint(LayerSpec l) => $"{Name}({Int(l.Units)}{DescribeActivation(l)},{(l.ReturnSequences ? "sequences" : "last")})";

    public override string Describe(LayerPlan plan)
    {
        var l = plan.Spec;
        int gu = Gates * l.Units, f = l.InputShape.Channels;
        return $"Layer {Int(l.Index)}: {Description(l)} {l.InputShape} -> {l.OutputShape} " +
               $"(weight_ih [{Int(gu)}x{Int(f)}] at {Int(l.ParameterOffset)}, weight_hh [{Int(gu)}x{Int(l.Units)}] at {Int(l.ParameterOffset + gu * f)}, " +
               $"bias_ih [{Int(gu)}] at {Int(l.BiasOffset)}, bias_hh [{Int(gu)}] at {Int(l.BiasOffset + gu)})";
    }

    public override string SummaryName(LayerSpec l, int ordinal) => $"{Name.ToLowerInvariant()}_{Int(ordinal)} ({Name})";

    public override string TorchModule => "nn." + (Kind == LayerKind.SimpleRNN ? "RNN" : Name);

    public override string ParameterDocumentation(LayerPlan plan)
    {
        var l = plan.Spec;
        int gu = Gates * l.Units, f = l.InputShape.Channels;
        return $"Layer {Int(l.Index)} ({Name} {Int(f)} -&gt; {Int(l.Units)}): weight_ih [{Int(gu)}, {Int(f)}] at {Int(l.ParameterOffset)}, " +
               $"weight_hh [{Int(gu)}, {Int(l.Units)}] at {Int(l.ParameterOffset + gu * f)}, bias_ih [{Int(gu)}] at {Int(l.BiasOffset)}, bias_hh [{Int(gu)}] at {Int(l.BiasOffset + gu)}";
    }

    public override ImportedLayer ImportLayout(LayerSpec l, int bufferOffset, Shape? flattenedImage) =>
        new RecurrentImport(l.Index, l.InputShape.Channels, l.Units, l.CellActivation.ToString(), l.ParameterOffset, Gates, l.ReturnSequences);

    public override bool ChannelsFirstInTorch(LayerSpec layer, bool inputChannelsFirst) => false;

    public override string OnnxDescription(LayerPlan plan)
    {
        var l = plan.Spec;
        return $"global::NeuralNet.Gen.LayerDescription.Recurrent(global::NeuralNet.Gen.LayerKind.{Kind}, {Int(l.InputShape.Steps)}, {Int(l.InputShape.Channels)}, {Int(l.Units)}, " +
               $"{(l.ReturnSequences ? "true" : "false")}, global::NeuralNet.Gen.Activation.{l.CellActivation}, {Int(l.ParameterOffset)})";
    }

    public override void EmitInitialization(SourceWriter w, EmitContext c, LayerPlan plan)
    {
        var l = plan.Spec;
        w.Line($"// Layer {Int(l.Index)}: {Description(l)}, every weight and bias uniform in ±1/√units (PyTorch)");
        using (w.Scope())
        {
            w.Line($"double bound = 1 / global::System.Math.Sqrt({Int(l.Units)});");
            using (w.Block($"for (int k = {Int(l.ParameterOffset)}; k < {Int(l.ParameterOffset + l.ParameterCount)}; k++)"))
            {
                w.Line($"p[k] = ({c.T})random.NextDouble(-bound, bound);");
            }
        }
    }

    // Slots. x: input projections of every step (in training overwritten by their gradient); r: one step's recurrent
    // projection; h: every step's state (the output itself with ReturnSequences); c: the LSTM's cell states.
    private static string States(LayerPlan plan) => (plan.Spec.ReturnSequences ? "a" : "hs") + plan.Name;

    public override IEnumerable<BufferSlot> SampleSlots(LayerPlan plan, bool training)
    {
        var l = plan.Spec;
        int s = l.InputShape.Steps, u = l.Units, gu = Gates * u;
        yield return ValueSlot("x" + plan.Name, s * gu);
        yield return ValueSlot("r" + plan.Name, gu);
        if (!l.ReturnSequences) yield return ValueSlot("hs" + plan.Name, s * u);
        yield return ValueSlot("a" + plan.Name, l.OutputSize);
        if (HasCell) yield return ValueSlot("c" + plan.Name, s * u);
        if (!training) yield break;
        yield return ValueSlot("gates" + plan.Name, s * Saved * u, trainingOnly: true);
        yield return ValueSlot("d" + plan.Name, l.OutputSize, trainingOnly: true);
        yield return ValueSlot("dh" + plan.Name, u, trainingOnly: true);
        if (HasCell) yield return ValueSlot("dc" + plan.Name, u, trainingOnly: true);
        yield return ValueSlot("dr" + plan.Name, gu, trainingOnly: true);
    }

    /// <summary>Offsets of the four parameter blocks.</summary>
    protected (string Wih, string Whh, string Bih, string Bhh) Blocks(LayerSpec l)
    {
        int gu = Gates * l.Units, f = l.InputShape.Channels;
        return ($"p.Slice({Int(l.ParameterOffset)}, {Int(gu * f)})", $"p.Slice({Int(l.ParameterOffset + gu * f)}, {Int(gu * l.Units)})",
                $"p.Slice({Int(l.BiasOffset)}, {Int(gu)})", $"p.Slice({Int(l.BiasOffset + gu)}, {Int(gu)})");
    }

    public override void EmitBatchForward(SourceWriter w, EmitContext c, BatchStep step)
    {
        var plan = step.Layer;
        var l = plan.Spec;
        string i = plan.Name, T = c.T, S = Int(l.InputShape.Steps), U = Int(l.Units), GU = Int(Gates * l.Units), F = Int(l.InputShape.Channels);
        var (wih, whh, bih, bhh) = Blocks(l);
        string h = States(plan);
        w.Line("// Input projections W_ih·x_t + b_ih of every step of every sample in one kernel call.");
        w.Line($"global::NeuralNet.Gen.DenseKernels.Forward<{T}>({step.Input}, {wih}, {bih}, x{i}, batchSize * {S}, {F}, {GU});");
        using (w.Block("for (int b = 0; b < batchSize; b++)"))
        {
            w.Line($"global::System.Span<{T}> hb = {h}.Slice(b * {Int(l.InputShape.Steps * l.Units)}, {Int(l.InputShape.Steps * l.Units)});");
            if (HasCell) w.Line($"global::System.Span<{T}> cb = c{i}.Slice(b * {Int(l.InputShape.Steps * l.Units)}, {Int(l.InputShape.Steps * l.Units)});");
            w.Line($"global::System.Span<{T}> rb = r{i}.Slice(b * {GU}, {GU});");
            if (step.Training) w.Line($"global::System.Span<{T}> saved = gates{i}.Slice(b * {Int(l.InputShape.Steps * Saved * l.Units)}, {Int(l.InputShape.Steps * Saved * l.Units)});");
            using (w.Block($"for (int t = 0; t < {S}; t++)"))
            {
                w.Line($"global::System.ReadOnlySpan<{T}> xt = x{i}.Slice((b * {S} + t) * {GU}, {GU});");
                w.Line("// The state starts at zero for every sequence: W_hh·0 + b_hh = b_hh.");
                w.Line($"if (t == 0) {bhh}.CopyTo(rb);");
                w.Line($"else global::NeuralNet.Gen.DenseKernels.Forward<{T}>(hb.Slice((t - 1) * {U}, {U}), {whh}, {bhh}, rb, 1, {U}, {GU});");
                w.Line($"global::System.Span<{T}> ht = hb.Slice(t * {U}, {U});");
                if (HasCell) w.Line($"global::System.Span<{T}> ct = cb.Slice(t * {U}, {U});");
                if (step.Training) w.Line($"global::System.Span<{T}> st = saved.Slice(t * {Int(Saved * l.Units)}, {Int(Saved * l.Units)});");
                using (w.Block($"for (int u = 0; u < {U}; u++)"))
                {
                    if (ReadsPreviousState) w.Line($"{T} hp = t == 0 ? {c.Zero} : hb[(t - 1) * {U} + u];");
                    if (HasCell) w.Line($"{T} cp = t == 0 ? {c.Zero} : cb[(t - 1) * {U} + u];");
                    EmitCell(w, c, l, "xt", "rb", "hp", "ht[u]", HasCell ? "cp" : null, HasCell ? "ct[u]" : null, step.Training ? "st" : null);
                }
            }
            if (!l.ReturnSequences) w.Line($"hb.Slice({Int((l.InputShape.Steps - 1) * l.Units)}, {U}).CopyTo(a{i}.Slice(b * {U}, {U}));");
        }
    }

    /// <summary>
    /// One unit <c>u</c> of one step: reads the input projection <paramref name="x"/> and recurrent projection
    /// <paramref name="r"/> (spans of G·units), the previous state (and cell), writes the new ones, and with
    /// <paramref name="saved"/> keeps what the backward pass needs at [k·units + u].
    /// </summary>
    protected abstract void EmitCell(SourceWriter w, EmitContext c, LayerSpec l, string x, string r, string hp, string h, string? cp, string? cell, string? saved);

    /// <summary>
    /// The backward of unit <c>u</c> of step <c>t</c>: from dh[u] (and dc[u]) the gradients of the input projections into
    /// <c>dxt</c> and of the recurrent projection into <c>drb</c>; then dh[u] (dc[u]) becomes what flows to step t-1
    /// directly (the path through W_hh is added afterwards). <c>st</c> holds the saved values, <c>hp</c> the previous state.
    /// </summary>
    protected abstract void EmitCellBackward(SourceWriter w, EmitContext c, LayerSpec l, string dh, string dc);

    public override void EmitBatchBackward(SourceWriter w, EmitContext c, BatchStep step)
    {
        var plan = step.Layer;
        var l = plan.Spec;
        string i = plan.Name, T = c.T, S = Int(l.InputShape.Steps), U = Int(l.Units), GU = Int(Gates * l.Units), F = Int(l.InputShape.Channels);
        int su = l.InputShape.Steps * l.Units;
        var (wih, whh, bih, bhh) = Blocks(l);
        string gwhh = $"g.Slice({Int(l.ParameterOffset + Gates * l.Units * l.InputShape.Channels)}, {Int(Gates * l.Units * l.Units)})";
        string gbhh = $"g.Slice({Int(l.BiasOffset + Gates * l.Units)}, {GU})";
        string h = States(plan);
        w.Line($"// Backward through layer {i}: {Description(l)}, through every step in reverse.");
        using (w.Block("for (int b = 0; b < batchSize; b++)"))
        {
            w.Line($"global::System.ReadOnlySpan<{T}> hb = {h}.Slice(b * {Int(su)}, {Int(su)});");
            if (HasCell) w.Line($"global::System.ReadOnlySpan<{T}> cb = c{i}.Slice(b * {Int(su)}, {Int(su)});");
            w.Line($"global::System.ReadOnlySpan<{T}> saved = gates{i}.Slice(b * {Int(su * Saved)}, {Int(su * Saved)});");
            w.Line($"global::System.Span<{T}> drb = dr{i}.Slice(b * {GU}, {GU});");
            w.Line($"global::System.Span<{T}> dh = dh{i}.Slice(b * {U}, {U});");
            w.Line("dh.Clear();");
            if (HasCell)
            {
                w.Line($"global::System.Span<{T}> dc = dc{i}.Slice(b * {U}, {U});");
                w.Line("dc.Clear();");
            }
            if (!l.ReturnSequences) w.Line($"d{i}.Slice(b * {U}, {U}).CopyTo(dh);");
            using (w.Block($"for (int t = {S} - 1; t >= 0; t--)"))
            {
                if (l.ReturnSequences)
                {
                    w.Line($"global::System.ReadOnlySpan<{T}> dOutput = d{i}.Slice(b * {Int(su)} + t * {U}, {U});");
                    using (w.Block($"for (int u = 0; u < {U}; u++)")) w.Line("dh[u] += dOutput[u];");
                }
                w.Line($"global::System.Span<{T}> dxt = x{i}.Slice((b * {S} + t) * {GU}, {GU});");
                w.Line($"global::System.ReadOnlySpan<{T}> st = saved.Slice(t * {Int(Saved * l.Units)}, {Int(Saved * l.Units)});");
                using (w.Block($"for (int u = 0; u < {U}; u++)"))
                {
                    if (ReadsPreviousState) w.Line($"{T} hp = t == 0 ? {c.Zero} : hb[(t - 1) * {U} + u];");
                    if (HasCell)
                    {
                        w.Line($"{T} cp = t == 0 ? {c.Zero} : cb[(t - 1) * {U} + u];");
                        w.Line($"{T} ct = cb[t * {U} + u];");
                    }
                    EmitCellBackward(w, c, l, "dh", HasCell ? "dc" : "");
                }
                w.Line("// b_hh and W_hh (the state before step 0 is zero: no weight gradient there), then dh through W_hh.");
                using (w.Block($"for (int o = 0; o < {GU}; o++)"))
                {
                    w.Line($"{gbhh}[o] += drb[o];");
                    w.Line($"if (t > 0) global::NeuralNet.Gen.Kernels.MultiplyAdd(drb[o], hb.Slice((t - 1) * {U}, {U}), {gwhh}.Slice(o * {U}, {U}));");
                }
                using (w.Block("if (t > 0)"))
                {
                    using (w.Block($"for (int o = 0; o < {GU}; o++)"))
                    {
                        w.Line($"global::NeuralNet.Gen.Kernels.MultiplyAdd(drb[o], {whh}.Slice(o * {U}, {U}), dh);");
                    }
                }
            }
        }
        w.Line("// W_ih, b_ih and the input's gradient from the input projections' gradients of every step, in one kernel call.");
        w.Line($"global::NeuralNet.Gen.DenseKernels.Backward<{T}>({step.Input}, x{i}, {wih}, g.Slice({Int(l.ParameterOffset)}, {Int(Gates * l.Units * l.InputShape.Channels)}), " +
               $"g.Slice({Int(l.BiasOffset)}, {GU}), {step.InputGradient ?? $"global::System.Span<{T}>.Empty"}, batchSize * {S}, {F}, {GU});");
    }

    // Streaming: the state is h (and c), units values each.
    public override bool IsCausal(LayerSpec layer) => true;

    public override bool KeepsState(LayerSpec layer) => true;

    public override int StateCount(LayerSpec l) => (HasCell ? 2 : 1) * l.Units;

    public override IEnumerable<BufferSlot> StepSlots(LayerPlan plan)
    {
        int gu = Gates * plan.Spec.Units;
        yield return ValueSlot("s" + plan.Name, plan.Spec.Units);
        yield return ValueSlot("sx" + plan.Name, gu);
        yield return ValueSlot("sr" + plan.Name, gu);
    }

    public override void EmitStep(SourceWriter w, EmitContext c, StreamStep step)
    {
        var l = step.Layer.Spec;
        string i = step.Layer.Name, T = c.T, U = Int(l.Units), GU = Int(Gates * l.Units), F = Int(l.InputShape.Channels);
        var (wih, whh, bih, bhh) = Blocks(l);
        w.Line($"global::System.Span<{T}> state{i} = {step.State}.Slice(0, {U});");
        if (HasCell) w.Line($"global::System.Span<{T}> cell{i} = {step.State}.Slice({U}, {U});");
        w.Line($"global::NeuralNet.Gen.DenseKernels.Forward<{T}>({step.Input}, {wih}, {bih}, sx{i}, 1, {F}, {GU});");
        w.Line($"global::NeuralNet.Gen.DenseKernels.Forward<{T}>(state{i}, {whh}, {bhh}, sr{i}, 1, {U}, {GU});");
        using (w.Block($"for (int u = 0; u < {U}; u++)"))
        {
            if (ReadsPreviousState) w.Line($"{T} hp = state{i}[u];");
            if (HasCell) w.Line($"{T} cp = cell{i}[u];");
            EmitCell(w, c, l, "sx" + i, "sr" + i, "hp", $"s{i}[u]", HasCell ? "cp" : null, HasCell ? $"cell{i}[u]" : null, null);
        }
        w.Line($"s{i}.CopyTo(state{i});");
    }

    /// <summary>Small recurrent layers step with straight-line projections instead of two kernel calls.</summary>
    public override bool UnrollsStep(LayerPlan plan)
    {
        var l = plan.Spec;
        return WeightCount(l) <= StepEmitter.UnrollMaxWeights && l.InputShape.Channels <= StepEmitter.UnrollMaxInputs && l.Units <= StepEmitter.UnrollMaxInputs;
    }

    /// <summary>Both projections' rows, padded for whole vectors (gate k of unit u at k·units + u).</summary>
    public override IEnumerable<BufferSlot> UnrolledStepSlots(LayerPlan plan)
    {
        int gu = Gates * plan.Spec.Units;
        yield return ValueSlot("sx" + plan.Name, PaddedRow(gu));
        yield return ValueSlot("sr" + plan.Name, PaddedRow(gu));
    }

    /// <summary>weight_ih with bias_ih, then weight_hh with bias_hh, each packed as a projection.</summary>
    public override int StepWeightCount(LayerPlan plan)
    {
        var l = plan.Spec;
        return PackedLength(l.InputShape.Channels, Gates * l.Units) + PackedLength(l.Units, Gates * l.Units);
    }

    public override void EmitStepWeightPacking(SourceWriter w, EmitContext c, LayerPlan plan, int offset)
    {
        var l = plan.Spec;
        var (wih, whh, bih, bhh) = Blocks(l);
        int gu = Gates * l.Units, input = PackedLength(l.InputShape.Channels, gu);
        w.Line($"// Layer {Int(l.Index)}: {Description(l)}, W_ih with b_ih, then W_hh with b_hh");
        w.Line($"global::NeuralNet.Gen.StepKernels.Pack<{c.T}>({wih}, {bih}, packed.Slice({Int(offset)}, {Int(input)}), {Int(l.InputShape.Channels)}, {Int(gu)});");
        w.Line($"global::NeuralNet.Gen.StepKernels.Pack<{c.T}>({whh}, {bhh}, packed.Slice({Int(offset + input)}, {Int(StepWeightCount(plan) - input)}), {Int(l.Units)}, {Int(gu)});");
    }

    /// <summary>The runtime's vectorised cell for a step (<c>StepKernels.GruCell</c>, …), or null: then the cell runs unit by unit.</summary>
    protected virtual string? StepCell => null;

    /// <summary>
    /// Both projections through the packed weights (each gate row a lane, summed in input order, the bias last: the
    /// kernel's bits), then the cell over every unit, writing the new state in place (the projections have read the
    /// old one). The output row is the state itself.
    /// </summary>
    public override Values EmitUnrolledStep(SourceWriter w, EmitContext c, StreamStep step, Values input)
    {
        var l = step.Layer.Spec;
        string i = step.Layer.Name, T = c.T, U = Int(l.Units);
        int gu = Gates * l.Units, packedInput = PackedLength(l.InputShape.Channels, gu);
        w.Line($"global::System.Span<{T}> state{i} = {step.State}.Slice(0, {U});");
        if (HasCell) w.Line($"global::System.Span<{T}> cell{i} = {step.State}.Slice({U}, {U});");
        w.Line($"// Input projections W_ih·x + b_ih and recurrent projections W_hh·h + b_hh ({Int(gu)} = {Int(Gates)} gates x {U}).");
        w.Line($"global::NeuralNet.Gen.StepKernels.Project<{T}>({step.Packed(0, packedInput)}, {step.Input}, sx{i}, {Int(l.InputShape.Channels)}, {Int(gu)});");
        w.Line($"global::NeuralNet.Gen.StepKernels.Project<{T}>({step.Packed(packedInput, StepWeightCount(step.Layer) - packedInput)}, state{i}, sr{i}, {U}, {Int(gu)});");
        if (StepCell is { } cell)
        {
            w.Line($"global::NeuralNet.Gen.StepKernels.{cell}<{T}>(sx{i}, sr{i}, state{i}, {(HasCell ? $"cell{i}, " : "")}{U}, {U});");
            return Values.Span("state" + i);
        }
        using (w.Block($"for (int u = 0; u < {U}; u++)"))
        {
            if (ReadsPreviousState) w.Line($"{T} hp = state{i}[u];");
            if (HasCell) w.Line($"{T} cp = cell{i}[u];");
            EmitCell(w, c, l, "sx" + i, "sr" + i, "hp", $"state{i}[u]", HasCell ? "cp" : null, HasCell ? $"cell{i}[u]" : null, null);
        }
        return Values.Span("state" + i);
    }

    protected static string Sigmoid(EmitContext c, string x) => $"{c.OwnMath}.Sigmoid({x})";

    protected static string Tanh(EmitContext c, string x) => $"{c.OwnMath}.Tanh({x})";

    /// <summary>x[k·units + u]: gate k of unit u in a span of G·units.</summary>
    protected static string Gate(string span, int k, LayerSpec l) => k == 0 ? $"{span}[u]" : $"{span}[{Int(k * l.Units)} + u]";
}
