using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Tests.GradientChecks;

// Double-precision networks for the finite-difference checks. A layer is emitted as a loop when it has more than
// 256 weights or more than 64 inputs (EmitContext.IsUnrolled), otherwise as straight-line code, so every network
// below mixes both: 3->4 and 4->3 unrolled, 3->90 a loop (270 weights), 90->3 a loop (90 inputs), 3->2 unrolled.
// The activation is on every layer, output included, so its derivative is checked on both the hidden and the
// output path.

[Network(Precision = Precision.Double, Seed = 11)]
[Input(3)]
[Dense(4, Linear)]
[Dense(3, Linear)]
[Dense(90, Linear)]
[Dense(3, Linear)]
[Dense(2, Linear)]
[Loss(LossFunction.MeanSquaredError)]
public partial class LinearCheckNet { }

[Network(Precision = Precision.Double, Seed = 11)]
[Input(3)]
[Dense(4, Relu)]
[Dense(3, Relu)]
[Dense(90, Relu)]
[Dense(3, Relu)]
[Dense(2, Relu)]
[Loss(LossFunction.MeanSquaredError)]
public partial class ReluCheckNet { }

[Network(Precision = Precision.Double, Seed = 11)]
[Input(3)]
[Dense(4, LeakyRelu)]
[Dense(3, LeakyRelu)]
[Dense(90, LeakyRelu)]
[Dense(3, LeakyRelu)]
[Dense(2, LeakyRelu)]
[Loss(LossFunction.MeanSquaredError)]
public partial class LeakyReluCheckNet { }

[Network(Precision = Precision.Double, Seed = 11)]
[Input(3)]
[Dense(4, Sigmoid)]
[Dense(3, Sigmoid)]
[Dense(90, Sigmoid)]
[Dense(3, Sigmoid)]
[Dense(2, Sigmoid)]
[Loss(LossFunction.MeanSquaredError)]
public partial class SigmoidCheckNet { }

[Network(Precision = Precision.Double, Seed = 11)]
[Input(3)]
[Dense(4, Tanh)]
[Dense(3, Tanh)]
[Dense(90, Tanh)]
[Dense(3, Tanh)]
[Dense(2, Tanh)]
[Loss(LossFunction.MeanSquaredError)]
public partial class TanhCheckNet { }

// Softmax on hidden layers (unrolled and loop) and on the output, with a loss that is not fused with it.
[Network(Precision = Precision.Double, Seed = 11)]
[Input(3)]
[Dense(4, Softmax)]
[Dense(3, Softmax)]
[Dense(90, Softmax)]
[Dense(3, Softmax)]
[Dense(2, Softmax)]
[Loss(LossFunction.MeanSquaredError)]
public partial class SoftmaxCheckNet { }

[Network(Precision = Precision.Double, Seed = 11)]
[Input(3)]
[Dense(4, Elu)]
[Dense(3, Elu)]
[Dense(90, Elu)]
[Dense(3, Elu)]
[Dense(2, Elu)]
[Loss(LossFunction.MeanSquaredError)]
public partial class EluCheckNet { }

[Network(Precision = Precision.Double, Seed = 11)]
[Input(3)]
[Dense(4, Gelu)]
[Dense(3, Gelu)]
[Dense(90, Gelu)]
[Dense(3, Gelu)]
[Dense(2, Gelu)]
[Loss(LossFunction.MeanSquaredError)]
public partial class GeluCheckNet { }

[Network(Precision = Precision.Double, Seed = 11)]
[Input(3)]
[Dense(4, Swish)]
[Dense(3, Swish)]
[Dense(90, Swish)]
[Dense(3, Swish)]
[Dense(2, Swish)]
[Loss(LossFunction.MeanSquaredError)]
public partial class SwishCheckNet { }

[Network(Precision = Precision.Double, Seed = 11)]
[Input(3)]
[Dense(4, Softplus)]
[Dense(3, Softplus)]
[Dense(90, Softplus)]
[Dense(3, Softplus)]
[Dense(2, Softplus)]
[Loss(LossFunction.MeanSquaredError)]
public partial class SoftplusCheckNet { }

[Network(Precision = Precision.Double, Seed = 12)]
[Input(3)]
[Dense(4, Relu6)]
[Dense(3, Relu6)]
[Dense(90, Relu6)]
[Dense(3, Relu6)]
[Dense(2, Relu6)]
[Loss(LossFunction.MeanSquaredError)]
public partial class Relu6CheckNet { }

[Network(Precision = Precision.Double, Seed = 13)]
[Input(3)]
[Dense(4, HardSigmoid)]
[Dense(3, HardSigmoid)]
[Dense(90, HardSigmoid)]
[Dense(3, HardSigmoid)]
[Dense(2, HardSigmoid)]
[Loss(LossFunction.MeanSquaredError)]
public partial class HardSigmoidCheckNet { }

[Network(Precision = Precision.Double, Seed = 14)]
[Input(3)]
[Dense(4, HardSwish)]
[Dense(3, HardSwish)]
[Dense(90, HardSwish)]
[Dense(3, HardSwish)]
[Dense(2, HardSwish)]
[Loss(LossFunction.MeanSquaredError)]
public partial class HardSwishCheckNet { }

[Network(Precision = Precision.Double, Seed = 15)]
[Input(3)]
[Dense(4, Mish)]
[Dense(3, Mish)]
[Dense(90, Mish)]
[Dense(3, Mish)]
[Dense(2, Mish)]
[Loss(LossFunction.MeanSquaredError)]
public partial class MishCheckNet { }

[Network(Precision = Precision.Double, Seed = 16)]
[Input(3)]
[Dense(4, Selu)]
[Dense(3, Selu)]
[Dense(90, Selu)]
[Dense(3, Selu)]
[Dense(2, Selu)]
[Loss(LossFunction.MeanSquaredError)]
public partial class SeluCheckNet { }

// One network per loss, twice: "Unrolled" ends in a straight-line output layer (3 units from 4 inputs) after
// loop hidden layers; "Loop" ends in a loop output layer (80 inputs) after an unrolled hidden layer of 80
// units (240 weights, 3 inputs).

[Network(Precision = Precision.Double, Seed = 12)]
[Input(3)]
[Dense(4, Tanh)]
[Dense(90, Tanh)]
[Dense(4, Tanh)]
[Dense(3, Linear)]
[Loss(LossFunction.MeanSquaredError)]
public partial class MseUnrolledNet { }

[Network(Precision = Precision.Double, Seed = 12)]
[Input(3)]
[Dense(80, Tanh)]
[Dense(3, Linear)]
[Loss(LossFunction.MeanSquaredError)]
public partial class MseLoopNet { }

[Network(Precision = Precision.Double, Seed = 12)]
[Input(3)]
[Dense(4, Tanh)]
[Dense(90, Tanh)]
[Dense(4, Tanh)]
[Dense(3, Linear)]
[Loss(LossFunction.MeanAbsoluteError)]
public partial class MaeUnrolledNet { }

[Network(Precision = Precision.Double, Seed = 12)]
[Input(3)]
[Dense(80, Tanh)]
[Dense(3, Linear)]
[Loss(LossFunction.MeanAbsoluteError)]
public partial class MaeLoopNet { }

[Network(Precision = Precision.Double, Seed = 12)]
[Input(3)]
[Dense(4, Tanh)]
[Dense(90, Tanh)]
[Dense(4, Tanh)]
[Dense(3, Linear)]
[Loss(LossFunction.Huber)]
public partial class HuberUnrolledNet { }

[Network(Precision = Precision.Double, Seed = 12)]
[Input(3)]
[Dense(80, Tanh)]
[Dense(3, Linear)]
[Loss(LossFunction.Huber)]
public partial class HuberLoopNet { }

[Network(Precision = Precision.Double, Seed = 12)]
[Input(3)]
[Dense(4, Tanh)]
[Dense(90, Tanh)]
[Dense(4, Tanh)]
[Dense(3, Sigmoid)]
[Loss(LossFunction.BinaryCrossEntropy)]
public partial class BceUnrolledNet { }

[Network(Precision = Precision.Double, Seed = 12)]
[Input(3)]
[Dense(80, Tanh)]
[Dense(3, Sigmoid)]
[Loss(LossFunction.BinaryCrossEntropy)]
public partial class BceLoopNet { }

[Network(Precision = Precision.Double, Seed = 12)]
[Input(3)]
[Dense(4, Tanh)]
[Dense(90, Tanh)]
[Dense(4, Tanh)]
[Dense(3, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class CceUnrolledNet { }

[Network(Precision = Precision.Double, Seed = 12)]
[Input(3)]
[Dense(80, Tanh)]
[Dense(3, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class CceLoopNet { }
