using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Determinism.Tests;

// The networks: every layer is large enough for the batch kernels (none is unrolled).

[Network(Seed = 7)]
[Input(200)]
[Dense(96, Relu)]
[Dense(48, Tanh)]
[Dense(10, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.01f)]
public partial class Mlp200 { }

// Three Conv2D kernels by shape: 3 channels across 8 filters, 8 channels lowered to a matrix product (3·3·8 values
// per window), then a Dense layer over the flattened image.
[Network(Seed = 7)]
[Input(12, 12, 3)]
[Conv2D(8, 3, Relu)]
[MaxPool2D(2)]
[Conv2D(16, 3, Tanh, Padding = Padding.Same)]
[Flatten]
[Dense(10, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.01f)]
public partial class SmallCnn { }

// Streaming: RTNeural's benchmark model (every layer steps on packed weights and the vector activations), and a
// double LSTM whose 5 units and 20 gate rows are not whole vectors (vector lanes and the scalar tail).
[Network(Seed = 7)]
[Input(64, 1)]
[Dense(8, Tanh)]
[Conv1D(4, 3, Tanh, Padding = Padding.Causal, Dilation = 2)]
[GRU(8, ReturnSequences = true)]
[Dense(1)]
public partial class StreamingModel { }

[Network(Precision = Precision.Double, Seed = 7)]
[Input(16, 3)]
[LSTM(5, ReturnSequences = true)]
[Dense(3, Sigmoid)]
public partial class StreamingLstm { }
