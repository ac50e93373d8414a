using System.Collections.Generic;
using System.Linq;
using NeuralNet.Gen.Generators.Layers;

namespace NeuralNet.Gen.Generators.Model;

/// <summary>One named span of a buffer: per sample (times the batch) or once (workspace); values or max-pool indices.</summary>
internal sealed record BufferSlot(string Name, int Size, bool TrainingOnly, bool IsIndex);

/// <summary>
/// One layer as the emitters see it: its spec, its kind, which earlier output it reads, and what the kind decided
/// (unrolled, geometry, kernel) and laid out (buffer slots).
/// </summary>
internal sealed class LayerPlan
{
    internal LayerPlan(LayerSpec spec, int position, int inputPosition, bool isLast, LayerChoices choices)
    {
        Spec = spec;
        Kind = LayerRegistry.For(spec.Kind);
        Position = position;
        InputPosition = inputPosition;
        IsLast = isLast;
        Unrolled = choices.Unrolled;
        Geometry = choices.Geometry;
        Strategy = choices.Strategy;
    }

    public LayerSpec Spec { get; }

    public Layer Kind { get; }

    /// <summary>Position in <see cref="NetworkPlan.Layers"/>.</summary>
    public int Position { get; }

    /// <summary>Position of the layer whose output this one reads, -1 for the network's input. Any earlier layer may be read.</summary>
    public int InputPosition { get; }

    public bool ReadsNetworkInput => InputPosition < 0;

    /// <summary>Position of the second layer this one reads (Add, Concatenate; -1 for the network's input), or null.</summary>
    public int? SecondInputPosition => Kind.SecondInputIndex(Spec) - 1;

    public bool IsLast { get; }

    /// <summary>Emitted as straight-line code over locals rather than loops over spans.</summary>
    public bool Unrolled { get; }

    public ConvolutionGeometry? Geometry { get; }

    public ConvolutionStrategy? Strategy { get; }

    /// <summary>The layer's number as written in names and comments (1 for the first layer after the input).</summary>
    public string Name => Spec.Index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Per-sample slots of the batch buffer (for the network's mode: training slots only when it trains).</summary>
    public IReadOnlyList<BufferSlot> SampleSlots { get; internal set; } = new BufferSlot[0];

    /// <summary>Workspace slots of the batch buffer.</summary>
    public IReadOnlyList<BufferSlot> WorkspaceSlots { get; internal set; } = new BufferSlot[0];

    /// <summary>The span that receives this layer's activations in the one-sample forward pass, or null when they stay in locals.</summary>
    public string? SampleForwardSpan { get; internal set; }

    /// <summary>Spans of the one-sample training pass: pre-activations, activations, gradient (null when in locals).</summary>
    public string? TrainingZ { get; internal set; }

    public string? TrainingA { get; internal set; }

    public string? TrainingD { get; internal set; }

    /// <summary>The BatchNorm that inference folds into this layer's weights and bias, or null.</summary>
    public LayerPlan? FoldedNormalization { get; internal set; }

    /// <summary>Inference folds this layer into the layer it reads, so it does nothing then (its output is that layer's).</summary>
    public bool FoldedIntoInput { get; internal set; }

    /// <summary>Where the layer's buffers start in the network's <c>Buffers</c>.</summary>
    public int BufferOffset { get; internal set; }

    public int BufferCount => Kind.BufferCount(Spec);

    public int FanIn => Kind.Fans(Spec).In;

    public int FanOut => Kind.Fans(Spec).Out;
}

/// <summary>
/// Every decision about a network made once, from its spec: per layer its input, its kernel choices and buffer slots;
/// for the network which paths it takes, its scratch and batch buffers and its memory budget. Emitters read the plan
/// and print; none of them decides anything.
/// </summary>
internal sealed class NetworkPlan
{
    /// <summary>Inference scratch above this many bytes goes to a thread-static array instead of the stack.</summary>
    public const int MaxStackBytes = 16 * 1024;

    public NetworkPlan(NetworkSpec spec)
    {
        Spec = spec;
        ElementSize = spec.Precision == Precision.Double ? 8 : 4;
        var layers = new List<LayerPlan>();
        for (int l = 0; l < spec.Layers.Count; l++)
        {
            var layer = spec.Layers[l];
            // Layers are a chain today; InputPosition lets a layer read any earlier output (residual connections).
            layers.Add(new LayerPlan(layer, l, l - 1, l == spec.Layers.Count - 1, LayerRegistry.For(layer.Kind).Choose(spec, layer)));
        }
        Layers = layers;
        MinimumTrainingBatch = layers.Count == 0 ? 1 : layers.Max(l => l.Kind.MinimumTrainingBatch(l.Spec));
        PlanFolding(layers);
        int buffers = 0;
        foreach (var layer in layers)
        {
            layer.BufferOffset = buffers;
            buffers += layer.BufferCount;
            layer.SampleSlots = layer.Kind.SampleSlots(layer, spec.IsTrainable).ToArray();
            layer.WorkspaceSlots = layer.Kind.WorkspaceSlots(layer, spec.IsTrainable).ToArray();
        }

        BufferCount = buffers;
        UsesBatchPath = layers.Any(l => !l.Unrolled);
        ForwardsSampleUnrolled = layers.All(l => l.Kind is IUnrollableLayer);
        TrainsSampleUnrolled = spec.IsTrainable && !UsesBatchPath;
        IsDescribed = layers.All(l => l.Kind.OnnxDescription(l) is not null);
        UsesRandomStream = spec.IsTrainable && layers.Any(l => l.Kind.DrawsRandomMasks);
        SplitsTrainingBatches = !layers.Any(l => l.Kind.NeedsWholeBatch);
        HasImages = spec.InputShape.Rank == 3 || layers.Any(l => l.Spec.OutputShape.Rank == 3);

        var forwardScratch = new List<BufferSlot>();
        var trainingScratch = new List<BufferSlot>();
        if (ForwardsSampleUnrolled) PlanSampleScratch(forwardScratch, trainingScratch);
        SampleForwardScratch = forwardScratch;
        TrainingScratch = TrainsSampleUnrolled ? trainingScratch : new List<BufferSlot>();

        WorkspaceSlots = layers.SelectMany(l => l.WorkspaceSlots).ToArray();
        SampleSlots = layers.SelectMany(l => l.SampleSlots).ToArray();
        BatchValuesPerSample = UsesBatchPath ? SampleSlots.Where(s => !s.IsIndex).Sum(s => s.Size) : 0;
        BatchIndicesPerSample = UsesBatchPath ? SampleSlots.Where(s => s.IsIndex).Sum(s => s.Size) : 0;
        WorkspaceSize = WorkspaceSlots.Sum(s => s.Size);
        InferenceScratchSize = ForwardsSampleUnrolled
            ? SampleForwardScratch.Sum(s => s.Size)
            : SampleSlots.Where(s => !s.TrainingOnly).Sum(s => s.Size) + WorkspaceSlots.Where(s => !s.TrainingOnly).Sum(s => s.Size);
        MemoryBudget = Budget();
        // The output's activation is differentiated separately only when the loss is not fused with it (from the logits).
        LossReadsLogits = spec.Loss is LossFunction.BinaryCrossEntropy or LossFunction.CategoricalCrossEntropy or LossFunction.SparseCategoricalCrossEntropy;
        DifferentiatedActivations = !spec.IsTrainable ? new HashSet<Activation>() : new HashSet<Activation>(layers
            .Where(l => !(l.IsLast && LossReadsLogits))
            .Select(l => l.Kind.ActivationOf(l.Spec))
            .Where(a => a is not null)
            .Select(a => a!.Value));
    }

    /// <summary>
    /// The loss is computed from the output layer's logits and differentiated with respect to them, fused with its
    /// Sigmoid (BinaryCrossEntropy) or Softmax (CategoricalCrossEntropy, SparseCategoricalCrossEntropy).
    /// </summary>
    public bool LossReadsLogits { get; }

    /// <summary>Activations whose gradient the backward pass calls (so their gradient helpers are emitted).</summary>
    public ISet<Activation> DifferentiatedActivations { get; }

    public NetworkSpec Spec { get; }

    /// <summary>Length of the network's <c>Buffers</c> (non-trainable state, BatchNorm's running statistics).</summary>
    public int BufferCount { get; }

    public bool HasBuffers => BufferCount > 0;

    /// <summary>The fewest samples a training batch may have.</summary>
    public int MinimumTrainingBatch { get; }

    public IReadOnlyList<LayerPlan> Layers { get; }

    public LayerPlan Output => Layers[Layers.Count - 1];

    public int ElementSize { get; }

    /// <summary>Some layer runs as a loop over spans: batches go layer by layer through the batch buffer.</summary>
    public bool UsesBatchPath { get; }

    /// <summary>Every layer can run on one sample's locals and spans: <c>ForwardSample</c> is written layer by layer, not as the batch path at a batch of one.</summary>
    public bool ForwardsSampleUnrolled { get; }

    /// <summary>The network trains and every layer is unrolled: training runs sample by sample over the per-instance scratch.</summary>
    public bool TrainsSampleUnrolled { get; }

    /// <summary>ONNX export knows every layer, so the class implements <c>IDescribedNetwork</c>.</summary>
    public bool IsDescribed { get; }

    /// <summary>Training draws dropout masks, so the network keeps a random stream for them.</summary>
    public bool UsesRandomStream { get; }

    /// <summary>
    /// Training splits a batch into chunks of <c>BatchWorkers.ChunkSize</c> samples (summed in chunk order, on up to
    /// <c>MaxDegreeOfParallelism</c> threads); false when a layer needs the whole batch at once.
    /// </summary>
    public bool SplitsTrainingBatches { get; }

    /// <summary>Some value in the network is an image (height x width x channels).</summary>
    public bool HasImages { get; }

    /// <summary>Spans of the one-sample forward pass when <see cref="ForwardsSampleUnrolled"/>.</summary>
    public IReadOnlyList<BufferSlot> SampleForwardScratch { get; }

    /// <summary>Spans of the per-instance training scratch when <see cref="TrainsSampleUnrolled"/>.</summary>
    public IReadOnlyList<BufferSlot> TrainingScratch { get; }

    public int TrainingScratchSize => TrainingScratch.Sum(s => s.Size);

    public IReadOnlyList<BufferSlot> SampleSlots { get; }

    public IReadOnlyList<BufferSlot> WorkspaceSlots { get; }

    public int BatchValuesPerSample { get; }

    public int BatchIndicesPerSample { get; }

    public int WorkspaceSize { get; }

    /// <summary>Values of the one-sample inference scratch, whichever way <c>ForwardSample</c> is written.</summary>
    public int InferenceScratchSize { get; }

    /// <summary>The inference scratch is too large for the stack and lives in one buffer per thread.</summary>
    public bool InferenceScratchIsThreadStatic => InferenceScratchSize * ElementSize > MaxStackBytes;

    /// <summary>The memory footprint, known at build time: name, bytes, documentation.</summary>
    public IReadOnlyList<(string Name, int Bytes, string Doc)> MemoryBudget { get; }

    /// <summary>The span that holds layer <paramref name="position"/>'s output on the batch path (its input's, when it aliases it).</summary>
    public string OutputOf(int position, bool training)
    {
        if (position < 0) return "inputs";
        var layer = Layers[position];
        return layer.Kind.AliasesInput(training) || (!training && layer.FoldedIntoInput) ? OutputOf(layer.InputPosition, training) : "a" + layer.Name;
    }

    /// <summary>Where the gradient of layer <paramref name="position"/>'s output lives on the batch path, null for the network input.</summary>
    public string? GradientOf(int position)
    {
        if (position < 0) return null;
        var layer = Layers[position];
        string name = "d" + layer.Name;
        return layer.SampleSlots.Any(s => s.Name == name) ? name : GradientOf(layer.InputPosition);
    }

    /// <summary>
    /// A BatchNorm that directly follows a Linear Conv2D, which nothing else reads, is folded into that layer's
    /// weights and bias at inference when the kind says it pays: one pass over the output saved per sample for a fold per call.
    /// </summary>
    private static void PlanFolding(List<LayerPlan> layers)
    {
        foreach (var layer in layers)
        {
            if (!layer.Kind.FoldsIntoInput || layer.ReadsNetworkInput) continue;
            var producer = layers[layer.InputPosition];
            // A named layer may be read by Add or Concatenate as well, and would then have to stay unfolded.
            bool readOnlyHere = producer.Spec.Name is null && layers.Count(l => l.InputPosition == producer.Position) == 1;
            if (!readOnlyHere || !producer.Kind.CanFoldNormalization(producer)) continue;
            producer.FoldedNormalization = layer;
            layer.FoldedIntoInput = true;
        }
    }

    private void PlanSampleScratch(List<BufferSlot> forward, List<BufferSlot> training)
    {
        for (int l = 0; l < Layers.Count; l++)
        {
            var layer = Layers[l];
            string i = layer.Name;
            int n = layer.Spec.OutputSize;
            bool nextUnrolled = !layer.IsLast && Layers[l + 1].Unrolled;
            // A loop layer reads and writes spans; an unrolled one keeps locals unless a loop layer reads them next.
            if (!layer.IsLast && (!layer.Unrolled || !nextUnrolled))
            {
                layer.SampleForwardSpan = "a" + i;
                forward.Add(new BufferSlot("a" + i, n, false, false));
            }
            forward.AddRange(((IUnrollableLayer)layer.Kind).SampleForwardSlots(layer));
            if (layer.IsLast)
            {
                layer.TrainingZ = "zOut";
                layer.TrainingA = "aOut";
                layer.TrainingD = "dOut";
            }
            else if (!layer.Unrolled)
            {
                layer.TrainingZ = "z" + i;
                layer.TrainingA = "a" + i;
                layer.TrainingD = "d" + i;
            }
            else if (!nextUnrolled)
            {
                layer.TrainingA = "a" + i;
                layer.TrainingD = "d" + i;
            }
            foreach (var name in new[] { layer.TrainingZ, layer.TrainingA, layer.TrainingD })
            {
                if (name is not null) training.Add(new BufferSlot(name, n, true, false));
            }
        }
    }

    private (string, int, string)[] Budget()
    {
        var spec = Spec;
        int e = ElementSize;
        int optimizerArrays = !spec.IsTrainable ? 0 : spec.Optimizer.Kind switch
        {
            OptimizerKind.Sgd => spec.Optimizer.HasVelocity ? 1 : 0,
            OptimizerKind.Adam or OptimizerKind.AdamW => 2,
            _ => 1,
        };
        bool batchLayers = !ForwardsSampleUnrolled;
        var budget = new List<(string, int, string)>
        {
            ("ParameterBytes", spec.ParameterCount * e, "Bytes of <see cref=\"Parameters\"/>."),
            ("GradientBytes", spec.IsTrainable ? spec.ParameterCount * e : 0, "Bytes of the gradient buffer (0 without [Loss])."),
            ("OptimizerStateBytes", optimizerArrays * spec.ParameterCount * e, "Bytes of the optimizer's moments."),
            ("TrainingScratchBytes", TrainingScratchSize * e, "Bytes of the per-instance scratch of the per-sample training path."),
            ("ActivationBytesPerSample", InferenceScratchSize * e, batchLayers
                ? "Bytes of one sample's intermediate activations (and packed filters) in <c>Forward</c>: on the stack, or in one buffer per thread above 16 KB."
                : "Bytes of one sample's intermediate activations in <c>Forward</c>: on the stack, or in one buffer per thread above 16 KB."),
            ("BatchBytesPerSample", BatchValuesPerSample * e + BatchIndicesPerSample * sizeof(int), batchLayers
                ? "Bytes the batch buffers (values and max-pool indices) take per sample of the largest batch seen by the batch <c>Forward</c> or <c>ComputeGradients</c>."
                : "Bytes the batch buffer takes per sample of the largest batch seen by the batch <c>Forward</c> or <c>ComputeGradients</c> (0 when every layer is unrolled)."),
        };
        // Networks whose one-sample pass is the batch path have a workspace, Dense networks only for a loop layer without a bias (its zero row).
        if (batchLayers || WorkspaceSize > 0) budget.Add(("BatchWorkspaceBytes", WorkspaceSize * e, "Bytes the batch buffer holds once, whatever the batch: packed convolution filters and zero-padded images."));
        int instance = budget[0].Item2 + budget[1].Item2 + budget[2].Item2 + budget[3].Item2 + BufferCount * e;
        if (HasBuffers) budget.Add(("BufferBytes", BufferCount * e, "Bytes of <see cref=\"Buffers\"/> (running statistics)."));
        budget.Add(("InstanceBytes", instance, "Bytes of the buffers every instance allocates at construction (parameters, buffers, gradients, optimizer state, training scratch), object headers aside."));
        return budget.ToArray();
    }
}
