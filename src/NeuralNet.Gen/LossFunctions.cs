using System;

namespace NeuralNet.Gen;

/// <summary>
/// Losses of one sample computed from predictions (the network's outputs), as PyTorch defines them: what
/// <c>Evaluate</c> reports from the outputs of <c>Forward</c>. Logarithms are clamped at -100 as torch's BCELoss
/// does. Generated <c>ComputeLoss</c> and the training path call <see cref="LossKernels"/> instead, from the logits
/// where the loss is fused with Sigmoid or Softmax; the two agree to rounding until a probability saturates.
/// </summary>
public static class LossFunctions
{
    /// <summary>The loss of one sample: mean over output units, except <see cref="LossFunction.CategoricalCrossEntropy"/>, a sum over classes.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    public static T Compute<T>(LossFunction loss, ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets)
        where T : unmanaged
    {
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
