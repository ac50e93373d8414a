using System;

namespace NeuralNet.Gen;

/// <summary>
/// 1-D max pooling over a sequence, as PyTorch's <c>nn.MaxPool1d</c> (Keras's <c>MaxPooling1D</c>): the maximum of each
/// window of <see cref="PoolSize"/> steps, per feature; windows inside the sequence only.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool1DAttribute : LayerAttribute
{
    /// <summary>Creates a 1-D max-pooling layer.</summary>
    public MaxPool1DAttribute(int poolSize) { PoolSize = poolSize; Stride = poolSize; }

    /// <summary>Steps in a window.</summary>
    public int PoolSize { get; }
    /// <summary>Steps between windows (default: the pool size).</summary>
    public int Stride { get; set; }
}

/// <summary>
/// 1-D average pooling over a sequence, as PyTorch's <c>nn.AvgPool1d</c> (Keras's <c>AveragePooling1D</c>): the mean of each
/// window of <see cref="PoolSize"/> steps, per feature; windows inside the sequence only.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AveragePool1DAttribute : LayerAttribute
{
    /// <summary>Creates a 1-D average-pooling layer.</summary>
    public AveragePool1DAttribute(int poolSize) { PoolSize = poolSize; Stride = poolSize; }

    /// <summary>Steps in a window.</summary>
    public int PoolSize { get; }
    /// <summary>Steps between windows (default: the pool size).</summary>
    public int Stride { get; set; }
}

/// <summary>
/// 2-D average pooling over square windows of an image, as PyTorch's <c>nn.AvgPool2d</c> (Keras's <c>AveragePooling2D</c>):
/// the mean of each window, per channel; windows inside the image only.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AveragePool2DAttribute : LayerAttribute
{
    /// <summary>Creates a 2-D average-pooling layer.</summary>
    public AveragePool2DAttribute(int poolSize) { PoolSize = poolSize; Stride = poolSize; }

    /// <summary>Side of the square window.</summary>
    public int PoolSize { get; }
    /// <summary>Step between windows (default: the pool size).</summary>
    public int Stride { get; set; }
}

/// <summary>
/// The mean over every step of a sequence or every position of an image: one value per feature or channel (Keras's
/// <c>GlobalAveragePooling1D</c>/<c>2D</c>, PyTorch's <c>AdaptiveAvgPool1d(1)</c>/<c>2d</c> then flatten).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalAveragePoolAttribute : LayerAttribute
{
}

/// <summary>
/// The maximum over every step of a sequence or every position of an image: one value per feature or channel (Keras's
/// <c>GlobalMaxPooling1D</c>/<c>2D</c>, PyTorch's <c>AdaptiveMaxPool1d(1)</c>/<c>2d</c> then flatten).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalMaxPoolAttribute : LayerAttribute
{
}
