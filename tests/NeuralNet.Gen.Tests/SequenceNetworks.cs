using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Tests.Sequences;

// Per-step Dense on a sequence: the same weights at every step, a loss averaged over the batch and the steps.

[Network(Precision = Precision.Double, Seed = 11)]
[Input(4, 3)]
[Dense(5, Tanh)]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class PerStepMseNet { }

[Network(Precision = Precision.Double, Seed = 12)]
[Input(4, 3)]
[Dense(5, Tanh)]
[Dense(3, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class PerStepCceNet { }

[Network(Precision = Precision.Double, Seed = 13)]
[Input(5, 2)]
[Dense(3, Sigmoid)]
[Loss(LossFunction.BinaryCrossEntropy)]
public partial class PerStepBceNet { }

[Network(Precision = Precision.Double, Seed = 14)]
[Input(4, 3)]
[Dense(6, Softmax)]
[Dense(2, Tanh)]
[Loss(LossFunction.Huber)]
public partial class PerStepSoftmaxHiddenNet { }

[Network(Precision = Precision.Double, Seed = 15)]
[Input(4, 3)]
[Dense(5, Tanh)]
[Flatten]
[Dense(1)]
[Loss(LossFunction.MeanAbsoluteError)]
public partial class PerStepThenFlattenNet { }

[Network(Seed = 16)]
[Input(4, 3)]
[Dense(5, Tanh)]
[Dense(3, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class PerStepCceSingleNet { }

[Network(Seed = 17)]
[Input(4, 3)]
[Dense(5, Tanh)]
[Dropout(0.5)]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class PerStepDropoutNet { }

[Network(Seed = 17)]
[Input(4, 3)]
[Dense(5, Tanh)]
[Dense(2)]
public partial class PerStepInferenceNet { }
