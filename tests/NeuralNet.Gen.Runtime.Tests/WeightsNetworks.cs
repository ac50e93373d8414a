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

// PyTorch's S(Conv2d(2, 4, 3, padding=1), ReLU, MaxPool2d(2), Flatten, Linear(36, 5)) in our channels-last layout
// (tests/TestData/onnx/cnn.safetensors); its Linear columns arrive channels-first and are permuted on import.
[Network]
[Input(6, 6, 2)]
[Conv2D(4, 3, Relu, Padding = Padding.Same)]
[MaxPool2D(2)]
[Flatten]
[Dense(5)]
public partial class TorchCnnNet { }

[Network]
[Input(6, 6, 2)]
[Conv2D(4, 3, Relu, Padding = Padding.Same)]
[MaxPool2D(2)]
[Flatten]
[Dropout(0.5)]
[Dense(5)]
[Weights("onnx/cnn.safetensors")]
public partial class BakedTorchCnnNet { }

// The same PyTorch CNN from its torch.onnx.export file, baked in at build time.
[Network]
[Input(6, 6, 2)]
[Conv2D(4, 3, Relu, Padding = Padding.Same)]
[MaxPool2D(2)]
[Flatten]
[Dense(5)]
[Weights("onnx/cnn.onnx")]
public partial class OnnxBakedCnnNet { }

// PyTorch's Linear/ReLU/Linear/Sigmoid/Linear/Softmax (mlp.onnx, Gemm) and tf2onnx-style MatMul+Add (keras_dense.onnx).
[Network]
[Input(4)]
[Dense(8, Relu)]
[Dense(6, Sigmoid)]
[Dense(3, Softmax)]
public partial class TorchMlpNet { }

[Network]
[Input(4)]
[Dense(6, Relu)]
[Dense(3, Softmax)]
public partial class KerasStyleOnnxNet { }

// nn.Linear(4, 5) + nn.GELU(approximate="tanh") (act_gelu_tanh.onnx); act_gelu.onnx holds the exact (erf) GELU.
[Network]
[Input(4)]
[Dense(5, Gelu)]
public partial class TorchGeluNet { }
