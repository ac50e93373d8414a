using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Runtime.Tests;

// One network per family ExportOnnx writes with its own patterns (Transposes around convolutions and pools, recurrent
// operators, Add), each loaded back with LoadOnnx.
[Network(Seed = 1)]
[Input(6)]
[Dense(8, Relu)]
[Dense(4, Softmax)]
public partial class RoundTripMlpNet { }

[Network(Seed = 2)]
[Input(8, 8, 2)]
[Conv2D(4, 3, Relu, Padding = Padding.Same)]
[MaxPool2D(2)]
[Conv2D(3, 3, Tanh)]
[Flatten]
[Dense(5)]
public partial class RoundTripCnnNet { }

[Network(Seed = 3)]
[Input(10, 3)]
[Conv1D(4, 3, Relu, Padding = Padding.Causal, Dilation = 2)]
[MaxPool1D(2)]
[Flatten]
[Dense(3)]
public partial class RoundTripConv1DNet { }

[Network(Seed = 4)]
[Input(5)]
[Dense(6)]
[BatchNorm]
[Activation(Relu)]
[Dense(2)]
public partial class RoundTripBatchNormNet { }

[Network(Seed = 5)]
[Input(4, 3)]
[Dense(6)]
[LayerNorm]
[Dense(2, Tanh)]
public partial class RoundTripLayerNormNet { }

[Network(Seed = 6)]
[Input(5, 3)]
[LSTM(4, ReturnSequences = true)]
[GRU(3)]
[Dense(2)]
public partial class RoundTripRecurrentNet { }

[Network(Seed = 7)]
[Input(4)]
[Dense(4, Relu, Name = "h")]
[Dense(4, Tanh)]
[Add("h")]
[Dense(2)]
public partial class RoundTripResidualNet { }

// The same networks in double: ExportOnnx writes DOUBLE tensors and, where ONNX Runtime has no double kernel, the
// operators' decompositions (a convolution as Slices, Concat and MatMul).
[Network(Seed = 1, Precision = Precision.Double)]
[Input(6)]
[Dense(8, Relu)]
[Dense(4, Softmax)]
public partial class RoundTripMlpDoubleNet { }

[Network(Seed = 2, Precision = Precision.Double)]
[Input(8, 8, 2)]
[Conv2D(4, 3, Relu, Padding = Padding.Same)]
[MaxPool2D(2)]
[Conv2D(3, 3, Tanh)]
[Flatten]
[Dense(5)]
public partial class RoundTripCnnDoubleNet { }

[Network(Seed = 3, Precision = Precision.Double)]
[Input(10, 3)]
[Conv1D(4, 3, Relu, Padding = Padding.Causal, Dilation = 2)]
[MaxPool1D(2)]
[Flatten]
[Dense(3)]
public partial class RoundTripConv1DDoubleNet { }

[Network(Seed = 4, Precision = Precision.Double)]
[Input(5)]
[Dense(6)]
[BatchNorm]
[Activation(Relu)]
[Dense(2)]
public partial class RoundTripBatchNormDoubleNet { }

[Network(Seed = 5, Precision = Precision.Double)]
[Input(4, 3)]
[Dense(6)]
[LayerNorm]
[Dense(2, Tanh)]
public partial class RoundTripLayerNormDoubleNet { }

[Network(Seed = 6, Precision = Precision.Double)]
[Input(5, 3)]
[LSTM(4, ReturnSequences = true)]
[GRU(3)]
[Dense(2)]
public partial class RoundTripRecurrentDoubleNet { }

[Network(Seed = 7, Precision = Precision.Double)]
[Input(4)]
[Dense(4, Relu, Name = "h")]
[Dense(4, Tanh)]
[Add("h")]
[Dense(2)]
public partial class RoundTripResidualDoubleNet { }
