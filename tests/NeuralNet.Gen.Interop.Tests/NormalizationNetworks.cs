using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Interop.Tests.Normalization;

/// <summary>Activation layers on an image (Softmax over each position's channels) and on a vector.</summary>
[Network(Seed = 61)]
[Input(6, 6, 2)]
[Conv2D(3, 3)]
[Activation(Relu6)]
[Activation(Softmax)]
[Flatten]
[Dense(4)]
[Activation(HardSwish)]
public partial class ActivationImageExportNet { }

/// <summary>Activation layers per step of a sequence, the output a sequence.</summary>
[Network(Seed = 62)]
[Input(4, 3)]
[Dense(5)]
[Activation(Selu)]
[Activation(Mish)]
[Activation(Softmax)]
public partial class ActivationSequenceExportNet { }

// The five activations of issue 13, each as a layer on the input: what ONNX Runtime computes from our export.

[Network] [Input(41)] [Activation(Relu6)] public partial class Relu6ExportNet { }

[Network] [Input(41)] [Activation(HardSigmoid)] public partial class HardSigmoidExportNet { }

[Network] [Input(41)] [Activation(HardSwish)] public partial class HardSwishExportNet { }

[Network] [Input(41)] [Activation(Mish)] public partial class MishExportNet { }

[Network] [Input(41)] [Activation(Selu)] public partial class SeluExportNet { }

/// <summary>The five as Dense activations, one after another.</summary>
[Network(Seed = 63)]
[Input(5)]
[Dense(6, Relu6)]
[Dense(6, HardSigmoid)]
[Dense(6, HardSwish)]
[Dense(6, Mish)]
[Dense(4, Selu)]
public partial class NewActivationsDenseExportNet { }
