using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Interop.Tests;

// Architectures exported to ONNX in the tests; between them every activation, in float and in double.

[Network(Seed = 1)]
[Input(5)]
[Dense(8, Relu)]
[Dense(7, LeakyRelu)]
[Dense(6, Sigmoid)]
[Dense(4, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.01f)]
public partial class ClassifierNet { }

[Network(Seed = 2)]
[Input(4)]
[Dense(9, Tanh)]
[Dense(8, Elu)]
[Dense(7, Gelu)]
[Dense(6, Swish)]
[Dense(5, Softplus)]
[Dense(3)]
public partial class SmoothNet { }

[Network(Seed = 3)]
[Input(40)]
[Dense(64, Relu)]
[Dense(32, Gelu)]
[Dense(10, Softmax)]
public partial class WideNet { }

[Network(Seed = 4)]
[Input(3)]
[Dense(1, Sigmoid)]
public partial class LogisticNet { }

[Network(Precision = Precision.Double, Seed = 5)]
[Input(4)]
[Dense(6, Relu)]
[Dense(6, LeakyRelu)]
[Dense(5, Sigmoid)]
[Dense(5, Tanh)]
[Dense(5, Elu)]
[Dense(5, Gelu)]
[Dense(5, Swish)]
[Dense(5, Softplus)]
[Dense(3, Softmax)]
public partial class AllActivationsDoubleNet { }

[Network(Seed = 6)]
[Input(4)]
[Dense(6, Relu)]
[Dense(6, LeakyRelu)]
[Dense(5, Sigmoid)]
[Dense(5, Tanh)]
[Dense(5, Elu)]
[Dense(5, Gelu)]
[Dense(5, Swish)]
[Dense(5, Softplus)]
[Dense(3, Softmax)]
public partial class AllActivationsNet { }

// Convolutional networks: Same and Valid padding, strides, pooling, Dropout and Flatten between Conv and Dense.

[Network(Seed = 7)]
[Input(9, 9, 2)]
[Conv2D(4, 3, Relu, Padding = Padding.Same)]
[MaxPool2D(2)]
[Conv2D(6, 2, Tanh, Stride = 2)]
[Dropout(0.25)]
[Flatten]
[Dense(5, Softmax)]
public partial class CnnNet { }

[Network(Precision = Precision.Double, Seed = 8)]
[Input(8, 8, 3)]
[Conv2D(5, 4, Gelu, Stride = 2, Padding = Padding.Same)]
[MaxPool2D(3, Stride = 1)]
[Flatten]
[Dense(3)]
public partial class CnnDoubleNet { }

// A stride that leaves the last column unread (ONNX's end padding must then be 0, not negative).
[Network(Seed = 9)]
[Input(7, 6, 1)]
[Conv2D(2, 3, Sigmoid, Stride = 2)]
[Flatten]
[Dense(2, Elu)]
public partial class LeftoverEdgeNet { }

[Network(Seed = 10)]
[Input(5, 4, 2)]
[Conv2D(3, 2, Swish, Padding = Padding.Same)]
[MaxPool2D(2, Stride = 1)]
public partial class ImageOutputNet { }

[Network(Seed = 21)]
[Input(6)]
[Dense(8)]
[BatchNorm]
[Dense(3, Softmax)]
public partial class BatchNormVectorNet { }

[Network(Seed = 22)]
[Input(4, 3)]
[BatchNorm(Epsilon = 1e-3)]
[Flatten]
[Dense(2)]
public partial class BatchNormSequenceNet { }

/// <summary>The first BatchNorm is folded into its convolution by the generated Forward; ONNX gets it unfolded.</summary>
[Network(Seed = 23)]
[Input(6, 6, 2)]
[Conv2D(4, 3)]
[BatchNorm]
[Conv2D(3, 3, Relu)]
[BatchNorm(Epsilon = 1e-3)]
[Flatten]
[Dense(2)]
public partial class BatchNormImageNet { }

[Network(Precision = Precision.Double, Seed = 24)]
[Input(6, 6, 2)]
[Conv2D(4, 3)]
[BatchNorm]
[Flatten]
[Dense(2)]
public partial class BatchNormImageDoubleNet { }

/// <summary>Residual connections for export: Add over a skip of two layers, Concatenate with the input, on an image.</summary>
[Network(Seed = 45)]
[Input(6, 6, 2)]
[Conv2D(3, 3, Relu, Padding = Padding.Same, Name = "stem")]
[Conv2D(3, 3, Tanh, Padding = Padding.Same)]
[Conv2D(3, 3, Padding = Padding.Same)]
[Add("stem")]
[Concatenate("input")]
[MaxPool2D(2)]
[Flatten]
[Dense(4, Softmax)]
public partial class ResidualExportNet { }

/// <summary>The same on vectors, in double, with Add from "input" and a merge as the output.</summary>
[Network(Precision = Precision.Double, Seed = 46)]
[Input(5)]
[Dense(5, Tanh, Name = "h")]
[Add("input")]
[Dense(3, Relu)]
[Concatenate("h")]
public partial class ResidualVectorExportNet { }

// Conv1D over sequences: each padding, stride and dilation, no bias, a sequence output and a flattened head.

[Network(Seed = 31)]
[Input(11, 3)]
[Conv1D(4, 3, Relu, Padding = Padding.Same, Stride = 2, Dilation = 2)]
[Conv1D(5, 2, Tanh, Padding = Padding.Causal, Dilation = 3)]
[Conv1D(3, 3, UseBias = false)]
[Flatten]
[Dense(2)]
public partial class Conv1DExportNet { }

[Network(Precision = Precision.Double, Seed = 32)]
[Input(10, 2)]
[Conv1D(3, 4, Gelu, Padding = Padding.Same, Dilation = 2)]
[Conv1D(4, 2, Padding = Padding.Causal, Stride = 2, UseBias = false)]
[Conv1D(2, 2, Sigmoid, Stride = 3)]
public partial class Conv1DExportDoubleNet { }

// RTNeural's benchmark model: per-step Dense, causal dilated Conv1D, GRU, per-step Dense.
[Network(Seed = 33)]
[Input(12, 1)]
[Dense(8, Tanh)]
[Conv1D(4, 3, Tanh, Padding = Padding.Causal, Dilation = 2)]
[GRU(8, ReturnSequences = true)]
[Dense(1)]
public partial class StreamingConvExportNet { }

// Dense and Conv2D without bias (PyTorch's bias=False): Gemm without C, MatMul without Add, Conv without B.

[Network(Seed = 34)]
[Input(6, 6, 2)]
[Conv2D(4, 3, Relu, Padding = Padding.Same, UseBias = false)]
[Conv2D(3, 2, Stride = 2, UseBias = false)]
[Flatten]
[Dense(5, Tanh, UseBias = false)]
[Dense(2)]
public partial class NoBiasExportNet { }

[Network(Precision = Precision.Double, Seed = 35)]
[Input(5, 3)]
[Dense(4, Tanh, UseBias = false)]
[Flatten]
[Dense(2, UseBias = false)]
public partial class NoBiasSequenceExportDoubleNet { }

[Network(Seed = 36)]
[Input(5, 5, 2)]
[Conv2D(4, 3, UseBias = false)]
[BatchNorm]
[Activation(Relu)]
[Flatten]
[Dense(2)]
public partial class NoBiasBatchNormExportNet { }
