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

    private static int ScratchSize(NetworkPlan plan) => plan.Layers.Sum(l => l.Kind.StepSlots(l).Sum(s => s.Size));

    public static void EmitFields(SourceWriter w, EmitContext c)
    {
        w.Line($"private readonly {c.T}[] _streamState = new {c.T}[{Int(StateSize(c.Plan))}];");
        w.Line($"private readonly {c.T}[] _stepScratch = new {c.T}[{Int(ScratchSize(c.Plan))}];");
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
        w.Line("public void ResetState() => global::System.Array.Clear(_streamState, 0, _streamState.Length);");
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
            w.Line($"global::System.Span<{T}> scratch = _stepScratch;");
            int offset = 0;
            foreach (var layer in plan.Layers)
            {
                foreach (var slot in layer.Kind.StepSlots(layer))
                {
                    w.Line($"global::System.Span<{T}> {slot.Name} = scratch.Slice({Int(offset)}, {Int(slot.Size)});");
                    offset += slot.Size;
                }
            }
            string row = "input";
            int stateOffset = 0;
            foreach (var layer in plan.Layers)
            {
                w.Line();
                ForwardEmitter.LayerComment(w, layer);
                int count = layer.Kind.StateCount(layer.Spec);
                layer.Kind.EmitStep(w, c, new Layers.StreamStep(layer, row, $"state.Slice({Int(stateOffset)}, {Int(count)})"));
                stateOffset += count;
                if (!layer.Kind.AliasesInput(training: false)) row = "s" + layer.Name;
            }
            w.Line();
            w.Line($"{row}.CopyTo(output);");
        }
        w.Line();
    }
}
