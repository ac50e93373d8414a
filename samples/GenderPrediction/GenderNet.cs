using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace GenderPrediction;

// The network on its own file: the samples' tests and the benchmarks compile this same declaration.
[Network(Seed = 42)]
[Input(2)]
[Dense(2, Sigmoid)]
[Dense(1, Sigmoid)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Sgd, LearningRate = 0.1f)]
public partial class GenderNet { }
