using System.Collections.Generic;
using System.Linq;
using NeuralNet.Gen.Onnx;

namespace NeuralNet.Gen.Weights;

/// <summary>
/// A SimpleRNN, GRU or LSTM layer's import (<paramref name="gates"/> G: 1, 3, 4; <paramref name="inputSize"/> its
/// features): PyTorch's weight_ih [G·units, features], weight_hh [G·units, units], bias_ih [G·units], bias_hh
/// [G·units], in that order (our layout). In ONNX an RNN, GRU or LSTM (the Transpose, Squeeze and last-step Gather
/// around it folded in by the normaliser): W [1, G·units, features], R [1, G·units, units] and B [1, 2·G·units] (W's
/// biases, then R's) regrouped from ONNX's gate order (GRU z, r, h; LSTM i, o, f, c) into PyTorch's (r, z, n; i, f,
/// g, o). Only what PyTorch's layers compute is taken: one forward direction, the default gate activations
/// (SimpleRNN's matching the layer's), no clip, and for GRU <c>linear_before_reset = 1</c>.
/// </summary>
internal sealed class RecurrentImport(int number, int inputSize, int units, string activation, int parameterOffset, int gates, bool returnSequences)
    : ImportedLayer(number, units, activation, parameterOffset)
{
    public int InputSize { get; } = inputSize;

    public int Gates { get; } = gates;

    public override int WeightCount => Gates * Units * (InputSize + Units);

    /// <summary>The kind's attribute name, from its gate count.</summary>
    private string Kind => KindOf(Gates);

    private static string KindOf(int gates) => gates switch { 1 => "SimpleRNN", 3 => "GRU", _ => "LSTM" };

    public override string Describe() => $"layer {N(Number)} ({Kind} {N(InputSize)} -> {N(Units)}{(Gates == 1 ? ", " + Activation : "")})";

    /// <summary>Named as nn.RNN/nn.GRU/nn.LSTM name them for its layer <paramref name="stackIndex"/> of num_layers.</summary>
    public override IEnumerable<TensorSlot> Tensors(int stackIndex)
    {
        int gu = Gates * Units;
        string l = "_l" + N(stackIndex);
        yield return new TensorSlot("weight_ih" + l, new long[] { gu, InputSize }, ParameterOffset);
        yield return new TensorSlot("weight_hh" + l, new long[] { gu, Units }, ParameterOffset + gu * InputSize);
        yield return new TensorSlot("bias_ih" + l, new long[] { gu }, ParameterOffset + WeightCount);
        yield return new TensorSlot("bias_hh" + l, new long[] { gu }, ParameterOffset + WeightCount + gu);
    }

    public override bool StacksUnderOnePrefix => true;

    public override string OnnxExpectation => "an ONNX " + OnnxOperator(Gates);

    public override bool Accepts(OnnxLayerCandidate candidate) => candidate.Kind == OnnxLayerKind.Recurrent && GatesOf(candidate.Operator) == Gates;

    /// <summary>The ONNX operator's gate count: RNN 1, GRU 3, LSTM 4.</summary>
    private static int GatesOf(string onnxOperator) => onnxOperator switch { "RNN" => 1, "GRU" => 3, _ => 4 };

    /// <summary>How an ONNX RNN, GRU or LSTM node is named when it is not what a layer expects.</summary>
    public static string DescribeOnnx(string onnxOperator) =>
        $"an ONNX {onnxOperator} (PyTorch's nn.{(onnxOperator is "LSTM" or "GRU" ? onnxOperator : "RNN")}, our {KindOf(GatesOf(onnxOperator))})";

    public override void Fill(OnnxLayerCandidate candidate, OnnxFill fill)
    {
        int before = fill.Problems.Count;
        CheckSettings(candidate, fill);
        int gu = Gates * Units;
        var w = Tensor(candidate, "W", new long[] { 1, gu, InputSize }, fill);
        var r = Tensor(candidate, "R", new long[] { 1, gu, Units }, fill);
        candidate.Tensors.TryGetValue("B", out var b);
        if (b is not null) b = Tensor(candidate, "B", new long[] { 1, 2 * gu }, fill);
        if (fill.Problems.Count > before) return;

        int[] order = TorchFromOnnx(Gates);
        var offsets = Tensors(0).Select(t => t.Offset).ToArray();
        Regroup(w!.FloatValues!, 0, InputSize, offsets[0]);
        Regroup(r!.FloatValues!, 0, Units, offsets[1]);
        if (b is not null)
        {
            Regroup(b.FloatValues!, 0, 1, offsets[2]);
            Regroup(b.FloatValues!, gu, 1, offsets[3]);
        }
        else
        {
            for (int i = 0; i < 2 * gu; i++) fill.Parameters[offsets[2] + i] = 0; // ONNX's B defaults to zeros
        }

        // PyTorch's block k is ONNX's block order[k]; each block is units rows of `columns` values.
        void Regroup(double[] source, int start, int columns, int offset)
        {
            int block = Units * columns;
            for (int k = 0; k < Gates; k++)
                System.Array.Copy(source, start + order[k] * block, fill.Parameters, offset + k * block, block);
        }
    }

    private void CheckSettings(OnnxLayerCandidate candidate, OnnxFill fill)
    {
        if (candidate.Strings.TryGetValue("direction", out string? direction) && direction != "forward")
            fill.Problem($"runs in direction '{direction}'; expected 'forward' (bidirectional and reverse layers are not supported)");
        if (candidate.Floats.ContainsKey("clip"))
            fill.Problem($"clips its gates; expected no clip, as PyTorch's {Kind} has none");
        string expectedActivations = Gates switch { 1 => Activation, 3 => "Sigmoid,Tanh", _ => "Sigmoid,Tanh,Tanh" };
        string activations = candidate.Strings.TryGetValue("activations", out string? written) ? written : Gates == 1 ? "Tanh" : expectedActivations;
        if (!string.Equals(activations, expectedActivations, System.StringComparison.OrdinalIgnoreCase))
            fill.Problem($"has activations '{activations}'; expected '{expectedActivations}' for {Describe()}");
        if (Gates == 3 && (candidate.Ints.TryGetValue("linear_before_reset", out var lbr) ? lbr[0] : 0) != 1)
            fill.Problem($"has linear_before_reset = 0; expected 1, PyTorch's GRU (r applied to W_hn·h + b_hn), which {Describe()} computes");
        bool sequences = candidate.Ints.TryGetValue("return_sequences", out var rs) && rs[0] == 1;
        if (sequences != returnSequences)
            fill.Problem($"gives {(sequences ? "every step's state" : "the last step's state")}; expected {(returnSequences ? "every step's (ReturnSequences = true)" : "the last step's (ReturnSequences = false)")} for {Describe()}");
    }

    private OnnxTensor? Tensor(OnnxLayerCandidate candidate, string role, long[] shape, OnnxFill fill)
    {
        if (!candidate.Tensors.TryGetValue(role, out var tensor))
        {
            fill.Problem($"has no constant {role}; expected {OnnxFill.Shape(shape)} for {Describe()}");
            return null;
        }
        if (!tensor.Dims.SequenceEqual(shape))
        {
            fill.Problems.Add($"{fill.Node}: initializer '{tensor.Name}' ({role}) has shape {tensor.DescribeShape()}; expected {OnnxFill.Shape(shape)} for {Describe()}");
            return null;
        }
        return fill.HasUsableType(tensor) ? tensor : null;
    }

    /// <summary>For each of PyTorch's gate blocks, the ONNX block that holds it.</summary>
    private static int[] TorchFromOnnx(int gates) => gates switch
    {
        3 => new[] { 1, 0, 2 },      // r, z, n from z, r, h
        4 => new[] { 0, 2, 3, 1 },   // i, f, g, o from i, o, f, c
        _ => new[] { 0 },
    };

    private static string OnnxOperator(int gates) => gates switch { 1 => "RNN", 3 => "GRU", _ => "LSTM" };
}
