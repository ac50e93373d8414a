using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Tests;

// Networks shared by the behaviour tests. Each is generated at build time like a user's.

[Network(Seed = 1)]
[Input(2)]
[Dense(4, Relu)]
[Dense(6, Relu)]
[Dense(6, Relu)]
[Dense(4, Relu)]
[Dense(1, Sigmoid)]
[Loss(LossFunction.BinaryCrossEntropy)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.01f)]
public partial class CirclesNet { }

[Network(Seed = 7)]
[Input(784)]
[Dense(50, Sigmoid)]
[Dense(10, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
[Optimizer(OptimizerKind.Sgd, LearningRate = 0.1f)]
public partial class Mnist50Net { }

[Network(Seed = 3)]
[Input(784)]
[Dense(256, Relu)]
[Dense(128, Relu)]
[Dense(10, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
[Optimizer(OptimizerKind.Adam)]
public partial class Fashion256Net { }

[Network(Seed = 5)]
[Input(3)]
[Dense(5, Tanh)]
[Dense(2)]
public partial class InferenceOnlyNet { }

// CirclesNet again in double precision: same seed, so the same initial parameters up to rounding.
[Network(Seed = 1, Precision = Precision.Double)]
[Input(2)]
[Dense(4, Relu)]
[Dense(6, Relu)]
[Dense(6, Relu)]
[Dense(4, Relu)]
[Dense(1, Sigmoid)]
[Loss(LossFunction.BinaryCrossEntropy)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.01f)]
public partial class CirclesDoubleNet { }

[Network(Seed = 7, Precision = Precision.Double)]
[Input(784)]
[Dense(50, Sigmoid)]
[Dense(10, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
[Optimizer(OptimizerKind.Sgd, LearningRate = 0.1f)]
public partial class Mnist50DoubleNet { }

// Inference scratch of 4200 floats (16.8 KB) is over the 16 KB stack limit, so it lives in a thread-static buffer.
[Network(Seed = 9)]
[Input(8)]
[Dense(4200, Relu)]
[Dense(2)]
public partial class WideNet { }

// The tutorial networks of the samples, declared here so the tests do not depend on the sample projects.

[Network]
[Input(1)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Sgd, LearningRate = 0.01f)]
public partial class LinearRegressionNet { }

[Network(Seed = 42)]
[Input(2)]
[Dense(2, Sigmoid)]
[Dense(1, Sigmoid)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Sgd, LearningRate = 0.1f)]
public partial class GenderNet { }
