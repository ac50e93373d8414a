using System.Linq;
using NeuralNet.Gen.Generators.Layers;
using NeuralNet.Gen.Generators.Model;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Emit;

/// <summary>
/// The batch path of networks with at least one layer too large to unroll or that is not Dense: the batch goes
/// through the network layer by layer, each loop layer as one kernel call over the whole batch (<c>DenseKernels</c>,
/// <c>ConvolutionKernels</c>), so a weight loaded once serves several samples. Unrolled layers still run their
/// straight-line code, sample by sample. Values live in one instance buffer that grows on the first call at a
/// larger batch; the convolution workspace (packed filters, padded images) sits at its start. Each layer's code
/// comes from its kind; this class only lays out buffers and walks the plan.
/// </summary>
internal static class BatchEmitter
{
    public static void EmitFields(SourceWriter w, EmitContext c)
    {
        int max = c.Spec.MaxBatchSize;
        long values = c.Plan.WorkspaceSize + (long)max * c.Plan.BatchValuesPerSample, indices = (long)max * c.Plan.BatchIndicesPerSample;
        if (max > 0 && values <= int.MaxValue && indices <= int.MaxValue)
        {
            // [Network(MaxBatchSize)]: sized by the field initializers, so every constructor gets them.
            w.Line($"private {c.T}[] _batchBuffer = new {c.T}[{Int((int)values)}];");
            if (c.Plan.BatchIndicesPerSample > 0) w.Line($"private int[] _batchIndices = new int[{Int((int)indices)}];");
            w.Line($"private int _batchCapacity = {Int(max)};");
            return;
        }
        w.Line($"private {c.T}[] _batchBuffer = global::System.Array.Empty<{c.T}>();");
        if (c.Plan.BatchIndicesPerSample > 0) w.Line("private int[] _batchIndices = global::System.Array.Empty<int>();");
        w.Line("private int _batchCapacity;");
    }

    public static void EmitEnsureCapacity(SourceWriter w, EmitContext c)
    {
        int perSample = c.Plan.BatchValuesPerSample, workspace = c.Plan.WorkspaceSize, indices = c.Plan.BatchIndicesPerSample;
        EmitEnsureCapacityDoc(w);
        using (w.Block("public void EnsureBatchCapacity(int batchSize)"))
        {
            w.Line("if (batchSize <= 0) throw new global::System.ArgumentOutOfRangeException(nameof(batchSize), batchSize, \"Expected a positive batch size.\");");
            w.Line("if (batchSize <= _batchCapacity) return;");
            if (workspace == 0)
            {
                w.Line($"_batchBuffer = new {c.T}[(long)batchSize * {Int(perSample)} > int.MaxValue ? throw new global::System.ArgumentOutOfRangeException(nameof(batchSize), batchSize, \"The batch is too large for one buffer.\") : batchSize * {Int(perSample)}];");
            }
            else
            {
                w.Line($"if ((long)batchSize * {Int(perSample)} + {Int(workspace)} > int.MaxValue) throw new global::System.ArgumentOutOfRangeException(nameof(batchSize), batchSize, \"The batch is too large for one buffer.\");");
                w.Line($"_batchBuffer = new {c.T}[{Int(workspace)} + batchSize * {Int(perSample)}];");
            }
            if (indices > 0) w.Line($"_batchIndices = new int[batchSize * {Int(indices)}];");
            w.Line("_batchCapacity = batchSize;");
        }
    }

    /// <summary>The same public method for a network that needs no batch buffer: it only checks its argument.</summary>
    public static void EmitEnsureCapacityWithoutBuffers(SourceWriter w)
    {
        EmitEnsureCapacityDoc(w);
        using (w.Block("public void EnsureBatchCapacity(int batchSize)"))
        {
            w.Line("// Nothing to size: this network runs batches sample by sample in straight-line code, with no batch buffer.");
            w.Line("if (batchSize <= 0) throw new global::System.ArgumentOutOfRangeException(nameof(batchSize), batchSize, \"Expected a positive batch size.\");");
        }
    }

    private static void EmitEnsureCapacityDoc(SourceWriter w)
    {
        w.Line("/// <summary>");
        w.Line("/// Sizes the batch buffers once for batches of up to <paramref name=\"batchSize\"/> samples, so that no later call up to that");
        w.Line("/// size allocates. Without it the first call at a batch larger than any before allocates (as does <c>[Network(MaxBatchSize)]</c> at construction).");
        w.Line("/// </summary>");
    }

    /// <summary>
    /// Declares the spans of every layer and of the workspace from <paramref name="buffer"/>. With
    /// <paramref name="compact"/> (single-sample inference) only the forward slots are laid out, back to back.
    /// </summary>
    private static void DeclareBuffers(SourceWriter w, EmitContext c, string buffer, string capacity, bool training, bool compact)
    {
        string T = c.T;
        int offset = 0;
        foreach (var slot in c.Plan.WorkspaceSlots)
        {
            if (compact && slot.TrainingOnly) continue;
            if (training || !slot.TrainingOnly) w.Line($"global::System.Span<{T}> {slot.Name} = {buffer}.Slice({Int(offset)}, {Int(slot.Size)});");
            offset += slot.Size;
        }
        string start = offset > 0 ? $"{Int(offset)} + " : "";
        int values = 0, indices = 0;
        foreach (var slot in c.Plan.SampleSlots)
        {
            if (compact && slot.TrainingOnly) continue;
            bool declare = training || !slot.TrainingOnly;
            if (slot.IsIndex)
            {
                if (declare) w.Line($"global::System.Span<int> {slot.Name} = new global::System.Span<int>(_batchIndices, {Int(indices)} * {capacity}, batchSize * {Int(slot.Size)});");
                indices += slot.Size;
                continue;
            }
            if (declare) w.Line($"global::System.Span<{T}> {slot.Name} = {buffer}.Slice({start}{Int(values)} * {capacity}, batchSize * {Int(slot.Size)});");
            values += slot.Size;
        }
    }

    /// <summary>The body of the batch <c>Forward</c>: every layer over the batch, the last layer's activations copied to <c>outputs</c>.</summary>
    public static void EmitBatchForwardBody(SourceWriter w, EmitContext c)
    {
        w.Line("EnsureBatchCapacity(batchSize);");
        w.Line($"global::System.ReadOnlySpan<{c.T}> p = _parameters;");
        if (c.Plan.HasBuffers) w.Line($"global::System.ReadOnlySpan<{c.T}> buffers = _buffers;");
        w.Line($"global::System.Span<{c.T}> buffer = _batchBuffer;");
        w.Line("int capacity = _batchCapacity;");
        DeclareBuffers(w, c, "buffer", "capacity", training: false, compact: false);
        EmitForwardLayers(w, c, training: false);
        w.Line($"{c.Plan.OutputOf(c.Plan.Output.Position, false)}.CopyTo(outputs);");
    }

    /// <summary>
    /// <c>ForwardSample</c> for networks with layers that only run batched: the batch forward pass at a batch of one, over
    /// a scratch on the stack (or one buffer per thread when large), so one sample gives the same bits alone as in a batch.
    /// </summary>
    public static void EmitForwardSample(SourceWriter w, EmitContext c)
    {
        string T = c.T;
        int size = c.Plan.InferenceScratchSize;
        w.Line("/// <summary>One sample through every layer. Pure: reads <paramref name=\"p\"/> and <paramref name=\"x\"/>, writes <paramref name=\"y\"/> and its own scratch.</summary>");
        string state = c.Plan.HasBuffers ? $"global::System.ReadOnlySpan<{T}> buffers, " : "";
        using (w.Block($"private static void ForwardSample(global::System.ReadOnlySpan<{T}> p, {state}global::System.ReadOnlySpan<{T}> x, global::System.Span<{T}> y)"))
        {
            // The per-sample slots are sized by the batch; kernels take it too.
            if (c.Plan.SampleSlots.Any(s => !s.TrainingOnly)) w.Line("const int batchSize = 1;");
            w.Line($"global::System.ReadOnlySpan<{T}> inputs = x;");
            // With no scratch (only layers that alias their input) the input is the output.
            if (size > 0) ForwardEmitter.EmitScratch(w, c, "scratch", size);
            DeclareBuffers(w, c, "scratch", "batchSize", training: false, compact: true);
            EmitForwardLayers(w, c, training: false);
            w.Line($"{c.Plan.OutputOf(c.Plan.Output.Position, false)}.CopyTo(y);");
        }
    }

    /// <summary>The body of <c>ComputeGradients</c> on the batch path.</summary>
    public static void EmitComputeGradientsBody(SourceWriter w, EmitContext c)
    {
        var plan = c.Plan;
        string T = c.T;
        w.Line("EnsureBatchCapacity(batchSize);");
        w.Line($"global::System.ReadOnlySpan<{T}> p = _parameters;");
        w.Line($"global::System.Span<{T}> g = _gradients;");
        if (plan.HasBuffers) w.Line($"global::System.Span<{T}> buffers = _buffers;");
        w.Line("g.Clear();");
        w.Line($"global::System.Span<{T}> buffer = _batchBuffer;");
        w.Line("int capacity = _batchCapacity;");
        DeclareBuffers(w, c, "buffer", "capacity", training: true, compact: false);
        // A sequence output's loss is a mean over the batch and the steps (as Keras's for (timesteps, units) outputs).
        int steps = plan.Output.Spec.OutputShape.LossRows;
        w.Line(steps == 1 ? $"{T} scale = {c.One} / batchSize;" : $"{T} scale = {c.One} / (batchSize * {Int(steps)});");
        EmitForwardLayers(w, c, training: true);
        EmitLoss(w, c);
        for (int l = plan.Layers.Count - 1; l >= 0; l--)
        {
            w.Line();
            plan.Layers[l].Kind.EmitBatchBackward(w, c, Step(plan, plan.Layers[l], training: true));
        }
        w.Line();
        w.Line(steps == 1 ? "// Gradients were scaled by 1/batchSize at the output, so they are batch means."
            : "// Gradients were scaled by 1/(batchSize·steps) at the output, so they are means over the batch and the steps.");
        w.Line("return loss * scale;");
    }

    /// <summary>Each sample's loss and dL/dz of the output layer, scaled by 1/batchSize, into the output's gradient span.</summary>
    private static void EmitLoss(SourceWriter w, EmitContext c)
    {
        var plan = c.Plan;
        var output = plan.Output;
        // One row per sample, or per step of a sequence: the loss of a row is the loss of a vector output.
        int positions = output.Spec.OutputShape.LossRows;
        string T = c.T, k = Int(output.Spec.OutputShape.LossRowSize);
        string aLast = plan.OutputOf(output.Position, true);
        string zLast = output.Kind.PreActivation(output) ?? aLast;
        w.Line();
        w.Line($"{T} loss = {c.Zero};");
        using (w.Block(positions == 1 ? "for (int b = 0; b < batchSize; b++)" : $"for (int b = 0; b < batchSize * {Int(positions)}; b++)"))
        {
            string span = aLast == "inputs" ? "ReadOnlySpan" : "Span";
            w.Line($"global::System.{span}<{T}> zOut = {zLast}.Slice(b * {k}, {k});");
            w.Line($"global::System.{span}<{T}> aOut = {aLast}.Slice(b * {k}, {k});");
            w.Line($"global::System.Span<{T}> dOut = {plan.GradientOf(output.Position)}.Slice(b * {k}, {k});");
            w.Line($"global::System.ReadOnlySpan<{T}> t = targets.Slice(b * {k}, {k});");
            BackwardEmitter.EmitLoss(w, c, output.Spec, "sampleLoss");
            w.Line("loss += sampleLoss;");
        }
    }

    private static BatchStep Step(NetworkPlan plan, LayerPlan layer, bool training) =>
        new(layer, plan.OutputOf(layer.InputPosition, training), training ? plan.GradientOf(layer.InputPosition) : null, training);

    private static void EmitForwardLayers(SourceWriter w, EmitContext c, bool training)
    {
        foreach (var layer in c.Plan.Layers)
        {
            w.Line();
            ForwardEmitter.LayerComment(w, layer);
            layer.Kind.EmitBatchForward(w, c, Step(c.Plan, layer, training));
        }
    }
}
