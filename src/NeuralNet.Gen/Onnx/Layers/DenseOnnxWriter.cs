namespace NeuralNet.Gen.Onnx;

/// <summary>
/// Dense as Gemm with transB = 1 (our weights are [out, in], as nn.Linear's), then its activation. Per step on a
/// sequence [N, steps, features], where Gemm (2-D only) cannot go: MatMul by the weight stored [in, out], Add of the
/// bias, as torch writes a Linear on a rank-3 tensor.
/// </summary>
internal sealed class DenseOnnxWriter : OnnxLayerWriter
{
    public static readonly DenseOnnxWriter Instance = new();

    public override void Write(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output)
    {
        string affine = layer.Activation == Activation.Linear ? output : prefix + ".z";
        if (layer.InputShape.Count == 2) WritePerStep(graph, layer, prefix, input, affine);
        else WriteGemm(graph, layer, prefix, input, affine);
        if (layer.Activation != Activation.Linear) graph.Activation(layer.Activation, prefix, affine, output);
    }

    private static void WriteGemm(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output)
    {
        string weight = graph.Parameters(prefix + ".weight", layer.ParameterOffset, layer.WeightCount, layer.Units, layer.InputSize);
        string[] inputs = layer.UseBias
            ? [input, weight, graph.Parameters(prefix + ".bias", layer.ParameterOffset + layer.WeightCount, layer.BiasCount, layer.Units)]
            : [input, weight];
        graph.Node("Gemm", prefix + ".gemm", inputs, output, n => OnnxGraphBuilder.Int(n, "transB", 1));
    }

    private static void WritePerStep(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output)
    {
        int features = layer.InputShape[1], units = layer.Units;
        int[] transposed = new int[features * units];
        for (int i = 0; i < features; i++)
            for (int o = 0; o < units; o++) transposed[i * units + o] = layer.ParameterOffset + o * features + i;
        string weight = graph.GatheredParameters(prefix + ".weight_t", transposed, features, units);
        if (!layer.UseBias)
        {
            graph.Node("MatMul", prefix + ".matmul", [input, weight], output);
            return;
        }
        graph.Node("MatMul", prefix + ".matmul", [input, weight], prefix + ".xw");
        string bias = graph.Parameters(prefix + ".bias", layer.ParameterOffset + layer.WeightCount, layer.BiasCount, units);
        graph.Node("Add", prefix + ".add", [prefix + ".xw", bias], output);
    }
}
