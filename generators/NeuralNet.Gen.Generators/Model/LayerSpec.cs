namespace NeuralNet.Gen.Generators.Model;

/// <summary>
/// One layer as data. Records with value equality, no symbols or syntax: otherwise we risk breaking
/// incremental caching.
/// </summary>
/// <param name="AttributeIndex">Position of the layer's attribute in the class's attribute list (for diagnostics).</param>
internal sealed record LayerSpec(
    LayerKind Kind,
    int Index,
    int AttributeIndex,
    int Units,
    int KernelSize,
    int Stride,
    Padding Padding,
    double Rate,
    Activation Activation,
    WeightInit WeightInit,
    Shape InputShape,
    Shape OutputShape,
    int ParameterOffset)
{
    private Layers.Layer Layer => Layers.LayerRegistry.For(Kind);

    // Named arguments only some kinds read (set with an object initializer in the kind's Read); the defaults are the
    // contract's, so kinds that do not read them keep value equality unchanged.

    /// <summary>Conv1D's dilation.</summary>
    public int Dilation { get; init; } = 1;

    /// <summary>Whether a Dense, Conv1D or Conv2D has its bias block (<c>UseBias = true</c>, PyTorch's <c>bias=True</c>).</summary>
    public bool UseBias { get; init; } = true;

    /// <summary>A recurrent layer's <c>ReturnSequences</c>: every step's hidden state (a sequence) or the last (a vector).</summary>
    public bool ReturnSequences { get; init; }

    /// <summary>
    /// SimpleRNN's activation of its state. Kept apart from <see cref="Activation"/> (Linear for recurrent layers) because the
    /// loss and the output checks read that one as an activation on the layer's output, which a recurrent state is not only.
    /// </summary>
    public Activation CellActivation { get; init; } = Activation.Tanh;

    /// <summary>BatchNorm's and LayerNorm's epsilon.</summary>
    public double Epsilon { get; init; }

    /// <summary>BatchNorm's running-statistics momentum.</summary>
    public double Momentum { get; init; }

    /// <summary>The layer's <c>Name</c> as written, or null.</summary>
    public string? Name { get; init; }

    /// <summary>What <c>Add</c> and <c>Concatenate</c> read besides the previous layer: a layer <c>Name</c> or <c>"input"</c>.</summary>
    public string? From { get; init; }

    /// <summary>
    /// The number of the layer <see cref="From"/> names (0 for the network's input), resolved by the parser: the plan
    /// and the fingerprint use it, so renaming layers keeps parameter files valid.
    /// </summary>
    public int FromIndex { get; init; }

    /// <summary>Weights of this layer, laid out as its PyTorch module.</summary>
    public int WeightCount => Layer.WeightCount(this);

    public int BiasCount => Layer.BiasCount(this);

    public int ParameterCount => WeightCount + BiasCount;

    public int BiasOffset => ParameterOffset + WeightCount;

    public int InputSize => InputShape.Size;

    public int OutputSize => OutputShape.Size;

    /// <summary>As the user wrote it, e.g. <c>Dense(4, Relu)</c>.</summary>
    public string Description => Layer.Description(this);
}
