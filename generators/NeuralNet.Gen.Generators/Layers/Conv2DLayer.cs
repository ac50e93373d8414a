using System;
using System.Collections.Generic;
using NeuralNet.Gen.Generators.Emit;
using NeuralNet.Gen.Generators.Model;
using NeuralNet.Gen.Generators.Parsing;
using NeuralNet.Gen.Weights;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Layers;

/// <summary>
/// <c>[Conv2D(filters, kernelSize, activation, Stride = 1, Padding = Valid, UseBias = true)]</c> over channels-last images; weights
/// [filters, channels, kh, kw] as PyTorch's <c>nn.Conv2d</c>. Runs as one <c>ConvolutionKernels</c> call over the batch,
/// with the kernel picked by shape (<see cref="Choose"/>) and filters packed for it on each call.
/// </summary>
internal sealed class Conv2DLayer : Layer
{
    public override LayerKind Kind => LayerKind.Conv2D;

    public override LayerSpec? Read(LayerReader r)
    {
        int filters = r.Positive(0, "Conv2D filters");
        int kernel = r.Positive(1, "Conv2D kernel size");
        var activation = r.Enum(2, Activation.Linear);
        int stride = r.NamedInt("Stride", 1);
        var padding = r.NamedEnum("Padding", Padding.Valid);
        var init = r.NamedEnum("WeightInit", DenseLayer.DefaultInit(activation));
        bool useBias = r.NamedBool("UseBias", true);
        if (stride <= 0) r.NamedError(DiagnosticIds.InvalidArgument, "Stride", $"Conv2D stride must be positive, but it is {stride}");
        if (padding == Padding.Causal) r.NamedError(DiagnosticIds.InvalidArgument, "Padding", "Conv2D padding must be Valid or Same, but it is Causal (Causal is for Conv1D over a sequence)");
        if (!r.Valid || !r.InputKnown) return null;
        var input = r.Input;
        if (input.Rank != 3)
        {
            r.Error(DiagnosticIds.ShapeMismatch, $"Conv2D expects a height x width x channels input but the previous layer '{r.Previous}' outputs a vector of {input}; use [Input(height, width, channels)]");
            return null;
        }
        if (padding == Padding.Valid && (kernel > input.Height || kernel > input.Width))
        {
            r.ArgumentError(DiagnosticIds.ShapeMismatch, 1, $"Conv2D kernel {kernel}x{kernel} is larger than its input {input} from '{r.Previous}'; use a kernel of at most {Math.Min(input.Height, input.Width)} or Padding = Padding.Same");
            return null;
        }
        var output = Shape.Image(
            ConvolutionGeometry.Output(input.Height, kernel, stride, padding),
            ConvolutionGeometry.Output(input.Width, kernel, stride, padding),
            filters);
        long weights = (long)filters * input.Channels * kernel * kernel;
        if ((long)output.Height * output.Width * filters > AttributeArguments.MaxSize || weights + filters + r.ParameterOffset > AttributeArguments.MaxSize)
        {
            r.ArgumentError(DiagnosticIds.InvalidArgument, 0, $"Conv2D({filters}, {kernel}) on {input} is larger than a network can hold ({AttributeArguments.MaxSize} values or parameters); use fewer filters or a smaller kernel");
            return null;
        }
        return r.Create(LayerKind.Conv2D, output, filters, kernel, stride, padding, 0, activation, init) with { UseBias = useBias };
    }

    public override int WeightCount(LayerSpec layer) => layer.Units * layer.InputShape.Channels * layer.KernelSize * layer.KernelSize;

    public override int BiasCount(LayerSpec layer) => layer.UseBias ? layer.Units : 0;

    /// <summary>As Keras: kernel area x channels in, kernel area x filters out.</summary>
    public override (int In, int Out) Fans(LayerSpec layer)
    {
        int area = layer.KernelSize * layer.KernelSize;
        return (area * layer.InputShape.Channels, area * layer.Units);
    }

    public override Activation? ActivationOf(LayerSpec layer) => layer.Activation;

    public override bool SupportsSoftmax => false;

    public override string Description(LayerSpec layer) =>
        $"Conv2D({Int(layer.Units)}, {Int(layer.KernelSize)}{(layer.Activation == Activation.Linear ? "" : ", " + layer.Activation)}{(layer.UseBias ? "" : ", UseBias = false")})";

    public override string Fingerprint(LayerSpec l) => $"Conv2D({Int(l.Units)},{Int(l.KernelSize)},{l.Activation},{Int(l.Stride)},{l.Padding}{(l.UseBias ? "" : ",nobias")})";

    private static string BiasText(LayerSpec layer) => layer.UseBias ? $"bias [{Int(layer.Units)}] at {Int(layer.BiasOffset)}" : "no bias";

    public override string Describe(LayerPlan plan)
    {
        var layer = plan.Spec;
        return $"Layer {Int(layer.Index)}: {Shapes(plan)} " +
               $"(weights [{Int(layer.Units)}x{Int(layer.InputShape.Channels)}x{Int(layer.KernelSize)}x{Int(layer.KernelSize)}] at {Int(layer.ParameterOffset)}, {BiasText(layer)})";
    }

    private static string Shapes(LayerPlan plan)
    {
        var layer = plan.Spec;
        var g = plan.Geometry!;
        return $"Conv2D {layer.InputShape} -> {layer.OutputShape}, {layer.Activation}, {Int(layer.KernelSize)}x{Int(layer.KernelSize)} stride {Int(layer.Stride)} {layer.Padding}" +
               (g.PaddedSize > 0 ? $" (zero padding {Int(g.PadTop)} above, {Int(g.PadLeft)} left)" : "");
    }

    public override string SummaryName(LayerSpec layer, int ordinal) => $"conv2d_{Int(ordinal)} (Conv2D, {layer.Activation})";

    public override string TorchModule => "nn.Conv2d";

    /// <summary>PyTorch's <c>weight</c> [filters, channels, kh, kw] (our own layout) and <c>bias</c> [filters].</summary>
    public override ImportedLayer ImportLayout(LayerSpec layer, int bufferOffset, Shape? flattenedImage) =>
        new Conv2DImport(layer.Index, layer.InputShape.Channels, layer.Units, layer.KernelSize, layer.Activation.ToString(), layer.ParameterOffset, layer.UseBias);

    public override string OnnxDescription(LayerPlan plan)
    {
        var l = plan.Spec;
        var g = plan.Geometry!;
        return $"global::NeuralNet.Gen.LayerDescription.Conv2D({Int(g.Height)}, {Int(g.Width)}, {Int(g.Channels)}, {Int(g.Filters)}, {Int(g.KernelSize)}, {Int(g.Stride)}, " +
               $"{Int(g.PadTop)}, {Int(g.PadLeft)}, {Int(g.OutputHeight)}, {Int(g.OutputWidth)}, global::NeuralNet.Gen.Activation.{l.Activation}, {Int(l.ParameterOffset)}{(l.UseBias ? "" : ", useBias: false")})";
    }

    public override string ParameterDocumentation(LayerPlan plan)
    {
        var layer = plan.Spec;
        return $"Layer {Int(layer.Index)} (Conv2D {layer.InputShape} -&gt; {layer.OutputShape}): weight [filters {Int(layer.Units)}, channels {Int(layer.InputShape.Channels)}, kh {Int(layer.KernelSize)}, kw {Int(layer.KernelSize)}] row-major at {Int(layer.ParameterOffset)}, {BiasText(layer)}";
    }

    public override void EmitInitialization(SourceWriter w, EmitContext c, LayerPlan plan)
    {
        var layer = plan.Spec;
        w.Line($"// Layer {Int(layer.Index)}: Conv2D {Int(layer.Units)} filters {Int(layer.KernelSize)}x{Int(layer.KernelSize)}, {layer.WeightInit} weights (fans as Keras: kernel area x channels in, x filters out)");
        w.Line($"global::NeuralNet.Gen.WeightInitializer.Fill(p.Slice({Int(layer.ParameterOffset)}, {Int(layer.WeightCount)}), global::NeuralNet.Gen.WeightInit.{layer.WeightInit}, {Int(plan.FanIn)}, {Int(plan.FanOut)}, ref random);");
        if (layer.UseBias) w.Line($"p.Slice({Int(layer.BiasOffset)}, {Int(layer.BiasCount)}).Clear();");
    }

    /// <summary>
    /// Picks the kernel by shape, counting lanes of a 256-bit vector (8 floats, 4 doubles). A window of kh·kw·c values
    /// at least four vectors long is lowered to a matrix row (im2col) and the layer runs as the register-blocked Dense
    /// product, whose vectors run along the window. Shorter windows (a first layer on one channel) would leave that
    /// product mostly scalar; then, with at least a vector of filters, each input value is broadcast against a
    /// contiguous row of filters; with fewer filters, each output is kh dot products over the window rows' kw·c runs.
    /// </summary>
    public override LayerChoices Choose(NetworkSpec spec, LayerSpec layer)
    {
        int lanes = spec.Precision == Precision.Double ? 4 : 8;
        var strategy = layer.KernelSize * layer.KernelSize * layer.InputShape.Channels >= 4 * lanes ? ConvolutionStrategy.Lowered
            : layer.Units >= lanes ? ConvolutionStrategy.AcrossFilters : ConvolutionStrategy.ByWindowRows;
        return new LayerChoices(false, ConvolutionGeometry.Create(layer.InputShape, layer.Units, layer.KernelSize, layer.Stride, layer.Padding), strategy);
    }

    public override IEnumerable<BufferSlot> SampleSlots(LayerPlan layer, bool training)
    {
        int n = layer.Spec.OutputSize;
        yield return ValueSlot("z" + layer.Name, n);
        yield return ValueSlot("a" + layer.Name, n);
        if (training) yield return ValueSlot("d" + layer.Name, n, trainingOnly: true);
    }

    /// <summary>
    /// Packed filters (and their gradients), the im2col matrix when lowered, the zero-padded image when padded, and
    /// without a bias a zero row the kernels add (and put their bias gradients in, unread).
    /// </summary>
    public override IEnumerable<BufferSlot> WorkspaceSlots(LayerPlan layer, bool training)
    {
        string i = layer.Name;
        var geometry = layer.Geometry!;
        int weights = layer.Spec.WeightCount;
        // The first layer passes no gradient back to the network's input, so it needs no gradient workspaces for it.
        bool passesGradient = training && !layer.ReadsNetworkInput;
        yield return ValueSlot($"packed{i}", weights);
        if (training) yield return ValueSlot($"packedGradients{i}", weights, trainingOnly: true);
        if (layer.Strategy == ConvolutionStrategy.Lowered)
        {
            yield return ValueSlot($"columns{i}", geometry.LoweredSize);
            if (passesGradient) yield return ValueSlot($"columnGradients{i}", geometry.LoweredSize, trainingOnly: true);
        }
        if (geometry.PaddedSize > 0)
        {
            yield return ValueSlot($"padded{i}", geometry.PaddedSize);
            if (passesGradient) yield return ValueSlot($"paddedGradients{i}", geometry.PaddedSize, trainingOnly: true);
        }
        foreach (var slot in BatchNormLayer.FoldSlots(layer)) yield return slot;
        // Folded with a BatchNorm, inference reads the folded bias instead: only training needs the zero row.
        if (!layer.Spec.UseBias) yield return ValueSlot($"zeroBias{i}", layer.Spec.Units, trainingOnly: layer.FoldedNormalization is not null);
    }

    /// <summary>The bias span a kernel reads (from <c>p</c>) or adds gradients to (in <c>g</c>): the layer's own, or its zero row.</summary>
    private static string Bias(LayerSpec layer, string parameters, string name) =>
        layer.UseBias ? $"{parameters}.Slice({Int(layer.BiasOffset)}, {Int(layer.Units)})" : "zeroBias" + name;

    public override string PreActivation(LayerPlan layer) => "z" + layer.Name;

    /// <summary>
    /// A Linear convolution takes a following BatchNorm into its filters (weights are [filters, …], one row per output
    /// channel) when folding them, once per call, costs less than normalising one sample's output (three operations
    /// per value): filters are small and reused at every position. (A Dense layer's weights outnumber its outputs, so
    /// folding them per call would cost more than it saves.)
    /// </summary>
    public override bool CanFoldNormalization(LayerPlan layer) =>
        layer.Spec.Activation == Activation.Linear && layer.Spec.WeightCount <= 3 * layer.Spec.OutputSize;

    /// <summary>The kernel name suffix, and the packing the kernel reads (Lowered packs as ByWindowRows).</summary>
    private static (string Kernel, string Packing) Names(ConvolutionStrategy strategy) => strategy switch
    {
        ConvolutionStrategy.Lowered => ("Lowered", "ByWindowRows"),
        ConvolutionStrategy.AcrossFilters => ("AcrossFilters", "AcrossFilters"),
        _ => ("ByWindowRows", "ByWindowRows"),
    };

    public override void EmitBatchForward(SourceWriter w, EmitContext c, BatchStep step)
    {
        var plan = step.Layer;
        var layer = plan.Spec;
        var g = plan.Geometry!;
        var strategy = plan.Strategy!.Value;
        string i = plan.Name, T = c.T;
        var (kernel, packing) = Names(strategy);
        int window = layer.KernelSize * layer.KernelSize * layer.InputShape.Channels;
        w.Line(strategy switch
        {
            ConvolutionStrategy.Lowered => $"// Windows of {Int(window)} values fill vectors: lowered to a [{Int(layer.OutputShape.Height * layer.OutputShape.Width)} x {Int(window)}] matrix per sample and multiplied by the [{Int(layer.Units)} x {Int(window)}] packed weights with the register-blocked Dense kernel.",
            ConvolutionStrategy.AcrossFilters => $"// Windows of only {Int(window)} values but {Int(layer.Units)} filters: vectorised across filters, weights packed [kh][kw][c][f] so each input value multiplies a contiguous filter row.",
            _ => $"// Only {Int(layer.Units)} filters and windows of {Int(window)} values: vectorised along window rows, weights packed [f][kh][kw*c] to match the contiguous {Int(layer.KernelSize * layer.InputShape.Channels)}-value runs of HWC.",
        });
        EmitGeometry(w, plan);
        var (weights, bias) = BatchNormLayer.FoldedOrOwn(w, c, step, $"p.Slice({Int(layer.ParameterOffset)}, {Int(layer.WeightCount)})", Bias(layer, "p", i));
        if (bias == "zeroBias" + i) w.Line($"zeroBias{i}.Clear(); // no bias: the kernel adds zeros (the backward pass leaves its bias gradients here)");
        w.Line($"global::NeuralNet.Gen.ConvolutionKernels.Pack{packing}<{T}>({weights}, packed{i}, geometry{i});");
        w.Line($"global::NeuralNet.Gen.ConvolutionKernels.Forward{kernel}<{T}>({step.Input}, packed{i}, {bias}, z{i}, " +
               $"{(g.PaddedSize > 0 ? $"padded{i}" : $"global::System.Span<{T}>.Empty")}, {(strategy == ConvolutionStrategy.Lowered ? $"columns{i}, " : "")}batchSize, geometry{i});");
        ActivationEmitter.EmitBatchActivation(w, c, plan);
    }

    public override void EmitBatchBackward(SourceWriter w, EmitContext c, BatchStep step)
    {
        var plan = step.Layer;
        var layer = plan.Spec;
        var geometry = plan.Geometry!;
        var strategy = plan.Strategy!.Value;
        string i = plan.Name, T = c.T;
        var downstream = step.InputGradient;
        w.Line($"// Backward through layer {i}: {Shapes(plan)}");
        if (!plan.IsLast) ActivationEmitter.EmitBatchActivationBackward(w, c, plan);
        var (kernel, packing) = Names(strategy);
        string empty = $"global::System.Span<{T}>.Empty";
        string lowered = strategy != ConvolutionStrategy.Lowered ? "" : $"columns{i}, {(downstream is not null ? $"columnGradients{i}" : empty)}, ";
        EmitGeometry(w, plan);
        w.Line($"packedGradients{i}.Clear();");
        w.Line($"global::NeuralNet.Gen.ConvolutionKernels.Backward{kernel}<{T}>({step.Input}, d{i}, packed{i}, packedGradients{i}, {Bias(layer, "g", i)}, " +
               $"{downstream ?? empty}, {(geometry.PaddedSize > 0 ? $"padded{i}" : empty)}, {(geometry.PaddedSize > 0 && downstream is not null ? $"paddedGradients{i}" : empty)}, {lowered}batchSize, geometry{i});");
        w.Line($"global::NeuralNet.Gen.ConvolutionKernels.Unpack{packing}Add<{T}>(packedGradients{i}, g.Slice({Int(layer.ParameterOffset)}, {Int(layer.WeightCount)}), geometry{i});");
    }

    /// <summary>The layer's geometry as the runtime's <c>Conv2DGeometry</c>, declared in each pass that calls a kernel.</summary>
    private static void EmitGeometry(SourceWriter w, LayerPlan plan)
    {
        var g = plan.Geometry!;
        w.Line($"var geometry{plan.Name} = new global::NeuralNet.Gen.Conv2DGeometry({Int(g.Height)}, {Int(g.Width)}, {Int(g.Channels)}, {Int(g.Filters)}, {Int(g.KernelSize)}, {Int(g.Stride)}, {Int(g.PadTop)}, {Int(g.PadLeft)}, {Int(g.OutputHeight)}, {Int(g.OutputWidth)});");
    }
}
