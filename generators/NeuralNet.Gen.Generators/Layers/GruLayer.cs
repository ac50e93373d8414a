using System.Collections.Generic;
using System.Linq;
using NeuralNet.Gen.Generators.Emit;
using NeuralNet.Gen.Generators.Model;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Layers;

/// <summary>
/// <c>[GRU(units)]</c>, as <c>nn.GRU</c>: r = σ(W_ir·x + b_ir + W_hr·h + b_hr), z likewise,
/// n = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn)), h' = (1 - z) ⊙ n + z ⊙ h; gates r, z, n.
/// </summary>
internal sealed class GruLayer : RecurrentLayer
{
    public override LayerKind Kind => LayerKind.GRU;

    protected override int Gates => 3;

    /// <summary>r, z, n and W_hn·h + b_hn (the gradient of r needs it).</summary>
    protected override int Saved => 4;

    protected override string StepCell => "GruCell";

    /// <summary>The new state, padded for whole vectors, before it replaces the old one (which every unit reads).</summary>
    public override IEnumerable<BufferSlot> UnrolledStepSlots(LayerPlan plan)
    {
        yield return ValueSlot("sn" + plan.Name, PaddedRow(plan.Spec.Units));
    }

    /// <summary>weight_ih with bias_ih, then weight_hh with bias_hh, each gate padded to whole vectors (<c>StepKernels.PackGates</c>).</summary>
    public override int StepWeightCount(LayerPlan plan) => InputGatesLength(plan.Spec) + RecurrentGatesLength(plan.Spec);

    private static int InputGatesLength(LayerSpec l) => (l.InputShape.Channels + 1) * 3 * PaddedRow(l.Units);

    private static int RecurrentGatesLength(LayerSpec l) => (l.Units + 1) * 3 * PaddedRow(l.Units);

    public override void EmitStepWeightPacking(SourceWriter w, EmitContext c, LayerPlan plan, int offset)
    {
        var l = plan.Spec;
        var (wih, whh, bih, bhh) = Blocks(l);
        int input = InputGatesLength(l);
        w.Line($"// Layer {Int(l.Index)}: {Description(l)}, W_ih with b_ih, then W_hh with b_hh, gates r, z, n each padded to {Int(PaddedRow(l.Units))}");
        w.Line($"global::NeuralNet.Gen.StepKernels.PackGates<{c.T}>({wih}, {bih}, packed.Slice({Int(offset)}, {Int(input)}), {Int(l.InputShape.Channels)}, {Int(l.Units)}, 3);");
        w.Line($"global::NeuralNet.Gen.StepKernels.PackGates<{c.T}>({whh}, {bhh}, packed.Slice({Int(offset + input)}, {Int(RecurrentGatesLength(l))}), {Int(l.Units)}, {Int(l.Units)}, 3);");
    }

    /// <summary>
    /// One call: both projections of every gate (each gate row a lane, summed in input order, the bias last: the
    /// kernel's bits), the gates and the new state, written over the old one. The output row is the state itself.
    /// </summary>
    public override Values EmitUnrolledStep(SourceWriter w, EmitContext c, StreamStep step, Values input)
    {
        var l = step.Layer.Spec;
        string i = step.Layer.Name, T = c.T, U = Int(l.Units);
        int packedInput = InputGatesLength(l);
        w.Line($"global::System.Span<{T}> state{i} = {step.State}.Slice(0, {U});");
        w.Line($"global::NeuralNet.Gen.StepKernels.Gru<{T}>({step.Packed(0, packedInput)}, {step.Packed(packedInput, RecurrentGatesLength(l))}, {step.Input}, state{i}, sn{i}, {U});");
        return Values.Span("state" + i);
    }

    /// <summary>Small GRUs are written as straight-line vector code.</summary>
    public override bool WritesStepLanes(LayerPlan plan) => UnrollsStep(plan);

    /// <summary>
    /// For each vector of units: the three gates' input projections (W_ih·x + b_ih) and recurrent projections
    /// (W_hh·h + b_hh), summed input by input with the bias last, then r, z, n and the new state as
    /// <c>StepKernels.Gru</c> computes them; every new state vector is stored only after all of them are computed
    /// (each reads the whole old state).
    /// </summary>
    public override LaneRow EmitStepLanes(SourceWriter w, EmitContext c, LaneStep step)
    {
        var l = step.Layer.Spec;
        string i = step.Layer.Name, T = c.T;
        int units = l.Units, gate = PaddedRow(units), vectors = step.Vectors(units), lanes = step.Lanes;
        var state = new LaneRow("stream", step.StateOffset);
        var gates = new[] { "r", "z", "n" };
        var blocks = Enumerable.Range(0, vectors).SelectMany(v => gates.Select((g, k) => (v, k))).ToList();
        w.Line($"// W_ih·x + b_ih of gates r, z, n, a vector of {Int(lanes)} units at a time.");
        LaneCode.Project(w, c, blocks.Select(b => $"x{gates[b.k]}{i}_{Int(b.v)}").ToList(), blocks.Select(b => b.k * gate + b.v * lanes).ToList(),
            l.InputShape.Channels, 3 * gate, step.PackedOffset, k => step.Input.At(k));
        w.Line("// W_hh·h + b_hh, from the previous state.");
        LaneCode.Project(w, c, blocks.Select(b => $"h{gates[b.k]}{i}_{Int(b.v)}").ToList(), blocks.Select(b => b.k * gate + b.v * lanes).ToList(),
            units, 3 * gate, step.PackedOffset + InputGatesLength(l), k => state.At(k));
        for (int v = 0; v < vectors; v++)
        {
            string n = $"{i}_{Int(v)}";
            w.Line($"var r{n} = {LaneCode.Kernels}.Sigmoid(xr{n} + hr{n});");
            w.Line($"var z{n} = {LaneCode.Kernels}.Sigmoid(xz{n} + hz{n});");
            w.Line($"var n{n} = {LaneCode.Kernels}.Tanh(xn{n} + r{n} * hn{n});");
            w.Line($"var h{n} = (global::System.Numerics.Vector<{T}>.One - z{n}) * n{n} + z{n} * {LaneCode.Load(state.Array, state.Offset + v * lanes)};");
        }
        if (units % lanes == 0)
        {
            for (int v = 0; v < vectors; v++) LaneCode.Store(w, $"h{i}_{Int(v)}", state.Array, Int(state.Offset + v * lanes));
            return state;
        }
        // A last vector of fewer units: through the padded row, so no lane lands on the next layer's state.
        var next = new LaneRow("work", step.Slots["sn" + i]);
        for (int v = 0; v < vectors; v++) LaneCode.Store(w, $"h{i}_{Int(v)}", next.Array, Int(next.Offset + v * lanes));
        LaneCode.Copy(w, next, state.Array, Int(state.Offset), units, lanes);
        return state;
    }

    protected override void EmitCell(SourceWriter w, EmitContext c, LayerSpec l, string x, string r, string hp, string h, string? cp, string? cell, string? saved)
    {
        string T = c.T, one = c.One;
        w.Line($"{T} rg = {Sigmoid(c, $"{Gate(x, 0, l)} + {Gate(r, 0, l)}")};");
        w.Line($"{T} zg = {Sigmoid(c, $"{Gate(x, 1, l)} + {Gate(r, 1, l)}")};");
        w.Line($"{T} hn = {Gate(r, 2, l)};");
        w.Line($"{T} ng = {Tanh(c, $"{Gate(x, 2, l)} + rg * hn")};");
        w.Line($"{h} = ({one} - zg) * ng + zg * {hp};");
        if (saved is null) return;
        w.Line($"{Gate(saved, 0, l)} = rg;");
        w.Line($"{Gate(saved, 1, l)} = zg;");
        w.Line($"{Gate(saved, 2, l)} = ng;");
        w.Line($"{Gate(saved, 3, l)} = hn;");
    }

    protected override void EmitCellBackward(SourceWriter w, EmitContext c, LayerSpec l, string dh, string dc)
    {
        string T = c.T, one = c.One;
        w.Line($"{T} rg = {Gate("st", 0, l)}, zg = {Gate("st", 1, l)}, ng = {Gate("st", 2, l)}, hn = {Gate("st", 3, l)};");
        w.Line($"{T} dhu = {dh}[u];");
        w.Line($"{T} dn = dhu * ({one} - zg) * ({one} - ng * ng);");
        w.Line($"{T} dzg = dhu * (hp - ng) * zg * ({one} - zg);");
        w.Line($"{T} drg = dn * hn * rg * ({one} - rg);");
        w.Line($"{Gate("dxt", 0, l)} = drg;");
        w.Line($"{Gate("dxt", 1, l)} = dzg;");
        w.Line($"{Gate("dxt", 2, l)} = dn;");
        w.Line($"{Gate("drb", 0, l)} = drg;");
        w.Line($"{Gate("drb", 1, l)} = dzg;");
        w.Line($"{Gate("drb", 2, l)} = dn * rg;");
        w.Line($"{dh}[u] = dhu * zg;");
    }
}
