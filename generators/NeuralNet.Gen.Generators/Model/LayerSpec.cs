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
