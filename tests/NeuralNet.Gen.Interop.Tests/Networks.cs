using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Interop.Tests;

// Architectures exported to ONNX in the tests; between them every activation, in float and in double.

[Network(Seed = 1)]
[Input(5)]
[Dense(8, Relu)]
[Dense(7, LeakyRelu)]
[Dense(6, Sigmoid)]
[Dense(4, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.01f)]
public partial class ClassifierNet { }

[Network(Seed = 2)]
[Input(4)]
[Dense(9, Tanh)]
[Dense(8, Elu)]
[Dense(7, Gelu)]
[Dense(6, Swish)]
[Dense(5, Softplus)]
[Dense(3)]
public partial class SmoothNet { }

[Network(Seed = 3)]
[Input(40)]
[Dense(64, Relu)]
[Dense(32, Gelu)]
[Dense(10, Softmax)]
public partial class WideNet { }

[Network(Seed = 4)]
[Input(3)]
[Dense(1, Sigmoid)]
public partial class LogisticNet { }

[Network(Precision = Precision.Double, Seed = 5)]
[Input(4)]
[Dense(6, Relu)]
[Dense(6, LeakyRelu)]
[Dense(5, Sigmoid)]
[Dense(5, Tanh)]
[Dense(5, Elu)]
[Dense(5, Gelu)]
[Dense(5, Swish)]
[Dense(5, Softplus)]
[Dense(3, Softmax)]
public partial class AllActivationsDoubleNet { }

[Network(Seed = 6)]
[Input(4)]
[Dense(6, Relu)]
[Dense(6, LeakyRelu)]
[Dense(5, Sigmoid)]
[Dense(5, Tanh)]
[Dense(5, Elu)]
[Dense(5, Gelu)]
[Dense(5, Swish)]
[Dense(5, Softplus)]
[Dense(3, Softmax)]
public partial class AllActivationsNet { }
