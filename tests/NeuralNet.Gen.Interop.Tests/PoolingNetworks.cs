using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Interop.Tests;

// Pooled networks exported to ONNX: every pooling kind, on sequences and images, float and double, a pool as the output.

[Network(Seed = 61)]
[Input(10, 3)]
[Dense(4, Tanh)]
[MaxPool1D(3, Stride = 2)]
[AveragePool1D(2, Stride = 1)]
[GlobalMaxPool]
[Dense(2)]
public partial class PooledSequenceExportNet { }

[Network(Precision = Precision.Double, Seed = 62)]
[Input(9, 2)]
[Dense(3, Relu)]
[AveragePool1D(3, Stride = 2)]
[GlobalAveragePool]
[Dense(2)]
public partial class PooledSequenceDoubleExportNet { }

[Network(Seed = 63)]
[Input(9, 9, 2)]
[Conv2D(4, 3, Relu)]
[AveragePool2D(3, Stride = 2)]
[GlobalMaxPool]
[Dense(3, Softmax)]
public partial class PooledImageExportNet { }

[Network(Precision = Precision.Double, Seed = 64)]
[Input(8, 7, 3)]
[Conv2D(4, 3, Tanh, Padding = Padding.Same)]
[AveragePool2D(2)]
[GlobalAveragePool]
[Dense(2)]
public partial class PooledImageDoubleExportNet { }

/// <summary>A 1-D pool as the output: the sequence comes back channels last.</summary>
[Network(Seed = 65)]
[Input(8, 2)]
[MaxPool1D(2)]
public partial class SequencePoolOutputExportNet { }

/// <summary>A 2-D average pool as the output: the image comes back channels last.</summary>
[Network(Seed = 66)]
[Input(7, 6, 2)]
[AveragePool2D(2, Stride = 1)]
public partial class ImagePoolOutputExportNet { }

[Network(Precision = Precision.Double, Seed = 67)]
[Input(9, 2)]
[MaxPool1D(3, Stride = 2)]
[GlobalMaxPool]
[Dense(2)]
public partial class MaxPooledSequenceDoubleExportNet { }

/// <summary>Average windows (Slices in double) and a global maximum (ReduceMax in double) after a convolution.</summary>
[Network(Precision = Precision.Double, Seed = 68)]
[Input(7, 7, 2)]
[Conv2D(3, 2, Relu)]
[AveragePool2D(3, Stride = 2)]
[GlobalMaxPool]
[Dense(2)]
public partial class MaxPooledImageDoubleExportNet { }
