using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.TestKit.Networks;

// The MNIST tutorial network 784-50-10: Dense layers too large to unroll, so the batch path and the Dense kernels.
[Network(Seed = 7)]
[Input(784)]
[Dense(50, Sigmoid)]
[Dense(10, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
[Optimizer(OptimizerKind.Sgd, LearningRate = 0.1f)]
public partial class Mnist50Net { }
