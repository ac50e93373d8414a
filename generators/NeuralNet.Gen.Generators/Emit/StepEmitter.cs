using System.Collections.Generic;
using System.Linq;
using NeuralNet.Gen.Generators.Layers;
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

    /// <summary>Layers with at most this many weights (and rows of at most <see cref="UnrollMaxInputs"/> terms) step on packed weights through <c>StepKernels</c>.</summary>
    public const int UnrollMaxWeights = 1024;

    /// <summary>
    /// Most terms of one unrolled sum (inputs of a Dense row, a convolution's window, a recurrent projection's). At most
    /// the runtime's DenseKernels.MaxSequentialInputs: up to there the Dense kernel, too, sums each output in one chain
    /// in input order, as the packed kernels do; wider rows step through the Dense kernel itself.
    /// </summary>
    public const int UnrollMaxInputs = 64;

    private static int ScratchSize(NetworkPlan plan) => Slots(plan).Sum(s => s.Size);

    /// <summary>The step's scratch, layer by layer: each layer's output row (padded for whole vectors when a projection writes it) and its work rows.</summary>
    private static IEnumerable<BufferSlot> Slots(NetworkPlan plan)
    {
        foreach (var layer in plan.Layers)
        {
            if (layer.Kind.AliasesInput(training: false)) continue;
            var slots = layer.Kind.UnrollsStep(layer) ? layer.Kind.UnrolledStepSlots(layer) : layer.Kind.StepSlots(layer);
            foreach (var slot in slots) yield return slot;
        }
    }

    /// <summary>Values of every unrolled layer's packed weights, in layer order.</summary>
    private static int StepWeightCount(NetworkPlan plan) => plan.Layers.Where(l => l.Kind.UnrollsStep(l)).Sum(l => l.Kind.StepWeightCount(l));

    /// <summary>
    /// Marks the packed step weights stale: every member that hands out or writes the parameters calls this, and
    /// <c>Step</c> packs them again before it next runs. Nothing when the network has no packed step weights.
    /// </summary>
    public static void EmitStepWeightsStale(SourceWriter w, EmitContext c)
    {
        if (Streams(c.Plan) && StepWeightCount(c.Plan) > 0) w.Line("_stepWeightsPacked = false;");
    }

    /// <summary>Whether <see cref="EmitStepWeightsStale"/> writes anything.</summary>
    public static bool PacksStepWeights(EmitContext c) => Streams(c.Plan) && StepWeightCount(c.Plan) > 0;

    /// <summary>Whether Step has a straight-line path on whole vectors: every layer is small and writes its step in lanes.</summary>
    public static bool WritesLanes(NetworkPlan plan) =>
        Streams(plan) && plan.Layers.All(l => l.Kind.UnrollsStep(l) && l.Kind.WritesStepLanes(l));

    /// <summary>Values per vector of the straight-line path: 256-bit vectors (AVX2; AVX-512 at .NET's default width).</summary>
    private static int Lanes(EmitContext c) => 32 / c.ElementSize;

    /// <summary>Values after the state that only a vector's unused lanes read (a last vector of fewer units), never written.</summary>
    private const int StatePadding = 16;

    public static void EmitFields(SourceWriter w, EmitContext c)
    {
        if (WritesLanes(c.Plan)) w.Line($"// The state, then {Int(StatePadding)} values that only the unused lanes of Step's last vector of units read.");
        w.Line($"private readonly {c.T}[] _streamState = new {c.T}[{Int(StateSize(c.Plan) + (WritesLanes(c.Plan) ? StatePadding : 0))}];");
        if (ScratchSize(c.Plan) > 0) w.Line($"private readonly {c.T}[] _stepScratch = new {c.T}[{Int(ScratchSize(c.Plan))}];");
        foreach (var counter in c.Plan.Layers.SelectMany(l => l.Kind.StepCounters(l))) w.Line($"private int {counter};");
        if (!PacksStepWeights(c)) return;
        w.Line("// The small layers' weights, packed input-major for Step (a row's outputs are vector lanes); false after a parameter change.");
        w.Line($"private readonly {c.T}[] _stepWeights = new {c.T}[{Int(StepWeightCount(c.Plan))}];");
        w.Line("private bool _stepWeightsPacked;");
    }

    /// <summary>A row as a span of exactly its values (a padded row sliced).</summary>
    private static string Row(Values row, int channels) => row.Padded ? $"{row.Name}.Slice(0, {Int(channels)})" : row.Name;

    /// <summary>PackStepWeights: every unrolled layer's weights from the parameters into its share of <c>_stepWeights</c>.</summary>
    private static void EmitPacking(SourceWriter w, EmitContext c)
    {
        w.Line("/// <summary>Packs the small layers' weights for <see cref=\"Step\"/> from the parameters as they are now.</summary>");
        using (w.Block("private void PackStepWeights()"))
        {
            w.Line($"global::System.ReadOnlySpan<{c.T}> p = _parameters;");
            w.Line($"global::System.Span<{c.T}> packed = _stepWeights;");
            int offset = 0;
            foreach (var layer in c.Plan.Layers.Where(l => l.Kind.UnrollsStep(l)))
            {
                int count = layer.Kind.StepWeightCount(layer);
                if (count == 0) continue;
                layer.Kind.EmitStepWeightPacking(w, c, layer, offset);
                offset += count;
            }
            w.Line("_stepWeightsPacked = true;");
        }
        w.Line();
    }

    /// <summary>
    /// The straight-line path of Step, taken when vectors have <see cref="Lanes"/> values: each layer's sums as lines of
    /// multiply-adds at constant offsets into the instance's arrays (no span, slice or bounds check), summing in the
    /// kernels' order, so it gives the bits of the kernel calls after it (which run on other vector widths).
    /// </summary>
    private static void EmitLanes(SourceWriter w, EmitContext c)
    {
        var plan = c.Plan;
        string T = c.T;
        int lanes = Lanes(c);
        var slots = new Dictionary<string, int>();
        int offset = 0;
        foreach (var slot in Slots(plan))
        {
            slots[slot.Name] = offset;
            offset += slot.Size;
        }
        w.Line("#if NET8_0_OR_GREATER");
        using (w.Block($"if (global::System.Numerics.Vector.IsHardwareAccelerated && global::System.Numerics.Vector<{T}>.Count == {Int(lanes)})"))
        {
            w.Line($"// Straight-line, {Int(lanes)} values per vector, at constant offsets into the instance's arrays (their sizes fixed above).");
            w.Line($"ref {T} weights = ref global::System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_stepWeights);");
            w.Line($"ref {T} stream = ref global::System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_streamState);");
            if (offset > 0) w.Line($"ref {T} work = ref global::System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_stepScratch);");
            w.Line($"ref {T} x = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(input);");
            var row = new LaneRow("x", 0);
            int stateOffset = 0, packedOffset = 0;
            foreach (var layer in plan.Layers)
            {
                w.Line();
                ForwardEmitter.LayerComment(w, layer);
                row = layer.Kind.EmitStepLanes(w, c, new LaneStep(layer, row, packedOffset, stateOffset, slots, lanes));
                stateOffset += layer.Kind.StateCount(layer.Spec);
                packedOffset += layer.Kind.StepWeightCount(layer);
            }
            w.Line();
            int outputs = plan.Output.Spec.OutputShape.Channels;
            w.Line($"ref {T} y = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(output);");
            LaneCode.Copy(w, row, "y", "0", outputs, lanes);
            w.Line("return;");
        }
        w.Line("#endif");
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
            using (w.Block("public void ResetState()"))
            {
                w.Line("global::System.Array.Clear(_streamState, 0, _streamState.Length);");
                EmitStepWeightsStale(w, c);
            }
        }
        else
        {
            using (w.Block("public void ResetState()"))
            {
                w.Line("global::System.Array.Clear(_streamState, 0, _streamState.Length);");
                foreach (var counter in counters) w.Line($"{counter} = 0;");
                EmitStepWeightsStale(w, c);
            }
        }
        w.Line();
        if (PacksStepWeights(c)) EmitPacking(w, c);
        w.Line("/// <summary>");
        w.Line("/// Streams one step: takes the newest row of the input and writes the network's output for it, keeping the state in the");
        w.Line("/// instance. After rows 0..t of a sequence it writes row t of <c>Forward</c>'s output (a sequence output), or, after all the");
        w.Line("/// steps, <c>Forward</c>'s output (a vector output); the stream may run past the declared steps. Allocation-free; one");
        w.Line("/// stream per instance (not for several threads at once).");
        w.Line("/// </summary>");
        w.Line($"/// <param name=\"input\">{Int(features)} values (<see cref=\"StepInputSize\"/>).</param>");
        w.Line($"/// <param name=\"output\">Receives {Int(outputs)} values (<see cref=\"StepOutputSize\"/>).</param>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length.</exception>");
        w.Line("#if NETCOREAPP3_0_OR_GREATER");
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // optimised from the first call: no unoptimised tier on a real-time thread");
        w.Line("#endif");
        using (w.Block($"public void Step(global::System.ReadOnlySpan<{T}> input, global::System.Span<{T}> output)"))
        {
            w.Line("global::NeuralNet.Gen.NetworkGuard.Length(input.Length, StepInputSize, \"StepInputSize\", nameof(input));");
            w.Line("global::NeuralNet.Gen.NetworkGuard.Length(output.Length, StepOutputSize, \"StepOutputSize\", nameof(output));");
            bool packs = PacksStepWeights(c);
            if (packs) w.Line("if (!_stepWeightsPacked) PackStepWeights();");
            if (WritesLanes(plan)) EmitLanes(w, c);
            // Layers stepped by kernels read the parameters where they lie; the small ones read them packed.
            if (plan.Layers.Any(l => l.Kind.StepReadsParameters(l))) w.Line($"global::System.ReadOnlySpan<{T}> p = _parameters;");
            if (packs) w.Line($"global::System.ReadOnlySpan<{T}> packed = _stepWeights;");
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
            int stateOffset = 0, packedOffset = 0;
            for (int k = 0; k < plan.Layers.Count; k++)
            {
                var layer = plan.Layers[k];
                w.Line();
                ForwardEmitter.LayerComment(w, layer);
                int count = layer.Kind.StateCount(layer.Spec);
                bool unrolled = layer.Kind.UnrollsStep(layer);
                int packedCount = unrolled ? layer.Kind.StepWeightCount(layer) : 0;
                var step = new Layers.StreamStep(layer, Row(row, layer.Spec.InputShape.Channels), $"state.Slice({Int(stateOffset)}, {Int(count)})", packedOffset);
                stateOffset += count;
                packedOffset += packedCount;
                if (layer.Kind.AliasesInput(training: false))
                {
                    layer.Kind.EmitStep(w, c, step);
                }
                else if (unrolled)
                {
                    row = layer.Kind.EmitUnrolledStep(w, c, step, row);
                    if (row.Padded && k + 1 < plan.Layers.Count && !plan.Layers[k + 1].Kind.UnrollsStep(plan.Layers[k + 1]))
                    {
                        // The next layer loops over the row's values: without the padding.
                        w.Line($"global::System.Span<{T}> row{layer.Name} = {Row(row, layer.Spec.OutputShape.Channels)};");
                        row = Values.Span("row" + layer.Name);
                    }
                }
                else
                {
                    layer.Kind.EmitStep(w, c, step);
                    row = Values.Span("s" + layer.Name);
                }
            }
            w.Line();
            w.Line($"{Row(row, outputs)}.CopyTo(output);");
        }
        w.Line();
    }
}
