using NeuralNet.Gen;

namespace NeuralNet.Gen.Tests.Optimizers;

// y = w·x + b with MSE: the gradient is simple enough to write by hand in the tests. Learning rates and the
// explicit constants are exact in binary, so the float attribute arguments carry no rounding.

[Network(Precision = Precision.Double)]
[Input(1)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Sgd, LearningRate = 0.125f)]
public partial class SgdNet { }

[Network(Precision = Precision.Double)]
[Input(1)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Sgd, LearningRate = 0.125f, WeightDecay = 0.25f)]
public partial class SgdWeightDecayNet { }

[Network(Precision = Precision.Double)]
[Input(1)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Momentum, LearningRate = 0.125f)]
public partial class MomentumNet { }

[Network(Precision = Precision.Double)]
[Input(1)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Momentum, LearningRate = 0.125f, Momentum = 0.5f, WeightDecay = 0.5f)]
public partial class MomentumWeightDecayNet { }

[Network(Precision = Precision.Double)]
[Input(1)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Nesterov, LearningRate = 0.125f)]
public partial class NesterovNet { }

[Network(Precision = Precision.Double)]
[Input(1)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.RmsProp, LearningRate = 0.0625f)]
public partial class RmsPropNet { }

[Network(Precision = Precision.Double)]
[Input(1)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Adagrad, LearningRate = 0.25f)]
public partial class AdagradNet { }

[Network(Precision = Precision.Double)]
[Input(1)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.125f)]
public partial class AdamNet { }

[Network(Precision = Precision.Double)]
[Input(1)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.125f, Beta1 = 0.5f, Beta2 = 0.75f, Epsilon = 0.125f, WeightDecay = 0.25f)]
public partial class AdamCustomNet { }

[Network(Precision = Precision.Double)]
[Input(1)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.AdamW, LearningRate = 0.125f)]
public partial class AdamWNet { }

// No [Optimizer]: Adam with learning rate 0.001.
[Network(Precision = Precision.Double)]
[Input(1)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
public partial class DefaultOptimizerNet { }
