using System;
using System.ComponentModel;

namespace NeuralNet.Gen;

/// <summary>
/// The losses of one sample and their gradients, which generated code calls from both <c>ComputeLoss</c> and the
/// training path (<c>ComputeGradients</c>, <c>TrainStep</c>), so the two return the same loss to the bit. The losses
/// that follow Sigmoid (BinaryCrossEntropy) and Softmax (CategoricalCrossEntropy) are computed from the logits, which
/// stays finite where the probability saturates; their gradients are dL/dz, fused with the activation. The others take
/// the predictions and their gradients are dL/da. Every sum runs in index order, with the product's own exp and log.
/// Each method writes <c>scale</c> times the gradient unless the gradient span is empty (loss only).
/// </summary>
/// <remarks>One method per loss: a new loss is one more method and one more entry where the generator names them.</remarks>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class LossKernels
{
    /// <summary>Mean over the outputs of (a - t)²; gradient 2(a - t)/k.</summary>
    public static T MeanSquaredError<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets, Span<T> gradient, T scale) where T : unmanaged
    {
        CheckLengths(predictions, targets, gradient);
        T loss = Scalar<T>.Zero, unitScale = UnitScale(scale, predictions.Length), two = Scalar<T>.FromDouble(2);
        for (int k = 0; k < predictions.Length; k++)
        {
            T r = Scalar<T>.Subtract(predictions[k], targets[k]);
            loss = Scalar<T>.Add(loss, Scalar<T>.Multiply(r, r));
            if (!gradient.IsEmpty) gradient[k] = Scalar<T>.Multiply(Scalar<T>.Multiply(two, r), unitScale);
        }
        return MeanOverUnits(loss, predictions.Length);
    }

    /// <summary>Mean over the outputs of |a - t|; gradient sign(a - t)/k (0 where a = t).</summary>
    public static T MeanAbsoluteError<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets, Span<T> gradient, T scale) where T : unmanaged
    {
        CheckLengths(predictions, targets, gradient);
        T loss = Scalar<T>.Zero, zero = Scalar<T>.Zero, unitScale = UnitScale(scale, predictions.Length);
        for (int k = 0; k < predictions.Length; k++)
        {
            T r = Scalar<T>.Subtract(predictions[k], targets[k]);
            loss = Scalar<T>.Add(loss, Scalar<T>.Abs(r));
            if (!gradient.IsEmpty)
                gradient[k] = Scalar<T>.LessThan(zero, r) ? unitScale : Scalar<T>.LessThan(r, zero) ? Scalar<T>.Negate(unitScale) : zero;
        }
        return MeanOverUnits(loss, predictions.Length);
    }

    /// <summary>Huber with delta 1, mean over the outputs: 0.5·r² where |r| &lt;= 1, |r| - 0.5 elsewhere (r = a - t).</summary>
    public static T Huber<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets, Span<T> gradient, T scale) where T : unmanaged
    {
        CheckLengths(predictions, targets, gradient);
        T loss = Scalar<T>.Zero, zero = Scalar<T>.Zero, one = Scalar<T>.One, half = Scalar<T>.FromDouble(0.5);
        T unitScale = UnitScale(scale, predictions.Length);
        for (int k = 0; k < predictions.Length; k++)
        {
            T r = Scalar<T>.Subtract(predictions[k], targets[k]);
            T absR = Scalar<T>.Abs(r);
            bool quadratic = Scalar<T>.LessThanOrEqual(absR, one);
            loss = Scalar<T>.Add(loss, quadratic ? Scalar<T>.Multiply(Scalar<T>.Multiply(half, r), r) : Scalar<T>.Subtract(absR, half));
            if (!gradient.IsEmpty)
                gradient[k] = Scalar<T>.Multiply(quadratic ? r : Scalar<T>.LessThan(zero, r) ? one : Scalar<T>.Negate(one), unitScale);
        }
        return MeanOverUnits(loss, predictions.Length);
    }

    /// <summary>
    /// Binary cross-entropy of Sigmoid outputs from their logits z, mean over the outputs:
    /// max(z, 0) - z·t + log(1 + e^-|z|), finite for every z (the probability form would take log 0 at |z| ≈ 17 in float).
    /// Gradient with respect to z, fused with Sigmoid: (a - t)/k.
    /// </summary>
    public static T BinaryCrossEntropyFromLogits<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets, Span<T> gradient, T scale) where T : unmanaged
    {
        CheckLengths(logits, targets, gradient);
        if (!gradient.IsEmpty) CheckLength(predictions, logits.Length, nameof(predictions));
        T loss = Scalar<T>.Zero, zero = Scalar<T>.Zero, one = Scalar<T>.One, unitScale = UnitScale(scale, logits.Length);
        for (int k = 0; k < logits.Length; k++)
        {
            T z = logits[k];
            T softplus = Scalar<T>.Log(Scalar<T>.Add(one, Scalar<T>.Exp(Scalar<T>.Negate(Scalar<T>.Abs(z)))));
            loss = Scalar<T>.Add(loss, Scalar<T>.Add(Scalar<T>.Subtract(Scalar<T>.Max(z, zero), Scalar<T>.Multiply(z, targets[k])), softplus));
            if (!gradient.IsEmpty) gradient[k] = Scalar<T>.Multiply(Scalar<T>.Subtract(predictions[k], targets[k]), unitScale);
        }
        return MeanOverUnits(loss, logits.Length);
    }

    /// <summary>
    /// Categorical cross-entropy of Softmax outputs from their logits, summed over the classes: Σ t·(logsumexp(z) - z),
    /// with logsumexp shifted by the largest logit. Gradient with respect to z, fused with Softmax: a·Σt - t
    /// (a - t for one-hot targets).
    /// </summary>
    public static T CategoricalCrossEntropyFromLogits<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets, Span<T> gradient, T scale) where T : unmanaged
    {
        CheckLengths(logits, targets, gradient);
        if (!gradient.IsEmpty) CheckLength(predictions, logits.Length, nameof(predictions));
        T maxLogit = logits[0];
        for (int k = 1; k < logits.Length; k++) maxLogit = Scalar<T>.Max(maxLogit, logits[k]);
        T sumExp = Scalar<T>.Zero, targetSum = Scalar<T>.Zero;
        for (int k = 0; k < logits.Length; k++)
        {
            sumExp = Scalar<T>.Add(sumExp, Scalar<T>.Exp(Scalar<T>.Subtract(logits[k], maxLogit)));
            targetSum = Scalar<T>.Add(targetSum, targets[k]);
        }
        T logSumExp = Scalar<T>.Add(maxLogit, Scalar<T>.Log(sumExp));
        T loss = Scalar<T>.Zero;
        for (int k = 0; k < logits.Length; k++)
        {
            loss = Scalar<T>.Add(loss, Scalar<T>.Multiply(targets[k], Scalar<T>.Subtract(logSumExp, logits[k])));
            if (!gradient.IsEmpty)
                gradient[k] = Scalar<T>.Multiply(Scalar<T>.Subtract(Scalar<T>.Multiply(predictions[k], targetSum), targets[k]), scale);
        }
        return loss;
    }

    /// <summary>
    /// Categorical cross-entropy of Softmax outputs against one class index (<paramref name="target"/> holds one value,
    /// the index i): logsumexp(z) - z_i, with logsumexp shifted by the largest logit. Gradient with respect to z, fused
    /// with Softmax: a - onehot(i). The same bits as <see cref="CategoricalCrossEntropyFromLogits"/> on the one-hot row.
    /// The index must already be checked (<see cref="NetworkGuard.ClassIndices"/>).
    /// </summary>
    public static T SparseCategoricalCrossEntropyFromLogits<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> predictions, ReadOnlySpan<T> target, Span<T> gradient, T scale) where T : unmanaged
    {
        if (logits.IsEmpty) throw new ArgumentException("Expected at least one logit.", nameof(logits));
        CheckLength(target, 1, nameof(target));
        if (!gradient.IsEmpty)
        {
            CheckLength((ReadOnlySpan<T>)gradient, logits.Length, nameof(gradient));
            CheckLength(predictions, logits.Length, nameof(predictions));
        }
        int index = (int)Scalar<T>.ToDouble(target[0]);
        if ((uint)index >= (uint)logits.Length)
            throw new ArgumentOutOfRangeException(nameof(target), Scalar<T>.ToDouble(target[0]), $"The class index must be in [0, {logits.Length}).");
        T maxLogit = logits[0];
        for (int k = 1; k < logits.Length; k++) maxLogit = Scalar<T>.Max(maxLogit, logits[k]);
        T sumExp = Scalar<T>.Zero;
        for (int k = 0; k < logits.Length; k++) sumExp = Scalar<T>.Add(sumExp, Scalar<T>.Exp(Scalar<T>.Subtract(logits[k], maxLogit)));
        T logSumExp = Scalar<T>.Add(maxLogit, Scalar<T>.Log(sumExp));
        if (!gradient.IsEmpty)
        {
            for (int k = 0; k < logits.Length; k++) gradient[k] = Scalar<T>.Multiply(predictions[k], scale);
            gradient[index] = Scalar<T>.Multiply(Scalar<T>.Subtract(predictions[index], Scalar<T>.One), scale);
        }
        return Scalar<T>.Subtract(logSumExp, logits[index]);
    }

    /// <summary>
    /// Softmax over <paramref name="values"/> in place, shifted by the largest value so that exp cannot overflow:
    /// e^(v - max) each, then each times 1/Σ.
    /// </summary>
    public static void Softmax<T>(Span<T> values) where T : unmanaged
    {
        if (values.IsEmpty) throw new ArgumentException("Expected at least one value.", nameof(values));
        T max = values[0];
        for (int o = 1; o < values.Length; o++) max = Scalar<T>.Max(max, values[o]);
        T sum = Scalar<T>.Zero;
        for (int o = 0; o < values.Length; o++)
        {
            T e = Scalar<T>.Exp(Scalar<T>.Subtract(values[o], max));
            values[o] = e;
            sum = Scalar<T>.Add(sum, e);
        }
        T inverseSum = Scalar<T>.Divide(Scalar<T>.One, sum);
        for (int o = 0; o < values.Length; o++) values[o] = Scalar<T>.Multiply(values[o], inverseSum);
    }

    /// <summary>Softmax's Jacobian-vector product in place: dz_k = a_k·(da_k - Σ_j da_j·a_j), <paramref name="gradient"/> holding da on entry.</summary>
    public static void SoftmaxBackward<T>(Span<T> gradient, ReadOnlySpan<T> activations) where T : unmanaged
    {
        CheckLength(activations, gradient.Length, nameof(activations));
        T dot = Scalar<T>.Zero;
        for (int o = 0; o < gradient.Length; o++) dot = Scalar<T>.Add(dot, Scalar<T>.Multiply(gradient[o], activations[o]));
        for (int o = 0; o < gradient.Length; o++) gradient[o] = Scalar<T>.Multiply(activations[o], Scalar<T>.Subtract(gradient[o], dot));
    }

    /// <summary>The factor of each unit's gradient in a mean over <paramref name="units"/>: scale/k, or scale itself for one unit.</summary>
    private static T UnitScale<T>(T scale, int units) where T : unmanaged =>
        units > 1 ? Scalar<T>.Multiply(scale, Scalar<T>.FromDouble(1.0 / units)) : scale;

    private static T MeanOverUnits<T>(T sum, int units) where T : unmanaged =>
        units > 1 ? Scalar<T>.Multiply(sum, Scalar<T>.FromDouble(1.0 / units)) : sum;

    private static void CheckLengths<T>(ReadOnlySpan<T> values, ReadOnlySpan<T> targets, Span<T> gradient) where T : unmanaged
    {
        if (values.IsEmpty) throw new ArgumentException("Expected at least one output.", nameof(values));
        CheckLength(targets, values.Length, nameof(targets));
        if (!gradient.IsEmpty) CheckLength(gradient, values.Length, nameof(gradient));
    }

    private static void CheckLength<T>(ReadOnlySpan<T> span, int expected, string name)
    {
        if (span.Length != expected) throw new ArgumentException($"Expected {expected} values (one per output) but got {span.Length}.", name);
    }
}
