using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Runtime.Tests;

// tests/TestData/onnx/make_models.py's ResidualSkip: out(tanh(fc2(h)) + h), h = relu(fc1(x)).
[Network]
[Input(4)]
[Dense(4, Relu, Name = "h")]
[Dense(4, Tanh)]
[Add("h")]
[Dense(2)]
public partial class TorchResidualSkipNet { }

[Network]
[Input(4)]
[Dense(4, Relu, Name = "h")]
[Dense(4, Tanh)]
[Add("h")]
[Dense(2)]
[Weights("onnx/residual_skip.onnx")]
public partial class OnnxBakedResidualSkipNet { }

// The same layers with the skip from the input instead: residual_skip.onnx does not fit it.
[Network]
[Input(4)]
[Dense(4, Relu)]
[Dense(4, Tanh)]
[Add("input")]
[Dense(2)]
public partial class InputSkipNet { }

// make_models.py's ConcatInput: out(cat([tanh(fc(x)), x])).
[Network]
[Input(4)]
[Dense(3, Tanh)]
[Concatenate("input")]
[Dense(2)]
public partial class TorchConcatInputNet { }

[Network]
[Input(4)]
[Dense(3, Tanh)]
[Concatenate("input")]
[Dense(2)]
[Weights("onnx/concat_input.onnx")]
public partial class OnnxBakedConcatInputNet { }
