using System;

namespace NeuralNet.Gen.Onnx;

/// <summary>
/// Add and Concatenate: ONNX's <c>Add</c>, and <c>Concat</c> along the last axis (our tensors are channels-last, so the
/// last axis is the one the layer joins, whatever the rank).
/// </summary>
internal sealed class MergeOnnxWriter : OnnxLayerWriter
{
    public static readonly MergeOnnxWriter Add = new("Add", null);

    public static readonly MergeOnnxWriter Concat = new("Concat", n => OnnxGraphBuilder.Int(n, "axis", -1));

    private readonly string _operator;
    private readonly Action<ProtoWriter>? _attributes;

    private MergeOnnxWriter(string op, Action<ProtoWriter>? attributes)
    {
        _operator = op;
        _attributes = attributes;
    }

    public override void Write(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output) =>
        throw new NotSupportedException($"{layer.Kind} reads two outputs: its description needs a SecondInput.");

    public override void Write(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string second, string output) =>
        graph.Node(_operator, prefix + "." + _operator.ToLowerInvariant(), [input, second], output, _attributes);
}
