using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NameGenerator;

/// <summary>
/// A character-level GRU: the last <see cref="NameModel.Context"/> characters, one-hot over 27 symbols (a-z and the
/// boundary '.'), to the probabilities of the next one.
/// </summary>
[Network(Seed = 1)]
[Input(NameModel.Context, NameModel.Symbols)]
[GRU(48)]
[Dense(NameModel.Symbols, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.01)]
public partial class NameNet { }
