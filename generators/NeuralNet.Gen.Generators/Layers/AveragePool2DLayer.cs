using NeuralNet.Gen.Generators.Model;

namespace NeuralNet.Gen.Generators.Layers;

/// <summary><c>[AveragePool2D(pool, Stride = pool)]</c>: 2-D average pooling over square windows of an image (PyTorch's <c>nn.AvgPool2d</c>); the shared rules are <see cref="PoolLayer"/>'s.</summary>
internal sealed class AveragePool2DLayer : PoolLayer
{
    public override LayerKind Kind => LayerKind.AveragePool2D;

    protected override bool IsMax => false;

    protected override int Dimensions => 2;

    protected override string KerasName => "average_pooling2d";
}
