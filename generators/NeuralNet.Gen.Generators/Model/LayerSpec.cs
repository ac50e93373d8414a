using System.Globalization;

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
    /// <summary>Weights of this layer (Dense: units × inputs; Conv2D: filters × channels × k × k).</summary>
    public int WeightCount => Kind switch
    {
        LayerKind.Dense => Units * InputShape.Size,
        LayerKind.Conv2D => Units * InputShape.Channels * KernelSize * KernelSize,
        _ => 0,
    };

    public int BiasCount => Kind is LayerKind.Dense or LayerKind.Conv2D ? Units : 0;

    public int ParameterCount => WeightCount + BiasCount;

    public int BiasOffset => ParameterOffset + WeightCount;

    public int InputSize => InputShape.Size;

    public int OutputSize => OutputShape.Size;

    /// <summary>As the user wrote it, e.g. <c>Dense(4, Relu)</c>.</summary>
    public string Description => Kind switch
    {
        LayerKind.Input => InputShape.Rank == 1 ? $"Input({Num(InputShape.Size)})" : $"Input({Num(InputShape.Height)}, {Num(InputShape.Width)}, {Num(InputShape.Channels)})",
        LayerKind.Dense => Activation == Activation.Linear ? $"Dense({Num(Units)})" : $"Dense({Num(Units)}, {Activation})",
        LayerKind.Conv2D => Activation == Activation.Linear ? $"Conv2D({Num(Units)}, {Num(KernelSize)})" : $"Conv2D({Num(Units)}, {Num(KernelSize)}, {Activation})",
        LayerKind.MaxPool2D => $"MaxPool2D({Num(KernelSize)})",
        LayerKind.Flatten => "Flatten",
        LayerKind.Dropout => $"Dropout({Rate.ToString("R", CultureInfo.InvariantCulture)})",
        _ => Kind.ToString(),
    };

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
