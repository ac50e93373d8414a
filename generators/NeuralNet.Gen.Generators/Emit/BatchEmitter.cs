using System.Collections.Generic;
using System.Linq;
using NeuralNet.Gen.Generators.Model;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Emit;

/// <summary>
/// The batch path of networks with at least one layer too large to unroll or that is not Dense: the batch goes
/// through the network layer by layer, each loop layer as one kernel call over the whole batch (<c>DenseKernels</c>,
/// <c>ConvolutionKernels</c>), so a weight loaded once serves several samples. Unrolled layers still run their
/// straight-line code, sample by sample. Values live in one instance buffer that grows on the first call at a
/// larger batch; the convolution workspace (packed filters, padded images) sits at its start.
/// </summary>
internal static class BatchEmitter
{
    public static bool UsesBatchPath(NetworkSpec spec) => spec.Layers.Any(l => !IsUnrolled(l));

    /// <summary>Whether the network has layers the per-sample Dense emitters do not know.</summary>
    public static bool HasImageLayers(NetworkSpec spec) => spec.Layers.Any(l => l.Kind != LayerKind.Dense);

    /// <summary>One named span of the batch buffer: per sample (times the batch) or once (workspace).</summary>
    private sealed record Slot(string Name, int Size, bool TrainingOnly, bool IsIndex);

    /// <summary>Per-sample slots of the batch buffer, in layout order. Flatten, and Dropout at inference, own none: they alias their input.</summary>
    private static IEnumerable<Slot> SampleSlots(NetworkSpec spec)
    {
        bool training = spec.IsTrainable;
        foreach (var layer in spec.Layers)
        {
            string i = Int(layer.Index);
            int n = layer.OutputSize;
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                case LayerKind.Conv2D:
                    yield return new Slot($"z{i}", n, false, false);
                    yield return new Slot($"a{i}", n, false, false);
                    if (training) yield return new Slot($"d{i}", n, true, false);
                    break;
                case LayerKind.MaxPool2D:
                    yield return new Slot($"a{i}", n, false, false);
                    if (training)
                    {
                        yield return new Slot($"d{i}", n, true, false);
                        yield return new Slot($"argmax{i}", n, true, true);
                    }
                    break;
                case LayerKind.Dropout:
                    if (training)
                    {
                        yield return new Slot($"a{i}", n, true, false);
                        yield return new Slot($"d{i}", n, true, false);
                        yield return new Slot($"mask{i}", n, true, false);
                    }
                    break;
                case LayerKind.Flatten:
                    // The only layer that can have no gradient to alias is a Flatten right after the input that is also the output.
                    if (training && layer.Index == spec.Layers[spec.Layers.Count - 1].Index && FirstLayer(spec, layer)) yield return new Slot($"d{i}", n, true, false);
                    break;
            }
        }
    }

    /// <summary>Slots allocated once, whatever the batch: packed filters and zero-padded images of each Conv2D layer.</summary>
    private static IEnumerable<Slot> WorkspaceSlots(NetworkSpec spec)
    {
        foreach (var layer in spec.Layers.Where(l => l.Kind == LayerKind.Conv2D))
        {
            string i = Int(layer.Index);
            var geometry = Geometry(layer);
            yield return new Slot($"packed{i}", layer.WeightCount, false, false);
            if (spec.IsTrainable) yield return new Slot($"packedGradients{i}", layer.WeightCount, true, false);
            if (Strategy(spec, layer) == ConvolutionStrategy.Lowered)
            {
                int lowered = layer.OutputShape.Height * layer.OutputShape.Width * layer.KernelSize * layer.KernelSize * layer.InputShape.Channels;
                yield return new Slot($"columns{i}", lowered, false, false);
                if (spec.IsTrainable && !FirstLayer(spec, layer)) yield return new Slot($"columnGradients{i}", lowered, true, false);
            }
            if (geometry.PaddedSize > 0)
            {
                yield return new Slot($"padded{i}", geometry.PaddedSize, false, false);
                if (spec.IsTrainable && !FirstLayer(spec, layer)) yield return new Slot($"paddedGradients{i}", geometry.PaddedSize, true, false);
            }
        }
    }

    private static bool FirstLayer(NetworkSpec spec, LayerSpec layer) => layer.Index == spec.Layers[0].Index;

    /// <summary>Values per sample in the batch buffer: z, a (and d, masks) per layer.</summary>
    public static int ValuesPerSample(NetworkSpec spec) => SampleSlots(spec).Where(s => !s.IsIndex).Sum(s => s.Size);

    /// <summary>Max-pool argmax indices per sample (training only).</summary>
    public static int IndicesPerSample(NetworkSpec spec) => SampleSlots(spec).Where(s => s.IsIndex).Sum(s => s.Size);

    /// <summary>Values allocated once by the batch path: the convolution workspace.</summary>
    public static int WorkspaceSize(NetworkSpec spec) => WorkspaceSlots(spec).Sum(s => s.Size);

    /// <summary>Values of the single-sample <c>ForwardSample</c> scratch for networks with image layers.</summary>
    public static int SampleScratchSize(NetworkSpec spec) =>
        SampleSlots(spec).Where(s => !s.TrainingOnly).Sum(s => s.Size) + WorkspaceSlots(spec).Where(s => !s.TrainingOnly).Sum(s => s.Size);

    public static void EmitFields(SourceWriter w, EmitContext c)
    {
        w.Line($"private {c.T}[] _batchBuffer = global::System.Array.Empty<{c.T}>();");
        if (IndicesPerSample(c.Spec) > 0) w.Line("private int[] _batchIndices = global::System.Array.Empty<int>();");
        w.Line("private int _batchCapacity;");
    }

    public static void EmitEnsureCapacity(SourceWriter w, EmitContext c)
    {
        int perSample = ValuesPerSample(c.Spec), workspace = WorkspaceSize(c.Spec), indices = IndicesPerSample(c.Spec);
        w.Line("/// <summary>Grows the batch buffer on the first call at a larger batch size; later calls allocate nothing.</summary>");
        using (w.Block("private void EnsureBatchCapacity(int batchSize)"))
        {
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

    /// <summary>
    /// Declares the spans of every layer and of the workspace from <paramref name="buffer"/>. With
    /// <paramref name="compact"/> (single-sample inference) only the forward slots are laid out, back to back.
    /// </summary>
    private static void DeclareBuffers(SourceWriter w, EmitContext c, string buffer, string capacity, bool training, bool compact)
    {
        string T = c.T;
        int offset = 0;
        foreach (var slot in WorkspaceSlots(c.Spec))
        {
            if (compact && slot.TrainingOnly) continue;
            if (training || !slot.TrainingOnly) w.Line($"global::System.Span<{T}> {slot.Name} = {buffer}.Slice({Int(offset)}, {Int(slot.Size)});");
            offset += slot.Size;
        }
        string start = offset > 0 ? $"{Int(offset)} + " : "";
        int values = 0, indices = 0;
        foreach (var slot in SampleSlots(c.Spec))
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

    /// <summary>The activations layer <paramref name="l"/> hands to the next layer: its own a, or its input's for Flatten (and Dropout at inference).</summary>
    private static string Act(NetworkSpec spec, int l, bool training)
    {
        if (l < 0) return "inputs";
        var layer = spec.Layers[l];
        if (layer.Kind == LayerKind.Flatten || (layer.Kind == LayerKind.Dropout && !training)) return Act(spec, l - 1, training);
        return $"a{Int(layer.Index)}";
    }

    /// <summary>Where the gradient of layer <paramref name="l"/>'s output lives, null for the input.</summary>
    private static string? Grad(NetworkSpec spec, int l)
    {
        if (l < 0) return null;
        var layer = spec.Layers[l];
        if (layer.Kind == LayerKind.Flatten && SampleSlots(spec).All(s => s.Name != $"d{Int(layer.Index)}")) return Grad(spec, l - 1);
        return $"d{Int(layer.Index)}";
    }

    /// <summary>The body of the batch <c>Forward</c>: every layer over the batch, the last layer's activations copied to <c>outputs</c>.</summary>
    public static void EmitBatchForwardBody(SourceWriter w, EmitContext c)
    {
        w.Line("EnsureBatchCapacity(batchSize);");
        w.Line($"global::System.ReadOnlySpan<{c.T}> p = _parameters;");
        w.Line($"global::System.Span<{c.T}> buffer = _batchBuffer;");
        w.Line("int capacity = _batchCapacity;");
        DeclareBuffers(w, c, "buffer", "capacity", training: false, compact: false);
        EmitForwardLayers(w, c, training: false);
        w.Line($"{Act(c.Spec, c.Spec.Layers.Count - 1, false)}.CopyTo(outputs);");
    }

    /// <summary>
    /// <c>ForwardSample</c> for networks with image layers: the batch forward pass at a batch of one, over a scratch
    /// on the stack (or one buffer per thread when large), so one sample gives the same bits alone as in a batch.
    /// </summary>
    public static void EmitForwardSample(SourceWriter w, EmitContext c)
    {
        string T = c.T;
        int size = SampleScratchSize(c.Spec);
        w.Line("/// <summary>One sample through every layer. Pure: reads <paramref name=\"p\"/> and <paramref name=\"x\"/>, writes <paramref name=\"y\"/> and its own scratch.</summary>");
        using (w.Block($"private static void ForwardSample(global::System.ReadOnlySpan<{T}> p, global::System.ReadOnlySpan<{T}> x, global::System.Span<{T}> y)"))
        {
            if (c.Spec.Layers.Any(l => l.Kind is LayerKind.Dense or LayerKind.Conv2D or LayerKind.MaxPool2D)) w.Line("const int batchSize = 1;");
            w.Line($"global::System.ReadOnlySpan<{T}> inputs = x;");
            if (size == 0)
            {
                // Only Flatten and Dropout: the input is the output.
            }
            else if (size * c.ElementSize <= MaxStackBytes)
            {
                w.Line($"global::System.Span<{T}> scratch = stackalloc {T}[{Int(size)}];");
            }
            else
            {
                w.Line("// Too large for the stack: one buffer per thread keeps Forward thread-safe and allocation-free after the first call.");
                w.Line($"global::System.Span<{T}> scratch = t_inferenceScratch ??= new {T}[{Int(size)}];");
            }
            DeclareBuffers(w, c, "scratch", "batchSize", training: false, compact: true);
            EmitForwardLayers(w, c, training: false);
            w.Line($"{Act(c.Spec, c.Spec.Layers.Count - 1, false)}.CopyTo(y);");
        }
    }

    /// <summary>The body of <c>ComputeGradients</c> on the batch path.</summary>
    public static void EmitComputeGradientsBody(SourceWriter w, EmitContext c)
    {
        var spec = c.Spec;
        var layers = spec.Layers;
        string T = c.T;
        w.Line("EnsureBatchCapacity(batchSize);");
        w.Line($"global::System.ReadOnlySpan<{T}> p = _parameters;");
        w.Line($"global::System.Span<{T}> g = _gradients;");
        w.Line("g.Clear();");
        w.Line($"global::System.Span<{T}> buffer = _batchBuffer;");
        w.Line("int capacity = _batchCapacity;");
        DeclareBuffers(w, c, "buffer", "capacity", training: true, compact: false);
        w.Line($"{T} scale = {c.One} / batchSize;");
        EmitForwardLayers(w, c, training: true);

        int lastIndex = layers.Count - 1;
        var output = layers[lastIndex];
        string k = Int(output.OutputSize);
        string aLast = Act(spec, lastIndex, true);
        string zLast = output.Kind is LayerKind.Dense or LayerKind.Conv2D ? $"z{Int(output.Index)}" : aLast;
        w.Line();
        w.Line($"{T} loss = {c.Zero};");
        using (w.Block("for (int b = 0; b < batchSize; b++)"))
        {
            string span = aLast == "inputs" ? "ReadOnlySpan" : "Span";
            w.Line($"global::System.{span}<{T}> zOut = {zLast}.Slice(b * {k}, {k});");
            w.Line($"global::System.{span}<{T}> aOut = {aLast}.Slice(b * {k}, {k});");
            w.Line($"global::System.Span<{T}> dOut = {Grad(spec, lastIndex)}.Slice(b * {k}, {k});");
            w.Line($"global::System.ReadOnlySpan<{T}> t = targets.Slice(b * {k}, {k});");
            BackwardEmitter.EmitLoss(w, c, output, "sampleLoss");
            w.Line("loss += sampleLoss;");
        }

        for (int l = lastIndex; l >= 0; l--)
        {
            var layer = layers[l];
            string i = Int(layer.Index), n = Int(layer.OutputSize), m = Int(layer.InputSize);
            string input = Act(spec, l - 1, true);
            string? downstream = Grad(spec, l - 1);
            w.Line();
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                    w.Line($"// Backward through layer {i}: Dense {m} -> {n}, {layer.Activation}{(IsUnrolled(layer) ? ", unrolled per sample" : ", batched")}");
                    if (l < lastIndex) EmitActivationBackward(w, c, layer);
                    if (IsUnrolled(layer))
                    {
                        using (w.Block("for (int b = 0; b < batchSize; b++)"))
                        {
                            w.Line($"global::System.ReadOnlySpan<{T}> xb = {input}.Slice(b * {m}, {m});");
                            w.Line($"global::System.ReadOnlySpan<{T}> dzb = d{i}.Slice(b * {n}, {n});");
                            if (downstream is not null) w.Line($"global::System.Span<{T}> dxb = {downstream}.Slice(b * {m}, {m});");
                            BackwardEmitter.EmitDenseBackward(w, c, layer, Values.Span("dzb"), Values.Span("xb"), downstream is null ? null : Values.Span("dxb"));
                        }
                    }
                    else
                    {
                        w.Line($"global::NeuralNet.Gen.DenseKernels.Backward<{T}>({input}, d{i}, p.Slice({Int(layer.ParameterOffset)}, {Int(layer.WeightCount)}), " +
                               $"g.Slice({Int(layer.ParameterOffset)}, {Int(layer.WeightCount)}), g.Slice({Int(layer.BiasOffset)}, {n}), " +
                               $"{downstream ?? $"global::System.Span<{T}>.Empty"}, batchSize, {m}, {n});");
                    }
                    break;
                case LayerKind.Conv2D:
                {
                    w.Line($"// Backward through layer {i}: {ConvolutionDescription(layer)}");
                    if (l < lastIndex) EmitActivationBackward(w, c, layer);
                    var geometry = Geometry(layer);
                    var strategy = Strategy(spec, layer);
                    var (kernel, packing) = Names(strategy);
                    string empty = $"global::System.Span<{T}>.Empty";
                    string lowered = strategy != ConvolutionStrategy.Lowered ? "" : $"columns{i}, {(downstream is not null ? $"columnGradients{i}" : empty)}, ";
                    w.Line($"packedGradients{i}.Clear();");
                    w.Line($"global::NeuralNet.Gen.ConvolutionKernels.Backward{kernel}<{T}>({input}, d{i}, packed{i}, packedGradients{i}, g.Slice({Int(layer.BiasOffset)}, {Int(layer.Units)}), " +
                           $"{downstream ?? empty}, {(geometry.PaddedSize > 0 ? $"padded{i}" : empty)}, {(geometry.PaddedSize > 0 && downstream is not null ? $"paddedGradients{i}" : empty)}, {lowered}batchSize, geometry{i});");
                    w.Line($"global::NeuralNet.Gen.ConvolutionKernels.Unpack{packing}Add<{T}>(packedGradients{i}, g.Slice({Int(layer.ParameterOffset)}, {Int(layer.WeightCount)}), geometry{i});");
                    break;
                }
                case LayerKind.MaxPool2D:
                    w.Line($"// Backward through layer {i}: MaxPool2D, each gradient to its window's recorded maximum");
                    if (downstream is not null) w.Line($"global::NeuralNet.Gen.ConvolutionKernels.MaxPoolBackward<{T}>(d{i}, argmax{i}, {downstream}, batchSize, {m}, {n});");
                    else w.Line("// (no gradient to pass back to the input)");
                    break;
                case LayerKind.Flatten:
                    w.Line($"// Backward through layer {i}: Flatten (HWC is already flat: the gradient is shared with the layer before)");
                    break;
                case LayerKind.Dropout:
                    w.Line($"// Backward through layer {i}: Dropout, the same mask as forward");
                    if (downstream is not null) w.Line($"global::NeuralNet.Gen.ConvolutionKernels.Multiply<{T}>(d{i}, mask{i}, {downstream});");
                    else w.Line("// (no gradient to pass back to the input)");
                    break;
            }
        }
        w.Line();
        w.Line("// Gradients were scaled by 1/batchSize at the output, so they are batch means.");
        w.Line("return loss * scale;");
    }

    internal static ConvGeometry Geometry(LayerSpec layer)
    {
        var input = layer.InputShape;
        var output = layer.OutputShape;
        int top = ShapeMath.PaddingBefore(input.Height, layer.KernelSize, layer.Stride, layer.Padding);
        int left = ShapeMath.PaddingBefore(input.Width, layer.KernelSize, layer.Stride, layer.Padding);
        return new ConvGeometry(input.Height, input.Width, input.Channels, layer.Units, layer.KernelSize, layer.Stride, top, left, output.Height, output.Width);
    }

    internal enum ConvolutionStrategy { Lowered, AcrossFilters, ByWindowRows }

    /// <summary>
    /// Picks the kernel by shape, counting lanes of a 256-bit vector (8 floats, 4 doubles). A window of kh·kw·c values
    /// at least four vectors long is lowered to a matrix row (im2col) and the layer runs as the register-blocked Dense
    /// product, whose vectors run along the window. Shorter windows (a first layer on one channel) would leave that
    /// product mostly scalar; then, with at least a vector of filters, each input value is broadcast against a
    /// contiguous row of filters; with fewer filters, each output is kh dot products over the window rows' kw·c runs.
    /// </summary>
    internal static ConvolutionStrategy Strategy(NetworkSpec spec, LayerSpec layer)
    {
        int lanes = spec.Precision == Precision.Double ? 4 : 8;
        if (layer.KernelSize * layer.KernelSize * layer.InputShape.Channels >= 4 * lanes) return ConvolutionStrategy.Lowered;
        return layer.Units >= lanes ? ConvolutionStrategy.AcrossFilters : ConvolutionStrategy.ByWindowRows;
    }

    /// <summary>The kernel name suffix, and the packing the kernel reads (Lowered packs as ByWindowRows).</summary>
    private static (string Kernel, string Packing) Names(ConvolutionStrategy strategy) => strategy switch
    {
        ConvolutionStrategy.Lowered => ("Lowered", "ByWindowRows"),
        ConvolutionStrategy.AcrossFilters => ("AcrossFilters", "AcrossFilters"),
        _ => ("ByWindowRows", "ByWindowRows"),
    };

    internal static string ConvolutionDescription(LayerSpec layer)
    {
        var g = Geometry(layer);
        return $"Conv2D {layer.InputShape} -> {layer.OutputShape}, {layer.Activation}, {Int(layer.KernelSize)}x{Int(layer.KernelSize)} stride {Int(layer.Stride)} {layer.Padding}" +
               (g.PaddedSize > 0 ? $" (zero padding {Int(g.PadTop)} above, {Int(g.PadLeft)} left)" : "");
    }

    private static void EmitForwardLayers(SourceWriter w, EmitContext c, bool training)
    {
        var spec = c.Spec;
        var layers = spec.Layers;
        string T = c.T;
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            string i = Int(layer.Index), n = Int(layer.OutputSize), m = Int(layer.InputSize);
            string input = Act(spec, l - 1, training);
            w.Line();
            ForwardEmitter.LayerComment(w, layer);
            switch (layer.Kind)
            {
                case LayerKind.Dense when IsUnrolled(layer):
                    using (w.Block("for (int b = 0; b < batchSize; b++)"))
                    {
                        w.Line($"global::System.ReadOnlySpan<{T}> xb = {input}.Slice(b * {m}, {m});");
                        w.Line($"global::System.Span<{T}> zb = z{i}.Slice(b * {n}, {n});");
                        w.Line($"global::System.Span<{T}> ab = a{i}.Slice(b * {n}, {n});");
                        ForwardEmitter.EmitDense(w, c, layer, Values.Span("xb"), "zb", "ab");
                    }
                    break;
                case LayerKind.Dense:
                    w.Line($"global::NeuralNet.Gen.DenseKernels.Forward<{T}>({input}, p.Slice({Int(layer.ParameterOffset)}, {Int(layer.WeightCount)}), p.Slice({Int(layer.BiasOffset)}, {n}), z{i}, batchSize, {m}, {n});");
                    EmitActivation(w, c, layer);
                    break;
                case LayerKind.Conv2D:
                {
                    var g = Geometry(layer);
                    var strategy = Strategy(spec, layer);
                    var (kernel, packing) = Names(strategy);
                    int window = layer.KernelSize * layer.KernelSize * layer.InputShape.Channels;
                    w.Line(strategy switch
                    {
                        ConvolutionStrategy.Lowered => $"// Windows of {Int(window)} values fill vectors: lowered to a [{Int(layer.OutputShape.Height * layer.OutputShape.Width)} x {Int(window)}] matrix per sample and multiplied by the [{Int(layer.Units)} x {Int(window)}] packed weights with the register-blocked Dense kernel.",
                        ConvolutionStrategy.AcrossFilters => $"// Windows of only {Int(window)} values but {Int(layer.Units)} filters: vectorised across filters, weights packed [kh][kw][c][f] so each input value multiplies a contiguous filter row.",
                        _ => $"// Only {Int(layer.Units)} filters and windows of {Int(window)} values: vectorised along window rows, weights packed [f][kh][kw*c] to match the contiguous {Int(layer.KernelSize * layer.InputShape.Channels)}-value runs of HWC.",
                    });
                    w.Line($"var geometry{i} = new global::NeuralNet.Gen.Conv2DGeometry({Int(g.Height)}, {Int(g.Width)}, {Int(g.Channels)}, {Int(g.Filters)}, {Int(g.KernelSize)}, {Int(g.Stride)}, {Int(g.PadTop)}, {Int(g.PadLeft)}, {Int(g.OutputHeight)}, {Int(g.OutputWidth)});");
                    w.Line($"global::NeuralNet.Gen.ConvolutionKernels.Pack{packing}<{T}>(p.Slice({Int(layer.ParameterOffset)}, {Int(layer.WeightCount)}), packed{i}, geometry{i});");
                    w.Line($"global::NeuralNet.Gen.ConvolutionKernels.Forward{kernel}<{T}>({input}, packed{i}, p.Slice({Int(layer.BiasOffset)}, {Int(layer.Units)}), z{i}, " +
                           $"{(g.PaddedSize > 0 ? $"padded{i}" : $"global::System.Span<{T}>.Empty")}, {(strategy == ConvolutionStrategy.Lowered ? $"columns{i}, " : "")}batchSize, geometry{i});");
                    EmitActivation(w, c, layer);
                    break;
                }
                case LayerKind.MaxPool2D:
                {
                    var s = layer.InputShape;
                    var o = layer.OutputShape;
                    string argmax = training ? $"argmax{i}" : "global::System.Span<int>.Empty";
                    w.Line($"global::NeuralNet.Gen.ConvolutionKernels.MaxPoolForward<{T}>({input}, a{i}, {argmax}, batchSize, {Int(s.Height)}, {Int(s.Width)}, {Int(s.Channels)}, {Int(layer.KernelSize)}, {Int(layer.Stride)}, {Int(o.Height)}, {Int(o.Width)});");
                    break;
                }
                case LayerKind.Flatten:
                    w.Line("// Row-major HWC is already the flat vector: nothing to copy.");
                    break;
                case LayerKind.Dropout:
                    if (!training)
                    {
                        w.Line("// Identity at inference (inverted dropout scales in training instead).");
                        break;
                    }
                    w.Line($"// A fresh mask per call from the network's dropout stream, kept for the backward pass.");
                    w.Line($"global::NeuralNet.Gen.ConvolutionKernels.DropoutMask<{T}>(mask{i}, {layer.Rate.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}, ref _dropoutRandom);");
                    w.Line($"global::NeuralNet.Gen.ConvolutionKernels.Multiply<{T}>({input}, mask{i}, a{i});");
                    break;
            }
        }
    }

    /// <summary>a{l} from z{l} over the whole batch (Dense and Conv2D loop layers).</summary>
    private static void EmitActivation(SourceWriter w, EmitContext c, LayerSpec layer)
    {
        string i = Int(layer.Index), n = Int(layer.OutputSize);
        switch (layer.Activation)
        {
            case Activation.Linear:
                w.Line($"z{i}.CopyTo(a{i});");
                break;
            case Activation.Softmax:
                w.Line($"z{i}.CopyTo(a{i});");
                using (w.Block("for (int b = 0; b < batchSize; b++)"))
                {
                    w.Line($"global::System.Span<{c.T}> row = a{i}.Slice(b * {n}, {n});");
                    ForwardEmitter.EmitSoftmaxLoop(w, c, layer.OutputSize, "row");
                }
                break;
            default:
                using (w.Block($"for (int j = 0; j < batchSize * {n}; j++)"))
                {
                    w.Line($"a{i}[j] = {ActivationEmitter.Apply(layer.Activation, $"z{i}[j]")};");
                }
                break;
        }
    }

    /// <summary>Turns d{l} from dL/da into dL/dz, in place, over the whole batch.</summary>
    private static void EmitActivationBackward(SourceWriter w, EmitContext c, LayerSpec layer)
    {
        string i = Int(layer.Index), n = Int(layer.OutputSize);
        switch (layer.Activation)
        {
            case Activation.Linear:
                return;
            case Activation.Softmax:
                using (w.Block("for (int b = 0; b < batchSize; b++)"))
                {
                    w.Line($"global::System.Span<{c.T}> dRow = d{i}.Slice(b * {n}, {n});");
                    w.Line($"global::System.Span<{c.T}> aRow = a{i}.Slice(b * {n}, {n});");
                    BackwardEmitter.EmitSoftmaxBackwardLoop(w, c, layer.OutputSize, "dRow", "aRow");
                }
                return;
            default:
                using (w.Block($"for (int j = 0; j < batchSize * {n}; j++)"))
                {
                    w.Line($"d{i}[j] = {ActivationEmitter.Gradient(layer.Activation, $"d{i}[j]", $"z{i}[j]", $"a{i}[j]")};");
                }
                return;
        }
    }
}

/// <summary>The generator's copy of the runtime's <c>Conv2DGeometry</c> arithmetic (the generator cannot reference the runtime).</summary>
internal readonly struct ConvGeometry
{
    public ConvGeometry(int height, int width, int channels, int filters, int kernelSize, int stride, int padTop, int padLeft, int outputHeight, int outputWidth)
    {
        Height = height;
        Width = width;
        Channels = channels;
        Filters = filters;
        KernelSize = kernelSize;
        Stride = stride;
        PadTop = padTop;
        PadLeft = padLeft;
        OutputHeight = outputHeight;
        OutputWidth = outputWidth;
        PaddedHeight = System.Math.Max(height + padTop, (outputHeight - 1) * stride + kernelSize);
        PaddedWidth = System.Math.Max(width + padLeft, (outputWidth - 1) * stride + kernelSize);
    }

    public int Height { get; }
    public int Width { get; }
    public int Channels { get; }
    public int Filters { get; }
    public int KernelSize { get; }
    public int Stride { get; }
    public int PadTop { get; }
    public int PadLeft { get; }
    public int OutputHeight { get; }
    public int OutputWidth { get; }
    public int PaddedHeight { get; }
    public int PaddedWidth { get; }

    /// <summary>Values of the zero-padded copy of one input image, 0 when the windows read the input directly.</summary>
    public int PaddedSize => PaddedHeight != Height || PaddedWidth != Width ? PaddedHeight * PaddedWidth * Channels : 0;
}
