using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Tests.BatchNorm;

// Double networks for finite differences through the batch statistics, and the PyTorch references' architectures.

[Network(Precision = Precision.Double, Seed = 5)]
[Input(4)]
[Dense(5)]
[BatchNorm(Momentum = 0.2)]
[Dense(2, Tanh)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Sgd, LearningRate = 0.1)]
public partial class BatchNormVectorNet { }

[Network(Precision = Precision.Double, Seed = 5)]
[Input(3, 2)]
[BatchNorm]
[Flatten]
[Dense(3, Tanh)]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class BatchNormSequenceNet { }

[Network(Precision = Precision.Double, Seed = 5)]
[Input(5, 5, 2)]
[Conv2D(3, 3)]
[BatchNorm]
[Flatten]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Sgd, LearningRate = 0.05)]
public partial class BatchNormImageNet { }

/// <summary>BatchNorm straight on the input: its statistics are those of the data alone, whatever the parameters.</summary>
[Network(Precision = Precision.Double, Seed = 5)]
[Input(3)]
[BatchNorm(Momentum = 0.25, Epsilon = 1e-3)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Sgd, LearningRate = 0.1)]
public partial class BatchNormOnInputNet { }

/// <summary>Two BatchNorms, one after a ReLU (not foldable), in float, for allocation and save/load.</summary>
[Network(Seed = 2)]
[Input(6, 6, 1)]
[Conv2D(4, 3, Relu)]
[BatchNorm]
[Flatten]
[Dense(8)]
[BatchNorm]
[Dense(3, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class BatchNormFloatNet { }

/// <summary>BatchNorm straight after a Linear Conv2D (folded at inference) and after a Linear Dense (not: it would cost more).</summary>
[Network(Seed = 9)]
[Input(10, 10, 3)]
[Conv2D(8, 3)]
[BatchNorm]
[Flatten]
[Dense(100)]
[BatchNorm]
[Dense(4)]
[Loss(LossFunction.MeanSquaredError)]
public partial class FoldedBatchNormNet { }

/// <summary>The same parameters and buffers, with Dropout(0) (the identity at inference) keeping each BatchNorm apart.</summary>
[Network(Seed = 9)]
[Input(10, 10, 3)]
[Conv2D(8, 3)]
[Dropout(0)]
[BatchNorm]
[Flatten]
[Dense(100)]
[Dropout(0)]
[BatchNorm]
[Dense(4)]
[Loss(LossFunction.MeanSquaredError)]
public partial class UnfoldedBatchNormNet { }
