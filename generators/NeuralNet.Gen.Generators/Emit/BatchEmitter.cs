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
    /// <summary>The batch buffers: values (per-sample slots, then one workspace per worker) and max-pool indices.</summary>
    public static void EmitFields(SourceWriter w, EmitContext c)
    {
        int max = c.Spec.MaxBatchSize;
        long values = c.Plan.WorkspaceSize + (long)max * c.Plan.BatchValuesPerSample, indices = (long)max * c.Plan.BatchIndicesPerSample;
        if (max > 0 && values <= int.MaxValue && indices <= int.MaxValue)
        {
            // [Network(MaxBatchSize)]: sized by the field initializers (for one thread), so every constructor gets them.
            w.Line($"private {c.T}[] _batchBuffer = new {c.T}[{Int((int)values)}];");
            if (c.Plan.BatchIndicesPerSample > 0) w.Line($"private int[] _batchIndices = new int[{Int((int)indices)}];");
            return;
        }
        w.Line($"private {c.T}[] _batchBuffer = global::System.Array.Empty<{c.T}>();");
        if (c.Plan.BatchIndicesPerSample > 0) w.Line("private int[] _batchIndices = global::System.Array.Empty<int>();");
    }

    /// <summary>Whether <c>[Network(MaxBatchSize)]</c> sized the buffers at construction.</summary>
    public static bool SizedAtConstruction(EmitContext c) =>
        c.Spec.MaxBatchSize > 0 && c.Plan.WorkspaceSize + (long)c.Spec.MaxBatchSize * c.Plan.BatchValuesPerSample <= int.MaxValue &&
        (long)c.Spec.MaxBatchSize * c.Plan.BatchIndicesPerSample <= int.MaxValue;

    /// <summary>The part of <c>EnsureBatchCapacity</c> that sizes the batch buffers for <c>capacity</c> samples and <c>workers</c> threads.</summary>
    public static void EmitResize(SourceWriter w, EmitContext c)
    {
        int perSample = c.Plan.BatchValuesPerSample, workspace = c.Plan.WorkspaceSize, indices = c.Plan.BatchIndicesPerSample;
        string size = workspace == 0 ? $"(long)capacity * {Int(perSample)}" : $"(long)capacity * {Int(perSample)} + (long)workers * {Int(workspace)}";
        w.Line($"if ({size} > int.MaxValue) throw new global::System.ArgumentOutOfRangeException(nameof(batchSize), batchSize, \"The batch is too large for one buffer.\");");
        w.Line($"_batchBuffer = new {c.T}[{size.Replace("(long)", "")}];");
        if (indices > 0) w.Line($"_batchIndices = new int[capacity * {Int(indices)}];");
    }

    /// <summary>
    /// Declares the spans of every layer and of the workspace from <paramref name="buffer"/>. With
    /// <paramref name="compact"/> (single-sample inference over a scratch) only the forward slots are laid out, back to
    /// back, workspace first. Otherwise the per-sample slots of samples [start, start + batchSize) of the batch buffer,
    /// whose slots hold <c>_batchCapacity</c> samples each, and then the workspace of <c>worker</c>.
    /// </summary>
    private static void DeclareBuffers(SourceWriter w, EmitContext c, string buffer, bool training, bool compact)
    {
        string T = c.T;
        string capacity = compact ? "batchSize" : "_batchCapacity";
        string sampleStart = compact ? "" : " + start * ";
        int offset = 0;
        if (!compact && c.Plan.WorkspaceSlots.Count > 0)
        {
            w.Line($"int workspace = _batchCapacity * {Int(c.Plan.BatchValuesPerSample)} + worker * {Int(c.Plan.WorkspaceSize)};");
        }
        foreach (var slot in c.Plan.WorkspaceSlots)
        {
            if (compact && slot.TrainingOnly) continue;
            string at = compact ? Int(offset) : $"workspace + {Int(offset)}";
            if (training || !slot.TrainingOnly) w.Line($"global::System.Span<{T}> {slot.Name} = {buffer}.Slice({at}, {Int(slot.Size)});");
            offset += slot.Size;
        }
        string first = compact && offset > 0 ? $"{Int(offset)} + " : "";
        int values = 0, indices = 0;
        foreach (var slot in c.Plan.SampleSlots)
        {
            if (compact && slot.TrainingOnly) continue;
            bool declare = training || !slot.TrainingOnly;
            string within = compact ? "" : sampleStart + Int(slot.Size);
            if (slot.IsIndex)
            {
                if (declare) w.Line($"global::System.Span<int> {slot.Name} = new global::System.Span<int>(_batchIndices, {Int(indices)} * {capacity}{within}, batchSize * {Int(slot.Size)});");
                indices += slot.Size;
                continue;
            }
            if (declare) w.Line($"global::System.Span<{T}> {slot.Name} = {buffer}.Slice({first}{Int(values)} * {capacity}{within}, batchSize * {Int(slot.Size)});");
            values += slot.Size;
        }
    }

    /// <summary><c>ForwardPass</c>: samples [start, start + batchSize) of a batch through every layer, layer by layer.</summary>
    public static void EmitForwardPass(SourceWriter w, EmitContext c)
    {
        string T = c.T;
        w.Line("/// <summary>");
        w.Line("/// The forward pass of samples [<paramref name=\"start\"/>, <paramref name=\"start\"/> + <paramref name=\"batchSize\"/>) of a batch");
        w.Line("/// (<paramref name=\"inputs\"/> and <paramref name=\"outputs\"/> hold just those), layer by layer over the batch buffer.");
        w.Line("/// </summary>");
        using (w.Block($"private void ForwardPass(global::System.ReadOnlySpan<{T}> inputs, global::System.Span<{T}> outputs, int start, int batchSize, int worker)"))
        {
            w.Line($"global::System.ReadOnlySpan<{T}> p = _parameters;");
            if (c.Plan.HasBuffers) w.Line($"global::System.ReadOnlySpan<{T}> buffers = _buffers;");
            w.Line($"global::System.Span<{T}> buffer = _batchBuffer;");
            DeclareBuffers(w, c, "buffer", training: false, compact: false);
            EmitForwardLayers(w, c, training: false);
            w.Line();
            w.Line($"{c.Plan.OutputOf(c.Plan.Output.Position, false)}.CopyTo(outputs);");
        }
    }

    /// <summary>
    /// <c>ForwardSample</c> for networks with layers that only run batched: the batch forward pass at a batch of one, over
    /// a scratch on the stack (or one buffer per thread when large), so one sample gives the same bits alone as in a batch.
    /// </summary>
    public static void EmitForwardSample(SourceWriter w, EmitContext c)
    {
        string T = c.T;
        w.Line("/// <summary>One sample through every layer. Pure: reads <paramref name=\"p\"/> and <paramref name=\"x\"/>, writes <paramref name=\"y\"/> and its own scratch.</summary>");
        string state = c.Plan.HasBuffers ? $"global::System.ReadOnlySpan<{T}> buffers, " : "";
        using (w.Block($"private static void ForwardSample(global::System.ReadOnlySpan<{T}> p, {state}global::System.ReadOnlySpan<{T}> x, global::System.Span<{T}> y)"))
        {
            EmitSampleLayers(w, c);
            w.Line($"{c.Plan.OutputOf(c.Plan.Output.Position, false)}.CopyTo(y);");
        }
    }

    /// <summary><c>SampleLoss</c> for these networks: the batch forward pass at a batch of one, then the loss kernel on the output's spans.</summary>
    public static void EmitSampleLoss(SourceWriter w, EmitContext c)
    {
        var output = c.Plan.Output;
        string predictions = c.Plan.OutputOf(output.Position, false);
        ForwardEmitter.EmitSampleLossDocumentation(w);
        using (w.Block(ForwardEmitter.SampleLossSignature(c)))
        {
            EmitSampleLayers(w, c);
            w.Line();
            string logits = output.Kind.PreActivation(output) ?? predictions;
            BackwardEmitter.EmitSampleLossReturn(w, c, logits, predictions, "target");
        }
    }

    private static void EmitSampleLayers(SourceWriter w, EmitContext c)
    {
        int size = c.Plan.InferenceScratchSize;
        // The per-sample slots are sized by the batch; kernels take it too.
        if (c.Plan.SampleSlots.Any(s => !s.TrainingOnly)) w.Line("const int batchSize = 1;");
        w.Line($"global::System.ReadOnlySpan<{c.T}> inputs = x;");
        // With no scratch (only layers that alias their input) the input is the output.
        if (size > 0) ForwardEmitter.EmitScratch(w, c, "scratch", size);
        DeclareBuffers(w, c, "scratch", training: false, compact: true);
        EmitForwardLayers(w, c, training: false);
    }

    /// <summary>
    /// The training passes over a range of samples, one method each, as a textbook names them: <c>GradientsOfSamples</c>
    /// calls the forward pass (keeping what the backward pass needs), the loss and its gradient at the output, and the
    /// backward pass.
    /// </summary>
    public static void EmitTrainingPasses(SourceWriter w, EmitContext c)
    {
        var plan = c.Plan;
        string T = c.T;
        string range = "int start, int batchSize, int worker";
        ChunkEmitter.EmitGradientsOfSamplesDocumentation(w);
        using (w.Block($"private {T} GradientsOfSamples(global::System.ReadOnlySpan<{T}> inputs, global::System.ReadOnlySpan<{T}> targets, global::System.Span<{T}> g, {T} scale, {range})"))
        {
            w.Line("ForwardPassForTraining(inputs, start, batchSize, worker);");
            // A network whose output is its input (a lone Flatten) hands the loss the inputs.
            bool readsInputs = plan.OutputOf(plan.Output.Position, true) == "inputs";
            w.Line($"{T} loss = LossAndOutputGradient({(readsInputs ? "inputs, " : "")}targets, scale, start, batchSize);");
            w.Line("g.Clear();");
            w.Line("BackwardPass(inputs, g, start, batchSize, worker);");
            w.Line("return loss;");
        }
        w.Line();
        w.Line("/// <summary>The forward pass of samples [<paramref name=\"start\"/>, <paramref name=\"start\"/> + <paramref name=\"batchSize\"/>), keeping every layer's values for the backward pass.</summary>");
        using (w.Block($"private void ForwardPassForTraining(global::System.ReadOnlySpan<{T}> inputs, {range})"))
        {
            w.Line($"global::System.ReadOnlySpan<{T}> p = _parameters;");
            if (c.Plan.HasBuffers) w.Line($"global::System.Span<{T}> buffers = _buffers;");
            w.Line($"global::System.Span<{T}> buffer = _batchBuffer;");
            DeclareBuffers(w, c, "buffer", training: true, compact: false);
            EmitForwardLayers(w, c, training: true);
        }
        w.Line();
        w.Line("/// <summary>Each sample's loss (their sum is returned) and dL/dz of the output layer, times <paramref name=\"scale\"/>, into the output's gradient span.</summary>");
        string inputs = plan.OutputOf(plan.Output.Position, true) == "inputs" ? $"global::System.ReadOnlySpan<{T}> inputs, " : "";
        using (w.Block($"private {T} LossAndOutputGradient({inputs}global::System.ReadOnlySpan<{T}> targets, {T} scale, int start, int batchSize)"))
        {
            w.Line($"global::System.Span<{T}> buffer = _batchBuffer;");
            DeclareOutputBuffers(w, c);
            EmitLoss(w, c);
            w.Line("return loss;");
        }
        w.Line();
        w.Line("/// <summary>The backward pass: from the output's gradient back through every layer, adding parameter gradients to <paramref name=\"g\"/>.</summary>");
        using (w.Block($"private void BackwardPass(global::System.ReadOnlySpan<{T}> inputs, global::System.Span<{T}> g, {range})"))
        {
            w.Line($"global::System.ReadOnlySpan<{T}> p = _parameters;");
            if (c.Plan.HasBuffers) w.Line($"global::System.Span<{T}> buffers = _buffers;");
            w.Line($"global::System.Span<{T}> buffer = _batchBuffer;");
            DeclareBuffers(w, c, "buffer", training: true, compact: false);
            for (int l = plan.Layers.Count - 1; l >= 0; l--)
            {
                // Readers along a skip add their part once every later reader has written this layer's gradient.
                foreach (var reader in plan.Layers.Where(r => r.SecondInputPosition == l))
                {
                    w.Line();
                    reader.Kind.EmitSecondInputGradient(w, c, Step(plan, reader, training: true));
                }
                if (l < plan.Layers.Count - 1) w.Line();
                plan.Layers[l].Kind.EmitBatchBackward(w, c, Step(plan, plan.Layers[l], training: true));
            }
        }
    }

    /// <summary>The output layer's spans the loss reads and writes, for samples [start, start + batchSize).</summary>
    private static void DeclareOutputBuffers(SourceWriter w, EmitContext c)
    {
        var output = c.Plan.Output;
        var names = new System.Collections.Generic.HashSet<string> { c.Plan.OutputOf(output.Position, true), c.Plan.GradientOf(output.Position) ?? "" };
        if (output.Kind.PreActivation(output) is { } z) names.Add(z);
        int values = 0;
        foreach (var slot in c.Plan.SampleSlots)
        {
            if (slot.IsIndex) continue;
            if (names.Contains(slot.Name)) w.Line($"global::System.Span<{c.T}> {slot.Name} = buffer.Slice({Int(values)} * _batchCapacity + start * {Int(slot.Size)}, batchSize * {Int(slot.Size)});");
            values += slot.Size;
        }
    }

    /// <summary>
    /// Each sample's loss and dL/dz of the output layer, times <c>scale</c>, into the output's gradient span. A sequence
    /// output's sample loss is the mean of its steps' losses (each step's row the loss of a vector output), so the
    /// batch loss is a mean over the batch and the steps; its gradient rows are scaled by <c>scale</c>/steps.
    /// </summary>
    private static void EmitLoss(SourceWriter w, EmitContext c)
    {
        var plan = c.Plan;
        var output = plan.Output;
        int steps = output.Spec.OutputShape.LossRows;
        string T = c.T, k = Int(output.Spec.OutputShape.LossRowSize);
        string aLast = plan.OutputOf(output.Position, true);
        string zLast = output.Kind.PreActivation(output) ?? aLast;
        string span = aLast == "inputs" ? "ReadOnlySpan" : "Span";
        void Rows(string row, string lossName, string scale)
        {
            w.Line($"global::System.{span}<{T}> zOut = {zLast}.Slice({row} * {k}, {k});");
            w.Line($"global::System.{span}<{T}> aOut = {aLast}.Slice({row} * {k}, {k});");
            w.Line($"global::System.Span<{T}> dOut = {plan.GradientOf(output.Position)}.Slice({row} * {k}, {k});");
            w.Line(c.TargetSize == "OutputSize"
                ? $"global::System.ReadOnlySpan<{T}> t = targets.Slice({row} * {k}, {k});"
                : $"global::System.ReadOnlySpan<{T}> t = targets.Slice({row}, 1); // the class index");
            BackwardEmitter.EmitLoss(w, c, output.Spec, lossName, scale);
        }
        w.Line($"{T} loss = {c.Zero};");
        if (steps == 1)
        {
            using (w.Block("for (int b = 0; b < batchSize; b++)"))
            {
                Rows("b", "sampleLoss", "scale");
                w.Line("loss += sampleLoss;");
            }
            return;
        }
        w.Line($"// A sequence output: each step's row as a vector output; a sample's loss is the mean over its {Int(steps)} steps.");
        w.Line($"{T} stepScale = scale * {c.Lit(1.0 / steps)};");
        using (w.Block("for (int b = 0; b < batchSize; b++)"))
        {
            w.Line($"{T} sequenceLoss = {c.Zero};");
            using (w.Block($"for (int step = 0; step < {Int(steps)}; step++)"))
            {
                w.Line($"int row = b * {Int(steps)} + step;");
                Rows("row", "stepLoss", "stepScale");
                w.Line("sequenceLoss += stepLoss;");
            }
            w.Line($"loss += sequenceLoss * {c.Lit(1.0 / steps)};");
        }
    }

    private static BatchStep Step(NetworkPlan plan, LayerPlan layer, bool training) =>
        new(layer, plan.OutputOf(layer.InputPosition, training), training ? plan.GradientOf(layer.InputPosition) : null, training,
            layer.SecondInputPosition is { } second ? plan.OutputOf(second, training) : null,
            training && layer.SecondInputPosition is { } trained ? plan.GradientOf(trained) : null);

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
