using System;

namespace NeuralNet.Gen;

/// <summary>
/// Layer normalization over the last axis of each sample (a vector), or of each step (sequence) or position (image), as
/// PyTorch's <c>LayerNorm(last dimension)</c>: y = (x - mean) / √(var + ε) · weight + bias with the biased variance of
/// that axis, the same in training and at inference. Its weight (init 1) and bias (init 0) are in <c>Parameters</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LayerNormAttribute : LayerAttribute
{
    /// <summary>Added to the variance before its square root. Positive.</summary>
    public double Epsilon { get; set; } = 1e-5;
}
