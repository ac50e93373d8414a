namespace NeuralNet.Gen;

/// <summary>How predictions are compared with targets to count correct ones.</summary>
public enum AccuracyMetric
{
    /// <summary>From the network's loss: <see cref="Binary"/> for BinaryCrossEntropy, <see cref="Categorical"/> for the categorical cross-entropies, <see cref="None"/> otherwise.</summary>
    Auto,
    /// <summary>No accuracy (regression).</summary>
    None,
    /// <summary>Each output unit is a yes/no answer: at or above the threshold means 1; accuracy is the fraction of units that match the target labels (a target ≥ 0.5 is 1) (Keras' <c>binary_accuracy</c>).</summary>
    Binary,
    /// <summary>The class with the largest output must be the class with the largest target (one-hot targets; Keras' <c>categorical_accuracy</c>), or the class index the target holds (SparseCategoricalCrossEntropy; Keras' <c>sparse_categorical_accuracy</c>).</summary>
    Categorical,
}
