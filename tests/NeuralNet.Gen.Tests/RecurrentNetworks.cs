using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Tests.Recurrent;

// Finite-difference networks (double): each kind, the last state and every state, stacked.

[Network(Precision = Precision.Double, Seed = 1)]
[Input(4, 3)]
[SimpleRNN(5)]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class SimpleRnnLastCheckNet { }

[Network(Precision = Precision.Double, Seed = 1)]
[Input(4, 3)]
[SimpleRNN(3, Sigmoid, ReturnSequences = true)]
[Loss(LossFunction.MeanSquaredError)]
public partial class SimpleRnnSequenceCheckNet { }

[Network(Precision = Precision.Double, Seed = 1)]
[Input(4, 3)]
[GRU(5)]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class GruLastCheckNet { }

[Network(Precision = Precision.Double, Seed = 1)]
[Input(4, 3)]
[GRU(3, ReturnSequences = true)]
[Loss(LossFunction.MeanSquaredError)]
public partial class GruSequenceCheckNet { }

[Network(Precision = Precision.Double, Seed = 1)]
[Input(4, 3)]
[LSTM(5)]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class LstmLastCheckNet { }

[Network(Precision = Precision.Double, Seed = 1)]
[Input(4, 3)]
[LSTM(3, ReturnSequences = true)]
[Loss(LossFunction.MeanSquaredError)]
public partial class LstmSequenceCheckNet { }

[Network(Precision = Precision.Double, Seed = 1)]
[Input(5, 2)]
[GRU(4, ReturnSequences = true)]
[LSTM(3, ReturnSequences = true)]
[SimpleRNN(3)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
public partial class StackedLastCheckNet { }

[Network(Precision = Precision.Double, Seed = 1)]
[Input(5, 2)]
[LSTM(3, ReturnSequences = true)]
[SimpleRNN(4, ReturnSequences = true)]
[GRU(2, ReturnSequences = true)]
[Loss(LossFunction.MeanSquaredError)]
public partial class StackedSequenceCheckNet { }

// PyTorch references (tests/TestData/onnx): float, the state_dict's tensors in Parameters' order.

[Network]
[Input(5, 3)]
[SimpleRNN(4, ReturnSequences = true)]
public partial class TorchRnnSeqNet { }

[Network]
[Input(5, 3)]
[GRU(4, ReturnSequences = true)]
public partial class TorchGruSeqNet { }

[Network]
[Input(5, 3)]
[LSTM(4, ReturnSequences = true)]
public partial class TorchLstmSeqNet { }

[Network]
[Input(5, 3)]
[SimpleRNN(4, ReturnSequences = true)]
[SimpleRNN(4)]
[Dense(2)]
public partial class TorchRnnLastNet { }

[Network]
[Input(5, 3)]
[GRU(4, ReturnSequences = true)]
[GRU(4)]
[Dense(2)]
public partial class TorchGruLastNet { }

[Network]
[Input(5, 3)]
[LSTM(4, ReturnSequences = true)]
[LSTM(4)]
[Dense(2)]
public partial class TorchLstmLastNet { }

// Hand-computed: one unit, one feature, two steps.

[Network(Precision = Precision.Double)]
[Input(2, 1)]
[GRU(1, ReturnSequences = true)]
[Loss(LossFunction.MeanSquaredError)]
public partial class TinyGruNet { }

[Network(Precision = Precision.Double)]
[Input(2, 1)]
[LSTM(1, ReturnSequences = true)]
[Loss(LossFunction.MeanSquaredError)]
public partial class TinyLstmNet { }

// Streaming.

[Network(Seed = 7)]
[Input(6, 2)]
[GRU(5, ReturnSequences = true)]
[LSTM(4, ReturnSequences = true)]
[SimpleRNN(3, ReturnSequences = true)]
[Loss(LossFunction.MeanSquaredError)]
public partial class StreamSequenceNet { }

[Network(Seed = 7)]
[Input(6, 2)]
[LSTM(4)]
[Dropout(0.25)]
[Dense(2, Tanh)]
[Loss(LossFunction.MeanSquaredError)]
public partial class StreamLastNet { }

[Network(Precision = Precision.Double, Seed = 7)]
[Input(6, 2)]
[GRU(5, ReturnSequences = true)]
[SimpleRNN(3, ReturnSequences = true)]
public partial class StreamDoubleNet { }

// Not streaming: Flatten looks at every step.
[Network]
[Input(6, 2)]
[GRU(3, ReturnSequences = true)]
[Flatten]
[Dense(1)]
public partial class FlattenedGruNet { }
