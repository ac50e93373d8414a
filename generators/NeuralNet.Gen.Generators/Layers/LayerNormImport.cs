using System.Globalization;
using NeuralNet.Gen.Onnx;

namespace NeuralNet.Gen.Weights;

/// <summary>
/// A LayerNorm layer's import: nn.LayerNorm's <c>weight</c> [C] and <c>bias</c> [C]; in ONNX a LayerNormalization (or
/// the decomposition exporters write before opset 17) over the last axis, its scale and B, whose epsilon must be the layer's.
/// </summary>
internal sealed class LayerNormImport(int number, int channels, int parameterOffset, double epsilon)
    : WeightAndBiasImport(number, channels, "Linear", parameterOffset, useBias: true)
{
    public override long[] WeightShape => new long[] { Units };

    public override string OnnxExpectation => "a LayerNormalization";

    public override bool Accepts(OnnxLayerCandidate candidate) => candidate.Kind == OnnxLayerKind.LayerNormalization;

    public override void Fill(OnnxLayerCandidate candidate, OnnxFill fill)
    {
        long axis = candidate.Ints.TryGetValue("axis", out var axes) ? axes[0] : -1;
        if (axis != -1 && candidate.OutputShape is { } shape && axis != shape.Count)
            fill.Problem($"normalises from axis {axis.ToString(CultureInfo.InvariantCulture)}; expected the last axis only for {Describe()}");
        float onnxEpsilon = candidate.Floats.TryGetValue("epsilon", out float e) ? e : 1e-5f;
        if (onnxEpsilon != (float)epsilon)
            fill.Problem($"has epsilon {onnxEpsilon.ToString("R", CultureInfo.InvariantCulture)}; expected {epsilon.ToString("R", CultureInfo.InvariantCulture)} for {Describe()} (declare [LayerNorm(Epsilon = ...)])");
        foreach (var (role, offset) in new[] { ("scale", ParameterOffset), ("bias", ParameterOffset + Units) })
        {
            if (!candidate.Tensors.TryGetValue(role, out var tensor) || tensor.FloatValues is null)
                fill.Problem($"has no constant {role}; expected [{N(Units)}] for {Describe()}");
            else
                fill.Copy(tensor, WeightShape, offset, this);
        }
    }

    public override string Describe() => $"layer {N(Number)} (LayerNorm over {N(Units)} values)";
}
