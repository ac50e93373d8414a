using NeuralNet.Gen.Onnx;

namespace NeuralNet.Gen.Weights;

/// <summary>A Conv1D layer's import: nn.Conv1d's <c>weight</c> [filters, channels, kernel] (our [channel][tap] layout) and <c>bias</c> [filters]; in ONNX a Conv.</summary>
internal sealed class Conv1DImport(int number, int channels, int filters, int kernelSize, string activation, int parameterOffset, bool useBias = true)
    : WeightAndBiasImport(number, filters, activation, parameterOffset, useBias)
{
    public override long[] WeightShape => new long[] { Units, channels, kernelSize };

    public override string OnnxExpectation => "a Conv";

    public override bool Accepts(OnnxLayerCandidate candidate) => candidate.Kind == OnnxLayerKind.Conv;

    public override bool TakesOnnxActivation => true;

    public override string Describe() =>
        $"layer {N(Number)} (Conv1D {N(Units)} filters of {N(kernelSize)} on {N(channels)} channels, {Activation}{NoBias})";
}
