using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Runtime.Tests;

// make_models.py's S(Linear(4, 5), BatchNorm1d(5), Linear(5, 2)) in eval mode, with trained-looking statistics.
[Network]
[Input(4)]
[Dense(5)]
[BatchNorm]
[Dense(2)]
public partial class TorchLinearBatchNormNet { }

[Network]
[Input(4)]
[Dense(5)]
[BatchNorm]
[Dense(2)]
[Weights("onnx/linear_batchnorm.onnx")]
public partial class OnnxBakedLinearBatchNormNet { }

[Network]
[Input(4)]
[Dense(5)]
[BatchNorm]
[Dense(2)]
[Weights("onnx/linear_batchnorm.safetensors")]
public partial class SafetensorsBakedLinearBatchNormNet { }

// The same with another epsilon: the file's 1e-5 does not fit it.
[Network]
[Input(4)]
[Dense(5)]
[BatchNorm(Epsilon = 1e-3)]
[Dense(2)]
public partial class OtherEpsilonBatchNormNet { }

// make_models.py's S(Conv2d(2, 3, 3), ReLU, BatchNorm2d(3)) on [2, 2, 5, 5]: BatchNormalization over ONNX's channel axis.
[Network]
[Input(5, 5, 2)]
[Conv2D(3, 3, Relu)]
[BatchNorm]
public partial class TorchConvBatchNormNet { }

[Network]
[Input(5, 5, 2)]
[Conv2D(3, 3, Relu)]
[BatchNorm]
[Weights("onnx/batchnorm2d.onnx")]
public partial class OnnxBakedConvBatchNormNet { }
