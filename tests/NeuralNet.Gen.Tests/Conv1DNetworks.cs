using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Tests.Conv1D;

// Finite-difference networks (double): each padding, with stride and dilation where they change the windows. A second
// convolution (or a Dense before) makes the first layer's input gradient part of what is checked.

[Network(Precision = Precision.Double, Seed = 1)]
[Input(7, 2)]
[Conv1D(3, 3, Tanh)]
[Conv1D(2, 2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class ValidCheckNet { }

[Network(Precision = Precision.Double, Seed = 1)]
[Input(8, 2)]
[Conv1D(3, 4, Tanh, Stride = 2, Padding = Padding.Same)]
[Conv1D(2, 3, Padding = Padding.Same)]
[Loss(LossFunction.MeanSquaredError)]
public partial class SameStrideCheckNet { }

[Network(Precision = Precision.Double, Seed = 1)]
[Input(10, 1)]
[Conv1D(2, 3, Tanh, Stride = 3, Padding = Padding.Same, Dilation = 2)]
[Conv1D(2, 2, Sigmoid, Padding = Padding.Same, Dilation = 2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class SameDilatedCheckNet { }

[Network(Precision = Precision.Double, Seed = 1)]
[Input(7, 2)]
[Conv1D(3, 3, Tanh, Padding = Padding.Causal, Dilation = 2)]
[Conv1D(2, 2, Padding = Padding.Causal, Dilation = 3)]
[Loss(LossFunction.MeanSquaredError)]
public partial class CausalDilatedCheckNet { }

[Network(Precision = Precision.Double, Seed = 1)]
[Input(7, 2)]
[Conv1D(3, 2, Elu, Padding = Padding.Causal, Stride = 2)]
[Conv1D(2, 2, Padding = Padding.Causal)]
[Loss(LossFunction.MeanSquaredError)]
public partial class CausalStrideCheckNet { }

[Network(Precision = Precision.Double, Seed = 1)]
[Input(9, 2)]
[Dense(3, Tanh)]
[Conv1D(2, 3, Sigmoid, Stride = 2, Dilation = 2, UseBias = false)]
[Flatten]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
public partial class ValidStrideDilatedNoBiasCheckNet { }

// Forward against a nested-loop reference, float and double, on the batch path with many filters.
[Network(Seed = 3)]
[Input(12, 3)]
[Conv1D(8, 3, Relu, Stride = 2, Padding = Padding.Same, Dilation = 2)]
public partial class ReferenceSameNet { }

[Network(Precision = Precision.Double, Seed = 3)]
[Input(12, 3)]
[Conv1D(5, 4, Tanh, Padding = Padding.Causal, Dilation = 3)]
public partial class ReferenceCausalNet { }

[Network(Seed = 3)]
[Input(12, 3)]
[Conv1D(6, 5, Stride = 3, Dilation = 2)]
public partial class ReferenceValidNet { }

// Streaming: the model (RTNeural's benchmark).
[Network(Seed = 5)]
[Input(16, 1)]
[Dense(8, Tanh)]
[Conv1D(4, 3, Tanh, Padding = Padding.Causal, Dilation = 2)]
[GRU(8, ReturnSequences = true)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
public partial class StreamConvNet { }

[Network(Precision = Precision.Double, Seed = 5)]
[Input(10, 2)]
[Conv1D(3, 2, Padding = Padding.Causal, UseBias = false)]
[Conv1D(2, 3, Relu, Padding = Padding.Causal, Dilation = 2)]
public partial class StreamConvOnlyDoubleNet { }

// Not causal: no Step.
[Network(Seed = 5)]
[Input(16, 1)]
[Conv1D(4, 3, Tanh, Padding = Padding.Same)]
[GRU(8, ReturnSequences = true)]
[Dense(1)]
public partial class SameConvGruNet { }

[Network(Seed = 5)]
[Input(16, 1)]
[Conv1D(4, 3, Tanh, Padding = Padding.Causal, Stride = 2)]
[GRU(8, ReturnSequences = true)]
[Dense(1)]
public partial class StridedCausalConvGruNet { }

// ReferenceCausalNet in float: single and double agree.
[Network(Seed = 3)]
[Input(12, 3)]
[Conv1D(5, 4, Tanh, Padding = Padding.Causal, Dilation = 3)]
public partial class ReferenceCausalFloatNet { }
