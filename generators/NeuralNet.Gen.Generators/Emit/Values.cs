using System.Collections.Generic;

namespace NeuralNet.Gen.Generators.Emit;

/// <summary>
/// Where a layer's values live in the emitted code: straight-line locals (<c>a1_0</c>, <c>a1_1</c>, ...) for
/// unrolled layers, or a span (<c>a1[i]</c>) for loop layers.
/// </summary>
internal sealed class Values
{
    private Values(bool isSpan, string name, bool padded = false)
    {
        IsSpan = isSpan;
        Name = name;
        Padded = padded;
    }

    public bool IsSpan { get; }

    /// <summary>The span's name, or the locals' prefix.</summary>
    public string Name { get; }

    /// <summary>Whether the span is longer than the values (a projection's row, padded for whole vectors).</summary>
    public bool Padded { get; }

    public static Values Span(string name) => new(true, name);

    /// <summary>A span whose first values are the layer's, the rest padding.</summary>
    public static Values PaddedSpan(string name) => new(true, name, padded: true);

    public static Values Locals(string prefix) => new(false, prefix);

    /// <summary>The expression for element <paramref name="index"/>.</summary>
    public string At(int index) => IsSpan ? $"{Name}[{EmitContext.Int(index)}]" : $"{Name}_{EmitContext.Int(index)}";
}

/// <summary>Named slices of one scratch buffer, in the order they were asked for.</summary>
internal sealed class ScratchLayout
{
    private readonly List<(string Name, int Offset, int Size)> _slices = new();

    public int Size { get; private set; }

    public string Add(string name, int size)
    {
        _slices.Add((name, Size, size));
        Size += size;
        return name;
    }

    /// <summary>Declares every slice of <paramref name="buffer"/> as a local span.</summary>
    public void Declare(SourceWriter w, EmitContext c, string buffer)
    {
        foreach (var (name, offset, size) in _slices)
        {
            w.Line($"global::System.Span<{c.T}> {name} = {buffer}.Slice({EmitContext.Int(offset)}, {EmitContext.Int(size)});");
        }
    }
}
