using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace Circles;

// The network on its own file: the tests, the benchmarks and the generator's snapshot compile this same declaration.
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
