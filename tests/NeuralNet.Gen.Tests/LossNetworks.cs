using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Tests;

// One output unit per layer kind of path: unrolled (one-sample straight-line training) and batched (more than
// DenseLayer.UnrollMaxInputs inputs), each with the output activation its loss is fused with.

[Network(Seed = 2)]
[Input(2)]
[Dense(1, Sigmoid)]
[Loss(LossFunction.BinaryCrossEntropy)]
public partial class SaturatingSigmoidNet { }

[Network(Seed = 2)]
[Input(70)]
[Dense(1, Sigmoid)]
[Loss(LossFunction.BinaryCrossEntropy)]
public partial class SaturatingSigmoidBatchNet { }

[Network(Seed = 2)]
[Input(2)]
[Dense(3, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class SaturatingSoftmaxNet { }

[Network(Seed = 2)]
[Input(70)]
[Dense(3, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class SaturatingSoftmaxBatchNet { }

[Network(Seed = 4)]
[Input(3)]
[Dense(5, Relu)]
[Dense(2, Tanh)]
[Loss(LossFunction.Huber)]
public partial class HuberTanhNet { }

[Network(Seed = 4)]
[Input(70)]
[Dense(5, Relu)]
[Dense(3, Softmax)]
[Loss(LossFunction.MeanSquaredError)]
public partial class SoftmaxMseBatchNet { }

[Network(Seed = 4, Precision = Precision.Double)]
[Input(3)]
[Dense(4, Sigmoid)]
[Loss(LossFunction.MeanAbsoluteError)]
public partial class MaeDoubleNet { }
