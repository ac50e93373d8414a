using System;

namespace NeuralNet.Gen;

/// <summary>
/// Adds the output of the earlier layer named <see cref="From"/> (or the network's input, <c>"input"</c>) to the
/// previous layer's output, element by element (Keras's <c>Add</c>, a residual connection). The shapes must be equal.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AddAttribute : LayerAttribute
{
    /// <summary>Creates the layer.</summary>
    /// <param name="from">The <c>Name</c> of an earlier layer, or <c>"input"</c>.</param>
    public AddAttribute(string from) => From = from;

    /// <summary>The <c>Name</c> of the earlier layer whose output is added, or <c>"input"</c>.</summary>
    public string From { get; }
}

/// <summary>
/// Appends the output of the earlier layer named <see cref="From"/> (or the network's input, <c>"input"</c>) to the
/// previous layer's output along the last axis (Keras's <c>Concatenate(axis=-1)</c>, PyTorch's <c>torch.cat(…, dim=-1)</c>
/// on channels-last values). The other axes must be equal; the last axis of the output is the sum of both.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ConcatenateAttribute : LayerAttribute
{
    /// <summary>Creates the layer.</summary>
    /// <param name="from">The <c>Name</c> of an earlier layer, or <c>"input"</c>.</param>
    public ConcatenateAttribute(string from) => From = from;

    /// <summary>The <c>Name</c> of the earlier layer whose output is appended, or <c>"input"</c>.</summary>
    public string From { get; }
}
