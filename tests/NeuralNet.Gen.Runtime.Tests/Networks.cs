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
