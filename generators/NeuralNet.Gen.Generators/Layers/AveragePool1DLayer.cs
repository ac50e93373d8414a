using NeuralNet.Gen.Generators.Model;

namespace NeuralNet.Gen.Generators.Layers;

/// <summary><c>[AveragePool1D(pool, Stride = pool)]</c>: 1-D average pooling over the steps of a sequence (PyTorch's <c>nn.AvgPool1d</c>); the shared rules are <see cref="PoolLayer"/>'s.</summary>
internal sealed class AveragePool1DLayer : PoolLayer
{
    public override LayerKind Kind => LayerKind.AveragePool1D;

    protected override bool IsMax => false;

    protected override int Dimensions => 1;

    protected override string KerasName => "average_pooling1d";
}
