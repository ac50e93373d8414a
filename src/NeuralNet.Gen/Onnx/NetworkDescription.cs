using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace NeuralNet.Gen;

/// <summary>The kind of a described layer.</summary>
public enum LayerKind
{
    /// <summary>Fully connected: y = activation(W·x + b), W stored [units, inputSize] row-major, then b.</summary>
    Dense,
}

/// <summary>One layer of a <see cref="NetworkDescription"/>: what it computes and where its parameters sit.</summary>
public sealed class LayerDescription
{
    private LayerDescription(LayerKind kind, int inputSize, int units, Activation activation, int parameterOffset)
    {
        Kind = kind;
        InputSize = inputSize;
        Units = units;
        Activation = activation;
        ParameterOffset = parameterOffset;
    }

    /// <summary>What the layer computes.</summary>
    public LayerKind Kind { get; }
    /// <summary>Values the layer reads per sample.</summary>
    public int InputSize { get; }
    /// <summary>Values the layer writes per sample.</summary>
    public int Units { get; }
    /// <summary>Applied after the affine transform.</summary>
    public Activation Activation { get; }
    /// <summary>Index of the layer's first parameter (its weights, then its bias) in <see cref="INetwork{T}.Parameters"/>.</summary>
    public int ParameterOffset { get; }
    /// <summary>Parameters the layer owns: units × inputSize weights plus units biases.</summary>
    public int ParameterCount => Kind switch
    {
        LayerKind.Dense => checked(Units * InputSize + Units),
        _ => throw new InvalidOperationException($"Unknown layer kind {Kind}."),
    };

    /// <summary>A Dense layer whose weights [units, inputSize] start at <paramref name="parameterOffset"/>, its bias right after.</summary>
    public static LayerDescription Dense(int inputSize, int units, Activation activation, int parameterOffset)
    {
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "A Dense layer needs a positive input size.");
        if (units <= 0) throw new ArgumentOutOfRangeException(nameof(units), units, "A Dense layer needs a positive number of units.");
        if (parameterOffset < 0) throw new ArgumentOutOfRangeException(nameof(parameterOffset), parameterOffset, "The parameter offset cannot be negative.");
        if (!Enum.IsDefined(typeof(Activation), activation)) throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        return new LayerDescription(LayerKind.Dense, inputSize, units, activation, parameterOffset);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Kind} {InputSize} -> {Units}, {Activation} (parameters at {ParameterOffset})";
}

/// <summary>
/// A network's layers as data, enough to rebuild its computation elsewhere (ONNX export). Generated networks
/// offer it through <see cref="IDescribedNetwork"/>; it can also be built by hand for a network of known shape.
/// </summary>
public sealed class NetworkDescription
{
    /// <summary>Checks that the layers chain (each reads what the previous writes) and their parameters fit in <paramref name="parameterCount"/> without overlapping.</summary>
    /// <exception cref="ArgumentException">The layers do not chain, overlap, or run past <paramref name="parameterCount"/>.</exception>
    public NetworkDescription(Precision precision, int inputSize, int parameterCount, IEnumerable<LayerDescription> layers)
    {
        if (layers is null) throw new ArgumentNullException(nameof(layers));
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "The input size must be positive.");
        if (parameterCount < 0) throw new ArgumentOutOfRangeException(nameof(parameterCount), parameterCount, "The parameter count cannot be negative.");
        var list = new List<LayerDescription>(layers);
        if (list.Count == 0) throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        int size = inputSize;
        var used = new List<(int Start, int End, int Index)>();
        for (int i = 0; i < list.Count; i++)
        {
            var layer = list[i] ?? throw new ArgumentException($"Layer {i} is null.", nameof(layers));
            if (layer.InputSize != size)
                throw new ArgumentException($"Layer {i} ({layer}) reads {layer.InputSize} values but the previous layer writes {size}.", nameof(layers));
            long end = (long)layer.ParameterOffset + layer.ParameterCount;
            if (end > parameterCount)
                throw new ArgumentException($"Layer {i} ({layer}) needs parameters up to index {end} but the network has {parameterCount}.", nameof(layers));
            foreach (var (start, otherEnd, index) in used)
            {
                if (layer.ParameterOffset < otherEnd && start < end)
                    throw new ArgumentException($"The parameters of layer {i} overlap those of layer {index}.", nameof(layers));
            }
            used.Add((layer.ParameterOffset, (int)end, i));
            size = layer.Units;
        }

        Precision = precision;
        InputSize = inputSize;
        OutputSize = size;
        ParameterCount = parameterCount;
        Layers = new ReadOnlyCollection<LayerDescription>(list);
    }

    /// <summary>Element type of the parameters.</summary>
    public Precision Precision { get; }
    /// <summary>Values per input sample.</summary>
    public int InputSize { get; }
    /// <summary>Values per output sample (the last layer's units).</summary>
    public int OutputSize { get; }
    /// <summary>Length of the network's parameter buffer.</summary>
    public int ParameterCount { get; }
    /// <summary>The layers in order, input to output.</summary>
    public IReadOnlyList<LayerDescription> Layers { get; }

    /// <summary>
    /// A stack of Dense layers laid out as generated networks lay them out: layer by layer, weights [units, in]
    /// row-major, then biases, starting at 0.
    /// </summary>
    public static NetworkDescription DenseStack(Precision precision, int inputSize, params (int Units, Activation Activation)[] layers)
    {
        if (layers is null) throw new ArgumentNullException(nameof(layers));
        var list = new List<LayerDescription>(layers.Length);
        int offset = 0, size = inputSize;
        foreach (var (units, activation) in layers)
        {
            var layer = LayerDescription.Dense(size, units, activation, offset);
            list.Add(layer);
            offset = checked(offset + layer.ParameterCount);
            size = units;
        }
        return new NetworkDescription(precision, inputSize, offset, list);
    }
}

/// <summary>A network that can describe its own layers; generated networks implement it.</summary>
public interface IDescribedNetwork
{
    /// <summary>The network's layers and parameter layout.</summary>
    NetworkDescription Description { get; }
}
