namespace NeuralNet.Gen.Onnx;

/// <summary>
/// Conv1D. In float, a 1-D Conv (dilations, strides, pads) between transposes: ONNX's Conv reads [N, C, L] and our
/// weights already are its [filters, channels, kernel]. ONNX Runtime's CPU provider has no double Conv, so in double
/// the layer is the im2col product it is: a Pad along the steps, one strided Slice per tap concatenated along the
/// features, and a MatMul by the weights rearranged [kernel·channels, filters], on the channels-last [N, L, C] tensor.
/// </summary>
internal sealed class Conv1DOnnxWriter : OnnxLayerWriter
{
    public static readonly Conv1DOnnxWriter Instance = new();

    public override void Write(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output)
    {
        string z = layer.Activation == Activation.Linear ? output : prefix + ".z";
        if (graph.IsFloat) WriteConv(graph, layer, prefix, input, z);
        else WriteLowered(graph, layer, prefix, input, z);
        if (layer.Activation != Activation.Linear) graph.Activation(layer.Activation, prefix, z, output);
    }

    private static void WriteConv(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output)
    {
        int k = layer.KernelSize, channels = layer.InputShape[1];
        string weight = graph.Parameters(prefix + ".weight", layer.ParameterOffset, layer.WeightCount, layer.Units, channels, k);
        graph.Node("Transpose", prefix + ".ncl", [input], prefix + ".ncl", n => OnnxGraphBuilder.Ints(n, "perm", 0, 2, 1));
        string[] inputs = layer.UseBias
            ? [prefix + ".ncl", weight, graph.Parameters(prefix + ".bias", layer.ParameterOffset + layer.WeightCount, layer.BiasCount, layer.Units)]
            : [prefix + ".ncl", weight];
        graph.Node("Conv", prefix + ".conv", inputs, prefix + ".conv", n =>
        {
            OnnxGraphBuilder.Ints(n, "kernel_shape", k);
            OnnxGraphBuilder.Ints(n, "strides", layer.Stride);
            OnnxGraphBuilder.Ints(n, "dilations", layer.Dilation);
            // ONNX pads: begin of the steps axis, then its end (Same's odd one and Causal's all at the begin as we pad).
            OnnxGraphBuilder.Ints(n, "pads", layer.PadTop, layer.PadBottom);
        });
        graph.Node("Transpose", prefix + ".nlc", [prefix + ".conv"], output, n => OnnxGraphBuilder.Ints(n, "perm", 0, 2, 1));
    }

    private static void WriteLowered(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output)
    {
        int k = layer.KernelSize, s = layer.Stride, d = layer.Dilation, channels = layer.InputShape[1], filters = layer.Units, outSteps = layer.OutputShape[0];
        string padded = input;
        if (layer.PadTop + layer.PadBottom > 0)
        {
            // [N, L, C]: zeros before and after the steps; none on batch or features.
            string pads = graph.Int64s(prefix + ".pads", 0, layer.PadTop, 0, 0, layer.PadBottom, 0);
            padded = prefix + ".padded";
            graph.Node("Pad", prefix + ".pad", [input, pads], padded);
        }

        string axes = graph.Int64s(prefix + ".axes", 1), steps = graph.Int64s(prefix + ".steps", s);
        var taps = new string[k];
        for (int j = 0; j < k; j++)
        {
            // Tap j of every window: padded steps j·d, j·d + s, …: [N, outSteps, C].
            string name = $"{prefix}.tap{j}";
            string starts = graph.Int64s(name + ".starts", j * d);
            string ends = graph.Int64s(name + ".ends", j * d + (outSteps - 1) * s + 1);
            graph.Node("Slice", name, [padded, starts, ends, axes, steps], name);
            taps[j] = name;
        }
        string columns = prefix + ".columns";
        graph.Node("Concat", columns, taps, columns, n => OnnxGraphBuilder.Int(n, "axis", -1));

        // Row (j, c) of the [k·C, F] matrix is weight [f, c, j] of our [F, C, k] layout.
        var indices = new int[k * channels * filters];
        for (int j = 0; j < k; j++)
            for (int c = 0; c < channels; c++)
                for (int f = 0; f < filters; f++)
                    indices[(j * channels + c) * filters + f] = layer.ParameterOffset + (f * channels + c) * k + j;
        string weight = graph.GatheredParameters(prefix + ".weight", indices, k * channels, filters);
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
