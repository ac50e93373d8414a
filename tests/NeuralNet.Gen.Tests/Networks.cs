using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Tests;

// Networks only the behaviour tests use. Each is generated at build time like a user's. CirclesNet is the Circles
// sample's own file, Mnist50Net and Fashion256Net the test kit's (linked in the project file).

[Network(Seed = 5)]
[Input(3)]
[Dense(5, Tanh)]
[Dense(2)]
public partial class InferenceOnlyNet { }

// The Circles network again in double precision: same seed, so the same initial parameters up to rounding.
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
