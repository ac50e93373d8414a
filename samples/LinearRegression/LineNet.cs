using NeuralNet.Gen;

namespace LinearRegression;

// The network on its own file: the samples' tests compile this same declaration.
[Network(Seed = 1)]
[Input(1)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Sgd, LearningRate = 0.02f)]
public partial class LineNet { }
