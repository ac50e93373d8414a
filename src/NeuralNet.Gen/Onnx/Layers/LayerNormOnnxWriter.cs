namespace NeuralNet.Gen.Onnx;

/// <summary>
/// LayerNorm as ONNX's LayerNormalization (opset 17 and later) over axis -1, the last axis of our channels-last layout,
/// so no transpose is needed on any shape; weight and bias are its Scale and B.
/// </summary>
internal sealed class LayerNormOnnxWriter : OnnxLayerWriter
{
    public static readonly LayerNormOnnxWriter Instance = new();

    public override void Write(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output)
    {
        int channels = layer.Units;
        string scale = graph.Parameters(prefix + ".weight", layer.ParameterOffset, channels, channels);
        string bias = graph.Parameters(prefix + ".bias", layer.ParameterOffset + channels, channels, channels);
        graph.Node("LayerNormalization", prefix + ".layernorm", [input, scale, bias], output, n =>
        {
            OnnxGraphBuilder.Int(n, "axis", -1);
            OnnxGraphBuilder.Float(n, "epsilon", (float)layer.Epsilon);
        });
    }
}
