namespace NeuralNet.Gen.Onnx;

/// <summary>A standalone activation layer: its operator (or decomposition) on any shape, Softmax over the last axis.</summary>
internal sealed class ActivationOnnxWriter : OnnxLayerWriter
{
    public static readonly ActivationOnnxWriter Instance = new();

    public override void Write(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output) =>
        graph.Activation(layer.Activation, prefix, input, output);
}
