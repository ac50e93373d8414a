namespace NeuralNet.Gen.Onnx;

/// <summary>
/// GlobalAveragePool and GlobalMaxPool as ONNX's operators of those names over the channels-first tensor, then a
/// Flatten of their [N, C, 1(, 1)] result to our [N, C]. ONNX Runtime's CPU provider runs them in float only, so in
/// double they are ReduceMean and ReduceMax over the channels-last tensor's positions.
/// </summary>
internal sealed class GlobalPoolOnnxWriter : OnnxLayerWriter
{
    public static readonly GlobalPoolOnnxWriter Instance = new();

    public override void Write(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output)
    {
        bool sequence = layer.InputShape.Count == 2;
        bool max = layer.Kind == LayerKind.GlobalMaxPool;
        if (!graph.IsFloat)
        {
            string axes = graph.Int64s(prefix + ".axes", sequence ? [1] : [1, 2]);
            graph.Node(max ? "ReduceMax" : "ReduceMean", prefix + ".reduce", [input, axes], output, n => OnnxGraphBuilder.Int(n, "keepdims", 0));
            return;
        }
        string channelsFirst = sequence
            ? PoolOnnxWriter.SwapLastAxes(graph, prefix + ".ncl", input, prefix + ".ncl")
            : graph.ToChannelsFirst(prefix, input);
        graph.Node(layer.Kind.ToString(), prefix + ".pool", [channelsFirst], prefix + ".pool");
        graph.Node("Flatten", prefix + ".flatten", [prefix + ".pool"], output, n => OnnxGraphBuilder.Int(n, "axis", 1));
    }
}
