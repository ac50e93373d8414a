using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Runtime.Tests;

// Small networks generated at build time, as a user's would be.

[Network(Seed = 1)]
[Input(2)]
[Dense(8, Tanh)]
[Dense(1, Sigmoid)]
[Loss(LossFunction.BinaryCrossEntropy)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.05f)]
public partial class BinaryNet { }

// Same parameter count as BinaryNet, another activation: only the fingerprint tells them apart.
[Network(Seed = 1)]
[Input(2)]
[Dense(8, Relu)]
[Dense(1, Sigmoid)]
[Loss(LossFunction.BinaryCrossEntropy)]
public partial class BinaryReluNet { }

[Network(Seed = 2)]
[Input(2)]
[Dense(8, Tanh)]
[Dense(3, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.05f)]
public partial class ThreeClassNet { }

[Network(Seed = 3)]
[Input(1)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Sgd, LearningRate = 0.1f)]
public partial class LineNet { }

[Network(Seed = 3, Precision = Precision.Double)]
[Input(1)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Sgd, LearningRate = 0.1f)]
public partial class LineNetDouble { }

[Network(Seed = 4)]
[Input(3)]
[Dense(4, Tanh)]
[Dense(2)]
public partial class InferenceNet { }

// The 64-256-128-8 network: large enough for the batch path with its own buffer.
[Network(Seed = 5)]
[Input(64)]
[Dense(256, Relu)]
[Dense(128, Relu)]
[Dense(8)]
[Loss(LossFunction.MeanSquaredError)]
public partial class WideNet { }

// Issue 18: PyTorch's SGD(momentum=0.9), written as a PyTorch user would.
[Network(Seed = 6)]
[Input(3)]
[Dense(4, Tanh)]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Sgd, LearningRate = 0.05, Momentum = 0.9)]
public partial class SgdMomentumNet { }

// The same network with plain SGD: its ComputeGradients feed the reference update in the test.
[Network(Seed = 6)]
[Input(3)]
[Dense(4, Tanh)]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Sgd, LearningRate = 0.05f)]
public partial class PlainSgdNet { }

// Fractional arguments as C# users write them: double literals (0.5, 0.001) and float ones mean the same.
[Network(Seed = 7)]
[Input(2)]
[Dense(8, Relu)]
[Dropout(0.5)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.001, Beta1 = 0.8)]
public partial class DoubleArgumentsNet { }

[Network(Seed = 7)]
[Input(2)]
[Dense(8, Relu)]
[Dropout(0.5f)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.001f, Beta1 = 0.8f)]
public partial class FloatArgumentsNet { }

// The 64-256-128-8 network with its batch buffers sized at construction.
[Network(Seed = 5, MaxBatchSize = 64)]
[Input(64)]
[Dense(256, Relu)]
[Dense(128, Relu)]
[Dense(8)]
[Loss(LossFunction.MeanSquaredError)]
public partial class SizedWideNet { }
