using System;

namespace NeuralNet.Gen;

/// <summary>
/// What every layer attribute has: a <see cref="Name"/> that <c>[Add]</c> and <c>[Concatenate]</c> refer to
/// (Keras's <c>name=</c>). Layer attributes derive from it; <c>[Input]</c> is named <c>"input"</c> already.
/// </summary>
public abstract class LayerAttribute : Attribute
{
    /// <summary>A name unique in the network (not <c>"input"</c>, which is reserved), or null.</summary>
    public string? Name { get; set; }
}
