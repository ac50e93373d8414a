using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Runtime.Tests;

// make_models.py's S(Linear(4, 6), LayerNorm(6), ReLU()): nn.LayerNorm's weight and bias by their state_dict names.
[Network]
[Input(4)]
[Dense(6)]
[LayerNorm]
[Activation(Relu)]
public partial class TorchLinearLayerNormNet { }

[Network]
[Input(4)]
[Dense(6)]
[LayerNorm]
[Activation(Relu)]
[Weights("onnx/layernorm.safetensors")]
public partial class SafetensorsBakedLinearLayerNormNet { }

// linear_batchnorm.safetensors holds a BatchNorm1d(5) where this network has a LayerNorm: its running statistics are extra.
[Network]
[Input(4)]
[Dense(5)]
[LayerNorm]
[Dense(2)]
public partial class LayerNormWhereBatchNormWasNet { }

// The same model exported by torch.onnx.export: LayerNormalization at opset 17, its decomposition at opsets 11 and 13.
[Network]
[Input(4)]
[Dense(6)]
[LayerNorm]
[Activation(Relu)]
[Weights("onnx/layernorm.opset13.onnx")]
public partial class OnnxBakedLinearLayerNormNet { }

// The file's epsilon is 1e-5: another declared epsilon is refused.
[Network]
[Input(4)]
[Dense(6)]
[LayerNorm(Epsilon = 1e-3)]
[Activation(Relu)]
public partial class OtherEpsilonLayerNormNet { }

// The file's ReLU after the LayerNorm where this network declares Tanh.
[Network]
[Input(4)]
[Dense(6)]
[LayerNorm]
[Activation(Tanh)]
public partial class OtherActivationLayerNormNet { }
