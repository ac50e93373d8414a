using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Benchmarks;

// The four networks of issue 5, declared as a user declares them.

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

[Network(Seed = 2)]
[Input(2)]
[Dense(2, Sigmoid)]
[Dense(1, Sigmoid)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Sgd, LearningRate = 0.1f)]
public partial class GenderNet { }

[Network(Seed = 3)]
[Input(784)]
[Dense(50, Sigmoid)]
[Dense(10, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
[Optimizer(OptimizerKind.Sgd, LearningRate = 0.1f)]
public partial class Mnist50Net { }

[Network(Seed = 4)]
[Input(784)]
[Dense(256, Relu)]
[Dense(128, Relu)]
[Dense(10, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.001f)]
public partial class Fashion256Net { }
