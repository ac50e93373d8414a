using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace NeuralNet.Gen.Onnx;

/// <summary>What a group of ONNX nodes computes, named by the layer it amounts to.</summary>
internal enum OnnxLayerKind
{
    /// <summary>Gemm, or MatMul by an initializer and an optional Add of a bias: Weight is [units, inputs] (PyTorch's layout, whatever the file's).</summary>
    Dense,

    /// <summary>Conv, 1-D or 2-D by the weight's rank; a zero Pad before it folded into "pads".</summary>
    Conv,
    MaxPool,
    AveragePool,
    GlobalAveragePool,
    GlobalMaxPool,

    /// <summary>Flatten, or a Reshape to [batch, n].</summary>
    Flatten,

    /// <summary>A Reshape to another shape ("shape" when constant).</summary>
    Reshape,

    /// <summary>A Transpose of the data (tf2onnx's channels-last to channels-first and back), "perm".</summary>
    Transpose,

    /// <summary>One elementwise function, from one node or an exporter's decomposition (Gelu, Mish, HardSwish, Swish); <see cref="OnnxLayerCandidate.Operator"/> names it.</summary>
    Activation,

    /// <summary>Softmax or LogSoftmax over "axis".</summary>
    Softmax,
    BatchNormalization,

    /// <summary>LayerNormalization, or its decomposition before opset 17 (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add).</summary>
    LayerNormalization,

    /// <summary>RNN, GRU, LSTM (<see cref="OnnxLayerCandidate.Operator"/>), with the Transpose and Squeeze around them folded in and "return_sequences".</summary>
    Recurrent,
    Add,
    Concat,

    /// <summary>A Pad that is neither zero nor folded into a Conv.</summary>
    Pad,
}

/// <summary>
/// One layer as the graph holds it, in plain data for the importers of every layer kind: its inputs and output
/// (value names: the graph input or an earlier candidate's output), its tensors by role, its settings, and the
/// nodes it came from for messages. Settings use ONNX's attribute names with ONNX's defaults filled in.
/// </summary>
internal sealed class OnnxLayerCandidate
{
    public OnnxLayerCandidate(OnnxLayerKind kind, string @operator, IReadOnlyList<string> inputs, string output,
        IReadOnlyList<long>? outputShape, IReadOnlyList<string> nodes, IReadOnlyDictionary<string, OnnxTensor> tensors,
        IReadOnlyDictionary<string, IReadOnlyList<long>> ints, IReadOnlyDictionary<string, float> floats,
        IReadOnlyDictionary<string, string> strings)
    {
        OutputShape = outputShape;
        Kind = kind;
        Operator = @operator;
        Inputs = inputs;
        Output = output;
        Nodes = nodes;
        Tensors = tensors;
        Ints = ints;
        Floats = floats;
        Strings = strings;
    }

    public OnnxLayerKind Kind { get; }

    /// <summary>The ONNX operator it amounts to ("Relu", "Gelu", "Mish", "LSTM", "MaxPool", ...).</summary>
    public string Operator { get; }

    public IReadOnlyList<string> Inputs { get; }

    public string Output { get; }

    /// <summary>
    /// The output's shape without the batch axis, in ONNX's layout ([channels, height, width]; [steps, units] for a
    /// batch-first sequence); null when the graph input has a symbolic size besides the batch.
    /// </summary>
    public IReadOnlyList<long>? OutputShape { get; }

    /// <summary>The names of the nodes it came from, in graph order.</summary>
    public IReadOnlyList<string> Nodes { get; }

    /// <summary>By role: "weight", "bias" (Dense, Conv); "scale", "bias", "mean", "variance" (BatchNormalization);
    /// "scale", "bias" (LayerNormalization); "W", "R", "B" in ONNX's gate order (Recurrent).</summary>
    public IReadOnlyDictionary<string, OnnxTensor> Tensors { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<long>> Ints { get; }

    public IReadOnlyDictionary<string, float> Floats { get; }

    public IReadOnlyDictionary<string, string> Strings { get; }

    /// <summary>The same candidate with the tensor of <paramref name="role"/> replaced (a layout change of its weight).</summary>
    public OnnxLayerCandidate WithTensor(string role, OnnxTensor tensor)
    {
        var tensors = Tensors.ToDictionary(t => t.Key, t => t.Value);
        tensors[role] = tensor;
        return new OnnxLayerCandidate(Kind, Operator, Inputs, Output, OutputShape, Nodes, tensors, Ints, Floats, Strings);
    }

    public override string ToString()
    {
        var parts = new List<string> { Kind == OnnxLayerKind.Activation || Kind == OnnxLayerKind.Recurrent ? $"{Kind}:{Operator}" : Kind.ToString() };
        if (OutputShape is not null)
        {
            parts[0] += " -> [" + string.Join(", ", OutputShape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
        }
        parts.AddRange(Tensors.OrderBy(t => t.Key, System.StringComparer.Ordinal).Select(t => $"{t.Key}{t.Value.DescribeShape()}"));
        parts.AddRange(Ints.OrderBy(i => i.Key, System.StringComparer.Ordinal)
            .Select(i => $"{i.Key}=[{string.Join(",", i.Value.Select(v => v.ToString(CultureInfo.InvariantCulture)))}]"));
        parts.AddRange(Floats.OrderBy(f => f.Key, System.StringComparer.Ordinal)
            .Select(f => $"{f.Key}={f.Value.ToString("R", CultureInfo.InvariantCulture)}"));
        parts.AddRange(Strings.OrderBy(s => s.Key, System.StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}"));
        return string.Join(" ", parts);
    }
}

/// <summary>A graph as layers: one input, candidates in order, and the value that is the output.</summary>
internal sealed class OnnxLayerGraph
{
    public OnnxLayerGraph(OnnxValueInfo input, IReadOnlyList<long>? inputShape, IReadOnlyList<OnnxLayerCandidate> layers, string output)
    {
        Input = input;
        InputShape = inputShape;
        Layers = layers;
        Output = output;
    }

    /// <summary>The graph input, with its shape as written (ONNX's layout: channels-first, [batch, steps, features] when batch_first).</summary>
    public OnnxValueInfo Input { get; }

    /// <summary>The input's sizes without the batch axis; null when one of them is symbolic.</summary>
    public IReadOnlyList<long>? InputShape { get; }

    public IReadOnlyList<OnnxLayerCandidate> Layers { get; }

    public string Output { get; }

    /// <summary>
    /// Whether the input holds its channels on axis 1: the first layer past its activations reads them there (a Conv,
    /// a pool, BatchNormalization); a Transpose first says the file holds it channels-last (tf2onnx, our exporter); an
    /// image is channels-first otherwise (torch), a sequence channels-last (a recurrent layer's batch_first input).
    /// </summary>
    public bool InputChannelsFirst()
    {
        string value = Input.Name;
        foreach (var c in Layers)
        {
            if (!c.Inputs.Contains(value)) continue;
            if (c.Kind == OnnxLayerKind.Activation)
            {
                value = c.Output;
                continue;
            }
            if (c.Kind == OnnxLayerKind.Transpose) return false;
            if (c.Kind is OnnxLayerKind.Conv or OnnxLayerKind.MaxPool or OnnxLayerKind.AveragePool or OnnxLayerKind.GlobalAveragePool
                or OnnxLayerKind.GlobalMaxPool or OnnxLayerKind.BatchNormalization) return true;
            break;
        }
        return InputShape?.Count == 3;
    }

    /// <summary>
    /// Whether <paramref name="transpose"/> only changes between the channels-first and channels-last views of a
    /// tensor of <paramref name="rank"/> (the batch left out) now held <paramref name="channelsFirst"/>: [0, 2, 1] of a
    /// sequence either way, [0, 3, 1, 2] of a channels-last image, [0, 2, 3, 1] of a channels-first one.
    /// </summary>
    public static bool FlipsLayout(OnnxLayerCandidate transpose, int rank, bool channelsFirst) =>
        transpose.Kind == OnnxLayerKind.Transpose && transpose.Ints.TryGetValue("perm", out var perm)
        && (rank == 2 && perm.SequenceEqual(new long[] { 0, 2, 1 })
            || rank == 3 && perm.SequenceEqual(channelsFirst ? new long[] { 0, 2, 3, 1 } : new long[] { 0, 3, 1, 2 }));
}
