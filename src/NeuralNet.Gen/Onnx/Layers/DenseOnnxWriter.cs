namespace NeuralNet.Gen.Onnx;

/// <summary>Dense as Gemm with transB = 1 (our weights are [out, in], as nn.Linear's), then its activation.</summary>
internal sealed class DenseOnnxWriter : OnnxLayerWriter
{
    public static readonly DenseOnnxWriter Instance = new();

    public override void Write(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output)
    {
        string weight = graph.Parameters(prefix + ".weight", layer.ParameterOffset, layer.WeightCount, layer.Units, layer.InputSize);
        string[] inputs = layer.UseBias
            ? [input, weight, graph.Parameters(prefix + ".bias", layer.ParameterOffset + layer.WeightCount, layer.BiasCount, layer.Units)]
            : [input, weight];
        string affine = layer.Activation == Activation.Linear ? output : prefix + ".z";
        graph.Node("Gemm", prefix + ".gemm", inputs, affine, n => OnnxGraphBuilder.Int(n, "transB", 1));
        if (layer.Activation != Activation.Linear) graph.Activation(layer.Activation, prefix, affine, output);
    }
}
