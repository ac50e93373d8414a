using NeuralNet.Gen.Generators.Model;

namespace NeuralNet.Gen.Generators.Layers;

/// <summary><c>[GlobalAveragePool]</c>: the mean of each channel over every step of a sequence or every position of an image; the shared rules are <see cref="GlobalPoolLayer"/>'s.</summary>
internal sealed class GlobalAveragePoolLayer : GlobalPoolLayer
{
    public override LayerKind Kind => LayerKind.GlobalAveragePool;

    protected override bool IsMax => false;
}
