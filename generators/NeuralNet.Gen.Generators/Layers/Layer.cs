using System.Collections.Generic;
using System.Linq;
using NeuralNet.Gen.Generators.Emit;
using NeuralNet.Gen.Generators.Model;
using NeuralNet.Gen.Generators.Parsing;
using NeuralNet.Gen.Weights;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Layers;

/// <summary>
/// One layer kind, in one place (as Keras' <c>Layer</c> or PyTorch's <c>nn.Module</c>): how its attribute is read and
/// its output shape found, its parameters and buffers, its text, its forward and backward code on the batched path,
/// its ONNX description and its import names. Kinds are stateless singletons in <see cref="LayerRegistry"/>; the
/// network-level emitters walk the <see cref="NetworkPlan"/> and call the kind of each layer.
/// </summary>
internal abstract class Layer
{
    public abstract LayerKind Kind { get; }

    /// <summary>The attribute's class name, e.g. <c>DenseAttribute</c>.</summary>
    public string AttributeName => Kind + "Attribute";

    /// <summary>Reads the attribute and folds the input shape into the output shape; null (with findings) when it cannot.</summary>
    public abstract LayerSpec? Read(LayerReader reader);

    /// <summary>Weights, laid out as PyTorch's module (Dense: [units, inputs]; Conv2D: [filters, channels, kh, kw]).</summary>
    public virtual int WeightCount(LayerSpec layer) => 0;

    public virtual int BiasCount(LayerSpec layer) => 0;

    /// <summary>Fan-in and fan-out of the weights, as Keras counts them for initialisation.</summary>
    public virtual (int In, int Out) Fans(LayerSpec layer) => (0, 0);

    /// <summary>The element-wise activation the layer applies, or null when it has none.</summary>
    public virtual Activation? ActivationOf(LayerSpec layer) => null;

    /// <summary>Whether <see cref="Activation.Softmax"/> is allowed (over the layer's units); NNG0005 otherwise.</summary>
    public virtual bool SupportsSoftmax => true;

    /// <summary>As the user wrote it, e.g. <c>Dense(4, Relu)</c>: parser messages and import errors.</summary>
    public abstract string Description(LayerSpec layer);

    /// <summary>The layer's part of the architecture fingerprint. Must not change: parameter files carry it.</summary>
    public abstract string Fingerprint(LayerSpec layer);

    /// <summary>One line for comments and documentation: kind, shapes and where its parameters live.</summary>
    public abstract string Describe(LayerPlan layer);

    /// <summary>The Keras-style name in <c>Summary()</c>, e.g. <c>dense_2 (Dense, Relu)</c>.</summary>
    public abstract string SummaryName(LayerSpec layer, int ordinal);

    /// <summary>The PyTorch module whose parameter layout the layer copies, or null when it has no parameters.</summary>
    public virtual string? TorchModule => null;

    /// <summary>The <c>Parameters</c> documentation item of the layer, or null when it has no parameters.</summary>
    public virtual string? ParameterDocumentation(LayerPlan layer) => null;

    /// <summary>Fills the layer's parameters in <c>InitializeParameters</c> (span <c>p</c>, stream <c>random</c>).</summary>
    public virtual void EmitInitialization(SourceWriter w, EmitContext c, LayerPlan layer)
    {
    }

    /// <summary>
    /// The <c>global::NeuralNet.Gen.LayerDescription</c> expression that ONNX export reads (its kind's writer in the runtime's
    /// <c>Onnx/Layers/</c> turns it into nodes), or null when export does not know the kind; then the network is not described.
    /// </summary>
    public virtual string? OnnxDescription(LayerPlan layer) => null;

    /// <summary>A shape as the runtime's description takes it: its dimensions, channels last, comma-separated.</summary>
    public static string OnnxDimensions(Shape shape) => shape.Rank switch
    {
        1 => Int(shape.Channels),
        2 => $"{Int(shape.Height)}, {Int(shape.Channels)}",
        _ => $"{Int(shape.Height)}, {Int(shape.Width)}, {Int(shape.Channels)}",
    };

    /// <summary>
    /// What a weights file must hold for the layer and where it lands (its <c>*Import.cs</c> next to this file), or
    /// null when the kind takes none. <paramref name="bufferOffset"/> is where its buffers start;
    /// <paramref name="flattenedImage"/> the image a Flatten before it made, when its input is one.
    /// </summary>
    public virtual ImportedLayer? ImportLayout(LayerSpec layer, int bufferOffset, Shape? flattenedImage) => null;

    /// <summary>
    /// The image whose flattening the layer's output still is (<paramref name="flattenedImage"/> before it): PyTorch's
    /// weights for a Dense reading it have channels-first columns. A shape-keeping layer (Dropout) keeps it.
    /// </summary>
    public virtual Shape? FlattenedImageAfter(LayerSpec layer, Shape? flattenedImage) => layer.OutputShape == layer.InputShape ? flattenedImage : null;

    /// <summary>
    /// Whether PyTorch holds the layer's output sequence channels-first ([channels, steps], as nn.Conv1d writes it)
    /// where ours is [steps, channels], given whether its input is: PyTorch's weights for a Dense after a Flatten of
    /// it have channel-major columns. A layer whose output is a sequence keeps its input's layout (pools, Dropout,
    /// BatchNorm, activations); a per-step Dense or a recurrent layer (batch_first) writes channels-last.
    /// </summary>
    public virtual bool ChannelsFirstInTorch(LayerSpec layer, bool inputChannelsFirst) => inputChannelsFirst && layer.OutputShape.IsSequence;

    /// <summary>Non-trainable values of the layer in the network's <c>Buffers</c> (BatchNorm's running statistics).</summary>
    public virtual int BufferCount(LayerSpec layer) => 0;

    /// <summary>The <c>Buffers</c> documentation item of the layer, or null when it has no buffers.</summary>
    public virtual string? BufferDocumentation(LayerPlan layer) => null;

    /// <summary>Resets the layer's buffers in <c>InitializeParameters</c> (span <c>buffers</c>).</summary>
    public virtual void EmitBufferInitialization(SourceWriter w, EmitContext c, LayerPlan layer)
    {
    }

    /// <summary>
    /// Whether, at inference, this layer can take a per-channel affine map that follows it (a BatchNorm) into its
    /// weights and bias, and whether that pays: the kind's weights must be [channels, …] channel-major and the layer Linear.
    /// </summary>
    public virtual bool CanFoldNormalization(LayerPlan layer) => false;

    /// <summary>Whether, at inference, this layer is a per-channel affine map that may be folded into the layer it reads.</summary>
    public virtual bool FoldsIntoInput => false;

    /// <summary>The fewest samples a training batch may have (BatchNorm on a vector needs two to have a variance).</summary>
    public virtual int MinimumTrainingBatch(LayerSpec layer) => 1;

    /// <summary>Whether training draws random masks, so the network keeps a random stream.</summary>
    public virtual bool DrawsRandomMasks => false;

    /// <summary>
    /// Whether training must see the batch in one piece: batch statistics (a barrier across samples), or random masks
    /// drawn from one stream in sample order. Such a network trains each batch as one chunk, on the calling thread, so
    /// its results still do not depend on <c>MaxDegreeOfParallelism</c>.
    /// </summary>
    public virtual bool NeedsWholeBatch => DrawsRandomMasks;

    /// <summary>Whether the layer hands its input on as its output (no buffer of its own) in this mode.</summary>
    public virtual bool AliasesInput(bool training) => false;

    /// <summary>
    /// The number of a second layer whose output this one reads besides the previous layer's (0: the network's input),
    /// or null. The plan keeps that output for it, and the backward pass calls <see cref="EmitSecondInputGradient"/>
    /// just before that layer's own backward step, once every later reader has written its gradient.
    /// </summary>
    public virtual int? SecondInputIndex(LayerSpec layer) => null;

    /// <summary>Adds this layer's gradient for its second input into <see cref="BatchStep.SecondInputGradient"/> (which another reader wrote).</summary>
    public virtual void EmitSecondInputGradient(SourceWriter w, EmitContext c, BatchStep step)
    {
    }

    /// <summary>Picks how the layer runs (unrolled, kernel, geometry); the rest of the plan is derived from it.</summary>
    public virtual LayerChoices Choose(NetworkSpec spec, LayerSpec layer) => LayerChoices.None;

    /// <summary>Per-sample spans of the batch buffer, in layout order.</summary>
    public abstract IEnumerable<BufferSlot> SampleSlots(LayerPlan layer, bool training);

    /// <summary>Spans of the batch buffer allocated once, whatever the batch.</summary>
    public virtual IEnumerable<BufferSlot> WorkspaceSlots(LayerPlan layer, bool training) => Enumerable.Empty<BufferSlot>();

    /// <summary>The span of pre-activations the loss reads for the output layer, or null when it is the activation span.</summary>
    public virtual string? PreActivation(LayerPlan layer) => null;

    /// <summary>The layer over the whole batch: reads <see cref="BatchStep.Input"/>, writes its own slots.</summary>
    public abstract void EmitBatchForward(SourceWriter w, EmitContext c, BatchStep step);

    /// <summary>dL/d(input) into <see cref="BatchStep.InputGradient"/> and parameter gradients into <c>g</c>, from the layer's d span.</summary>
    public abstract void EmitBatchBackward(SourceWriter w, EmitContext c, BatchStep step);

    // Streaming (Step/ResetState): a network gets Step when some layer keeps state across steps and every layer is causal.
    // Step runs one row (one step's Channels values) through each layer: StepSlots are its scratch, StateCount its
    // share of the instance's state (zero after ResetState), EmitStep its code.

    /// <summary>Whether the layer can run one step at a time, seeing only the current and earlier steps.</summary>
    public virtual bool IsCausal(LayerSpec layer) => false;

    /// <summary>Whether the layer keeps state from step to step (recurrent, causal convolution): such a layer makes a causal network streaming.</summary>
    public virtual bool KeepsState(LayerSpec layer) => false;

    /// <summary>Values of state the layer keeps in the instance between <c>Step</c> calls (zero after <c>ResetState</c>).</summary>
    public virtual int StateCount(LayerSpec layer) => 0;

    /// <summary>Scratch of one <c>Step</c>: by default the layer's output row <c>s{name}</c>, none when it hands its input on.</summary>
    public virtual IEnumerable<BufferSlot> StepSlots(LayerPlan layer)
    {
        if (!AliasesInput(training: false)) yield return ValueSlot("s" + layer.Name, layer.Spec.OutputShape.Channels);
    }

    /// <summary>One step: reads the row <see cref="StreamStep.Input"/>, writes its step slots, updates <see cref="StreamStep.State"/>.</summary>
    public virtual void EmitStep(SourceWriter w, EmitContext c, StreamStep step) =>
        throw new System.InvalidOperationException(Kind + " does not stream.");

    /// <summary>
    /// Whether <c>Step</c> runs the layer as straight-line calls of <c>StepKernels</c> on weights packed once per
    /// parameter change (small layers, see <see cref="StepEmitter.UnrollMaxWeights"/>): a row's outputs are vector
    /// lanes, with no loop or span slicing in the generated code. Then <see cref="EmitUnrolledStep"/> runs it, with
    /// <see cref="UnrolledStepSlots"/> as its scratch and <see cref="StepWeightCount"/> packed values.
    /// </summary>
    public virtual bool UnrollsStep(LayerPlan layer) => false;

    /// <summary>Scratch of the unrolled step: its output row, padded for whole vectors, and its work rows (none by default).</summary>
    public virtual IEnumerable<BufferSlot> UnrolledStepSlots(LayerPlan layer) => Enumerable.Empty<BufferSlot>();

    /// <summary>
    /// The straight-line step: reads <paramref name="input"/> (locals or a span), updates <see cref="StreamStep.State"/>
    /// and returns where its output row is. It must sum as the batch path sums, so that Step equals Forward bit for bit.
    /// </summary>
    public virtual Values EmitUnrolledStep(SourceWriter w, EmitContext c, StreamStep step, Values input) =>
        throw new System.InvalidOperationException(Kind + " does not unroll its step.");

    /// <summary>Values of the layer's weights packed for its unrolled step (<c>StepKernels.Pack</c>), none by default.</summary>
    public virtual int StepWeightCount(LayerPlan layer) => 0;

    /// <summary>Packs the layer's weights from <c>p</c> into span <c>packed</c>, <see cref="StepWeightCount"/> values from <paramref name="offset"/>.</summary>
    public virtual void EmitStepWeightPacking(SourceWriter w, EmitContext c, LayerPlan layer, int offset)
    {
    }

    /// <summary>The packed size of a projection of <paramref name="inputs"/> onto <paramref name="outputs"/> (<c>StepKernels.PackedLength</c>).</summary>
    protected static int PackedLength(int inputs, int outputs) => (inputs + 1) * PaddedRow(outputs);

    /// <summary>A row of <paramref name="outputs"/> values as a projection writes it: rounded up to 16 (<c>StepKernels.Padded</c>).</summary>
    protected static int PaddedRow(int outputs) => (outputs + 15) / 16 * 16;

    /// <summary>
    /// Whether <see cref="EmitStepLanes"/> writes the unrolled step as straight-line code on whole vectors at constant
    /// offsets (the small layers of the Streaming sample's kinds); a network steps that way only if all its layers do.
    /// </summary>
    public virtual bool WritesStepLanes(LayerPlan layer) => false;

    /// <summary>
    /// The step in straight-line vector code, summing as <see cref="EmitUnrolledStep"/>'s kernels sum (the same bits):
    /// reads <see cref="LaneStep.Input"/>, writes its output row and returns where that row is.
    /// </summary>
    public virtual LaneRow EmitStepLanes(SourceWriter w, EmitContext c, LaneStep step) =>
        throw new System.InvalidOperationException(Kind + " does not write its step in lanes.");

    /// <summary>Integer fields the step keeps in the instance (a ring's position), zero after <c>ResetState</c>.</summary>
    public virtual IEnumerable<string> StepCounters(LayerPlan layer) => Enumerable.Empty<string>();

    protected static BufferSlot ValueSlot(string name, int size, bool trainingOnly = false) => new(name, size, trainingOnly, false);

    protected static BufferSlot IndexSlot(string name, int size) => new(name, size, true, true);
}

/// <summary>What a layer kind decided for one layer: unrolled or not, convolution geometry and kernel.</summary>
internal sealed record LayerChoices(bool Unrolled, ConvolutionGeometry? Geometry, ConvolutionStrategy? Strategy)
{
    public static readonly LayerChoices None = new(false, null, null);
}

/// <summary>A layer in <c>Step</c>: its plan, the row it reads, its slice of the instance's state, and where its packed step weights start (unrolled steps).</summary>
internal sealed record StreamStep(LayerPlan Layer, string Input, string State, int PackedOffset = 0)
{
    /// <summary>Values <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="count"/> of the layer's packed weights.</summary>
    public string Packed(int offset, int count) => $"packed.Slice({EmitContext.Int(PackedOffset + offset)}, {EmitContext.Int(count)})";
}

/// <summary>Values of a straight-line step from <paramref name="Offset"/> of <paramref name="Array"/>, a ref local (<c>x</c> the input, <c>work</c> the scratch, <c>stream</c> the state).</summary>
internal sealed record LaneRow(string Array, int Offset)
{
    /// <summary>The arguments naming value <paramref name="index"/> of the row: <c>ref array, offset</c>.</summary>
    public string At(int index) => $"ref {Array}, {EmitContext.Int(Offset + index)}";
}

/// <summary>
/// A layer of a straight-line step: where its input row is, its packed weights and state from their offsets, its
/// scratch slots by name (offsets into <c>scratch</c>), and the vector width (values per vector).
/// </summary>
internal sealed record LaneStep(LayerPlan Layer, LaneRow Input, int PackedOffset, int StateOffset, IReadOnlyDictionary<string, int> Slots, int Lanes)
{
    /// <summary>Vector k·<see cref="Lanes"/> of a row of <paramref name="count"/> values: how many vectors cover it.</summary>
    public int Vectors(int count) => (count + Lanes - 1) / Lanes;
}

/// <summary>
/// A layer on the batched path: its plan, the span it reads, and where its input's gradient goes (null for the network
/// input); for a layer with a second input (<see cref="Layer.SecondInputIndex"/>) the same for that one.
/// </summary>
internal sealed record BatchStep(LayerPlan Layer, string Input, string? InputGradient, bool Training, string? SecondInput = null, string? SecondInputGradient = null);
