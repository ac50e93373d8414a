using System;

namespace NeuralNet.Gen;

/// <summary>
/// Losses of one sample computed from predictions (the network's outputs), as PyTorch defines them: what
/// <c>Evaluate</c> reports for a loss other than the network's own (an inference-only network, or another measure),
/// where only the outputs of <c>Forward</c> exist. Logarithms are clamped at -100 as torch's BCELoss does. For the
/// network's own loss <c>Evaluate</c> calls its <c>ComputeLoss</c>, which (like the training path) uses
/// <see cref="LossKernels"/> from the logits where the loss is fused with Sigmoid or Softmax; the two agree to
/// rounding until a probability saturates.
/// </summary>
public static class LossFunctions
{
    /// <summary>
    /// The loss of one sample: mean over output units, except the categorical cross-entropies, a sum over classes
    /// (<see cref="LossFunction.SparseCategoricalCrossEntropy"/>: <paramref name="targets"/> holds one class index).
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    public static T Compute<T>(LossFunction loss, ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets)
        where T : unmanaged
    {
        if (loss == LossFunction.SparseCategoricalCrossEntropy)
        {
            if (predictions.Length < 2) throw new ArgumentException($"Expected 2 or more predictions (one per class) but got {predictions.Length}.", nameof(predictions));
            if (targets.Length != 1) throw new ArgumentException($"Expected 1 target (the class index) but got {targets.Length}.", nameof(targets));
            NetworkGuard.ClassIndices(targets, predictions.Length, nameof(targets));
            return Scalar<T>.FromDouble(-Math.Max(NeuralMath.Log(Scalar<T>.ToDouble(predictions[(int)Scalar<T>.ToDouble(targets[0])])), -100));
        }
        if (targets.Length != predictions.Length)
            throw new ArgumentException($"Expected {predictions.Length} targets (one per prediction) but got {targets.Length}.", nameof(targets));
        if (predictions.Length == 0) throw new ArgumentException("Expected at least one prediction.", nameof(predictions));
        // In double, then rounded once: the same for both precisions up to that rounding.
        double sum = 0;
        for (int i = 0; i < predictions.Length; i++)
        {
            double p = Scalar<T>.ToDouble(predictions[i]), y = Scalar<T>.ToDouble(targets[i]), r = p - y;
            switch (loss)
            {
                case LossFunction.MeanSquaredError: sum += r * r; break;
                case LossFunction.MeanAbsoluteError: sum += Math.Abs(r); break;
                case LossFunction.Huber: sum += Math.Abs(r) <= 1 ? 0.5 * r * r : Math.Abs(r) - 0.5; break;
                case LossFunction.BinaryCrossEntropy:
                    sum -= y * Math.Max(NeuralMath.Log(p), -100) + (1 - y) * Math.Max(NeuralMath.Log(1 - p), -100);
                    break;
                case LossFunction.CategoricalCrossEntropy:
                    if (y != 0) sum -= y * Math.Max(NeuralMath.Log(p), -100);
                    break;
                default: throw new ArgumentOutOfRangeException(nameof(loss), loss, "Unknown loss.");
            }
        }
        return Scalar<T>.FromDouble(loss == LossFunction.CategoricalCrossEntropy ? sum : sum / predictions.Length);
    }
}
