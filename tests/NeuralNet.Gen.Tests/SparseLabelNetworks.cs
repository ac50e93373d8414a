using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Tests;

// Sparse labels and their one-hot twins: the same declaration (so the same initial parameters) but for the loss.
// The unrolled path (few inputs) and the batched path (more than DenseLayer.UnrollMaxInputs inputs).

[Network(Seed = 21)]
[Input(3)]
[Dense(5, Relu)]
[Dense(4, Softmax)]
[Loss(LossFunction.SparseCategoricalCrossEntropy)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.05)]
public partial class SparseLabelNet { }

[Network(Seed = 21)]
[Input(3)]
[Dense(5, Relu)]
[Dense(4, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.05)]
public partial class OneHotLabelNet { }

[Network(Seed = 22)]
[Input(70)]
[Dense(16, Tanh)]
[Dense(5, Softmax)]
[Loss(LossFunction.SparseCategoricalCrossEntropy)]
public partial class SparseLabelBatchNet { }

[Network(Seed = 22)]
[Input(70)]
[Dense(16, Tanh)]
[Dense(5, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class OneHotLabelBatchNet { }

[Network(Precision = Precision.Double, Seed = 23)]
[Input(3)]
[Dense(4, Tanh)]
[Dense(3, Softmax)]
[Loss(LossFunction.SparseCategoricalCrossEntropy)]
public partial class SparseLabelDoubleNet { }

[Network(Precision = Precision.Double, Seed = 24)]
[Input(70)]
[Dense(6, Sigmoid)]
[Dense(3, Softmax)]
[Loss(LossFunction.SparseCategoricalCrossEntropy)]
public partial class SparseLabelDoubleBatchNet { }
