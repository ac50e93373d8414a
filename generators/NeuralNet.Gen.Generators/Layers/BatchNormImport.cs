using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NeuralNet.Gen.Onnx;

namespace NeuralNet.Gen.Weights;

/// <summary>
/// A BatchNorm layer's import: nn.BatchNorm1d/2d's <c>weight</c> [C] and <c>bias</c> [C] into the parameters,
/// <c>running_mean</c> [C] and <c>running_var</c> [C] into the buffers from <paramref name="bufferOffset"/>; in ONNX a
/// BatchNormalization (scale, B, mean, var) whose epsilon must be the layer's.
/// </summary>
internal sealed class BatchNormImport(int number, int channels, int parameterOffset, int bufferOffset, double epsilon)
    : ImportedLayer(number, channels, "Linear", parameterOffset)
{
    public int BufferOffset { get; } = bufferOffset;

    public override int WeightCount => Units;

    public override int BufferCount => 2 * Units;

    public override string Describe() => $"layer {N(Number)} (BatchNorm over {N(Units)} channels)";

    public override IEnumerable<TensorSlot> Tensors(int stackIndex)
    {
        var shape = new long[] { Units };
        yield return new TensorSlot("weight", shape, ParameterOffset);
        yield return new TensorSlot("bias", shape, ParameterOffset + Units);
        yield return new TensorSlot("running_mean", shape, BufferOffset, InBuffers: true);
        yield return new TensorSlot("running_var", shape, BufferOffset + Units, InBuffers: true);
    }

    /// <summary>num_batches_tracked only counts the batches seen.</summary>
    public override IEnumerable<string> IgnoredTensors => new[] { "num_batches_tracked" };

    public override string OnnxExpectation => "a BatchNormalization";

    public override bool Accepts(OnnxLayerCandidate candidate) => candidate.Kind == OnnxLayerKind.BatchNormalization;

    public override void Fill(OnnxLayerCandidate candidate, OnnxFill fill)
    {
        float onnxEpsilon = candidate.Floats.TryGetValue("epsilon", out float e) ? e : 1e-5f;
        if (onnxEpsilon != (float)epsilon)
            fill.Problem($"has epsilon {onnxEpsilon.ToString("R", CultureInfo.InvariantCulture)}; expected {epsilon.ToString("R", CultureInfo.InvariantCulture)} for {Describe()} (declare [BatchNorm(Epsilon = ...)])");
        var shape = new long[] { Units };
        foreach (var (role, toBuffers, offset) in new[] { ("scale", false, ParameterOffset), ("bias", false, ParameterOffset + Units),
                     ("mean", true, BufferOffset), ("variance", true, BufferOffset + Units) })
        {
            if (!candidate.Tensors.TryGetValue(role, out var tensor) || tensor.FloatValues is null)
                fill.Problem($"has no constant {role}; expected [{N(Units)}] for {Describe()}");
            else if (fill.Copy(tensor, shape, offset, this, toBuffers) && role == "variance" && tensor.FloatValues.Any(v => !(v >= 0)))
                fill.Problems.Add($"{fill.Node}: initializer '{tensor.Name}' (variance) has a negative or NaN value; expected running variances >= 0");
        }
    }
}
