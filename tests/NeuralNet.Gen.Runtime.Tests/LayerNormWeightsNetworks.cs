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
