using System;

namespace NeuralNet.Gen;

/// <summary>
/// An activation as a layer of its own, on any shape (Keras's <c>Activation</c> layer, PyTorch's <c>nn.ReLU</c> and
/// friends): element-wise, or <see cref="Activation.Softmax"/> over the last axis. What <c>Conv2D → BatchNorm → Relu</c> needs.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ActivationAttribute : LayerAttribute
{
    /// <summary>Creates an activation layer.</summary>
    public ActivationAttribute(Activation activation) { Activation = activation; }

    /// <summary>The activation applied to every value (Softmax: to each row of the last axis).</summary>
    public Activation Activation { get; }
}
