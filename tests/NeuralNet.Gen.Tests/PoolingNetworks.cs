using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Tests.Pooling;

// Gradient checks (double): a layer with parameters before each pool, so the pool's backward pass is what carries the
// gradient to it. Overlapping windows (stride < pool) and leftover steps, rows or columns no window covers.

/// <summary>9 steps, windows of 3 every 2: 4 windows over steps 0..8, step 2, 4 and 6 in two windows each.</summary>
[Network(Precision = Precision.Double, Seed = 41)]
[Input(9, 3)]
[Dense(4, Tanh)]
[MaxPool1D(3, Stride = 2)]
[Flatten]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class MaxPool1DOverlapNet { }

/// <summary>7 steps, windows of 2: step 6 is left over.</summary>
[Network(Precision = Precision.Double, Seed = 42)]
[Input(7, 2)]
[Dense(3, Tanh)]
[MaxPool1D(2)]
[Dense(2, Tanh)]
[Flatten]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class MaxPool1DLeftoverNet { }

/// <summary>8 steps, windows of 3 every 2: overlapping, step 7 left over.</summary>
[Network(Precision = Precision.Double, Seed = 43)]
[Input(8, 3)]
[Dense(4, Tanh)]
[AveragePool1D(3, Stride = 2)]
[Flatten]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class AveragePool1DOverlapNet { }

/// <summary>7 steps, windows of 2 on the network's input (no input gradient), then a per-step Dense.</summary>
[Network(Precision = Precision.Double, Seed = 44)]
[Input(7, 2)]
[AveragePool1D(2)]
[Dense(3, Tanh)]
[Flatten]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class AveragePool1DOnInputNet { }

/// <summary>6x7 image, windows 3x3 every 2: overlapping, row 5 left over.</summary>
[Network(Precision = Precision.Double, Seed = 45)]
[Input(7, 8, 2)]
[Conv2D(3, 2, Tanh)]
[AveragePool2D(3, Stride = 2)]
[Flatten]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class AveragePool2DOverlapNet { }

/// <summary>5x5 image, windows 2x2: the last row and column left over; a Softmax output.</summary>
[Network(Precision = Precision.Double, Seed = 46)]
[Input(6, 6, 2)]
[Conv2D(3, 2, Tanh)]
[AveragePool2D(2)]
[Flatten]
[Dense(3, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class AveragePool2DLeftoverNet { }

[Network(Precision = Precision.Double, Seed = 47)]
[Input(5, 5, 2)]
[Conv2D(3, 3, Tanh, Padding = Padding.Same)]
[GlobalAveragePool]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class GlobalAveragePoolImageNet { }

[Network(Precision = Precision.Double, Seed = 48)]
[Input(5, 5, 2)]
[Conv2D(3, 3, Tanh)]
[GlobalMaxPool]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class GlobalMaxPoolImageNet { }

[Network(Precision = Precision.Double, Seed = 49)]
[Input(6, 3)]
[Dense(4, Tanh)]
[GlobalAveragePool]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class GlobalAveragePoolSequenceNet { }

[Network(Precision = Precision.Double, Seed = 50)]
[Input(6, 3)]
[Dense(4, Tanh)]
[GlobalMaxPool]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class GlobalMaxPoolSequenceNet { }

/// <summary>The pool is the output layer: the loss reads its values and writes its gradient.</summary>
[Network(Precision = Precision.Double, Seed = 51)]
[Input(6, 3)]
[Dense(2, Tanh)]
[GlobalAveragePool]
[Loss(LossFunction.MeanSquaredError)]
public partial class GlobalPoolOutputNet { }

/// <summary>Every kind in one stack, twice over a sequence: 1-D pools feeding a global pool.</summary>
[Network(Precision = Precision.Double, Seed = 52)]
[Input(12, 2)]
[Dense(4, Tanh)]
[MaxPool1D(2, Stride = 1)]
[Dense(3, Tanh)]
[AveragePool1D(3, Stride = 2)]
[GlobalMaxPool]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class PoolStackNet { }

// The same as float, for single against double and the allocation tests.

[Network(Seed = 42)]
[Input(12, 2)]
[Dense(4, Tanh)]
[MaxPool1D(2, Stride = 1)]
[Dense(3, Tanh)]
[AveragePool1D(3, Stride = 2)]
[GlobalMaxPool]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class PoolStackFloatNet { }

[Network(Seed = 53)]
[Input(8, 8, 2)]
[Conv2D(4, 3, Relu, Padding = Padding.Same)]
[AveragePool2D(2)]
[Conv2D(6, 3, Relu)]
[GlobalAveragePool]
[Dense(3, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class PoolImageFloatNet { }

/// <summary>Conv2D, GlobalAveragePool, Dense: the all-convolutional classifier head; trained in a test.</summary>
[Network(Seed = 54, MaxBatchSize = 16)]
[Input(6, 6, 1)]
[Conv2D(4, 3, Relu, Padding = Padding.Same)]
[GlobalAveragePool]
[Dense(2, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.03)]
public partial class GlobalPoolClassifierNet { }

// One pool alone, as PyTorch's reference cases (tests/TestData/pooling/make_pooling.py).

[Network(Precision = Precision.Double)] [Input(9, 3)] [MaxPool1D(3, Stride = 2)] public partial class RefMaxPool1DOverlap { }
[Network(Precision = Precision.Double)] [Input(7, 2)] [MaxPool1D(2)] public partial class RefMaxPool1D { }
[Network(Precision = Precision.Double)] [Input(8, 3)] [AveragePool1D(3, Stride = 2)] public partial class RefAveragePool1DOverlap { }
[Network(Precision = Precision.Double)] [Input(7, 2)] [AveragePool1D(2)] public partial class RefAveragePool1D { }
[Network(Precision = Precision.Double)] [Input(6, 7, 2)] [AveragePool2D(3, Stride = 2)] public partial class RefAveragePool2DOverlap { }
[Network(Precision = Precision.Double)] [Input(5, 4, 3)] [AveragePool2D(2)] public partial class RefAveragePool2D { }
[Network(Precision = Precision.Double)] [Input(6, 3)] [GlobalAveragePool] public partial class RefGlobalAveragePoolSequence { }
[Network(Precision = Precision.Double)] [Input(4, 5, 3)] [GlobalAveragePool] public partial class RefGlobalAveragePoolImage { }
[Network(Precision = Precision.Double)] [Input(6, 3)] [GlobalMaxPool] public partial class RefGlobalMaxPoolSequence { }
[Network(Precision = Precision.Double)] [Input(4, 5, 3)] [GlobalMaxPool] public partial class RefGlobalMaxPoolImage { }
[Network] [Input(9, 3)] [MaxPool1D(3, Stride = 2)] public partial class RefMaxPool1DOverlapFloat { }
[Network] [Input(6, 7, 2)] [AveragePool2D(3, Stride = 2)] public partial class RefAveragePool2DOverlapFloat { }
[Network] [Input(4, 5, 3)] [GlobalMaxPool] public partial class RefGlobalMaxPoolImageFloat { }

// Streaming: the same recurrent stack with and without a pool after the GRU.

[Network] [Input(8, 2)] [GRU(4, ReturnSequences = true)] [Dense(1)] public partial class StreamingControlNet { }
[Network] [Input(8, 2)] [GRU(4, ReturnSequences = true)] [MaxPool1D(2)] [Dense(1)] public partial class PooledRecurrentNet { }
[Network] [Input(8, 2)] [GRU(4, ReturnSequences = true)] [GlobalAveragePool] [Dense(1)] public partial class GlobalPooledRecurrentNet { }
