using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Tests.LayerNorm;

// The PyTorch references' architectures (tests/TestData/layernorm/make_layernorm.py), in double.

[Network(Precision = Precision.Double, Seed = 5)]
[Input(4)]
[Dense(5)]
[LayerNorm]
[Loss(LossFunction.MeanSquaredError)]
public partial class LayerNormVectorNet { }

[Network(Precision = Precision.Double, Seed = 5)]
[Input(3, 2)]
[Dense(4)]
[LayerNorm(Epsilon = 1e-3)]
[Loss(LossFunction.MeanSquaredError)]
public partial class LayerNormSequenceNet { }

[Network(Precision = Precision.Double, Seed = 5)]
[Input(4, 4, 2)]
[Conv2D(3, 2)]
[LayerNorm]
[Loss(LossFunction.MeanSquaredError)]
public partial class LayerNormImageNet { }

/// <summary>LayerNorm on the input (no gradient to pass back) and between nonlinear layers.</summary>
[Network(Precision = Precision.Double, Seed = 5)]
[Input(5)]
[LayerNorm]
[Dense(4, Tanh)]
[LayerNorm(Epsilon = 1e-3)]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class LayerNormDeepNet { }

/// <summary>A recurrent network with LayerNorm per step: it still streams.</summary>
[Network(Seed = 2)]
[Input(4, 3)]
[GRU(5, ReturnSequences = true)]
[LayerNorm]
[Dense(3)]
[Activation(Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class LayerNormStreamingNet { }

/// <summary>The usual transformer-style order on an image, in float, for allocation.</summary>
[Network(Seed = 2)]
[Input(6, 6, 2)]
[Conv2D(4, 3)]
[LayerNorm]
[Activation(Relu)]
[Flatten]
[Dense(3)]
[Loss(LossFunction.MeanSquaredError)]
public partial class LayerNormFloatNet { }
