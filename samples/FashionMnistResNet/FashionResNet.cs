using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace FashionMnistResNet;

/// <summary>
/// A small residual CNN: a 3x3 stem and 2x2 pooling, then the usual residual block at 14x14 (conv-BatchNorm-ReLU,
/// conv-BatchNorm, added to the block's input through a skip, then ReLU), pooling, a batch-normalised 3x3
/// convolution, then dropout and two Dense layers as in the plain CNN sample.
/// </summary>
[Network(Seed = 1)]
[Input(28, 28, 1)]
[Conv2D(32, 3, Relu, Padding = Padding.Same)]
[MaxPool2D(2, Name = "block")]
[Conv2D(32, 3, Padding = Padding.Same)]
[BatchNorm]
[Activation(Relu)]
[Conv2D(32, 3, Padding = Padding.Same)]
[BatchNorm]
[Add("block")]
[Activation(Relu)]
[MaxPool2D(2)]
[Conv2D(64, 3, Relu)]
[BatchNorm]
[Flatten]
[Dropout(0.25)]
[Dense(128, Relu)]
[Dense(10, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.001)]
public partial class FashionResNet { }
