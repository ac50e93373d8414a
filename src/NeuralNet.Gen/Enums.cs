// One source of truth: the generator and analyzers compile this file too (NNG_ROSLYN_COMPONENT), in their model's
// namespace, so attribute arguments map to the same members and counts come from the enums themselves.
#if NNG_ROSLYN_COMPONENT
namespace NeuralNet.Gen.Generators.Model;
#else
namespace NeuralNet.Gen;
#endif

/// <summary>Element-wise activation applied after a layer's affine transform.</summary>
public enum Activation
{
    /// <summary>Identity: f(x) = x.</summary>
    Linear,
    /// <summary>max(0, x).</summary>
    Relu,
    /// <summary>x for x &gt; 0, else 0.01·x (PyTorch's default slope).</summary>
    LeakyRelu,
    /// <summary>1 / (1 + e^-x).</summary>
    Sigmoid,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
    /// <summary>e^x_i / Σ e^x_j over the layer's units.</summary>
    Softmax,
    /// <summary>x for x &gt; 0, else e^x - 1 (alpha 1).</summary>
    Elu,
    /// <summary>GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).</summary>
    Gelu,
    /// <summary>x·sigmoid(x) (SiLU).</summary>
    Swish,
    /// <summary>log(1 + e^x).</summary>
    Softplus,
    /// <summary>min(max(x, 0), 6).</summary>
    Relu6,
    /// <summary>relu6(x + 3) / 6 (PyTorch's Hardsigmoid).</summary>
    HardSigmoid,
    /// <summary>x·relu6(x + 3) / 6.</summary>
    HardSwish,
    /// <summary>x·tanh(softplus(x)).</summary>
    Mish,
    /// <summary>scale·(x for x &gt; 0, else alpha·(e^x - 1)), alpha 1.6732632423543772, scale 1.0507009873554805.</summary>
    Selu,
}

/// <summary>Training objective. Means over the batch and over output units, as PyTorch's defaults.</summary>
public enum LossFunction
{
    /// <summary>Mean of (prediction - target)².</summary>
    MeanSquaredError,
    /// <summary>Mean of |prediction - target|.</summary>
    MeanAbsoluteError,
    /// <summary>Huber loss with delta 1 (PyTorch's HuberLoss).</summary>
    Huber,
    /// <summary>Binary cross-entropy on a Sigmoid output.</summary>
    BinaryCrossEntropy,
    /// <summary>Cross-entropy on a Softmax output: summed over classes, averaged over the batch.</summary>
    CategoricalCrossEntropy,
    /// <summary>
    /// <see cref="CategoricalCrossEntropy"/> with one class index per sample as the target (Keras' sparse labels), on a
    /// Softmax output: a batch's targets are batchSize values, each a whole number in [0, OutputSize).
    /// </summary>
    SparseCategoricalCrossEntropy,
}

/// <summary>Parameter update rule, following <c>torch.optim</c> with its default constants.</summary>
public enum OptimizerKind
{
    /// <summary>Plain stochastic gradient descent.</summary>
    Sgd,
    /// <summary>SGD with momentum (0.9 by default).</summary>
    Momentum,
    /// <summary>SGD with Nesterov momentum (0.9 by default).</summary>
    Nesterov,
    /// <summary>RMSprop (alpha 0.99, eps 1e-8).</summary>
    RmsProp,
    /// <summary>Adagrad (eps 1e-10).</summary>
    Adagrad,
    /// <summary>Adam (betas 0.9, 0.999, eps 1e-8).</summary>
    Adam,
    /// <summary>Adam with decoupled weight decay (0.01 by default).</summary>
    AdamW,
}

/// <summary>How a layer's weights are initialised. Biases always start at zero.</summary>
public enum WeightInit
{
    /// <summary>U(-l, l), l = √(6 / (fanIn + fanOut)).</summary>
    GlorotUniform,
    /// <summary>N(0, σ²), σ = √(2 / (fanIn + fanOut)).</summary>
    GlorotNormal,
    /// <summary>U(-l, l), l = √(6 / fanIn).</summary>
    HeUniform,
    /// <summary>N(0, σ²), σ = √(2 / fanIn).</summary>
    HeNormal,
    /// <summary>N(0, 0.05²), as Keras' RandomNormal.</summary>
    Normal,
    /// <summary>All zeros.</summary>
    Zeros,
}

/// <summary>Element type of the generated network.</summary>
public enum Precision
{
    /// <summary><see cref="float"/>.</summary>
    Single,
    /// <summary><see cref="double"/>.</summary>
    Double,
}

/// <summary>Border handling of convolutions.</summary>
public enum Padding
{
    /// <summary>No padding: the output shrinks by kernelSize - 1.</summary>
    Valid,
    /// <summary>Zero padding so that the output is ceil(input / stride).</summary>
    Same,
    /// <summary>Conv1D only: zeros before the sequence (dilation·(kernelSize − 1)), so step t sees only steps up to t.</summary>
    Causal,
}
