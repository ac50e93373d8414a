using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Interop.Tests;

/// <summary>SimpleRNN returning every step, then a Dense per step (MatMul + Add in ONNX).</summary>
[Network(Seed = 61)]
[Input(5, 3)]
[SimpleRNN(4, ReturnSequences = true)]
[Dense(2, Tanh)]
public partial class RnnSequenceExportNet { }

/// <summary>Stacked SimpleRNN with Relu, the last step into a Dense.</summary>
[Network(Seed = 62)]
[Input(6, 2)]
[SimpleRNN(5, Relu, ReturnSequences = true)]
[SimpleRNN(3, Sigmoid)]
[Dense(2)]
public partial class RnnStackExportNet { }

/// <summary>Stacked GRU (ONNX gates z, r, h, linear_before_reset = 1), a Softmax head.</summary>
[Network(Seed = 63)]
[Input(6, 3)]
[GRU(5, ReturnSequences = true)]
[GRU(4)]
[Dense(3, Softmax)]
public partial class GruStackExportNet { }

/// <summary>LSTM (ONNX gates i, o, f, c) returning every step; Dropout and a Softmax per step after it.</summary>
[Network(Seed = 64)]
[Input(7, 3)]
[LSTM(6, ReturnSequences = true)]
[Dropout(0.25)]
[Dense(3, Softmax)]
public partial class LstmSequenceExportNet { }

/// <summary>Stacked LSTM, the last step out.</summary>
[Network(Seed = 65)]
[Input(4, 2)]
[LSTM(3, ReturnSequences = true)]
[LSTM(5)]
public partial class LstmStackExportNet { }

/// <summary>Per-step layers only on a sequence: Dense, Dropout, Dense with Softmax.</summary>
[Network(Seed = 66)]
[Input(4, 3)]
[Dense(5, Relu)]
[Dropout(0.5)]
[Dense(3, Softmax)]
public partial class PerStepExportNet { }

/// <summary>Per-step layers in double (ONNX Runtime 1.31 runs RNN, GRU and LSTM in float only).</summary>
[Network(Precision = Precision.Double, Seed = 70)]
[Input(4, 3)]
[Dense(5, Tanh)]
[Dense(3, Softmax)]
public partial class PerStepDoubleExportNet { }

/// <summary>RTNeural's benchmark model (the Streaming sample's architecture): per-step Dense, causal dilated Conv1D, GRU, Dense.</summary>
[Network(Seed = 71)]
[Input(16, 1)]
[Dense(8, Tanh)]
[Conv1D(4, 3, Tanh, Padding = Padding.Causal, Dilation = 2)]
[GRU(8, ReturnSequences = true)]
[Dense(1)]
public partial class StreamingExportNet { }
