using NeuralNet.Gen;

namespace NeuralNet.Gen.Runtime.Tests;

// tests/TestData/onnx/make_models.py's Recurrent module: nn.RNN/GRU/LSTM(3, 4, num_layers, batch_first=True) named
// "rnn", on [2, 5, 3]; "_seq" returns every step of one layer, "_last" feeds the last step of two layers to a
// Linear(4, 2) named "head". In safetensors the two stacked layers are rnn.*_l0 and rnn.*_l1.

[Network]
[Input(5, 3)]
[SimpleRNN(4, ReturnSequences = true)]
public partial class TorchRnnSeqWeightsNet { }

[Network]
[Input(5, 3)]
[SimpleRNN(4, ReturnSequences = true)]
[SimpleRNN(4)]
[Dense(2)]
public partial class TorchRnnLastWeightsNet { }

[Network]
[Input(5, 3)]
[GRU(4, ReturnSequences = true)]
public partial class TorchGruSeqWeightsNet { }

[Network]
[Input(5, 3)]
[GRU(4, ReturnSequences = true)]
[GRU(4)]
[Dense(2)]
public partial class TorchGruLastWeightsNet { }

[Network]
[Input(5, 3)]
[LSTM(4, ReturnSequences = true)]
public partial class TorchLstmSeqWeightsNet { }

[Network]
[Input(5, 3)]
[LSTM(4, ReturnSequences = true)]
[LSTM(4)]
[Dense(2)]
public partial class TorchLstmLastWeightsNet { }

// The same, baked in at build time from the state_dicts.
[Network]
[Input(5, 3)]
[SimpleRNN(4, ReturnSequences = true)]
[SimpleRNN(4)]
[Dense(2)]
[Weights("onnx/rnn_last.safetensors", Names = "rnn, rnn, head")]
public partial class BakedTorchRnnLastNet { }

[Network]
[Input(5, 3)]
[GRU(4, ReturnSequences = true)]
[GRU(4)]
[Dense(2)]
[Weights("onnx/gru_last.safetensors", Names = "rnn, rnn, head")]
public partial class BakedTorchGruLastNet { }

[Network]
[Input(5, 3)]
[LSTM(4, ReturnSequences = true)]
[Weights("onnx/lstm_seq.safetensors", Names = "rnn")]
public partial class BakedTorchLstmSeqNet { }

// The torch.onnx.export files of the same modules (and tf2onnx's Keras LSTM), baked in at build time.
[Network]
[Input(5, 3)]
[LSTM(4, ReturnSequences = true)]
[LSTM(4)]
[Dense(2)]
[Weights("onnx/lstm_last.opset11.onnx")]
public partial class OnnxBakedLstmLastNet { }

[Network]
[Input(5, 3)]
[GRU(4, ReturnSequences = true)]
[Weights("onnx/gru_seq.onnx")]
public partial class OnnxBakedGruSeqNet { }

[Network]
[Input(5, 3)]
[SimpleRNN(4, ReturnSequences = true)]
[SimpleRNN(4)]
[Dense(2)]
[Weights("onnx/rnn_last.onnx")]
public partial class OnnxBakedRnnLastNet { }

[Network]
[Input(5, 3)]
[LSTM(4)]
[Dense(2)]
[Weights("onnx/tf2onnx_lstm.onnx")]
public partial class OnnxBakedKerasLstmNet { }

[Network]
[Input(5, 3)]
[LSTM(4)]
[Dense(2)]
public partial class KerasLstmNet { }
