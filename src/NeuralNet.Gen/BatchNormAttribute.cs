using System;

namespace NeuralNet.Gen;

/// <summary>
/// Batch normalization per feature (vector) or per channel, the last axis (sequence, image), as PyTorch's
/// <c>BatchNorm1d</c>/<c>BatchNorm2d</c>: training normalises with the batch's statistics and updates the running
/// ones, inference uses the running ones. Its weight (init 1) and bias (init 0) are in <c>Parameters</c>, its running
/// mean (init 0) and variance (init 1) in <c>Buffers</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNormAttribute : LayerAttribute
{
    /// <summary>Weight of the newest batch in the running statistics: running = (1 - Momentum) · running + Momentum · batch. In [0, 1].</summary>
    public double Momentum { get; set; } = 0.1;

    /// <summary>Added to the variance before its square root. Positive.</summary>
    public double Epsilon { get; set; } = 1e-5;
}
