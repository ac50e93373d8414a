using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.TestKit.Networks;

// The Fashion-MNIST multilayer perceptron 784-256-128-10 with Adam: the largest Dense network of the tests.
[Network(Seed = 3)]
[Input(784)]
[Dense(256, Relu)]
[Dense(128, Relu)]
[Dense(10, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
[Optimizer(OptimizerKind.Adam)]
public partial class Fashion256Net { }
