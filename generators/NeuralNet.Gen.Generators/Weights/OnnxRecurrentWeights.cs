using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NeuralNet.Gen.Onnx;

namespace NeuralNet.Gen.Weights;

/// <summary>
/// An ONNX RNN, GRU or LSTM (as the normaliser gives it: the Transpose, Squeeze and last-step Gather around it folded
/// in) into a declared SimpleRNN, GRU or LSTM: W [1, G·units, features], R [1, G·units, units] and B [1, 2·G·units]
/// (W's biases, then R's) regrouped from ONNX's gate order (GRU z, r, h; LSTM i, o, f, c) into PyTorch's (r, z, n;
/// i, f, g, o) as weight_ih, weight_hh, bias_ih, bias_hh. Only what PyTorch's layers compute is taken: one forward
/// direction, the default gate activations (SimpleRNN's matching the layer's), no clip, and for GRU
/// <c>linear_before_reset = 1</c>. Pure and shared by the generator, the analyzers and the runtime.
/// </summary>
internal static class OnnxRecurrentWeights
{
    /// <summary>Fills <paramref name="layer"/>'s parameters from <paramref name="candidate"/>, or adds why it cannot.</summary>
    public static void Fill(OnnxLayerCandidate candidate, DenseLayout layer, double[] parameters, int elementSize, string node, List<string> problems)
    {
        int before = problems.Count;
        string op = candidate.Operator;
        int gates = op switch { "RNN" => 1, "GRU" => 3, _ => 4 };
        string ours = gates switch { 1 => "SimpleRNN", 3 => "GRU", _ => "LSTM" };
        if (!layer.IsRecurrent || layer.Gates != gates)
        {
            problems.Add($"{node} is an ONNX {op} (PyTorch's nn.{(gates == 1 ? "RNN" : op)}, our {ours}); expected {(layer.IsRecurrent ? "an ONNX " + OnnxOperator(layer.Gates) : layer.IsBatchNorm ? "a BatchNormalization" : layer.IsConvolution ? "a Conv" : "a Gemm or MatMul")} for {layer.Describe()}");
            return;
        }
        if (candidate.Strings.TryGetValue("direction", out string? direction) && direction != "forward")
            problems.Add($"{node} runs in direction '{direction}'; expected 'forward' (bidirectional and reverse layers are not supported)");
        if (candidate.Floats.ContainsKey("clip"))
            problems.Add($"{node} clips its gates; expected no clip, as PyTorch's {ours} has none");
        string expectedActivations = gates switch { 1 => layer.Activation, 3 => "Sigmoid,Tanh", _ => "Sigmoid,Tanh,Tanh" };
        string activations = candidate.Strings.TryGetValue("activations", out string? written) ? written : gates == 1 ? "Tanh" : expectedActivations;
        if (!string.Equals(activations, expectedActivations, System.StringComparison.OrdinalIgnoreCase))
            problems.Add($"{node} has activations '{activations}'; expected '{expectedActivations}' for {layer.Describe()}");
        if (gates == 3 && (candidate.Ints.TryGetValue("linear_before_reset", out var lbr) ? lbr[0] : 0) != 1)
            problems.Add($"{node} has linear_before_reset = 0; expected 1, PyTorch's GRU (r applied to W_hn·h + b_hn), which {layer.Describe()} computes");
        bool sequences = candidate.Ints.TryGetValue("return_sequences", out var rs) && rs[0] == 1;
        if (sequences != layer.ReturnSequences)
            problems.Add($"{node} gives {(sequences ? "every step's state" : "the last step's state")}; expected {(layer.ReturnSequences ? "every step's (ReturnSequences = true)" : "the last step's (ReturnSequences = false)")} for {layer.Describe()}");

        int units = layer.Units, features = layer.InputSize, gu = gates * units;
        var w = Tensor(candidate, "W", new long[] { 1, gu, features });
        var r = Tensor(candidate, "R", new long[] { 1, gu, units });
        candidate.Tensors.TryGetValue("B", out var b);
        if (b is not null) b = Tensor(candidate, "B", new long[] { 1, 2 * gu });
        if (problems.Count > before) return;

        int[] order = TorchFromOnnx(gates);
        var offsets = layer.RecurrentTensors(0).Select(t => t.Offset).ToArray();
        Regroup(w!.FloatValues!, 0, features, offsets[0]);
        Regroup(r!.FloatValues!, 0, units, offsets[1]);
        if (b is not null)
        {
            Regroup(b.FloatValues!, 0, 1, offsets[2]);
            Regroup(b.FloatValues!, gu, 1, offsets[3]);
        }
        else
        {
            for (int i = 0; i < 2 * gu; i++) parameters[offsets[2] + i] = 0; // ONNX's B defaults to zeros
        }

        // PyTorch's block k is ONNX's block order[k]; each block is units rows of `columns` values.
        void Regroup(double[] source, int start, int columns, int offset)
        {
            int block = units * columns;
            for (int k = 0; k < gates; k++)
                System.Array.Copy(source, start + order[k] * block, parameters, offset + k * block, block);
        }

        OnnxTensor? Tensor(OnnxLayerCandidate c, string role, long[] shape)
        {
            if (!c.Tensors.TryGetValue(role, out var tensor))
            {
                problems.Add($"{node} has no constant {role}; expected {Shape(shape)} for {layer.Describe()}");
                return null;
            }
            if (!tensor.Dims.SequenceEqual(shape))
            {
                problems.Add($"{node}: initializer '{tensor.Name}' ({role}) has shape {tensor.DescribeShape()}; expected {Shape(shape)} for {layer.Describe()}");
                return null;
            }
            if (tensor.FloatValues is null || tensor.DataType == OnnxDataType.Double && elementSize == 4)
            {
                problems.Add($"{node}: initializer '{tensor.Name}' has element type {tensor.DataType}; expected {(elementSize == 4 ? "Float" : "Float or Double")}");
                return null;
            }
            return tensor;
        }
    }

    /// <summary>For each of PyTorch's gate blocks, the ONNX block that holds it.</summary>
    private static int[] TorchFromOnnx(int gates) => gates switch
    {
        3 => new[] { 1, 0, 2 },      // r, z, n from z, r, h
        4 => new[] { 0, 2, 3, 1 },   // i, f, g, o from i, o, f, c
        _ => new[] { 0 },
    };

    private static string OnnxOperator(int gates) => gates switch { 1 => "RNN", 3 => "GRU", _ => "LSTM" };

    private static string Shape(long[] shape) => "[" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
}
