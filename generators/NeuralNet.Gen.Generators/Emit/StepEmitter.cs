using System.Collections.Generic;
using System.Linq;
using NeuralNet.Gen.Generators.Model;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Emit;

/// <summary>
/// Streaming: <c>Step</c> and <c>ResetState</c>, for networks with a layer that keeps state across steps (recurrent,
/// causal Conv1D) whose layers are all causal. Step runs one row (one step's values) through every layer; the state
/// (recurrent states, convolution history) and the rows live in two arrays of the instance, so Step allocates nothing.
/// </summary>
internal static class StepEmitter
{
    public static bool Streams(NetworkPlan plan) =>
        plan.Layers.Any(l => l.Kind.KeepsState(l.Spec)) && plan.Layers.All(l => l.Kind.IsCausal(l.Spec));

    private static int StateSize(NetworkPlan plan) => plan.Layers.Sum(l => l.Kind.StateCount(l.Spec));

    /// <summary>Layers with at most this many weights (and rows of at most <see cref="UnrollMaxInputs"/> terms) step as straight-line code.</summary>
    public const int UnrollMaxWeights = 1024;

    /// <summary>Most terms of one unrolled sum (inputs of a Dense row, a convolution's window, a recurrent projection's).</summary>
    public const int UnrollMaxInputs = 64;

    private static int ScratchSize(NetworkPlan plan) => Slots(plan).Sum(s => s.Size);

    /// <summary>
    /// The step's scratch, layer by layer: a straight-line layer keeps its values in locals and needs its output row
    /// as a span only when the next layer runs on spans.
    /// </summary>
    private static IEnumerable<BufferSlot> Slots(NetworkPlan plan)
    {
        for (int k = 0; k < plan.Layers.Count; k++)
        {
            var layer = plan.Layers[k];
            if (layer.Kind.AliasesInput(training: false)) continue;
            if (!layer.Kind.UnrollsStep(layer))
            {
                foreach (var slot in layer.Kind.StepSlots(layer)) yield return slot;
                continue;
            }
            foreach (var slot in layer.Kind.UnrolledStepSlots(layer)) yield return slot;
            if (NextNeedsSpan(plan, k)) yield return new BufferSlot("s" + layer.Name, layer.Spec.OutputShape.Channels, false, false);
        }
    }

    /// <summary>Whether the next layer that does not hand its input on runs on spans (not straight-line).</summary>
    private static bool NextNeedsSpan(NetworkPlan plan, int k)
    {
        for (int n = k + 1; n < plan.Layers.Count; n++)
        {
            var next = plan.Layers[n];
            if (!next.Kind.AliasesInput(training: false)) return !next.Kind.UnrollsStep(next);
        }
        return false;
    }

    public static void EmitFields(SourceWriter w, EmitContext c)
    {
        w.Line($"private readonly {c.T}[] _streamState = new {c.T}[{Int(StateSize(c.Plan))}];");
        if (ScratchSize(c.Plan) > 0) w.Line($"private readonly {c.T}[] _stepScratch = new {c.T}[{Int(ScratchSize(c.Plan))}];");
        foreach (var counter in c.Plan.Layers.SelectMany(l => l.Kind.StepCounters(l))) w.Line($"private int {counter};");
    }

    public static void EmitMembers(SourceWriter w, EmitContext c)
    {
        var plan = c.Plan;
        string T = c.T;
        int features = c.Spec.InputShape.Channels, outputs = plan.Output.Spec.OutputShape.Channels;
        w.Line("/// <summary>Values of one step of the input: the features of one row of the sequence (<see cref=\"Step\"/>'s input).</summary>");
        w.Line($"public const int StepInputSize = {Int(features)};");
        w.Line();
        w.Line("/// <summary>Values <see cref=\"Step\"/> writes: the network's output for the newest step.</summary>");
        w.Line($"public const int StepOutputSize = {Int(outputs)};");
        w.Line();
        w.Line("/// <summary>Starts a new stream: every recurrent state (and convolution history) back to zero, as at the start of a sequence.</summary>");
        var counters = plan.Layers.SelectMany(l => l.Kind.StepCounters(l)).ToList();
        if (counters.Count == 0)
        {
            w.Line("public void ResetState() => global::System.Array.Clear(_streamState, 0, _streamState.Length);");
        }
        else
        {
            using (w.Block("public void ResetState()"))
            {
                w.Line("global::System.Array.Clear(_streamState, 0, _streamState.Length);");
                foreach (var counter in counters) w.Line($"{counter} = 0;");
            }
        }
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// Streams one step: takes the newest row of the input and writes the network's output for it, keeping the state in the");
        w.Line("/// instance. After rows 0..t of a sequence it writes row t of <c>Forward</c>'s output (a sequence output), or, after all the");
        w.Line("/// steps, <c>Forward</c>'s output (a vector output); the stream may run past the declared steps. Allocation-free; one");
        w.Line("/// stream per instance (not for several threads at once).");
        w.Line("/// </summary>");
        w.Line($"/// <param name=\"input\">{Int(features)} values (<see cref=\"StepInputSize\"/>).</param>");
        w.Line($"/// <param name=\"output\">Receives {Int(outputs)} values (<see cref=\"StepOutputSize\"/>).</param>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length.</exception>");
        using (w.Block($"public void Step(global::System.ReadOnlySpan<{T}> input, global::System.Span<{T}> output)"))
        {
            w.Line("global::NeuralNet.Gen.NetworkGuard.Length(input.Length, StepInputSize, \"StepInputSize\", nameof(input));");
            w.Line("global::NeuralNet.Gen.NetworkGuard.Length(output.Length, StepOutputSize, \"StepOutputSize\", nameof(output));");
            w.Line($"global::System.ReadOnlySpan<{T}> p = _parameters;");
            w.Line($"global::System.Span<{T}> state = _streamState;");
            int offset = 0;
            var slots = Slots(plan).ToList();
            if (slots.Count > 0) w.Line($"global::System.Span<{T}> scratch = _stepScratch;");
            foreach (var slot in slots)
            {
                w.Line($"global::System.Span<{T}> {slot.Name} = scratch.Slice({Int(offset)}, {Int(slot.Size)});");
                offset += slot.Size;
            }
            var row = Values.Span("input");
            int stateOffset = 0;
            for (int k = 0; k < plan.Layers.Count; k++)
            {
                var layer = plan.Layers[k];
                w.Line();
                ForwardEmitter.LayerComment(w, layer);
                int count = layer.Kind.StateCount(layer.Spec);
                var step = new Layers.StreamStep(layer, row.Name, $"state.Slice({Int(stateOffset)}, {Int(count)})");
                stateOffset += count;
                if (layer.Kind.AliasesInput(training: false))
                {
                    layer.Kind.EmitStep(w, c, step);
                }
                else if (layer.Kind.UnrollsStep(layer))
                {
                    row = layer.Kind.EmitUnrolledStep(w, c, step, row);
                    if (!row.IsSpan && NextNeedsSpan(plan, k))
                    {
                        // The next layer runs on spans: its input row goes to scratch.
                        for (int o = 0; o < layer.Spec.OutputShape.Channels; o++) w.Line($"s{layer.Name}[{Int(o)}] = {row.At(o)};");
                        row = Values.Span("s" + layer.Name);
                    }
                }
                else
                {
                    layer.Kind.EmitStep(w, c, step);
                    row = Values.Span("s" + layer.Name);
                }
            }
            w.Line();
            if (row.IsSpan) w.Line($"{row.Name}.CopyTo(output);");
            else for (int o = 0; o < outputs; o++) w.Line($"output[{Int(o)}] = {row.At(o)};");
        }
        w.Line();
    }
}
