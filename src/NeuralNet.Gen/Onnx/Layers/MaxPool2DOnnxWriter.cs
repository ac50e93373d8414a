namespace NeuralNet.Gen.Onnx;

/// <summary>MaxPool2D as MaxPool (no padding, floor of the window count) between transposes.</summary>
internal sealed class MaxPool2DOnnxWriter : OnnxLayerWriter
{
    public static readonly MaxPool2DOnnxWriter Instance = new();

    public override void Write(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output)
    {
        graph.Node("MaxPool", prefix + ".pool", [graph.ToChannelsFirst(prefix, input)], prefix + ".pool", n =>
        {
            OnnxGraphBuilder.Ints(n, "kernel_shape", layer.KernelSize, layer.KernelSize);
            OnnxGraphBuilder.Ints(n, "strides", layer.Stride, layer.Stride);
        });
        graph.ToChannelsLast(prefix, prefix + ".pool", output);
    }
}
