using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Runtime.Tests;

// The Keras reference network of tests/TestData/keras-dense (RTNeural's test model).
[Network]
[Input(1)]
[Dense(8, Tanh)]
[Dense(8, Relu)]
[Dense(8, Elu)]
[Dense(8, Softmax)]
[Dense(1)]
[Dense(8)]
[Dense(8)]
[Dense(1)]
public partial class KerasDenseNet { }

// The same network with the same file baked in at build time (an AdditionalFiles item of this project).
[Network]
[Input(1)]
[Dense(8, Tanh)]
[Dense(8, Relu)]
[Dense(8, Elu)]
[Dense(8, Softmax)]
[Dense(1)]
[Dense(8)]
[Dense(8)]
[Dense(1)]
[Weights("keras-dense/dense.json")]
public partial class BakedKerasDenseNet { }

// Trainable, with baked weights: starts trained and can be fine-tuned.
[Network]
[Input(1)]
[Dense(8, Tanh)]
[Dense(8, Relu)]
[Dense(8, Elu)]
[Dense(8, Softmax)]
[Dense(1)]
[Dense(8)]
[Dense(8)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Sgd, LearningRate = 0.01f)]
[Weights("keras-dense/dense.json")]
public partial class TrainableBakedKerasDenseNet { }

// Same layer sizes, first activation differs from the file's "tanh".
[Network]
[Input(1)]
[Dense(8, Relu)]
[Dense(8, Relu)]
[Dense(8, Elu)]
[Dense(8, Softmax)]
[Dense(1)]
[Dense(8)]
[Dense(8)]
[Dense(1)]
public partial class KerasDenseReluFirstNet { }

[Network(Precision = Precision.Double)]
[Input(2)]
[Dense(8, Tanh)]
[Dense(3, Softmax)]
public partial class ThreeClassDoubleNet { }
