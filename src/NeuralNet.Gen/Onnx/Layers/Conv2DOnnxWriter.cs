namespace NeuralNet.Gen.Onnx;

/// <summary>
/// Conv2D. In float, Conv between transposes: ONNX's Conv reads [N, C, H, W] and our weights already are its
/// [filters, channels, kh, kw]. ONNX Runtime's CPU provider has no double Conv, so in double the layer is written
/// as the im2col product it is: a Pad, one strided Slice per kernel offset concatenated along channels, and a
/// MatMul by the weights rearranged [kh·kw·channels, filters], all on the channels-last tensor.
/// </summary>
internal sealed class Conv2DOnnxWriter : OnnxLayerWriter
{
    public static readonly Conv2DOnnxWriter Instance = new();

    public override void Write(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output)
    {
        string z = layer.Activation == Activation.Linear ? output : prefix + ".z";
        if (graph.IsFloat) WriteConv(graph, layer, prefix, input, z);
        else WriteLowered(graph, layer, prefix, input, z);
        if (layer.Activation != Activation.Linear) graph.Activation(layer.Activation, prefix, z, output);
    }

    private static void WriteConv(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output)
    {
        int k = layer.KernelSize, channels = layer.InputShape[2];
        string weight = graph.Parameters(prefix + ".weight", layer.ParameterOffset, layer.WeightCount, layer.Units, channels, k, k);
        string[] inputs = layer.UseBias
            ? [graph.ToChannelsFirst(prefix, input), weight, graph.Parameters(prefix + ".bias", layer.ParameterOffset + layer.WeightCount, layer.BiasCount, layer.Units)]
            : [graph.ToChannelsFirst(prefix, input), weight];
        graph.Node("Conv", prefix + ".conv", inputs, prefix + ".conv", n =>
        {
            OnnxGraphBuilder.Ints(n, "kernel_shape", k, k);
            OnnxGraphBuilder.Ints(n, "strides", layer.Stride, layer.Stride);
            // ONNX pads: begins of each axis, then ends.
            OnnxGraphBuilder.Ints(n, "pads", layer.PadTop, layer.PadLeft, layer.PadBottom, layer.PadRight);
        });
        graph.ToChannelsLast(prefix, prefix + ".conv", output);
    }

    private static void WriteLowered(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output)
    {
        int k = layer.KernelSize, s = layer.Stride, channels = layer.InputShape[2], filters = layer.Units;
        int outHeight = layer.OutputShape[0], outWidth = layer.OutputShape[1];
        string padded = input;
        if (layer.PadTop + layer.PadLeft + layer.PadBottom + layer.PadRight > 0)
        {
            // [N, H, W, C]: zeros above, left, below and right; none on batch or channels.
            string pads = graph.Int64s(prefix + ".pads", 0, layer.PadTop, layer.PadLeft, 0, 0, layer.PadBottom, layer.PadRight, 0);
            padded = prefix + ".padded";
            graph.Node("Pad", prefix + ".pad", [input, pads], padded);
        }

        string axes = graph.Int64s(prefix + ".axes", 1, 2), steps = graph.Int64s(prefix + ".steps", s, s);
        var windows = new string[k * k];
        for (int ky = 0; ky < k; ky++)
        {
            for (int kx = 0; kx < k; kx++)
            {
                // Input rows ky, ky + s, … of every window: [N, outHeight, outWidth, C].
                string name = $"{prefix}.window{ky}_{kx}";
                string starts = graph.Int64s(name + ".starts", ky, kx);
                string ends = graph.Int64s(name + ".ends", ky + (outHeight - 1) * s + 1, kx + (outWidth - 1) * s + 1);
                graph.Node("Slice", name, [padded, starts, ends, axes, steps], name);
                windows[ky * k + kx] = name;
            }
        }
        string columns = prefix + ".columns";
        graph.Node("Concat", columns, windows, columns, n => OnnxGraphBuilder.Int(n, "axis", -1));

        // Row (ky, kx, c) of the [k·k·C, F] matrix is weight [f, c, ky, kx] of our [F, C, kh, kw] layout.
        var indices = new int[k * k * channels * filters];
        for (int ky = 0; ky < k; ky++)
            for (int kx = 0; kx < k; kx++)
                for (int c = 0; c < channels; c++)
                    for (int f = 0; f < filters; f++)
                        indices[((ky * k + kx) * channels + c) * filters + f] = layer.ParameterOffset + ((f * channels + c) * k + ky) * k + kx;
        string weight = graph.GatheredParameters(prefix + ".weight", indices, k * k * channels, filters);
        if (!layer.UseBias)
        {
            graph.Node("MatMul", prefix + ".matmul", [columns, weight], output);
            return;
        }
        graph.Node("MatMul", prefix + ".matmul", [columns, weight], prefix + ".product");
        string bias = graph.Parameters(prefix + ".bias", layer.ParameterOffset + layer.WeightCount, layer.BiasCount, filters);
        graph.Node("Add", prefix + ".bias_add", [prefix + ".product", bias], output);
    }
}
