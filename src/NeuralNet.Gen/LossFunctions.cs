using System;
using System.Numerics;

namespace NeuralNet.Gen;

/// <summary>
/// Losses of one sample computed from predictions (the network's outputs), as PyTorch defines them.
/// Training uses the generator's fused forms (from logits, for Sigmoid+BCE and Softmax+CCE); these
/// agree with them to rounding and clamp logarithms at -100 as torch's BCELoss does.
/// </summary>
public static class LossFunctions
{
    /// <summary>The loss of one sample: mean over output units, except <see cref="LossFunction.CategoricalCrossEntropy"/>, a sum over classes.</summary>
    public static T Compute<T>(LossFunction loss, ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (targets.Length != predictions.Length)
            throw new ArgumentException($"Expected {predictions.Length} targets (one per prediction) but got {targets.Length}.", nameof(targets));
        if (predictions.Length == 0) throw new ArgumentException("Expected at least one prediction.", nameof(predictions));
        T sum = T.Zero;
        T half = T.CreateChecked(0.5);
        T minLog = T.CreateChecked(-100);
        for (int i = 0; i < predictions.Length; i++)
        {
            T p = predictions[i], y = targets[i], r = p - y;
            switch (loss)
            {
                case LossFunction.MeanSquaredError: sum += r * r; break;
                case LossFunction.MeanAbsoluteError: sum += T.Abs(r); break;
                case LossFunction.Huber: sum += T.Abs(r) <= T.One ? half * r * r : T.Abs(r) - half; break;
                case LossFunction.BinaryCrossEntropy:
                    sum -= y * T.Max(T.Log(p), minLog) + (T.One - y) * T.Max(T.Log(T.One - p), minLog);
                    break;
                case LossFunction.CategoricalCrossEntropy:
                    if (y != T.Zero) sum -= y * T.Max(T.Log(p), minLog);
                    break;
                default: throw new ArgumentOutOfRangeException(nameof(loss), loss, "Unknown loss.");
            }
        }
        return loss == LossFunction.CategoricalCrossEntropy ? sum : sum / T.CreateChecked(predictions.Length);
    }
}
