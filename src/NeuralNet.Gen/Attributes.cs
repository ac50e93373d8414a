using System;

namespace NeuralNet.Gen;

/// <summary>Marks a <c>partial class</c> as a network whose code the NeuralNet.Gen generator writes.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>Element type: <see cref="Precision.Single"/> (float, the default) or <see cref="Precision.Double"/>.</summary>
    public Precision Precision { get; set; } = Precision.Single;

    /// <summary>Seed of the parameterless constructor's deterministic initialisation.</summary>
    public int Seed { get; set; }

    /// <summary>
    /// Batch buffers are sized at construction for batches of up to this many samples, so no call up to that size
    /// allocates; 0 (the default) lets them grow on the first call at a larger batch. See also the generated
    /// <c>EnsureBatchCapacity</c>.
    /// </summary>
    public int MaxBatchSize { get; set; }
}

/// <summary>The input shape; must be the first layer.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class InputAttribute : Attribute
{
    /// <summary>A vector input of <paramref name="size"/> values.</summary>
    public InputAttribute(int size) { Size = size; Height = 1; Width = 1; Channels = size; }

    /// <summary>A sequence input: <paramref name="steps"/> rows of <paramref name="features"/> values, row-major (Keras's (timesteps, features)).</summary>
    public InputAttribute(int steps, int features) { Height = steps; Width = 1; Channels = features; Size = steps * features; }

    /// <summary>An image input, height × width × channels, channels last.</summary>
    public InputAttribute(int height, int width, int channels) { Height = height; Width = width; Channels = channels; Size = height * width * channels; }

    /// <summary>Number of values per sample.</summary>
    public int Size { get; }
    /// <summary>Image height, or the steps of a sequence (1 for a vector input).</summary>
    public int Height { get; }
    /// <summary>Image width (1 for a vector or sequence input).</summary>
    public int Width { get; }
    /// <summary>Channels of an image, features of a sequence, or the size of a vector input.</summary>
    public int Channels { get; }
}

/// <summary>A fully connected layer: y = activation(W·x + b), W stored [units, inputs] as PyTorch's nn.Linear.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : LayerAttribute
{
    /// <summary>Creates a dense layer.</summary>
    public DenseAttribute(int units, Activation activation = Activation.Linear) { Units = units; Activation = activation; }

    /// <summary>Number of output units.</summary>
    public int Units { get; }
    /// <summary>Activation after the affine transform.</summary>
    public Activation Activation { get; }
    /// <summary>Weight initialiser; by default He for the ReLU family, Glorot otherwise.</summary>
    public WeightInit WeightInit { get; set; }
    /// <summary>Whether the layer has a bias (PyTorch's <c>bias=True</c>); without one its bias block is absent from <c>Parameters</c>.</summary>
    public bool UseBias { get; set; } = true;
}

/// <summary>A 2-D convolution over a height × width × channels input.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DAttribute : LayerAttribute
{
    /// <summary>Creates a convolution layer with square kernels.</summary>
    public Conv2DAttribute(int filters, int kernelSize, Activation activation = Activation.Linear) { Filters = filters; KernelSize = kernelSize; Activation = activation; }

    /// <summary>Number of output channels.</summary>
    public int Filters { get; }
    /// <summary>Side of the square kernel.</summary>
    public int KernelSize { get; }
    /// <summary>Activation after the convolution.</summary>
    public Activation Activation { get; }
    /// <summary>Step between kernel positions.</summary>
    public int Stride { get; set; } = 1;
    /// <summary>Border handling.</summary>
    public Padding Padding { get; set; } = Padding.Valid;
    /// <summary>Weight initialiser; by default He for the ReLU family, Glorot otherwise.</summary>
    public WeightInit WeightInit { get; set; }
    /// <summary>Whether the layer has a bias (PyTorch's <c>bias=True</c>); without one its bias block is absent from <c>Parameters</c>.</summary>
    public bool UseBias { get; set; } = true;
}

/// <summary>2-D max pooling over square windows.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool2DAttribute : LayerAttribute
{
    /// <summary>Creates a max-pooling layer.</summary>
    public MaxPool2DAttribute(int poolSize) { PoolSize = poolSize; Stride = poolSize; }

    /// <summary>Side of the square window.</summary>
    public int PoolSize { get; }
    /// <summary>Step between windows (default: the pool size).</summary>
    public int Stride { get; set; }
}

/// <summary>Reshapes a rank-3 input to a vector.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : LayerAttribute
{
}

/// <summary>Inverted dropout: active while training, identity at inference.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute : LayerAttribute
{
    /// <summary>Creates a dropout layer that zeroes a fraction <paramref name="rate"/> of its inputs while training.</summary>
    /// <remarks>Typed <see cref="double"/> so that <c>[Dropout(0.5)]</c> compiles; <c>0.5f</c> works too and means the same.</remarks>
    public DropoutAttribute(double rate) { Rate = rate; }

    /// <summary>Probability of zeroing a unit, in [0, 1).</summary>
    public double Rate { get; }
}

/// <summary>The training objective. Without it the network is inference-only.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class LossAttribute : Attribute
{
    /// <summary>Sets the loss.</summary>
    public LossAttribute(LossFunction loss) { Loss = loss; }

    /// <summary>The loss.</summary>
    public LossFunction Loss { get; }
}

/// <summary>The optimizer; default when absent: Adam, learning rate 0.001.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class OptimizerAttribute : Attribute
{
    /// <summary>Sets the optimizer.</summary>
    public OptimizerAttribute(OptimizerKind kind) { Kind = kind; }

    /// <summary>The update rule.</summary>
    public OptimizerKind Kind { get; }

    // The settings are double so that LearningRate = 0.001 compiles; 0.001f works too and means the same.
    /// <summary>Step size (default 0.001 for Adam and AdamW, 0.01 otherwise).</summary>
    public double LearningRate { get; set; }
    /// <summary>Momentum factor for Momentum and Nesterov (default 0.9).</summary>
    public double Momentum { get; set; }
    /// <summary>Adam's first-moment decay (default 0.9).</summary>
    public double Beta1 { get; set; }
    /// <summary>Adam's second-moment decay (default 0.999); RmsProp's smoothing constant alpha (default 0.99).</summary>
    public double Beta2 { get; set; }
    /// <summary>Denominator term (1e-8; Adagrad 1e-10).</summary>
    public double Epsilon { get; set; }
    /// <summary>L2 penalty added to the gradient in the step (decoupled for AdamW, default 0.01 there, 0 otherwise).</summary>
    public double WeightDecay { get; set; }
}

/// <summary>
/// Trained parameters read at build time and baked into the generated code: <c>new Net()</c> starts with them, with
/// no file I/O at run time. The file is an <c>AdditionalFiles</c> item whose path ends with <see cref="Path"/>; its
/// format follows the extension: <c>.nng</c> (<see cref="ParameterSerializer"/>), <c>.safetensors</c> (PyTorch) or
/// <c>.json</c> (Keras-style layers). A file that does not fit the network is build error NNG0012.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class WeightsAttribute : Attribute
{
    /// <summary>Names the weights file.</summary>
    public WeightsAttribute(string path) { Path = path; }

    /// <summary>The end of the AdditionalFiles item's path, e.g. <c>"weights/net.safetensors"</c>.</summary>
    public string Path { get; }

    /// <summary>
    /// For safetensors: the tensor name prefixes (PyTorch module names) of the layers with parameters, in order,
    /// comma-separated, e.g. <c>"encoder.0, encoder.2, head"</c> reads <c>encoder.0.weight</c>, <c>encoder.0.bias</c>, ...
    /// A recurrent layer reads <c>weight_ih_l0</c>, <c>weight_hh_l0</c>, <c>bias_ih_l0</c>, <c>bias_hh_l0</c>; stacked
    /// layers from one <c>nn.GRU(num_layers = 2)</c> repeat its name (<c>"rnn, rnn, head"</c>) and read <c>_l0</c>, then
    /// <c>_l1</c>. When absent, the file's numeric prefixes are taken in increasing order, as <c>nn.Sequential</c>
    /// writes them (<c>0.weight</c>, <c>0.bias</c>, <c>2.weight</c>, ...), a recurrent module once per layer it holds.
    /// </summary>
    public string? Names { get; set; }
}
