namespace NeuralNet.Gen.Onnx;

/// <summary>Dropout is the identity at inference, so the exported graph (an inference graph) holds an Identity.</summary>
internal sealed class DropoutOnnxWriter : OnnxLayerWriter
{
    public static readonly DropoutOnnxWriter Instance = new();

    public override void Write(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output) =>
        graph.Node("Identity", prefix + ".dropout", [input], output);
}
