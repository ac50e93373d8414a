namespace NeuralNet.Gen.Onnx;

/// <summary>
/// MaxPool1D, AveragePool1D and AveragePool2D as ONNX's MaxPool or AveragePool (no padding, floor of the window count)
/// between transposes: [N, steps, features] to [N, features, steps] and back, or [N, H, W, C] to [N, C, H, W] and back.
/// </summary>
internal sealed class PoolOnnxWriter : OnnxLayerWriter
{
    public static readonly PoolOnnxWriter Instance = new();

    public override void Write(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output)
    {
        bool sequence = layer.InputShape.Count == 2;
        string op = layer.Kind == LayerKind.MaxPool1D ? "MaxPool" : "AveragePool";
        string channelsFirst = sequence ? SwapLastAxes(graph, prefix + ".ncl", input, prefix + ".ncl") : graph.ToChannelsFirst(prefix, input);
        graph.Node(op, prefix + ".pool", [channelsFirst], prefix + ".pool", n =>
        {
            if (sequence)
            {
                OnnxGraphBuilder.Ints(n, "kernel_shape", layer.KernelSize);
                OnnxGraphBuilder.Ints(n, "strides", layer.Stride);
            }
            else
            {
                OnnxGraphBuilder.Ints(n, "kernel_shape", layer.KernelSize, layer.KernelSize);
                OnnxGraphBuilder.Ints(n, "strides", layer.Stride, layer.Stride);
            }
        });
        if (sequence) SwapLastAxes(graph, prefix + ".nlc", prefix + ".pool", output);
        else graph.ToChannelsLast(prefix, prefix + ".pool", output);
    }

    /// <summary>[N, a, b] to [N, b, a]: a sequence's channels-last and channels-first layouts.</summary>
    internal static string SwapLastAxes(OnnxGraphBuilder graph, string name, string input, string output)
    {
        graph.Node("Transpose", name, [input], output, n => OnnxGraphBuilder.Ints(n, "perm", 0, 2, 1));
        return output;
    }
}
