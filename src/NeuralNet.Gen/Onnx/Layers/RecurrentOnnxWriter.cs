using System;

namespace NeuralNet.Gen.Onnx;

/// <summary>
/// SimpleRNN, GRU and LSTM as ONNX's RNN, GRU and LSTM operators, which read time-major [steps, N, features]: a
/// Transpose before, and after it a Squeeze of the directions axis and a Transpose back ([N, steps, units]), or for
/// the last step Y_h [1, N, units] squeezed to [N, units]. The weights are regrouped into ONNX's gate order (GRU z, r,
/// h from PyTorch's r, z, n, with <c>linear_before_reset = 1</c>, which is PyTorch's n gate; LSTM i, o, f, c from
/// PyTorch's i, f, g, o) and the two biases concatenated into B.
/// </summary>
internal sealed class RecurrentOnnxWriter : OnnxLayerWriter
{
    public static readonly RecurrentOnnxWriter Instance = new();

    public override void Write(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output)
    {
        int units = layer.Units, features = layer.InputShape[1], gates = layer.Gates, gu = gates * units;
        int[] order = OnnxGateOrder(layer.Kind);
        int wih = layer.ParameterOffset, whh = wih + gu * features, bih = whh + gu * units, bhh = bih + gu;
        string w = graph.GatheredParameters(prefix + ".W", Regrouped(order, units, features, wih), 1, gu, features);
        string r = graph.GatheredParameters(prefix + ".R", Regrouped(order, units, units, whh), 1, gu, units);
        int[] bias = new int[2 * gu];
        Regrouped(order, units, 1, bih).CopyTo(bias, 0);
        Regrouped(order, units, 1, bhh).CopyTo(bias, gu);
        string b = graph.GatheredParameters(prefix + ".B", bias, 1, 2 * gu);

        graph.Node("Transpose", prefix + ".time_major", [input], prefix + ".x", n => OnnxGraphBuilder.Ints(n, "perm", 1, 0, 2));
        string op = layer.Kind switch { LayerKind.SimpleRNN => "RNN", LayerKind.GRU => "GRU", _ => "LSTM" };
        string activation = layer.Kind == LayerKind.SimpleRNN ? RnnActivation(layer.Activation) : "";
        Action<ProtoWriter> attributes = n =>
        {
            OnnxGraphBuilder.Int(n, "hidden_size", units);
            if (layer.Kind == LayerKind.GRU) OnnxGraphBuilder.Int(n, "linear_before_reset", 1);
            if (layer.Kind == LayerKind.SimpleRNN) OnnxGraphBuilder.Strings(n, "activations", activation);
        };
        if (layer.ReturnSequences)
        {
            graph.Node(op, prefix + "." + op.ToLowerInvariant(), [prefix + ".x", w, r, b], prefix + ".y", attributes);
            graph.Node("Squeeze", prefix + ".squeeze", [prefix + ".y", graph.Int64s(prefix + ".directions", 1)], prefix + ".ys");
            graph.Node("Transpose", prefix + ".batch_major", [prefix + ".ys"], output, n => OnnxGraphBuilder.Ints(n, "perm", 1, 0, 2));
        }
        else
        {
            graph.Node(op, prefix + "." + op.ToLowerInvariant(), [prefix + ".x", w, r, b], ["", prefix + ".h"], attributes);
            graph.Node("Squeeze", prefix + ".squeeze", [prefix + ".h", graph.Int64s(prefix + ".directions", 0)], output);
        }
    }

    /// <summary>ONNX's gate block k is PyTorch's block order[k].</summary>
    private static int[] OnnxGateOrder(LayerKind kind) => kind switch
    {
        LayerKind.GRU => [1, 0, 2],        // z, r, h from r, z, n
        LayerKind.LSTM => [0, 3, 1, 2],    // i, o, f, c from i, f, g, o
        _ => [0],
    };

    /// <summary>The parameter index of each element of a [gates·units, columns] block from <paramref name="offset"/>, blocks in ONNX's order.</summary>
    private static int[] Regrouped(int[] order, int units, int columns, int offset)
    {
        int block = units * columns;
        int[] indices = new int[order.Length * block];
        for (int k = 0; k < order.Length; k++)
            for (int i = 0; i < block; i++) indices[k * block + i] = offset + order[k] * block + i;
        return indices;
    }

    private static string RnnActivation(Activation activation) => activation switch
    {
        Activation.Tanh => "Tanh",
        Activation.Relu => "Relu",
        Activation.Sigmoid => "Sigmoid",
        _ => throw new NotSupportedException($"ONNX's RNN operator has no {activation} activation that ONNX Runtime runs; export supports SimpleRNN with Tanh, Relu or Sigmoid."),
    };
}
