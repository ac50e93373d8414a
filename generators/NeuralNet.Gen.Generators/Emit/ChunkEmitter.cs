using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Emit;

/// <summary>
/// How a batch call is split: into chunks of <c>BatchWorkers.ChunkSize</c> samples, run on the calling thread or, with
/// <c>MaxDegreeOfParallelism</c> above 1, on the network's workers too. Each chunk sums its losses and gradients from
/// zero in sample order; chunks are then added in chunk order. That order depends on the sample index only, so every
/// thread count gives the same bits. Spans cannot reach other threads: a parallel call copies them into arrays first.
/// </summary>
internal static class ChunkEmitter
{
    private const string Workers = "global::NeuralNet.Gen.BatchWorkers";

    /// <summary>Parameters per range when the chunks' gradients are summed: 32 KB of floats, so a range's sums stay in cache.</summary>
    public const int GradientRangeSize = 8192;

    /// <summary>Ranges of <see cref="GradientRangeSize"/> parameters.</summary>
    public static int GradientRangeCount(EmitContext c) => (c.Spec.ParameterCount + GradientRangeSize - 1) / GradientRangeSize;

    public static void EmitFields(SourceWriter w, EmitContext c)
    {
        string T = c.T;
        int max = c.Spec.MaxBatchSize;
        bool sized = BatchEmitter.SizedAtConstruction(c) || (!c.Plan.UsesBatchPath && max > 0);
        w.Line($"private int _batchCapacity{(sized ? " = " + Int(max) : "")};");
        w.Line("private int _batchWorkers = 1;");
        if (c.Spec.IsTrainable && c.Plan.SplitsTrainingBatches)
        {
            w.Line(sized
                ? $"private {T}[] _chunkGradients = {Workers}.ChunkCount({Int(max)}) > 1 ? new {T}[({Workers}.ChunkCount({Int(max)}) - 1) * ParameterCount] : global::System.Array.Empty<{T}>();"
                : $"private {T}[] _chunkGradients = global::System.Array.Empty<{T}>();");
        }
        w.Line("private int _maxDegreeOfParallelism = 1;");
        w.Line($"private {Workers}? _workers;");
        w.Line($"private {T}[] _parallelInputs = global::System.Array.Empty<{T}>();");
        w.Line($"private {T}[] _parallelOutputs = global::System.Array.Empty<{T}>();");
        w.Line("private int _parallelBatchSize;");
        w.Line("private global::System.Action<int, int>? _forwardChunk;");
        if (!c.Spec.IsTrainable) return;
        w.Line($"private {T}[] _parallelTargets = global::System.Array.Empty<{T}>();");
        w.Line($"private {T}[] _chunkLosses = global::System.Array.Empty<{T}>();");
        w.Line("private global::System.Action<int, int>? _lossChunk;");
        if (!c.Plan.SplitsTrainingBatches) return;
        w.Line("private global::System.Action<int, int>? _gradientsChunk;");
        w.Line("private global::System.Action<int, int>? _sumChunkGradients;");
        w.Line("private int _gradientChunks;");
        w.Line($"// The chunks' gradients are summed over ranges of {Int(GradientRangeSize)} parameters.");
        w.Line($"private const int GradientRanges = {Int(GradientRangeCount(c))};");
        if (OptimizerEmitter.UpdatesInRanges(c)) w.Line("private global::System.Action<int, int>? _updateRange;");
    }

    public static void EmitEnsureCapacity(SourceWriter w, EmitContext c)
    {
        string T = c.T;
        w.Line("/// <summary>");
        w.Line("/// Sizes the batch buffers once for batches of up to <paramref name=\"batchSize\"/> samples (and the current");
        w.Line("/// <see cref=\"MaxDegreeOfParallelism\"/>), so that no later call up to that size allocates. Without it the first call at");
        w.Line("/// a batch larger than any before allocates (as does <c>[Network(MaxBatchSize)]</c> at construction).");
        w.Line("/// </summary>");
        using (w.Block("public void EnsureBatchCapacity(int batchSize)"))
        {
            w.Line("if (batchSize <= 0) throw new global::System.ArgumentOutOfRangeException(nameof(batchSize), batchSize, \"Expected a positive batch size.\");");
            w.Line("if (batchSize <= _batchCapacity && _maxDegreeOfParallelism <= _batchWorkers) return;");
            w.Line("int capacity = global::System.Math.Max(batchSize, _batchCapacity);");
            w.Line("int workers = global::System.Math.Max(_maxDegreeOfParallelism, _batchWorkers);");
            if (c.Spec.IsTrainable) w.Line($"int chunks = {Workers}.ChunkCount(capacity);");
            if (c.Plan.UsesBatchPath) BatchEmitter.EmitResize(w, c);
            if (c.Plan.TrainsSampleUnrolled)
            {
                w.Line("// One training scratch per thread.");
                w.Line($"if (workers > _batchWorkers) _trainingScratch = new {T}[workers * {Int(c.Plan.TrainingScratchSize)}];");
            }
            if (c.Spec.IsTrainable && c.Plan.SplitsTrainingBatches)
            {
                w.Line("// Chunk 0 sums into Gradients; every further chunk into its own buffer.");
                w.Line("if ((long)(chunks - 1) * ParameterCount > int.MaxValue) throw new global::System.ArgumentOutOfRangeException(nameof(batchSize), batchSize, \"The batch is too large for one buffer.\");");
                w.Line($"if (chunks > 1) _chunkGradients = new {T}[(chunks - 1) * ParameterCount];");
            }
            using (w.Block("if (workers > 1)"))
            {
                w.Line("// Copies of the spans of a parallel call, which the workers can reach.");
                w.Line($"_parallelInputs = new {T}[capacity * InputSize];");
                w.Line($"_parallelOutputs = new {T}[capacity * OutputSize];");
                if (c.Spec.IsTrainable)
                {
                    w.Line($"_parallelTargets = new {T}[capacity * {c.TargetSize}];");
                    w.Line($"_chunkLosses = new {T}[chunks];");
                }
            }
            w.Line("_batchCapacity = capacity;");
            w.Line("_batchWorkers = workers;");
        }
        w.Line();
    }

    public static void EmitMaxDegreeOfParallelism(SourceWriter w)
    {
        w.Line("/// <summary>");
        w.Line("/// Threads that the batch <c>Forward</c>, <c>ComputeLoss</c>, <c>ComputeGradients</c> and <c>TrainStep</c> may use (default 1,");
        w.Line("/// so a game keeps its other cores). Results are bit-identical for every value: batches are split into chunks of");
        w.Line("/// <see cref=\"global::NeuralNet.Gen.BatchWorkers.ChunkSize\"/> samples, summed in chunk order.");
        w.Line("/// </summary>");
        w.Line("/// <exception cref=\"global::System.ArgumentOutOfRangeException\">The value is less than 1.</exception>");
        using (w.Block("public int MaxDegreeOfParallelism"))
        {
            w.Line("get => _maxDegreeOfParallelism;");
            using (w.Block("set"))
            {
                w.Line("if (value < 1) throw new global::System.ArgumentOutOfRangeException(nameof(value), value, \"Expected at least 1 thread.\");");
                w.Line("if (value == _maxDegreeOfParallelism) return;");
                w.Line("_maxDegreeOfParallelism = value;");
                w.Line("_workers = null; // the old threads end when their BatchWorkers is collected");
            }
        }
        w.Line();
        w.Line($"private {Workers} Workers() => _workers ??= new {Workers}(_maxDegreeOfParallelism - 1);");
        w.Line();
        w.Line("/// <summary>Whether a call over <paramref name=\"chunks\"/> chunks runs on several threads.</summary>");
        w.Line("private bool RunsInParallel(int chunks) => _maxDegreeOfParallelism > 1 && chunks > 1;");
        w.Line();
    }

    /// <summary>The body of the batch <c>Forward</c>: the whole batch in one pass, or chunks on the workers.</summary>
    public static void EmitForwardBody(SourceWriter w, EmitContext c)
    {
        string T = c.T;
        w.Line($"int chunks = {Workers}.ChunkCount(batchSize);");
        using (w.Block("if (!RunsInParallel(chunks))"))
        {
            if (c.Plan.UsesBatchPath) w.Line("EnsureBatchCapacity(batchSize);");
            w.Line($"ForwardPass(inputs, outputs, {ForwardArguments(c, "0", "0")});");
            w.Line("return;");
        }
        w.Line("EnsureBatchCapacity(batchSize);");
        w.Line("inputs.CopyTo(_parallelInputs);");
        w.Line("_parallelBatchSize = batchSize;");
        w.Line("Workers().Run(chunks, _forwardChunk ??= ForwardChunk);");
        w.Line($"new global::System.ReadOnlySpan<{T}>(_parallelOutputs, 0, batchSize * OutputSize).CopyTo(outputs);");
    }

    /// <summary>
    /// The chunk bodies the workers run, and, on the path where every layer is unrolled, the per-sample forward
    /// pass over a range (the batch path writes its own, layer by layer).
    /// </summary>
    public static void EmitChunkMethods(SourceWriter w, EmitContext c)
    {
        string T = c.T;
        if (!c.Plan.UsesBatchPath)
        {
            w.Line("/// <summary>The forward pass of a batch, sample by sample.</summary>");
            using (w.Block($"private void ForwardPass(global::System.ReadOnlySpan<{T}> inputs, global::System.Span<{T}> outputs, int batchSize)"))
            {
                w.Line($"global::System.ReadOnlySpan<{T}> p = _parameters;");
                using (w.Block("for (int b = 0; b < batchSize; b++)"))
                {
                    w.Line("ForwardSample(p, inputs.Slice(b * InputSize, InputSize), outputs.Slice(b * OutputSize, OutputSize));");
                }
            }
            w.Line();
        }
        w.Line("/// <summary>Chunk <paramref name=\"chunk\"/> of a parallel <c>Forward</c>, from and to the copies of its spans.</summary>");
        using (w.Block("private void ForwardChunk(int chunk, int worker)"))
        {
            EmitChunkRange(w, "_parallelBatchSize");
            w.Line($"ForwardPass(new global::System.ReadOnlySpan<{T}>(_parallelInputs, start * InputSize, count * InputSize), new global::System.Span<{T}>(_parallelOutputs, start * OutputSize, count * OutputSize), {ForwardArguments(c, "start", "worker", "count")});");
        }
        if (!c.Spec.IsTrainable) return;

        w.Line();
        w.Line("/// <summary>The summed loss of chunk <paramref name=\"chunk\"/>'s samples, in sample order.</summary>");
        using (w.Block($"private {T} LossOfChunk(global::System.ReadOnlySpan<{T}> inputs, global::System.ReadOnlySpan<{T}> targets, int chunk, int batchSize)"))
        {
            EmitChunkRange(w, "batchSize");
            w.Line($"global::System.ReadOnlySpan<{T}> p = _parameters;");
            w.Line($"{T} loss = {c.Zero};");
            using (w.Block("for (int b = start; b < start + count; b++)"))
            {
                w.Line($"loss += SampleLoss(p, {NetworkEmitter.SampleState(c, "_buffers")}inputs.Slice(b * InputSize, InputSize), targets.Slice(b * {c.TargetSize}, {c.TargetSize}));");
            }
            w.Line("return loss;");
        }
        w.Line();
        w.Line("private void LossOfCopiedChunk(int chunk, int worker) => _chunkLosses[chunk] = LossOfChunk(_parallelInputs, _parallelTargets, chunk, _parallelBatchSize);");
        if (!c.Plan.SplitsTrainingBatches) return;

        w.Line();
        w.Line("/// <summary>");
        w.Line("/// Gradients of chunk <paramref name=\"chunk\"/>'s samples, from zero, into <see cref=\"Gradients\"/> for chunk 0 and into the");
        w.Line("/// chunk's own buffer for the others; returns the chunk's summed loss.");
        w.Line("/// </summary>");
        using (w.Block($"private {T} GradientsOfChunk(global::System.ReadOnlySpan<{T}> inputs, global::System.ReadOnlySpan<{T}> targets, int chunk, int batchSize, int worker)"))
        {
            EmitChunkRange(w, "batchSize");
            w.Line($"global::System.Span<{T}> g = chunk == 0 ? _gradients : new global::System.Span<{T}>(_chunkGradients, (chunk - 1) * ParameterCount, ParameterCount);");
            w.Line($"return GradientsOfSamples(inputs.Slice(start * InputSize, count * InputSize), targets.Slice(start * {c.TargetSize}, count * {c.TargetSize}), g, {c.One} / batchSize, {GradientArguments(c, "start", "worker", "count")});");
        }
        w.Line();
        w.Line("private void GradientsOfCopiedChunk(int chunk, int worker) => _chunkLosses[chunk] = GradientsOfChunk(_parallelInputs, _parallelTargets, chunk, _parallelBatchSize, worker);");
        w.Line();
        w.Line("/// <summary>");
        w.Line($"/// Adds the gradients of chunks 1, 2, … (in that order) to <see cref=\"Gradients\"/> over range <paramref name=\"range\"/> of {Int(GradientRangeSize)}");
        w.Line("/// parameters: each value takes the same additions in the same order whichever range or thread it falls in.");
        w.Line("/// </summary>");
        using (w.Block("private void SumChunkGradients(int range, int worker)"))
        {
            w.Line($"int start = range * {Int(GradientRangeSize)}, count = global::System.Math.Min({Int(GradientRangeSize)}, ParameterCount - start);");
            w.Line($"global::System.Span<{T}> sum = new global::System.Span<{T}>(_gradients, start, count);");
            using (w.Block("for (int chunk = 1; chunk < _gradientChunks; chunk++)"))
            {
                w.Line($"global::NeuralNet.Gen.Kernels.Add<{T}>(new global::System.ReadOnlySpan<{T}>(_chunkGradients, (chunk - 1) * ParameterCount + start, count), sum);");
            }
        }
    }

    /// <summary><c>ComputeLoss</c>'s body: chunk losses summed in chunk order, times 1/batchSize as in <c>ComputeGradients</c>.</summary>
    public static void EmitComputeLossBody(SourceWriter w, EmitContext c)
    {
        w.Line($"int chunks = {Workers}.ChunkCount(batchSize);");
        w.Line($"{c.T} loss = {c.Zero};");
        using (w.Block("if (!RunsInParallel(chunks))"))
        {
            w.Line("for (int chunk = 0; chunk < chunks; chunk++) loss += LossOfChunk(inputs, targets, chunk, batchSize);");
        }
        using (w.Block("else"))
        {
            EmitCopyTrainingSpans(w);
            w.Line("Workers().Run(chunks, _lossChunk ??= LossOfCopiedChunk);");
            w.Line("for (int chunk = 0; chunk < chunks; chunk++) loss += _chunkLosses[chunk];");
        }
        w.Line($"return loss * ({c.One} / batchSize);");
    }

    /// <summary><c>ComputeGradients</c>' body: the chunks' gradients and losses, then their sums in chunk order.</summary>
    public static void EmitComputeGradientsBody(SourceWriter w, EmitContext c)
    {
        w.Line("EnsureBatchCapacity(batchSize);");
        w.Line($"{c.T} scale = {c.One} / batchSize;");
        if (!c.Plan.SplitsTrainingBatches)
        {
            w.Line("// A layer needs the whole batch at once (batch statistics or one random stream): one chunk, this thread.");
            w.Line($"return GradientsOfSamples(inputs, targets, _gradients, scale, {GradientArguments(c, "0", "0", "batchSize")}) * scale;");
            return;
        }
        w.Line($"int chunks = {Workers}.ChunkCount(batchSize);");
        w.Line($"{c.T} loss = {c.Zero};");
        using (w.Block("if (!RunsInParallel(chunks))"))
        {
            w.Line("for (int chunk = 0; chunk < chunks; chunk++) loss += GradientsOfChunk(inputs, targets, chunk, batchSize, 0);");
        }
        using (w.Block("else"))
        {
            EmitCopyTrainingSpans(w);
            w.Line("Workers().Run(chunks, _gradientsChunk ??= GradientsOfCopiedChunk);");
            w.Line("for (int chunk = 0; chunk < chunks; chunk++) loss += _chunkLosses[chunk];");
        }
        w.Line("// Chunk 0 summed into Gradients; the others are added in chunk order, whichever thread computed them, a range of");
        w.Line("// parameters at a time (the ranges split over the workers too).");
        w.Line("_gradientChunks = chunks;");
        w.Line("if (chunks > 1 && RunsInParallel(GradientRanges)) Workers().Run(GradientRanges, _sumChunkGradients ??= SumChunkGradients);");
        w.Line("else if (chunks > 1) for (int range = 0; range < GradientRanges; range++) SumChunkGradients(range, 0);");
        w.Line("return loss * scale;");
    }

    /// <summary>The per-sample path's gradients of a range: each sample's backpropagation over this worker's scratch.</summary>
    public static void EmitSampleGradientsOfSamples(SourceWriter w, EmitContext c)
    {
        string T = c.T;
        string size = Int(c.Plan.TrainingScratchSize);
        EmitGradientsOfSamplesDocumentation(w);
        using (w.Block($"private {T} GradientsOfSamples(global::System.ReadOnlySpan<{T}> inputs, global::System.ReadOnlySpan<{T}> targets, global::System.Span<{T}> g, {T} scale, int batchSize, int worker)"))
        {
            w.Line($"global::System.ReadOnlySpan<{T}> p = _parameters;");
            w.Line($"global::System.Span<{T}> s = new global::System.Span<{T}>(_trainingScratch, worker * {size}, {size});");
            w.Line("g.Clear();");
            w.Line($"{T} loss = {c.Zero};");
            using (w.Block("for (int b = 0; b < batchSize; b++)"))
            {
                w.Line($"loss += BackpropagateSample(p, g, inputs.Slice(b * InputSize, InputSize), targets.Slice(b * {c.TargetSize}, {c.TargetSize}), s, scale);");
            }
            w.Line("return loss;");
        }
    }

    public static void EmitGradientsOfSamplesDocumentation(SourceWriter w)
    {
        w.Line("/// <summary>");
        w.Line("/// The summed loss of <paramref name=\"batchSize\"/> samples, and <paramref name=\"scale\"/> times their summed loss gradient");
        w.Line("/// written into <paramref name=\"g\"/> (cleared first).");
        w.Line("/// </summary>");
    }

    /// <summary>The arguments of <c>ForwardPass</c> after its spans: the batch path also takes the range's start and the worker (its workspace).</summary>
    private static string ForwardArguments(EmitContext c, string start, string worker, string count = "batchSize") =>
        c.Plan.UsesBatchPath ? $"{start}, {count}, {worker}" : count;

    /// <summary>The arguments of <c>GradientsOfSamples</c> after its spans and scale: the per-sample path needs no start.</summary>
    private static string GradientArguments(EmitContext c, string start, string worker, string count) =>
        c.Plan.UsesBatchPath ? $"{start}, {count}, {worker}" : $"{count}, {worker}";

    private static void EmitChunkRange(SourceWriter w, string batchSize)
    {
        w.Line($"int start = chunk * {Workers}.ChunkSize;");
        w.Line($"int count = global::System.Math.Min({Workers}.ChunkSize, {batchSize} - start);");
    }

    private static void EmitCopyTrainingSpans(SourceWriter w)
    {
        w.Line("EnsureBatchCapacity(batchSize);");
        w.Line("inputs.CopyTo(_parallelInputs);");
        w.Line("targets.CopyTo(_parallelTargets);");
        w.Line("_parallelBatchSize = batchSize;");
    }
}
