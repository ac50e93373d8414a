using NeuralNet.Gen.Generators.Model;

namespace NeuralNet.Gen.Generators.Layers;

/// <summary><c>[GlobalMaxPool]</c>: the maximum of each channel over every step of a sequence or every position of an image; the shared rules are <see cref="GlobalPoolLayer"/>'s.</summary>
internal sealed class GlobalMaxPoolLayer : GlobalPoolLayer
{
    public override LayerKind Kind => LayerKind.GlobalMaxPool;

    protected override bool IsMax => true;
}
