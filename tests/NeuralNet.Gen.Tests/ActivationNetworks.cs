using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Tests.ActivationLayers;

// [Activation] as a layer of its own: double networks for finite differences on every shape, and float pairs that
// must give the same bits as the activation fused into the layer before.

/// <summary>Unrolled vectors: trains sample by sample in straight-line code; Softmax fused with the loss from an Activation layer.</summary>
[Network(Precision = Precision.Double, Seed = 3)]
[Input(3)]
[Dense(4)]
[Activation(Tanh)]
[Dense(4)]
[Activation(Mish)]
[Dense(3)]
[Activation(Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class ActivationVectorNet { }

/// <summary>A chain of activations (one on the input), a non-fused output activation through the loss's chain rule.</summary>
[Network(Precision = Precision.Double, Seed = 3)]
[Input(4)]
[Activation(Selu)]
[Dense(5)]
[Activation(HardSwish)]
[Activation(Gelu)]
[Dense(3)]
[Activation(Softmax)]
[Dense(2)]
[Activation(Sigmoid)]
[Loss(LossFunction.MeanSquaredError)]
public partial class ActivationChainNet { }

/// <summary>A vector too large to unroll: the batch path's loops.</summary>
[Network(Precision = Precision.Double, Seed = 3)]
[Input(70)]
[Dense(66)]
[Activation(Swish)]
[Dense(3)]
[Activation(Elu)]
[Loss(LossFunction.Huber)]
public partial class ActivationWideNet { }

/// <summary>Per step of a sequence, Softmax over each step's units fused with the loss.</summary>
[Network(Precision = Precision.Double, Seed = 3)]
[Input(3, 2)]
[Dense(4)]
[Activation(Softplus)]
[Activation(Softmax)]
[Dense(3)]
[Activation(Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class ActivationSequenceNet { }

/// <summary>An image: element-wise after a convolution, Softmax over each position's channels.</summary>
[Network(Precision = Precision.Double, Seed = 3)]
[Input(5, 5, 2)]
[Conv2D(3, 3)]
[Activation(LeakyRelu)]
[Conv2D(3, 2)]
[Activation(Softmax)]
[Flatten]
[Dense(2)]
[Activation(Tanh)]
[Loss(LossFunction.MeanSquaredError)]
public partial class ActivationImageNet { }

/// <summary>A recurrent network with Activation layers after the recurrent one still streams (Step).</summary>
[Network(Seed = 4)]
[Input(5, 3)]
[GRU(4, ReturnSequences = true)]
[Activation(Relu6)]
[Dense(3)]
[Activation(Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class ActivationStreamingNet { }

// Pairs: the activation fused into the layer, and the same layer Linear followed by [Activation].

[Network(Seed = 6)]
[Input(3)]
[Dense(5, Swish)]
[Dense(4, HardSigmoid)]
[Dense(2, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class FusedSmallNet { }

[Network(Seed = 6)]
[Input(3)]
[Dense(5)]
[Activation(Swish)]
[Dense(4)]
[Activation(HardSigmoid)]
[Dense(2)]
[Activation(Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class SplitSmallNet { }

[Network(Seed = 6)]
[Input(80)]
[Dense(70, Relu)]
[Dense(3, Sigmoid)]
[Loss(LossFunction.BinaryCrossEntropy)]
public partial class FusedWideNet { }

[Network(Seed = 6)]
[Input(80)]
[Dense(70)]
[Activation(Relu)]
[Dense(3)]
[Activation(Sigmoid)]
[Loss(LossFunction.BinaryCrossEntropy)]
public partial class SplitWideNet { }

[Network(Seed = 6)]
[Input(6, 6, 2)]
[Conv2D(4, 3, Selu)]
[Flatten]
[Dense(3, Tanh)]
[Loss(LossFunction.MeanSquaredError)]
public partial class FusedImageNet { }

[Network(Seed = 6)]
[Input(6, 6, 2)]
[Conv2D(4, 3)]
[Activation(Selu)]
[Flatten]
[Dense(3)]
[Activation(Tanh)]
[Loss(LossFunction.MeanSquaredError)]
public partial class SplitImageNet { }
