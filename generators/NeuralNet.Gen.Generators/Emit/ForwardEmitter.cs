using NeuralNet.Gen.Generators.Layers;
using NeuralNet.Gen.Generators.Model;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Emit;

/// <summary>
/// Emits <c>ForwardSample</c>, the inference pass of one sample, for networks whose layers all run one sample at a
/// time (<see cref="NetworkPlan.ForwardsSampleUnrolled"/>): each layer in turn, over locals where the plan unrolls it.
/// </summary>
internal static class ForwardEmitter
{
    /// <summary>The inference pass: <c>ForwardSample(p, x, y)</c>, writing only to the stack (or thread-static scratch).</summary>
    public static void EmitForwardSample(SourceWriter w, EmitContext c)
    {
        w.Line("/// <summary>One sample through every layer. Pure: reads <paramref name=\"p\"/> and <paramref name=\"x\"/>, writes <paramref name=\"y\"/> and its own scratch.</summary>");
        using (w.Block($"private static void ForwardSample(global::System.ReadOnlySpan<{c.T}> p, global::System.ReadOnlySpan<{c.T}> x, global::System.Span<{c.T}> y)"))
        {
            EmitLayers(w, c, logits: null, output: "y");
        }
    }

    /// <summary><c>SampleLoss(p, x, target)</c>: the inference pass, keeping the output layer's logits, then the loss kernel training calls.</summary>
    public static void EmitSampleLoss(SourceWriter w, EmitContext c)
    {
        string T = c.T;
        EmitSampleLossDocumentation(w);
        using (w.Block(SampleLossSignature(c)))
        {
            bool logits = c.Plan.LossReadsLogits;
            if (logits) w.Line($"global::System.Span<{T}> logits = stackalloc {T}[OutputSize];");
            w.Line($"global::System.Span<{T}> prediction = stackalloc {T}[OutputSize];");
            EmitLayers(w, c, logits ? "logits" : null, "prediction");
            w.Line();
            BackwardEmitter.EmitSampleLossReturn(w, c, "logits", "prediction", "target");
        }
    }

    /// <summary>The documentation of <c>SampleLoss</c>, whichever way the forward pass is written.</summary>
    public static void EmitSampleLossDocumentation(SourceWriter w)
    {
        w.Line("/// <summary>");
        w.Line("/// The loss of one sample, as the training path computes it: the same forward pass as <c>ForwardSample</c>, then");
        w.Line("/// the same loss kernel, so <c>ComputeLoss</c> returns the loss <c>ComputeGradients</c> and <c>TrainStep</c> return.");
        w.Line("/// </summary>");
    }

    public static string SampleLossSignature(EmitContext c) =>
        $"private static {c.T} SampleLoss(global::System.ReadOnlySpan<{c.T}> p, {(c.Plan.HasBuffers ? $"global::System.ReadOnlySpan<{c.T}> buffers, " : "")}global::System.ReadOnlySpan<{c.T}> x, global::System.ReadOnlySpan<{c.T}> target)";

    /// <summary>Every layer of one sample, the last one's activations into <paramref name="output"/> (and its pre-activations into <paramref name="logits"/> when given).</summary>
    private static void EmitLayers(SourceWriter w, EmitContext c, string? logits, string output)
    {
        var plan = c.Plan;
        int scratch = plan.InferenceScratchSize;
        if (scratch > 0)
        {
            EmitScratch(w, c, "h", scratch);
            DeclareSlices(w, c, "h", plan.SampleForwardScratch);
        }
        var input = Values.Span("x");
        foreach (var layer in plan.Layers)
        {
            if (layer.Position > 0 || scratch > 0) w.Line();
            LayerComment(w, layer);
            string? outSpan = layer.IsLast ? output : layer.SampleForwardSpan;
            var a = ((IUnrollableLayer)layer.Kind).EmitSampleForward(w, c, layer, input, layer.IsLast ? logits : null, outSpan);
            // A loop layer reads the span the previous layer copied into, not its locals (a Linear layer's are z).
            input = outSpan is not null ? Values.Span(outSpan) : a;
        }
    }

    /// <summary>Declares the one-sample scratch: on the stack up to the limit, else one buffer per thread.</summary>
    public static void EmitScratch(SourceWriter w, EmitContext c, string name, int size)
    {
        if (!c.Plan.InferenceScratchIsThreadStatic)
        {
            w.Line($"global::System.Span<{c.T}> {name} = stackalloc {c.T}[{Int(size)}];");
        }
        else
        {
            w.Line("// Too large for the stack: one buffer per thread keeps Forward thread-safe and allocation-free after the first call.");
            w.Line($"global::System.Span<{c.T}> {name} = t_inferenceScratch ??= new {c.T}[{Int(size)}];");
        }
    }

    /// <summary>Declares each slot of <paramref name="buffer"/>, back to back, as a local span.</summary>
    public static void DeclareSlices(SourceWriter w, EmitContext c, string buffer, System.Collections.Generic.IEnumerable<BufferSlot> slots)
    {
        int offset = 0;
        foreach (var slot in slots)
        {
            w.Line($"global::System.Span<{c.T}> {slot.Name} = {buffer}.Slice({Int(offset)}, {Int(slot.Size)});");
            offset += slot.Size;
        }
    }

    public static void LayerComment(SourceWriter w, LayerPlan layer) => w.Line("// " + layer.Kind.Describe(layer) + (layer.Unrolled ? ", unrolled" : ""));
}
