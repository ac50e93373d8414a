namespace NeuralNet.Gen.Onnx;

/// <summary>Flatten of a channels-last tensor: ONNX's Flatten(axis = 1) keeps our row-major order.</summary>
internal sealed class FlattenOnnxWriter : OnnxLayerWriter
{
    public static readonly FlattenOnnxWriter Instance = new();

    public override void Write(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output) =>
        graph.Node("Flatten", prefix + ".flatten", [input], output, n => OnnxGraphBuilder.Int(n, "axis", 1));
}
