namespace NeuralNet.Gen.Generators.Model;

// Mirrors of the runtime's public enums (src/NeuralNet.Gen/Enums.cs), same names and values: the generator
// targets netstandard2.0 and cannot reference the runtime assembly, so attribute arguments arrive as ints.

internal enum Activation { Linear, Relu, LeakyRelu, Sigmoid, Tanh, Softmax, Elu, Gelu, Swish, Softplus }

internal enum LossFunction { MeanSquaredError, MeanAbsoluteError, Huber, BinaryCrossEntropy, CategoricalCrossEntropy }

internal enum OptimizerKind { Sgd, Momentum, Nesterov, RmsProp, Adagrad, Adam, AdamW }

internal enum WeightInit { GlorotUniform, GlorotNormal, HeUniform, HeNormal, Normal, Zeros }

internal enum Precision { Single, Double }

internal enum Padding { Valid, Same }

internal enum LayerKind { Input, Dense, Conv2D, MaxPool2D, Flatten, Dropout }
