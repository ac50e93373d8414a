namespace NeuralNet.Gen.Onnx;

/// <summary>
/// GlobalAveragePool and GlobalMaxPool as ONNX's operators of those names over the channels-first tensor, then a
/// Flatten of their [N, C, 1(, 1)] result to our [N, C].
/// </summary>
internal sealed class GlobalPoolOnnxWriter : OnnxLayerWriter
{
    public static readonly GlobalPoolOnnxWriter Instance = new();

    public override void Write(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output)
    {
        string channelsFirst = layer.InputShape.Count == 2
            ? PoolOnnxWriter.SwapLastAxes(graph, prefix + ".ncl", input, prefix + ".ncl")
            : graph.ToChannelsFirst(prefix, input);
        graph.Node(layer.Kind.ToString(), prefix + ".pool", [channelsFirst], prefix + ".pool");
        graph.Node("Flatten", prefix + ".flatten", [prefix + ".pool"], output, n => OnnxGraphBuilder.Int(n, "axis", 1));
    }
}
