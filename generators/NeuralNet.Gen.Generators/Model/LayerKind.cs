namespace NeuralNet.Gen.Generators.Model;

/// <summary>The layer kinds the generator knows; each has one <c>Layer</c> in <c>Layers/</c>, registered in <c>LayerRegistry</c>.</summary>
internal enum LayerKind { Input, Dense, Conv2D, MaxPool2D, Flatten, Dropout, BatchNorm, Add, Concatenate, SimpleRNN, GRU, LSTM, MaxPool1D, AveragePool1D, AveragePool2D, GlobalAveragePool, GlobalMaxPool, Conv1D, Activation, LayerNorm }
