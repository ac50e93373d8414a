using NeuralNet.Gen.Onnx;

namespace NeuralNet.Gen.Weights;

/// <summary>A LayerNorm layer's import: nn.LayerNorm's <c>weight</c> [C] and <c>bias</c> [C]. No ONNX node fills it yet.</summary>
internal sealed class LayerNormImport(int number, int channels, int parameterOffset)
    : WeightAndBiasImport(number, channels, "Linear", parameterOffset, useBias: true)
{
    public override long[] WeightShape => new long[] { Units };

    public override string OnnxExpectation => "a LayerNormalization";

    public override bool Accepts(OnnxLayerCandidate candidate) => false;

    public override string Describe() => $"layer {N(Number)} (LayerNorm over {N(Units)} values)";
}
