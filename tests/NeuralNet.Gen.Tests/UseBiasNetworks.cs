using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Tests.UseBias;

// Finite-difference networks (double) without biases: Dense unrolled (the per-sample training path), Dense as a loop
// layer (more than 64 inputs: the batch path), Dense per step of a sequence, and Conv2D with each kernel (AcrossFilters,
// Lowered, ByWindowRows: see Conv2DLayer.Choose) and before a BatchNorm.

[Network(Precision = Precision.Double, Seed = 1)]
[Input(3)]
[Dense(4, Tanh, UseBias = false)]
[Dense(3, Sigmoid)]
[Dense(2, UseBias = false)]
[Loss(LossFunction.MeanSquaredError)]
public partial class DenseUnrolledCheckNet { }

[Network(Precision = Precision.Double, Seed = 1)]
[Input(66)]
[Dense(5, Tanh, UseBias = false)]
[Dense(2, UseBias = false)]
[Loss(LossFunction.MeanSquaredError)]
public partial class DenseLoopCheckNet { }

[Network(Precision = Precision.Double, Seed = 1)]
[Input(4, 3)]
[Dense(5, Tanh, UseBias = false)]
[Flatten]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
public partial class DensePerStepCheckNet { }

[Network(Precision = Precision.Double, Seed = 1)]
[Input(6, 6, 2)]
[Conv2D(4, 2, Tanh, UseBias = false)]
[Conv2D(3, 3, Sigmoid, Padding = Padding.Same, UseBias = false)]
[Conv2D(2, 2, Stride = 2, UseBias = false)]
[Flatten]
[Dense(1, UseBias = false)]
[Loss(LossFunction.MeanSquaredError)]
public partial class Conv2DCheckNet { }

[Network(Precision = Precision.Double, Seed = 1)]
[Input(5, 5, 2)]
[Conv2D(3, 3, UseBias = false)]
[BatchNorm]
[Activation(Tanh)]
[Flatten]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
public partial class Conv2DBatchNormCheckNet { }

// Twins: each network without biases next to the same network with them; with the biases held at zero the two
// compute the same bits (forward, gradients, a training step), float and double, every path.

[Network(Seed = 2)]
[Input(4)]
[Dense(6, Tanh, UseBias = false)]
[Dense(2, UseBias = false)]
[Loss(LossFunction.MeanSquaredError)]
public partial class DenseUnrolledNet { }

[Network(Seed = 2)]
[Input(4)]
[Dense(6, Tanh)]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class DenseUnrolledTwin { }

[Network(Seed = 2)]
[Input(70)]
[Dense(8, Relu, UseBias = false)]
[Dense(3, Softmax, UseBias = false)]
[Loss(LossFunction.CategoricalCrossEntropy)]
[Optimizer(OptimizerKind.Adam)]
public partial class DenseLoopNet { }

[Network(Seed = 2)]
[Input(70)]
[Dense(8, Relu)]
[Dense(3, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
[Optimizer(OptimizerKind.Adam)]
public partial class DenseLoopTwin { }

[Network(Precision = Precision.Double, Seed = 2)]
[Input(5, 3)]
[Dense(70, Tanh, UseBias = false)]
[Dense(4, UseBias = false)]
[Loss(LossFunction.MeanSquaredError)]
public partial class DensePerStepDoubleNet { }

[Network(Precision = Precision.Double, Seed = 2)]
[Input(5, 3)]
[Dense(70, Tanh)]
[Dense(4)]
[Loss(LossFunction.MeanSquaredError)]
public partial class DensePerStepDoubleTwin { }

[Network(Seed = 2)]
[Input(6, 6, 2)]
[Conv2D(8, 3, Relu, Padding = Padding.Same, UseBias = false)]
[Conv2D(4, 3, UseBias = false)]
[Conv2D(2, 2, Tanh, UseBias = false)]
[Flatten]
[Dense(2, UseBias = false)]
[Loss(LossFunction.MeanSquaredError)]
public partial class Conv2DNet { }

[Network(Seed = 2)]
[Input(6, 6, 2)]
[Conv2D(8, 3, Relu, Padding = Padding.Same)]
[Conv2D(4, 3)]
[Conv2D(2, 2, Tanh)]
[Flatten]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class Conv2DTwin { }

// A bias-less convolution before a BatchNorm (as in ResNets): folded into the filters at inference.
[Network(Precision = Precision.Double, Seed = 2)]
[Input(5, 5, 2)]
[Conv2D(4, 3, UseBias = false)]
[BatchNorm]
[Activation(Relu)]
[Flatten]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class Conv2DBatchNormDoubleNet { }

[Network(Precision = Precision.Double, Seed = 2)]
[Input(5, 5, 2)]
[Conv2D(4, 3)]
[BatchNorm]
[Activation(Relu)]
[Flatten]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class Conv2DBatchNormDoubleTwin { }

// Streaming: a Dense without bias after a GRU, stepped on packed weights (small) and through the Dense kernel (66 inputs).
[Network(Seed = 4)]
[Input(6, 2)]
[GRU(4, ReturnSequences = true)]
[Dense(3, Tanh, UseBias = false)]
public partial class StepNet { }

[Network(Precision = Precision.Double, Seed = 4)]
[Input(5, 2)]
[GRU(66, ReturnSequences = true)]
[Dense(3, UseBias = false)]
public partial class StepWideDoubleNet { }
