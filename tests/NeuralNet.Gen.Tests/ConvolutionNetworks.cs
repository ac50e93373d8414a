using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Tests.Convolution;

// Double-precision networks for the finite-difference checks of the image layers. The generator picks a Conv2D
// kernel by shape (BatchEmitter.Strategy; lanes of 256 bits, 4 doubles): windows of kh*kw*c >= 16 values are
// lowered to a matrix product, shorter ones are vectorised across filters (>= 4 filters) or along window rows, so
// KernelMixNet has each kernel with and without an input gradient (its 17 filters: a 4-vector block and a scalar
// tail). Smooth activations keep the loss differentiable everywhere except at max-pool ties, which random values do
// not produce.

[Network(Precision = Precision.Double, Seed = 3)]
[Input(5, 5, 2)]
[Conv2D(3, 2, Tanh, Padding = Padding.Same)]
[Conv2D(5, 1, Tanh)]
[Conv2D(3, 1, Tanh)]
[Conv2D(17, 2, Sigmoid, Stride = 2, Padding = Padding.Same)]
[Flatten]
[Dense(2, Linear)]
[Loss(LossFunction.MeanSquaredError)]
public partial class KernelMixNet { }

[Network(Precision = Precision.Double, Seed = 3)]
[Input(5, 5, 2)]
[Conv2D(3, 3, Tanh)]
[Flatten]
[Dense(2, Linear)]
[Loss(LossFunction.MeanSquaredError)]
public partial class ConvValidStride1Net { }

[Network(Precision = Precision.Double, Seed = 3)]
[Input(6, 5, 3)]
[Conv2D(4, 3, Tanh, Stride = 2, Padding = Padding.Same)]
[Flatten]
[Dense(2, Linear)]
[Loss(LossFunction.MeanSquaredError)]
public partial class ConvSameStride2Net { }

[Network(Precision = Precision.Double, Seed = 3)]
[Input(5, 5, 1)]
[Conv2D(6, 3, Tanh, Padding = Padding.Same)]
[Conv2D(5, 2, Sigmoid, Stride = 2)]
[Flatten]
[Dense(3, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class ConvChainNet { }

[Network(Precision = Precision.Double, Seed = 3)]
[Input(7, 7, 2)]
[Conv2D(2, 3, Tanh, Padding = Padding.Same)]
[Conv2D(17, 3, Tanh, Stride = 2)]
[Flatten]
[Dense(1, Sigmoid)]
[Loss(LossFunction.BinaryCrossEntropy)]
public partial class ConvWideStride2Net { }

[Network(Precision = Precision.Double, Seed = 3)]
[Input(4, 6, 3)]
[Conv2D(8, 2, Tanh, Stride = 2, Padding = Padding.Same)]
[Conv2D(3, 3, Elu, Padding = Padding.Same)]
[Loss(LossFunction.MeanSquaredError)]
public partial class ConvOutputNet { }

[Network(Precision = Precision.Double, Seed = 3)]
[Input(6, 6, 2)]
[Conv2D(4, 2, Tanh)]
[MaxPool2D(2)]
[Conv2D(3, 2, Tanh, Padding = Padding.Same)]
[MaxPool2D(2, Stride = 1)]
[Flatten]
[Dense(2, Linear)]
[Loss(LossFunction.MeanSquaredError)]
public partial class MaxPoolNet { }

[Network(Precision = Precision.Double, Seed = 3)]
[Input(4, 4, 3)]
[MaxPool2D(2)]
[Flatten]
[Dense(2, Tanh)]
[Loss(LossFunction.MeanSquaredError)]
public partial class MaxPoolFirstNet { }

[Network(Precision = Precision.Double, Seed = 3)]
[Input(5, 4, 2)]
[Dropout(0.4f)]
[Conv2D(4, 3, Tanh)]
[Flatten]
[Dropout(0.5f)]
[Dense(70, Tanh)]
[Dropout(0.3f)]
[Dense(3, Linear)]
[Loss(LossFunction.MeanSquaredError)]
public partial class DropoutNet { }

[Network(Precision = Precision.Double, Seed = 3)]
[Input(5, 4, 2)]
[Dropout(0f)]
[Conv2D(4, 3, Tanh)]
[Flatten]
[Dropout(0f)]
[Dense(70, Tanh)]
[Dropout(0f)]
[Dense(3, Linear)]
[Loss(LossFunction.MeanSquaredError)]
public partial class ZeroDropoutNet { }

[Network(Precision = Precision.Double, Seed = 3)]
[Input(5, 4, 2)]
[Conv2D(4, 3, Tanh)]
[Flatten]
[Dense(70, Tanh)]
[Dense(3, Linear)]
[Loss(LossFunction.MeanSquaredError)]
public partial class NoDropoutNet { }

// Inference-only single layers, for the forward truth: a nested-loop convolution written in the test.

[Network(Precision = Precision.Double)] [Input(7, 6, 3)] [Conv2D(5, 3)] public partial class ForwardValid1Net { }
[Network(Precision = Precision.Double)] [Input(7, 6, 3)] [Conv2D(5, 3, Padding = Padding.Same)] public partial class ForwardSame1Net { }
[Network(Precision = Precision.Double)] [Input(7, 6, 3)] [Conv2D(5, 3, Stride = 2, Padding = Padding.Same)] public partial class ForwardSame2Net { }
[Network(Precision = Precision.Double)] [Input(8, 7, 2)] [Conv2D(6, 4, Stride = 2, Padding = Padding.Same)] public partial class ForwardSameEvenKernelNet { }
[Network(Precision = Precision.Double)] [Input(8, 9, 1)] [Conv2D(3, 3, Stride = 2)] public partial class ForwardValid2Net { }
[Network(Precision = Precision.Double)] [Input(6, 6, 4)] [Conv2D(20, 2, Relu)] public partial class ForwardWideReluNet { }
[Network] [Input(9, 8, 3)] [Conv2D(33, 2, Padding = Padding.Same)] public partial class ForwardFloatWideNet { }
[Network] [Input(9, 8, 5)] [Conv2D(7, 1, Stride = 2)] public partial class ForwardFloatNarrowNet { }
[Network] [Input(9, 8, 5)] [Conv2D(7, 3, Stride = 3)] public partial class ForwardFloatLoweredNet { }
[Network(Precision = Precision.Double)] [Input(7, 6, 3)] [MaxPool2D(2)] public partial class ForwardPoolNet { }
[Network(Precision = Precision.Double)] [Input(7, 6, 3)] [MaxPool2D(3, Stride = 2)] public partial class ForwardPoolOverlapNet { }
[Network(Precision = Precision.Double)] [Input(3, 4, 2)] [Flatten] public partial class ForwardFlattenNet { }
[Network(Precision = Precision.Double)] [Input(3, 4, 2)] [Conv2D(2, 1)] [Dropout(0.5f)] public partial class ForwardDropoutNet { }

// Float CNNs for allocation and memory-budget tests: a small one whose inference scratch fits on the stack, and the
// Fashion-MNIST sample's network, whose scratch is thread-static.

[Network(Seed = 5)]
[Input(12, 12, 1)]
[Conv2D(8, 3, Relu)]
[MaxPool2D(2)]
[Conv2D(4, 3, Relu, Padding = Padding.Same)]
[MaxPool2D(2)]
[Flatten]
[Dropout(0.25f)]
[Dense(10, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class SmallCnn { }

[Network(Seed = 1)]
[Input(28, 28, 1)]
[Conv2D(32, 3, Relu)]
[MaxPool2D(2)]
[Conv2D(64, 3, Relu)]
[MaxPool2D(2)]
[Flatten]
[Dropout(0.25f)]
[Dense(128, Relu)]
[Dense(10, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class FashionCnn { }

[Network]
[Input(28, 28, 1)]
[Conv2D(16, 5, Relu, Padding = Padding.Same)]
[MaxPool2D(2)]
[Flatten]
[Dropout(0.5f)]
[Dense(10, Softmax)]
public partial class InferenceCnn { }
