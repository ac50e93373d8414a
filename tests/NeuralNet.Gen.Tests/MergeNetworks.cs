using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Tests.Merge;

// Networks with Add and Concatenate: double ones for finite differences, float ones for allocation.

/// <summary>An Add that skips two layers, one that adds a layer to itself, and a Concatenate from "input".</summary>
[Network(Precision = Precision.Double, Seed = 3)]
[Input(4)]
[Dense(6, Tanh, Name = "h1")]
[Dense(6, Tanh)]
[Dense(6, Sigmoid)]
[Add("h1")]
[Dense(3, Tanh, Name = "t")]
[Add("t")]
[Concatenate("input")]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class ResidualVectorNet { }

/// <summary>Images: an Add from "input", an Add that skips two layers, and a Concatenate of channels.</summary>
[Network(Precision = Precision.Double, Seed = 3)]
[Input(5, 5, 2)]
[Conv2D(2, 3, Tanh, Padding = Padding.Same, Name = "c1")]
[Conv2D(2, 3, Tanh, Padding = Padding.Same)]
[Add("input")]
[Add("c1")]
[Concatenate("c1")]
[Conv2D(3, 3)]
[Flatten]
[Dense(2)]
[Loss(LossFunction.MeanSquaredError)]
public partial class ResidualImageNet { }

/// <summary>Sequences: BatchNorm, then Add and Concatenate with the input, step by step.</summary>
[Network(Precision = Precision.Double, Seed = 3)]
[Input(3, 2)]
[BatchNorm(Name = "bn")]
[Add("input")]
[Concatenate("bn")]
[Flatten]
[Dense(2, Tanh)]
[Loss(LossFunction.MeanSquaredError)]
public partial class ResidualSequenceNet { }

/// <summary>Merges as the last layers: the forward pass against nested loops.</summary>
[Network(Precision = Precision.Double)]
[Input(2, 3, 2)]
[Conv2D(2, 1, Name = "c")]
[Add("input")]
[Concatenate("c")]
public partial class MergeImageForwardNet { }

/// <summary>A small residual CNN in float, trainable, for allocation after warm-up.</summary>
[Network(Seed = 1)]
[Input(6, 6, 2)]
[Conv2D(4, 3, Relu, Padding = Padding.Same, Name = "stem")]
[Conv2D(4, 3, Padding = Padding.Same)]
[BatchNorm]
[Add("stem")]
[Concatenate("input")]
[MaxPool2D(2)]
[Flatten]
[Dense(3, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
public partial class ResidualCnn { }
