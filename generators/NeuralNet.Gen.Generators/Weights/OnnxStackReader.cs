using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NeuralNet.Gen.Generators.Model;
using NeuralNet.Gen.Generators.Parsing;
using NeuralNet.Gen.Onnx;

namespace NeuralNet.Gen.Weights;

/// <summary>
/// Reads a normalised ONNX graph as the attribute stack that declares it, one candidate at a time. Each value is
/// known by the attribute that produced it, our rank (1 vector, 2 sequence, 3 image) and whether ONNX holds it
/// channels-first (a Conv's [C, L] or [C, H, W]) or channels-last (a recurrent layer's [steps, features]): our layers
/// work on the last axis, so a layer that reads ONNX's axis 1 (Conv, pools, BatchNormalization) must see a
/// channels-first value and one that reads the last axis (Gemm, LayerNormalization, Softmax, recurrent) a
/// channels-last one. Skips through Add and Concat name the layer they read (<c>Name = "..."</c>, from its torch
/// module when the node names one).
/// </summary>
internal sealed class OnnxStackReader
{
    /// <param name="Layer">The attribute whose output it is; null for the network's input.</param>
    /// <param name="Complete">False for a Dense or Conv output whose activation was folded in after: not a layer's output.</param>
    private sealed record Value(DeclaredAttribute? Layer, int Rank, bool ChannelsFirst, IReadOnlyList<long> Shape, bool Complete, string Origin);

    private readonly OnnxLayerGraph _graph;
    private readonly Dictionary<string, Value> _values = new(StringComparer.Ordinal);
    private readonly List<DeclaredAttribute> _layers = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal) { "input" };
    private string _current;
    private DeclaredAttribute? _foldTarget;

    private OnnxStackReader(OnnxLayerGraph graph)
    {
        _graph = graph;
        _current = graph.Input.Name;
    }

    private Value Current => _values[_current];

    /// <summary>The [Input] and layer attributes the graph declares, or null with the first node (or the input) that no attribute can declare.</summary>
    public static (Shape Input, DeclaredAttribute InputAttribute, List<DeclaredAttribute> Layers)? Read(OnnxLayerGraph graph, out string? problem)
    {
        var reader = new OnnxStackReader(graph);
        var input = reader.ReadInput(out problem);
        if (input is null) return null;
        foreach (var c in graph.Layers)
        {
            problem = reader.Step(c);
            if (problem is not null) return null;
        }
        if (reader._current != graph.Output)
        {
            problem = $"the graph output '{graph.Output}' is not the last layer's output '{reader._current}'";
            return null;
        }
        if (reader._layers.Count == 0)
        {
            problem = "the graph has no layer: its output is its input";
            return null;
        }
        return (input.Value.Shape, input.Value.Attribute, reader._layers);
    }

    private (Shape Shape, DeclaredAttribute Attribute)? ReadInput(out string? problem)
    {
        problem = null;
        string inputName = _graph.Input.Name;
        if (_graph.InputShape is not { } dims || dims.Any(d => d <= 0 || d > int.MaxValue))
        {
            problem = $"the graph input '{inputName}' has no fixed shape besides the batch axis ([{string.Join(", ", _graph.Input.Shape?.Select(d => d.ToString()) ?? Array.Empty<string>())}]); expected [batch, features], [batch, steps, features] or [batch, channels, height, width]";
            return null;
        }
        bool channelsFirst = dims.Count > 1 && _graph.InputChannelsFirst();
        Shape input;
        switch (dims.Count)
        {
            case 1: input = Shape.Vector((int)dims[0]); break;
            // A Conv1d's [channels, steps]; a recurrent layer's (batch_first) [steps, features].
            case 2: input = channelsFirst ? Shape.Sequence((int)dims[1], (int)dims[0]) : Shape.Sequence((int)dims[0], (int)dims[1]); break;
            // ONNX images are [channels, height, width]; ours (and tf2onnx's, and our exporter's) height × width × channels.
            case 3: input = channelsFirst ? Shape.Image((int)dims[1], (int)dims[2], (int)dims[0]) : Shape.Image((int)dims[0], (int)dims[1], (int)dims[2]); break;
            default:
                problem = $"the graph input '{inputName}' has rank {dims.Count + 1}; expected [batch, features], [batch, steps, features] or [batch, channels, height, width]";
                return null;
        }
        _values[inputName] = new Value(null, dims.Count, channelsFirst, dims, true, "input");
        var attribute = input.Rank switch
        {
            1 => new DeclaredAttribute("Input", input.Size),
            2 => new DeclaredAttribute("Input", input.Steps, input.Channels),
            _ => new DeclaredAttribute("Input", input.Height, input.Width, input.Channels),
        };
        return (input, attribute);
    }


    /// <summary>Declares one candidate; the problem, or null.</summary>
    private string? Step(OnnxLayerCandidate c)
    {
        string node = $"node '{c.Nodes.FirstOrDefault() ?? c.Output}'";
        if (c.Kind is OnnxLayerKind.Add or OnnxLayerKind.Concat) return Merge(c, node);
        if (c.Inputs.Count != 1 || c.Inputs[0] != _current)
            return $"{node} ({c.Kind}) reads {string.Join(" and ", c.Inputs.Select(i => $"'{i}'"))}; a file declares a chain of layers, each reading the one before ('{_current}'), with skips only through Add and Concat";
        var x = Current;
        var shape = c.OutputShape ?? x.Shape;
        DeclaredAttribute? folded = _foldTarget;
        _foldTarget = null;
        string? problem = null;
        switch (c.Kind)
        {
            case OnnxLayerKind.Dense:
                if (x.Rank > 2 || x.Rank == 2 && x.ChannelsFirst)
                    return $"{node} (Dense) reads {Describe(x)}; expected [batch, features] (a Flatten before it) or [batch, steps, features]";
                var dense = new DeclaredAttribute("Dense", (int)c.Tensors["weight"].Dims[0], (int)Activation.Linear);
                if (!c.Tensors.ContainsKey("bias")) dense.AddNamed("UseBias", false);
                return Produce(c, _foldTarget = dense, x.Rank, x.ChannelsFirst, shape);
            case OnnxLayerKind.Conv:
            {
                var conv = c.Tensors["weight"].Dims.Count == 3 ? Conv1D(c, node, x, out problem) : OnnxArchitecture.Conv2D(c, node, out problem);
                if (problem is null && conv is not null && ((conv.Name == "Conv1D") != (x.Rank == 2) || !x.ChannelsFirst))
                    problem = $"{node} (Conv) is a {c.Tensors["weight"].Dims.Count - 2}-D convolution reading {Describe(x)}";
                return problem ?? Produce(c, _foldTarget = conv, x.Rank, true, shape);
            }
            case OnnxLayerKind.MaxPool:
            case OnnxLayerKind.AveragePool:
            {
                var pool = Pool(c, node, x, out problem);
                return problem ?? Produce(c, pool, x.Rank, true, shape);
            }
            case OnnxLayerKind.GlobalAveragePool:
            case OnnxLayerKind.GlobalMaxPool:
                if (x.Rank < 2 || !x.ChannelsFirst) return $"{node} ({c.Operator}) pools axes 2 and after of {Describe(x)}; expected a channels-first map";
                return Produce(c, new DeclaredAttribute(c.Kind == OnnxLayerKind.GlobalMaxPool ? "GlobalMaxPool" : "GlobalAveragePool"), 1, false, shape);
            case OnnxLayerKind.Recurrent:
                if (x.Rank != 2 || x.ChannelsFirst)
                    return $"{node} ({c.Operator}) reads {Describe(x)}; expected a sequence [batch, steps, features]";
                bool sequences = c.Ints["return_sequences"][0] == 1;
                return Produce(c, OnnxArchitecture.Recurrent(c), sequences ? 2 : 1, false, shape);
            case OnnxLayerKind.BatchNormalization:
                if (x.Rank > 1 && !x.ChannelsFirst) return $"{node} (BatchNormalization) normalises axis 1 of {Describe(x)}; expected the features or channels there";
                return Produce(c, Normalization("BatchNorm", c, BatchNormLayerEpsilon), x.Rank, x.ChannelsFirst, shape);
            case OnnxLayerKind.LayerNormalization:
                return LayerNorm(c, node, x, shape);
            case OnnxLayerKind.Flatten:
                // ONNX's Flatten of [batch, n] changes nothing; ours would be NNG0005.
                if (x.Rank == 1) return Alias(c, x);
                if (c.OutputShape is not { Count: 1 }) return $"{node} (Flatten) does not give [batch, features]";
                // Whichever layout ONNX flattened, the importer reorders the next Dense's columns to ours.
                return Produce(c, new DeclaredAttribute("Flatten"), 1, false, shape);
            case OnnxLayerKind.Transpose:
                // Between a convolution and its activation (our exporter's Transpose back to channels-last) it folds still.
                _foldTarget = folded;
                return Transpose(c, node, x, shape);
            case OnnxLayerKind.Activation:
            case OnnxLayerKind.Softmax:
                return Activate(c, node, x, folded);
            default:
                return $"{node} ({c.Kind}{(c.Operator.Length > 0 && c.Operator != c.Kind.ToString() ? " " + c.Operator : "")}) cannot be declared from a file yet; expected Gemm, MatMul(+Add), Conv, MaxPool, AveragePool, a global pool, Flatten, RNN, GRU, LSTM, BatchNormalization, LayerNormalization, Add, Concat, an activation or Softmax (declare the layers and keep [Weights] to check the file against them)";
        }
    }

    private const double BatchNormLayerEpsilon = Generators.Layers.BatchNormLayer.DefaultEpsilon;

    /// <summary>The candidate's output is a new value made by <paramref name="layer"/>, now the current one.</summary>
    private string? Produce(OnnxLayerCandidate c, DeclaredAttribute? layer, int rank, bool channelsFirst, IReadOnlyList<long> shape)
    {
        if (layer is not null) _layers.Add(layer);
        _values[c.Output] = new Value(layer, rank, channelsFirst, shape, true, c.Nodes.FirstOrDefault() ?? c.Output);
        _current = c.Output;
        return null;
    }

    /// <summary>The candidate changes nothing we hold: its output is its input.</summary>
    private string? Alias(OnnxLayerCandidate c, Value x)
    {
        _values[c.Output] = x;
        _current = c.Output;
        return null;
    }

    private static DeclaredAttribute Normalization(string name, OnnxLayerCandidate c, double defaultEpsilon)
    {
        var norm = new DeclaredAttribute(name);
        double epsilon = c.Floats.TryGetValue("epsilon", out float e) ? AttributeArguments.FromFloat(e) : defaultEpsilon;
        if (epsilon != defaultEpsilon) norm.AddNamed("Epsilon", epsilon);
        return norm;
    }

    /// <summary>LayerNormalization over the last axis, which is ours only when it holds the features.</summary>
    private string? LayerNorm(OnnxLayerCandidate c, string node, Value x, IReadOnlyList<long> shape)
    {
        long axis = c.Ints.TryGetValue("axis", out var axes) ? axes[0] : -1;
        if (axis != -1 && axis != x.Shape.Count)
            return $"{node} (LayerNormalization) normalises from axis {axis.ToString(CultureInfo.InvariantCulture)}; expected the last axis only (-1)";
        if (x.Rank > 1 && x.ChannelsFirst)
            return $"{node} (LayerNormalization) normalises the last axis of the channels-first {Describe(x)}; expected it over the features or channels";
        if (!c.Tensors.ContainsKey("scale") || !c.Tensors.ContainsKey("bias"))
            return $"{node} (LayerNormalization) has {(c.Tensors.ContainsKey("scale") ? "no bias" : "no scale")}; expected both, as nn.LayerNorm(elementwise_affine=True) writes them";
        return Produce(c, Normalization("LayerNorm", c, Generators.Layers.LayerNormLayer.DefaultEpsilon), x.Rank, x.ChannelsFirst, shape);
    }

    /// <summary>
    /// A Transpose between channels-first and channels-last views changes only the view: [0, 2, 1] of a sequence,
    /// [0, 3, 1, 2] of a channels-last image, [0, 2, 3, 1] of a channels-first one.
    /// </summary>
    private string? Transpose(OnnxLayerCandidate c, string node, Value x, IReadOnlyList<long> shape)
    {
        var perm = c.Ints["perm"];
        if (OnnxLayerGraph.FlipsLayout(c, x.Rank, x.ChannelsFirst))
        {
            _values[c.Output] = x with { ChannelsFirst = !x.ChannelsFirst, Shape = shape };
            _current = c.Output;
            return null;
        }
        return $"{node} (Transpose) permutes {Describe(x)} by [{Join(perm)}]; expected only a change between channels-first and channels-last views ([0, 2, 1] of a sequence, [0, 3, 1, 2] or [0, 2, 3, 1] of an image)";
    }

    /// <summary>Folded into the Dense or convolution right before it, or an [Activation] layer of its own.</summary>
    private string? Activate(OnnxLayerCandidate c, string node, Value x, DeclaredAttribute? folded)
    {
        bool softmax = c.Kind == OnnxLayerKind.Softmax;
        int onnxRank = x.Shape.Count + 1;
        Activation? activation = softmax
            ? c.Operator == "Softmax" && c.Ints["axis"][0] is var axis && (axis == -1 || axis == onnxRank - 1) && (x.Rank == 1 || !x.ChannelsFirst) ? Activation.Softmax : null
            : OnnxArchitecture.ActivationOf(c);
        if (activation is not { } a)
            return $"{node} ({c.Operator}{OnnxArchitecture.Settings(c)}) is not an activation the product has; expected one of {string.Join(", ", Enum.GetNames(typeof(Activation)).Skip(1))} with PyTorch's constants{(softmax ? ", Softmax over the features (the last axis)" : "")}";
        if (folded is not null && (a != Activation.Softmax || folded.Name == "Dense"))
        {
            folded.SetActivation(folded.Name == "Dense" ? 1 : 2, a);
            // The value before the activation is no layer's output any more: a skip cannot read it.
            _values[_current] = x with { Complete = false };
            _values[c.Output] = x;
            _current = c.Output;
            return null;
        }
        return Produce(c, new DeclaredAttribute("Activation", (int)a), x.Rank, x.ChannelsFirst, x.Shape);
    }

    /// <summary>Add (either operand the previous output) or Concat (the previous output first) of an earlier layer's output or the input.</summary>
    private string? Merge(OnnxLayerCandidate c, string node)
    {
        bool concat = c.Kind == OnnxLayerKind.Concat;
        string op = concat ? "Concat" : "Add";
        _foldTarget = null;
        int previous = c.Inputs.Count != 2 ? -1 : c.Inputs[0] == _current ? 0 : !concat && c.Inputs[1] == _current ? 1 : -1;
        if (previous < 0)
            return $"{node} ({op}) reads {string.Join(" and ", c.Inputs.Select(i => "'" + i + "'"))}; expected the previous layer's output '{_current}'{(concat ? " first" : "")} and one earlier output";
        var x = Current;
        string skipName = c.Inputs[1 - previous];
        if (!_values.TryGetValue(skipName, out var skip) || !skip.Complete)
            return $"{node} ({op}) reads '{skipName}', which is no layer's output (a Dense or Conv before its activation); expected the output of an earlier layer or the input";
        if (skip.Rank != x.Rank || skip.ChannelsFirst != x.ChannelsFirst)
            return $"{node} ({op}) merges {Describe(x)} with {Describe(skip)}; expected two values of one layout";
        if (concat)
        {
            long axis = c.Ints["axis"][0];
            int rank = x.Shape.Count + 1;
            long expected = x.Rank == 1 || x.ChannelsFirst ? 1 : rank - 1;
            if ((axis < 0 ? axis + rank : axis) != expected)
                return $"{node} (Concat) joins axis {axis.ToString(CultureInfo.InvariantCulture)} of {Describe(x)}; expected axis {expected.ToString(CultureInfo.InvariantCulture)} (the features or channels)";
        }
        var merge = new DeclaredAttribute(concat ? "Concatenate" : "Add", NameOf(skip));
        return Produce(c, merge, x.Rank, x.ChannelsFirst, c.OutputShape ?? x.Shape);
    }

    /// <summary>"input", or the Name of the layer that made <paramref name="value"/>, given to it now if it has none.</summary>
    private string NameOf(Value value)
    {
        if (value.Layer is not { } layer) return "input";
        if (layer.Named.FirstOrDefault(n => n.Key == "Name").Value is string existing) return existing;
        // torch names nodes by module ("/encoder/fc1/Gemm"): the module path is the name a user would give.
        string[] parts = value.Origin.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
        string name = parts.Length > 1 ? string.Join(".", parts.Take(parts.Length - 1)) : "layer" + (_layers.IndexOf(layer) + 1).ToString(CultureInfo.InvariantCulture);
        string unique = name;
        for (int i = 2; !_names.Add(unique); i++) unique = name + "_" + i.ToString(CultureInfo.InvariantCulture);
        layer.AddNamed("Name", unique);
        return unique;
    }

    /// <summary>
    /// Conv1D from a Conv with a [filters, channels, kernel] weight: Valid (no padding), Causal (dilation·(k − 1) zeros
    /// before only: torch's left Pad folded in), or Same (Keras's split, the odd zero after: torch's padding=(k − 1)/2).
    /// </summary>
    private static DeclaredAttribute? Conv1D(OnnxLayerCandidate c, string node, Value x, out string? problem)
    {
        problem = null;
        long k = c.Ints["kernel_shape"][0], s = c.Ints["strides"][0], d = c.Ints["dilations"][0];
        var pads = c.Ints["pads"];
        string autoPad = c.Strings.TryGetValue("auto_pad", out var a) ? a : "NOTSET";
        if (c.Ints["group"][0] != 1)
        {
            problem = $"{node} (Conv) has group {c.Ints["group"][0].ToString(CultureInfo.InvariantCulture)}; expected 1 (Conv1D)";
            return null;
        }
        long n = x.Shape.Count == 2 ? x.Shape[1] : 0, span = d * (k - 1) + 1;
        long total = Math.Max(((n + s - 1) / s - 1) * s + span - n, 0);
        Padding padding;
        if (autoPad == "VALID" || autoPad == "NOTSET" && pads.All(p => p == 0)) padding = Padding.Valid;
        else if (autoPad == "SAME_UPPER" || autoPad == "NOTSET" && pads[0] == total / 2 && pads[1] == total - total / 2) padding = Padding.Same;
        else if (autoPad == "NOTSET" && pads[0] == d * (k - 1) && pads[1] == 0) padding = Padding.Causal;
        else
        {
            problem = $"{node} (Conv) has pads [{Join(pads)}]{(autoPad != "NOTSET" ? " auto_pad " + autoPad : "")}; expected none (Padding.Valid), dilation·(kernel − 1) = {(d * (k - 1)).ToString(CultureInfo.InvariantCulture)} before only (Padding.Causal) or Keras's Same padding [{(total / 2).ToString(CultureInfo.InvariantCulture)}, {(total - total / 2).ToString(CultureInfo.InvariantCulture)}]";
            return null;
        }
        var conv = new DeclaredAttribute("Conv1D", (int)c.Tensors["weight"].Dims[0], (int)k, (int)Activation.Linear);
        if (s != 1) conv.AddNamed("Stride", (int)s);
        if (padding != Padding.Valid) conv.AddNamed("Padding", (int)padding);
        if (d != 1) conv.AddNamed("Dilation", (int)d);
        if (!c.Tensors.ContainsKey("bias")) conv.AddNamed("UseBias", false);
        return conv;
    }

    /// <summary>
    /// MaxPool and AveragePool over windows inside the input (no padding, so count_include_pad does not matter; the
    /// window count rounded down): MaxPool1D, AveragePool1D on a sequence, MaxPool2D, AveragePool2D on an image.
    /// </summary>
    private static DeclaredAttribute? Pool(OnnxLayerCandidate c, string node, Value x, out string? problem)
    {
        problem = null;
        bool max = c.Kind == OnnxLayerKind.MaxPool;
        var kernel = c.Ints["kernel_shape"];
        var strides = c.Ints["strides"];
        string autoPad = c.Strings.TryGetValue("auto_pad", out var a) ? a : "NOTSET";
        bool padded = c.Ints["pads"].Any(p => p != 0) || autoPad is not ("NOTSET" or "VALID");
        string name = (max ? "MaxPool" : "AveragePool") + (kernel.Count == 1 ? "1D" : "2D");
        if (!x.ChannelsFirst || kernel.Count != x.Rank - 1 || padded || c.Ints["dilations"].Any(d => d != 1)
            || kernel.Any(k => k != kernel[0]) || strides.Any(s => s != strides[0]) || !FloorCount(c, x))
        {
            string countIncludePad = !max && padded && c.Ints.TryGetValue("count_include_pad", out var include) && include[0] != 0
                ? " (count_include_pad 1 counts the padding in the mean)" : "";
            problem = $"{node} ({c.Operator}) has{OnnxArchitecture.Settings(c)} on {Describe(x)}{countIncludePad}; expected {(kernel.Count == 1 ? "a window" : "a square window, equal strides")} inside a channels-first input, no padding, dilation 1 ({name})";
            return null;
        }
        var pool = new DeclaredAttribute(name, (int)kernel[0]);
        if (strides[0] != kernel[0]) pool.AddNamed("Stride", (int)strides[0]);
        return pool;
    }

    /// <summary>ceil_mode 1 gives our (floor) window count when the windows fit exactly.</summary>
    private static bool FloorCount(OnnxLayerCandidate c, Value x)
    {
        if (c.Ints["ceil_mode"][0] == 0) return true;
        var kernel = c.Ints["kernel_shape"];
        var strides = c.Ints["strides"];
        for (int i = 0; i < kernel.Count && i + 1 < x.Shape.Count; i++)
        {
            if ((x.Shape[i + 1] - kernel[i]) % strides[i] != 0) return false;
        }
        return true;
    }

    private static string Describe(Value x) =>
        $"[{Join(x.Shape)}] ({(x.Rank == 1 ? "a vector" : x.Rank == 2 ? "a sequence" : "an image")}{(x.Rank > 1 ? x.ChannelsFirst ? ", channels first" : ", channels last" : "")})";

    private static string Join(IEnumerable<long> values) => string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
}
