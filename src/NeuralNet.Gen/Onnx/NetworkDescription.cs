using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace NeuralNet.Gen;

/// <summary>The kind of a described layer. New kinds are appended.</summary>
public enum LayerKind
{
    /// <summary>Fully connected: y = activation(W·x + b), W stored [units, inputSize] row-major, then b.</summary>
    Dense,
    /// <summary>2-D convolution over a channels-last image: W stored [filters, channels, kh, kw] row-major, then b.</summary>
    Conv2D,
    /// <summary>The maximum of each pool window, per channel.</summary>
    MaxPool2D,
    /// <summary>Any shape as one vector, in row-major (channels-last) order.</summary>
    Flatten,
    /// <summary>Identity at inference.</summary>
    Dropout,
    /// <summary>An element-wise activation on its own.</summary>
    Activation,
    /// <summary>BatchNorm at inference, per channel (the last axis): weight [C] then bias [C] in the parameters, running mean [C] then running variance [C] in the buffers.</summary>
    BatchNorm,
    /// <summary>The sum of the previous output and the output of <see cref="LayerDescription.SecondInput"/> (equal shapes).</summary>
    Add,
    /// <summary>The previous output and the output of <see cref="LayerDescription.SecondInput"/> joined along the last axis.</summary>
    Concatenate,
    /// <summary>nn.RNN over a sequence: weight_ih [units, features], weight_hh [units, units], bias_ih [units], bias_hh [units].</summary>
    SimpleRNN,
    /// <summary>nn.GRU over a sequence, gates r, z, n: weight_ih [3·units, features], weight_hh [3·units, units], bias_ih, bias_hh [3·units].</summary>
    GRU,
    /// <summary>nn.LSTM over a sequence, gates i, f, g, o: weight_ih [4·units, features], weight_hh [4·units, units], bias_ih, bias_hh [4·units].</summary>
    LSTM,
    /// <summary>1-D convolution over a [steps, features] sequence: W stored [filters, features, kernel] row-major, then b.</summary>
    Conv1D,
    /// <summary>The maximum of each window of a sequence's steps, per feature.</summary>
    MaxPool1D,
    /// <summary>The mean of each window of a sequence's steps, per feature.</summary>
    AveragePool1D,
    /// <summary>The mean of each square pool window of an image, per channel.</summary>
    AveragePool2D,
    /// <summary>The mean of each channel over every step of a sequence or every position of an image: a vector.</summary>
    GlobalAveragePool,
    /// <summary>The maximum of each channel over every step of a sequence or every position of an image: a vector.</summary>
    GlobalMaxPool,
    /// <summary>LayerNorm over the last axis of each row (sample, step or position): weight [C] then bias [C], as nn.LayerNorm(C).</summary>
    LayerNorm,
}

/// <summary>
/// One layer of a <see cref="NetworkDescription"/>: what it computes, the shapes it reads and writes (per sample,
/// channels-last: a vector [n], an image [height, width, channels], a sequence [steps, features]), which earlier
/// output it reads and where its parameters sit.
/// </summary>
public sealed class LayerDescription
{
    private static readonly int[] None = [];

    private LayerDescription(LayerKind kind, int[] inputShape, int[] outputShape, Activation activation, int parameterOffset)
    {
        Kind = kind;
        InputShape = Array.AsReadOnly(inputShape);
        OutputShape = Array.AsReadOnly(outputShape);
        Activation = activation;
        ParameterOffset = parameterOffset;
    }

    /// <summary>What the layer computes.</summary>
    public LayerKind Kind { get; }
    /// <summary>The per-sample shape the layer reads, channels last.</summary>
    public IReadOnlyList<int> InputShape { get; }
    /// <summary>The per-sample shape the layer writes, channels last.</summary>
    public IReadOnlyList<int> OutputShape { get; }
    /// <summary>Values the layer reads per sample.</summary>
    public int InputSize => Product(InputShape);
    /// <summary>Values the layer writes per sample.</summary>
    public int OutputSize => Product(OutputShape);
    /// <summary>Dense units or Conv2D filters (the last axis of the output).</summary>
    public int Units => OutputShape[OutputShape.Count - 1];
    /// <summary>Applied after the layer's transform (Linear when none).</summary>
    public Activation Activation { get; }
    /// <summary>Index of the layer's first parameter (its weights, then its bias) in <see cref="INetwork{T}.Parameters"/>.</summary>
    public int ParameterOffset { get; }
    /// <summary>Whether the layer adds a bias after its weights.</summary>
    public bool UseBias { get; private init; } = true;
    /// <summary>Conv2D kernel side or a pooling layer's pool side (steps for 1-D pools); 0 for other kinds.</summary>
    public int KernelSize { get; private init; }
    /// <summary>Conv2D or a windowed pooling layer's stride; 0 for other kinds.</summary>
    public int Stride { get; private init; }
    /// <summary>Zero rows added above the image (Conv2D); zero steps before the sequence (Conv1D).</summary>
    public int PadTop { get; private init; }
    /// <summary>Zero columns added left of the image (Conv2D).</summary>
    public int PadLeft { get; private init; }
    /// <summary>Steps between a Conv1D kernel's taps; 1 for other kinds.</summary>
    public int Dilation { get; private init; } = 1;
    /// <summary>BatchNorm's or LayerNorm's epsilon; 0 for other kinds.</summary>
    public double Epsilon { get; private init; }
    /// <summary>Index of BatchNorm's running mean (then its running variance) in <see cref="INetwork{T}.Buffers"/>; 0 for other kinds.</summary>
    public int BufferOffset { get; private init; }
    /// <summary>The index of the earlier layer whose output this layer reads; -1 for the network's input. The previous layer unless set with <see cref="ReadingFrom"/>.</summary>
    public int? Input { get; private init; }
    /// <summary>Add and Concatenate: the index of the earlier layer whose output is the second operand; -1 for the network's input; null for other kinds.</summary>
    public int? SecondInput { get; private init; }
    /// <summary>A recurrent layer's output: every step's state (true) or the last step's (false).</summary>
    public bool ReturnSequences { get; private init; }

    /// <summary>Whether the layer is SimpleRNN, GRU or LSTM.</summary>
    public bool IsRecurrent => Kind is LayerKind.SimpleRNN or LayerKind.GRU or LayerKind.LSTM;

    /// <summary>G, the gate blocks of a recurrent layer's weights (SimpleRNN 1, GRU 3, LSTM 4); 0 for other kinds.</summary>
    public int Gates => Kind switch { LayerKind.SimpleRNN => 1, LayerKind.GRU => 3, LayerKind.LSTM => 4, _ => 0 };

    /// <summary>Zero rows below the image: what the last window needs past the input, never negative.</summary>
    public int PadBottom => Kind switch
    {
        LayerKind.Conv2D => ConvolutionArithmetic.PaddingAfter(InputShape[0], PadTop, OutputShape[0], KernelSize, Stride),
        LayerKind.Conv1D => ConvolutionArithmetic.PaddingAfter(InputShape[0], PadTop, OutputShape[0], Dilation * (KernelSize - 1) + 1, Stride),
        _ => 0,
    };
    /// <summary>Zero columns right of the image.</summary>
    public int PadRight => Kind == LayerKind.Conv2D ? ConvolutionArithmetic.PaddingAfter(InputShape[1], PadLeft, OutputShape[1], KernelSize, Stride) : 0;

    /// <summary>Weights the layer owns (Dense: units × inputs; Conv2D: filters × channels × kernel²).</summary>
    public int WeightCount => Kind switch
    {
        LayerKind.Dense => checked(Units * InputShape[InputShape.Count - 1]),
        LayerKind.Conv2D => checked(Units * InputShape[2] * KernelSize * KernelSize),
        LayerKind.Conv1D => checked(Units * InputShape[1] * KernelSize),
        LayerKind.BatchNorm or LayerKind.LayerNorm => Units,
        _ when IsRecurrent => checked(Gates * Units * (InputShape[InputShape.Count - 1] + Units)),
        _ => 0,
    };
    /// <summary>Biases the layer owns (one per unit or filter when <see cref="UseBias"/>; a recurrent layer's bias_ih and bias_hh).</summary>
    public int BiasCount => IsRecurrent ? 2 * Gates * Units : WeightCount > 0 && UseBias ? Units : 0;
    /// <summary>Parameters the layer owns: weights, then biases.</summary>
    public int ParameterCount => checked(WeightCount + BiasCount);

    /// <summary>A Dense layer whose weights [units, inputSize] start at <paramref name="parameterOffset"/>, its bias right after (when <paramref name="useBias"/>).</summary>
    public static LayerDescription Dense(int inputSize, int units, Activation activation, int parameterOffset, bool useBias = true)
    {
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "A Dense layer needs a positive input size.");
        if (units <= 0) throw new ArgumentOutOfRangeException(nameof(units), units, "A Dense layer needs a positive number of units.");
        CheckOffset(parameterOffset);
        CheckActivation(activation);
        return new LayerDescription(LayerKind.Dense, [inputSize], [units], activation, parameterOffset) { UseBias = useBias };
    }

    /// <summary>
    /// A Dense layer applied to each of <paramref name="steps"/> rows of <paramref name="features"/> values with the same
    /// weights [units, features] (then bias): [steps, features] to [steps, units].
    /// </summary>
    public static LayerDescription DensePerStep(int steps, int features, int units, Activation activation, int parameterOffset, bool useBias = true)
    {
        if (steps <= 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "A sequence needs a positive number of steps.");
        var dense = Dense(features, units, activation, parameterOffset, useBias);
        return new LayerDescription(LayerKind.Dense, [steps, features], [steps, units], activation, parameterOffset) { UseBias = dense.UseBias };
    }

    /// <summary>
    /// A recurrent layer (<see cref="LayerKind.SimpleRNN"/>, <see cref="LayerKind.GRU"/> or <see cref="LayerKind.LSTM"/>) over
    /// [steps, features], writing [steps, units] when <paramref name="returnSequences"/>, else [units]; PyTorch's weight_ih,
    /// weight_hh, bias_ih, bias_hh from <paramref name="parameterOffset"/>. <paramref name="activation"/> is SimpleRNN's
    /// (Tanh for the gated kinds).
    /// </summary>
    public static LayerDescription Recurrent(LayerKind kind, int steps, int features, int units, bool returnSequences, Activation activation, int parameterOffset)
    {
        if (kind is not (LayerKind.SimpleRNN or LayerKind.GRU or LayerKind.LSTM)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "A recurrent layer is SimpleRNN, GRU or LSTM.");
        if (steps <= 0 || features <= 0) throw new ArgumentOutOfRangeException(nameof(steps), $"A sequence needs positive steps and features, not {steps}x{features}.");
        if (units <= 0) throw new ArgumentOutOfRangeException(nameof(units), units, "A recurrent layer needs a positive number of units.");
        CheckOffset(parameterOffset);
        CheckActivation(activation);
        if (kind != LayerKind.SimpleRNN && activation != Activation.Tanh) throw new ArgumentOutOfRangeException(nameof(activation), activation, $"{kind} uses Tanh.");
        int[] output = returnSequences ? [steps, units] : [units];
        return new LayerDescription(kind, [steps, features], output, activation, parameterOffset) { ReturnSequences = returnSequences };
    }

    /// <summary>
    /// A Conv2D layer over a [height, width, channels] image writing [outputHeight, outputWidth, filters]; weights
    /// [filters, channels, kernel, kernel] at <paramref name="parameterOffset"/>, then the bias when <paramref name="useBias"/>.
    /// </summary>
    public static LayerDescription Conv2D(int height, int width, int channels, int filters, int kernelSize, int stride, int padTop, int padLeft,
        int outputHeight, int outputWidth, Activation activation, int parameterOffset, bool useBias = true)
    {
        CheckImage(height, width, channels);
        if (filters <= 0) throw new ArgumentOutOfRangeException(nameof(filters), filters, "A Conv2D layer needs a positive number of filters.");
        if (kernelSize <= 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "The kernel size must be positive.");
        if (stride <= 0) throw new ArgumentOutOfRangeException(nameof(stride), stride, "The stride must be positive.");
        if (padTop < 0 || padTop >= kernelSize) throw new ArgumentOutOfRangeException(nameof(padTop), padTop, $"The top padding must be in [0, {kernelSize}).");
        if (padLeft < 0 || padLeft >= kernelSize) throw new ArgumentOutOfRangeException(nameof(padLeft), padLeft, $"The left padding must be in [0, {kernelSize}).");
        CheckWindows(nameof(outputHeight), outputHeight, height + padTop, kernelSize, stride, kernelSize - 1);
        CheckWindows(nameof(outputWidth), outputWidth, width + padLeft, kernelSize, stride, kernelSize - 1);
        CheckOffset(parameterOffset);
        CheckActivation(activation);
        return new LayerDescription(LayerKind.Conv2D, [height, width, channels], [outputHeight, outputWidth, filters], activation, parameterOffset)
        {
            UseBias = useBias, KernelSize = kernelSize, Stride = stride, PadTop = padTop, PadLeft = padLeft,
        };
    }

    /// <summary>
    /// A Conv1D layer over a [steps, channels] sequence writing [outputSteps, filters]: output step t reads input steps
    /// t·stride + j·dilation − padBefore; weights [filters, channels, kernel] at <paramref name="parameterOffset"/>, then the
    /// bias when <paramref name="useBias"/>.
    /// </summary>
    public static LayerDescription Conv1D(int steps, int channels, int filters, int kernelSize, int stride, int dilation, int padBefore, int outputSteps,
        Activation activation, int parameterOffset, bool useBias = true)
    {
        if (steps <= 0 || channels <= 0) throw new ArgumentOutOfRangeException(nameof(steps), $"A sequence needs positive steps and features, not {steps}x{channels}.");
        if (filters <= 0) throw new ArgumentOutOfRangeException(nameof(filters), filters, "A Conv1D layer needs a positive number of filters.");
        if (kernelSize <= 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "The kernel size must be positive.");
        if (stride <= 0) throw new ArgumentOutOfRangeException(nameof(stride), stride, "The stride must be positive.");
        if (dilation <= 0) throw new ArgumentOutOfRangeException(nameof(dilation), dilation, "The dilation must be positive.");
        int span = dilation * (kernelSize - 1) + 1;
        if (padBefore < 0 || padBefore >= span) throw new ArgumentOutOfRangeException(nameof(padBefore), padBefore, $"The padding before must be in [0, {span}).");
        CheckWindows(nameof(outputSteps), outputSteps, steps + padBefore, span, stride, span - 1);
        CheckOffset(parameterOffset);
        CheckActivation(activation);
        return new LayerDescription(LayerKind.Conv1D, [steps, channels], [outputSteps, filters], activation, parameterOffset)
        {
            UseBias = useBias, KernelSize = kernelSize, Stride = stride, Dilation = dilation, PadTop = padBefore,
        };
    }

    /// <summary>A MaxPool2D layer over a [height, width, channels] image, windows <paramref name="poolSize"/>² every <paramref name="stride"/>, no padding.</summary>
    public static LayerDescription MaxPool2D(int height, int width, int channels, int poolSize, int stride)
    {
        CheckImage(height, width, channels);
        if (poolSize <= 0 || poolSize > Math.Min(height, width)) throw new ArgumentOutOfRangeException(nameof(poolSize), poolSize, $"The pool size must be in [1, {Math.Min(height, width)}].");
        if (stride <= 0) throw new ArgumentOutOfRangeException(nameof(stride), stride, "The stride must be positive.");
        int[] output = [(height - poolSize) / stride + 1, (width - poolSize) / stride + 1, channels];
        return new LayerDescription(LayerKind.MaxPool2D, [height, width, channels], output, Activation.Linear, 0) { KernelSize = poolSize, Stride = stride };
    }

    /// <summary>A MaxPool1D layer over a [steps, features] sequence, windows of <paramref name="poolSize"/> steps every <paramref name="stride"/>, no padding.</summary>
    public static LayerDescription MaxPool1D(int steps, int features, int poolSize, int stride) => Pool1D(LayerKind.MaxPool1D, steps, features, poolSize, stride);

    /// <summary>An AveragePool1D layer over a [steps, features] sequence, windows of <paramref name="poolSize"/> steps every <paramref name="stride"/>, no padding.</summary>
    public static LayerDescription AveragePool1D(int steps, int features, int poolSize, int stride) => Pool1D(LayerKind.AveragePool1D, steps, features, poolSize, stride);

    /// <summary>An AveragePool2D layer over a [height, width, channels] image, windows <paramref name="poolSize"/>² every <paramref name="stride"/>, no padding.</summary>
    public static LayerDescription AveragePool2D(int height, int width, int channels, int poolSize, int stride)
    {
        var max = MaxPool2D(height, width, channels, poolSize, stride);
        return new LayerDescription(LayerKind.AveragePool2D, [height, width, channels], max.OutputShape.ToArray(), Activation.Linear, 0) { KernelSize = poolSize, Stride = stride };
    }

    /// <summary>A GlobalAveragePool of a sequence [steps, features] or an image [height, width, channels] to [channels].</summary>
    public static LayerDescription GlobalAveragePool(params int[] inputShape) => GlobalPool(LayerKind.GlobalAveragePool, inputShape);

    /// <summary>A GlobalMaxPool of a sequence [steps, features] or an image [height, width, channels] to [channels].</summary>
    public static LayerDescription GlobalMaxPool(params int[] inputShape) => GlobalPool(LayerKind.GlobalMaxPool, inputShape);

    private static LayerDescription Pool1D(LayerKind kind, int steps, int features, int poolSize, int stride)
    {
        if (steps <= 0 || features <= 0)
            throw new ArgumentOutOfRangeException(nameof(steps), $"A sequence needs positive steps and features, not {steps}x{features}.");
        if (poolSize <= 0 || poolSize > steps) throw new ArgumentOutOfRangeException(nameof(poolSize), poolSize, $"The pool size must be in [1, {steps}].");
        if (stride <= 0) throw new ArgumentOutOfRangeException(nameof(stride), stride, "The stride must be positive.");
        return new LayerDescription(kind, [steps, features], [ConvolutionArithmetic.PoolOutput(steps, poolSize, stride), features], Activation.Linear, 0) { KernelSize = poolSize, Stride = stride };
    }

    private static LayerDescription GlobalPool(LayerKind kind, int[] inputShape)
    {
        int[] shape = CheckShape(inputShape);
        if (shape.Length < 2) throw new ArgumentException($"{kind} needs a sequence or an image, not a vector.", nameof(inputShape));
        return new LayerDescription(kind, shape, [shape[shape.Length - 1]], Activation.Linear, 0);
    }

    /// <summary>A Flatten of <paramref name="inputShape"/> (rank 2 or 3) into one vector in row-major order.</summary>
    public static LayerDescription Flatten(params int[] inputShape)
    {
        int[] shape = CheckShape(inputShape);
        if (shape.Length < 2) throw new ArgumentException("Flatten needs a sequence or an image, not a vector.", nameof(inputShape));
        return new LayerDescription(LayerKind.Flatten, shape, [Product(shape)], Activation.Linear, 0);
    }

    /// <summary>A Dropout on <paramref name="shape"/>: the identity at inference.</summary>
    public static LayerDescription Dropout(params int[] shape)
    {
        int[] s = CheckShape(shape);
        return new LayerDescription(LayerKind.Dropout, s, (int[])s.Clone(), Activation.Linear, 0);
    }

    /// <summary>An element-wise <paramref name="activation"/> on <paramref name="shape"/> (Softmax over the last axis).</summary>
    public static LayerDescription ActivationLayer(Activation activation, params int[] shape)
    {
        int[] s = CheckShape(shape);
        CheckActivation(activation);
        return new LayerDescription(LayerKind.Activation, s, (int[])s.Clone(), activation, 0);
    }

    /// <summary>
    /// A BatchNorm at inference over <paramref name="shape"/> (per channel, the last axis): weight then bias at
    /// <paramref name="parameterOffset"/>, running mean then running variance at <paramref name="bufferOffset"/> of the buffers.
    /// </summary>
    public static LayerDescription BatchNorm(double epsilon, int parameterOffset, int bufferOffset, params int[] shape)
    {
        int[] s = CheckShape(shape);
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be positive.");
        CheckOffset(parameterOffset);
        if (bufferOffset < 0) throw new ArgumentOutOfRangeException(nameof(bufferOffset), bufferOffset, "The buffer offset cannot be negative.");
        return new LayerDescription(LayerKind.BatchNorm, s, (int[])s.Clone(), Activation.Linear, parameterOffset) { Epsilon = epsilon, BufferOffset = bufferOffset };
    }

    /// <summary>A LayerNorm over the last axis of <paramref name="shape"/>: weight then bias at <paramref name="parameterOffset"/>.</summary>
    public static LayerDescription LayerNorm(double epsilon, int parameterOffset, params int[] shape)
    {
        int[] s = CheckShape(shape);
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be positive.");
        CheckOffset(parameterOffset);
        return new LayerDescription(LayerKind.LayerNorm, s, (int[])s.Clone(), Activation.Linear, parameterOffset) { Epsilon = epsilon };
    }

    /// <summary>
    /// An Add of the previous output and the output of layer <paramref name="second"/> (-1: the network's input), both of
    /// <paramref name="shape"/>.
    /// </summary>
    public static LayerDescription Add(int second, params int[] shape)
    {
        int[] s = CheckShape(shape);
        return new LayerDescription(LayerKind.Add, s, (int[])s.Clone(), Activation.Linear, 0) { SecondInput = CheckSource(second) };
    }

    /// <summary>
    /// A Concatenate along the last axis of the previous output, of <paramref name="inputShape"/>, and the output of layer
    /// <paramref name="second"/> (-1: the network's input), of the same shape but for its <paramref name="secondChannels"/> last axis.
    /// </summary>
    public static LayerDescription Concatenate(int second, int secondChannels, params int[] inputShape)
    {
        int[] s = CheckShape(inputShape);
        if (secondChannels <= 0) throw new ArgumentOutOfRangeException(nameof(secondChannels), secondChannels, "The second operand needs a positive last axis.");
        int[] output = (int[])s.Clone();
        output[output.Length - 1] += secondChannels;
        return new LayerDescription(LayerKind.Concatenate, s, output, Activation.Linear, 0) { SecondInput = CheckSource(second) };
    }

    /// <summary>The shape the second operand of an Add or Concatenate must have.</summary>
    internal int[] SecondShape()
    {
        int[] shape = InputShape.ToArray();
        if (Kind == LayerKind.Concatenate) shape[shape.Length - 1] = OutputShape[OutputShape.Count - 1] - shape[shape.Length - 1];
        return shape;
    }

    private static int CheckSource(int layerIndex) =>
        layerIndex < -1 ? throw new ArgumentOutOfRangeException(nameof(layerIndex), layerIndex, "A layer reads an earlier layer (index 0 or more) or the network's input (-1).") : layerIndex;

    /// <summary>This layer reading the output of layer <paramref name="layerIndex"/> (-1: the network's input) instead of the previous layer's.</summary>
    public LayerDescription ReadingFrom(int layerIndex)
    {
        if (layerIndex < -1) throw new ArgumentOutOfRangeException(nameof(layerIndex), layerIndex, "A layer reads an earlier layer (index 0 or more) or the network's input (-1).");
        return new LayerDescription(Kind, InputShape.ToArray(), OutputShape.ToArray(), Activation, ParameterOffset)
        {
            UseBias = UseBias, KernelSize = KernelSize, Stride = Stride, Dilation = Dilation, PadTop = PadTop, PadLeft = PadLeft, Input = layerIndex, SecondInput = SecondInput,
            Epsilon = Epsilon, BufferOffset = BufferOffset, ReturnSequences = ReturnSequences,
        };
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Kind} [{string.Join("x", InputShape)}] -> [{string.Join("x", OutputShape)}]" +
        (Activation != Activation.Linear ? $", {Activation}" : "") +
        (ParameterCount > 0 ? $" (parameters at {ParameterOffset})" : "");

    internal static int Product(IReadOnlyList<int> shape)
    {
        long size = 1;
        foreach (int d in shape) size *= d;
        return checked((int)size);
    }

    private static int[] CheckShape(int[] shape)
    {
        if (shape is null) throw new ArgumentNullException(nameof(shape));
        if (shape.Length is < 1 or > 3) throw new ArgumentException($"A shape has rank 1, 2 or 3, not {shape.Length}.", nameof(shape));
        foreach (int d in shape)
            if (d <= 0) throw new ArgumentOutOfRangeException(nameof(shape), d, "Every dimension must be positive.");
        return (int[])shape.Clone();
    }

    private static void CheckImage(int height, int width, int channels)
    {
        if (height <= 0 || width <= 0 || channels <= 0)
            throw new ArgumentOutOfRangeException(nameof(height), $"An image needs positive height, width and channels, not {height}x{width}x{channels}.");
    }

    /// <summary>The output side must be the number of windows that fit, with at most <paramref name="maxPadAfter"/> zeros past the end.</summary>
    private static void CheckWindows(string name, int output, int paddedInput, int kernel, int stride, int maxPadAfter)
    {
        int least = Math.Max(1, (paddedInput - kernel) / stride + 1);
        int most = (paddedInput + maxPadAfter - kernel) / stride + 1;
        if (output < least || output > most)
            throw new ArgumentOutOfRangeException(name, output, $"The output side must be between {least} and {most} for this input, kernel and stride.");
    }

    private static void CheckOffset(int parameterOffset)
    {
        if (parameterOffset < 0) throw new ArgumentOutOfRangeException(nameof(parameterOffset), parameterOffset, "The parameter offset cannot be negative.");
    }

    private static void CheckActivation(Activation activation)
    {
        if (!Enum.IsDefined(typeof(Activation), activation)) throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
    }
}

/// <summary>
/// A network's layers as data, enough to rebuild its computation elsewhere (ONNX export). Generated networks
/// offer it through <see cref="IDescribedNetwork"/>; it can also be built by hand for a network of known shape.
/// </summary>
public sealed class NetworkDescription
{
    /// <summary>A network reading vectors of <paramref name="inputSize"/> values.</summary>
    /// <exception cref="ArgumentException">The layers do not chain, overlap, or run past <paramref name="parameterCount"/>.</exception>
    public NetworkDescription(Precision precision, int inputSize, int parameterCount, IEnumerable<LayerDescription> layers)
        : this(precision, [inputSize], parameterCount, layers)
    {
    }

    /// <summary>
    /// A network of <paramref name="precision"/> reading <paramref name="inputShape"/> per sample (channels last: [n],
    /// [steps, features] or [height, width, channels]). Checks that each of the <paramref name="layers"/> reads the
    /// shape that its source (the previous layer, or the one it names) writes and that the parameters fit in
    /// <paramref name="parameterCount"/> without overlapping.
    /// </summary>
    /// <exception cref="ArgumentException">The layers do not chain, overlap, or run past <paramref name="parameterCount"/>.</exception>
    public NetworkDescription(Precision precision, int[] inputShape, int parameterCount, IEnumerable<LayerDescription> layers)
    {
        if (layers is null) throw new ArgumentNullException(nameof(layers));
        if (inputShape is null) throw new ArgumentNullException(nameof(inputShape));
        if (inputShape.Length is < 1 or > 3) throw new ArgumentException($"The input has rank 1, 2 or 3, not {inputShape.Length}.", nameof(inputShape));
        foreach (int d in inputShape)
            if (d <= 0) throw new ArgumentOutOfRangeException(nameof(inputShape), d, "The input size must be positive.");
        if (parameterCount < 0) throw new ArgumentOutOfRangeException(nameof(parameterCount), parameterCount, "The parameter count cannot be negative.");
        var list = new List<LayerDescription>(layers);
        if (list.Count == 0) throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        var used = new List<(int Start, int End, int Index)>();
        for (int i = 0; i < list.Count; i++)
        {
            var layer = list[i] ?? throw new ArgumentException($"Layer {i} is null.", nameof(layers));
            int source = SourceOf(layer, i);
            if (source >= i) throw new ArgumentException($"Layer {i} ({layer}) reads layer {source}, which is not before it.", nameof(layers));
            IReadOnlyList<int> read = source < 0 ? inputShape : list[source].OutputShape;
            if (!read.SequenceEqual(layer.InputShape))
                throw new ArgumentException(
                    $"Layer {i} ({layer}) reads [{string.Join("x", layer.InputShape)}] but {(source < 0 ? "the network's input is" : $"layer {source} writes")} [{string.Join("x", read)}].", nameof(layers));
            if (layer.SecondInput is { } second)
            {
                if (second >= i) throw new ArgumentException($"Layer {i} ({layer}) reads layer {second} as its second operand, which is not before it.", nameof(layers));
                IReadOnlyList<int> other = second < 0 ? inputShape : list[second].OutputShape;
                if (!other.SequenceEqual(layer.SecondShape()))
                    throw new ArgumentException(
                        $"Layer {i} ({layer}) needs [{string.Join("x", layer.SecondShape())}] as its second operand but {(second < 0 ? "the network's input is" : $"layer {second} writes")} [{string.Join("x", other)}].", nameof(layers));
            }
            if (layer.ParameterCount == 0) continue;
            long end = (long)layer.ParameterOffset + layer.ParameterCount;
            if (end > parameterCount)
                throw new ArgumentException($"Layer {i} ({layer}) needs parameters up to index {end} but the network has {parameterCount}.", nameof(layers));
            foreach (var (start, otherEnd, index) in used)
            {
                if (layer.ParameterOffset < otherEnd && start < end)
                    throw new ArgumentException($"The parameters of layer {i} overlap those of layer {index}.", nameof(layers));
            }
            used.Add((layer.ParameterOffset, (int)end, i));
        }

        Precision = precision;
        InputShape = Array.AsReadOnly((int[])inputShape.Clone());
        ParameterCount = parameterCount;
        Layers = new ReadOnlyCollection<LayerDescription>(list);
    }

    /// <summary>Element type of the parameters.</summary>
    public Precision Precision { get; }
    /// <summary>The per-sample input shape, channels last.</summary>
    public IReadOnlyList<int> InputShape { get; }
    /// <summary>Values per input sample.</summary>
    public int InputSize => LayerDescription.Product(InputShape);
    /// <summary>The per-sample output shape (the last layer's).</summary>
    public IReadOnlyList<int> OutputShape => Layers[Layers.Count - 1].OutputShape;
    /// <summary>Values per output sample.</summary>
    public int OutputSize => Layers[Layers.Count - 1].OutputSize;
    /// <summary>Length of the network's parameter buffer.</summary>
    public int ParameterCount { get; }
    /// <summary>The layers in order, input to output.</summary>
    public IReadOnlyList<LayerDescription> Layers { get; }

    /// <summary>The index of the layer that <paramref name="layer"/> (at <paramref name="index"/>) reads; -1 for the network's input.</summary>
    public static int SourceOf(LayerDescription layer, int index) => layer?.Input ?? index - 1;

    /// <summary>
    /// A stack of Dense layers laid out as generated networks lay them out: layer by layer, weights [units, in]
    /// row-major, then biases, starting at 0.
    /// </summary>
    public static NetworkDescription DenseStack(Precision precision, int inputSize, params (int Units, Activation Activation)[] layers)
    {
        if (layers is null) throw new ArgumentNullException(nameof(layers));
        var list = new List<LayerDescription>(layers.Length);
        int offset = 0, size = inputSize;
        foreach (var (units, activation) in layers)
        {
            var layer = LayerDescription.Dense(size, units, activation, offset);
            list.Add(layer);
            offset = checked(offset + layer.ParameterCount);
            size = units;
        }
        return new NetworkDescription(precision, inputSize, offset, list);
    }
}

/// <summary>A network that can describe its own layers; generated networks implement it.</summary>
public interface IDescribedNetwork
{
    /// <summary>The network's layers and parameter layout.</summary>
    NetworkDescription Description { get; }
}
