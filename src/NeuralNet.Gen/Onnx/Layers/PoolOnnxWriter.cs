namespace NeuralNet.Gen.Onnx;

/// <summary>
/// MaxPool1D, AveragePool1D and AveragePool2D as ONNX's MaxPool or AveragePool (no padding, floor of the window count)
/// between transposes: [N, steps, features] to [N, features, steps] and back, or [N, H, W, C] to [N, C, H, W] and back.
/// ONNX Runtime's CPU provider has no double AveragePool, so in double an average is the sum of the window's strided
/// Slices of the channels-last tensor divided by the window's size.
/// </summary>
internal sealed class PoolOnnxWriter : OnnxLayerWriter
{
    public static readonly PoolOnnxWriter Instance = new();

    public override void Write(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output)
    {
        bool sequence = layer.InputShape.Count == 2;
        bool max = layer.Kind == LayerKind.MaxPool1D;
        if (!max && !graph.IsFloat)
        {
            WriteSlicedAverage(graph, layer, prefix, input, output);
            return;
        }
        string channelsFirst = sequence ? SwapLastAxes(graph, prefix + ".ncl", input, prefix + ".ncl") : graph.ToChannelsFirst(prefix, input);
        graph.Node(max ? "MaxPool" : "AveragePool", prefix + ".pool", [channelsFirst], prefix + ".pool", n =>
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

    /// <summary>
    /// The mean of each window as Sum over the window's offsets (dy, dx) of Slice(x, start (dy, dx), step stride), one
    /// [N, outH, outW, C] tensor per offset, then Div by the window's size: operators ONNX Runtime runs in double.
    /// </summary>
    private static void WriteSlicedAverage(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output)
    {
        bool sequence = layer.InputShape.Count == 2;
        int p = layer.KernelSize, s = layer.Stride;
        int outHeight = layer.OutputShape[0], outWidth = sequence ? 1 : layer.OutputShape[1];
        int rows = p, columns = sequence ? 1 : p;
        long[] axes = sequence ? [1] : [1, 2], steps = sequence ? [s] : [s, s];
        string axesName = graph.Int64s(prefix + ".axes", axes), stepsName = graph.Int64s(prefix + ".steps", steps);
        var slices = new string[rows * columns];
        for (int dy = 0; dy < rows; dy++)
        {
            for (int dx = 0; dx < columns; dx++)
            {
                string at = $"{prefix}.window{dy}_{dx}";
                long[] starts = sequence ? [dy] : [dy, dx];
                long[] ends = sequence ? [dy + (outHeight - 1) * s + 1] : [dy + (outHeight - 1) * s + 1, dx + (outWidth - 1) * s + 1];
                graph.Node("Slice", at, [input, graph.Int64s(at + ".starts", starts), graph.Int64s(at + ".ends", ends), axesName, stepsName], at);
                slices[dy * columns + dx] = at;
            }
        }
        graph.Node("Sum", prefix + ".sum", slices, prefix + ".sum");
        graph.Node("Div", prefix + ".mean", [prefix + ".sum", graph.Scalar(prefix + ".count", rows * columns)], output);
    }
}
