namespace NeuralNet.Gen.Onnx;

/// <summary>
/// BatchNorm at inference as ONNX's BatchNormalization (running statistics as its mean and variance inputs), which
/// normalises axis 1: a vector [N, C] is read as it is, a sequence [N, steps, C] and an image [N, H, W, C] are
/// transposed to channels first around it.
/// </summary>
internal sealed class BatchNormOnnxWriter : OnnxLayerWriter
{
    public static readonly BatchNormOnnxWriter Instance = new();

    public override void Write(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output)
    {
        int channels = layer.Units;
        string scale = graph.Parameters(prefix + ".weight", layer.ParameterOffset, channels, channels);
        string bias = graph.Parameters(prefix + ".bias", layer.ParameterOffset + channels, channels, channels);
        string mean = graph.Buffers(prefix + ".running_mean", layer.BufferOffset, channels, channels);
        string variance = graph.Buffers(prefix + ".running_var", layer.BufferOffset + channels, channels, channels);
        void Normalize(string x, string y) =>
            graph.Node("BatchNormalization", prefix + ".batchnorm", [x, scale, bias, mean, variance], y, n => OnnxGraphBuilder.Float(n, "epsilon", (float)layer.Epsilon));
        switch (layer.InputShape.Count)
        {
            case 1:
                Normalize(input, output);
                break;
            case 2:
                graph.Node("Transpose", prefix + ".ncl", [input], prefix + ".ncl", n => OnnxGraphBuilder.Ints(n, "perm", 0, 2, 1));
                Normalize(prefix + ".ncl", prefix + ".normalized");
                graph.Node("Transpose", prefix + ".nlc", [prefix + ".normalized"], output, n => OnnxGraphBuilder.Ints(n, "perm", 0, 2, 1));
                break;
            default:
                Normalize(graph.ToChannelsFirst(prefix, input), prefix + ".normalized");
                graph.ToChannelsLast(prefix, prefix + ".normalized", output);
                break;
        }
    }
}
