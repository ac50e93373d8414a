using NeuralNet.Gen.Generators.Model;

namespace NeuralNet.Gen.Generators.Layers;

/// <summary><c>[MaxPool1D(pool, Stride = pool)]</c>: 1-D max pooling over the steps of a sequence (PyTorch's <c>nn.MaxPool1d</c>); the shared rules are <see cref="PoolLayer"/>'s.</summary>
internal sealed class MaxPool1DLayer : PoolLayer
{
    public override LayerKind Kind => LayerKind.MaxPool1D;

    protected override bool IsMax => true;

    protected override int Dimensions => 1;

    protected override string KerasName => "max_pooling1d";
}
