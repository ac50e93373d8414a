using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace FashionMnistCnn;

/// <summary>
/// The "2 Conv+pooling" entry of the Fashion-MNIST benchmark table (0.916): two 3x3 ReLU convolutions, each followed
/// by 2x2 max pooling, then dropout and two Dense layers. 225,034 parameters.
/// </summary>
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
[Optimizer(OptimizerKind.Adam, LearningRate = 0.001f)]
public partial class FashionCnn { }
