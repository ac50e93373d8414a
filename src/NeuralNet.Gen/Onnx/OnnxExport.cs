using System;
using System.Buffers.Binary;
using System.IO;
using System.Reflection;
using NeuralNet.Gen.Onnx;

namespace NeuralNet.Gen;

/// <summary>
/// Writes a network as an ONNX model (IR 9, opset 20) that ONNX Runtime and other ONNX tools load: each layer
/// becomes its operators (<see cref="OnnxLayerWriter"/>, one per kind), the parameters initializers, and the input
/// and output keep our channels-last layout, so the arrays that feed <c>Forward</c> feed the model unchanged.
/// </summary>
public static class OnnxExport
{
    /// <summary>The graph's input name; its shape is [N, …input shape] (channels last) with a symbolic batch dimension N.</summary>
    public const string InputName = "input";
    /// <summary>The graph's output name; its shape is [N, …output shape].</summary>
    public const string OutputName = "output";
    /// <summary>The ONNX IR version written.</summary>
    public const int IrVersion = 9;
    /// <summary>The ai.onnx operator set imported (20 is the first with Gelu).</summary>
    public const int OpsetVersion = 20;

    /// <summary>Writes the network to a new file at <paramref name="path"/> (replaced if it exists).</summary>
    /// <exception cref="NotSupportedException">The network does not implement <see cref="IDescribedNetwork"/>.</exception>
    public static void ExportOnnx<T>(this INetwork<T> network, string path) where T : unmanaged
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        ExportOnnx(network, DescriptionOf(network), path);
    }

    /// <summary>Writes the network to <paramref name="stream"/>.</summary>
    /// <exception cref="NotSupportedException">The network does not implement <see cref="IDescribedNetwork"/>.</exception>
    public static void ExportOnnx<T>(this INetwork<T> network, Stream stream) where T : unmanaged
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        ExportOnnx(network, DescriptionOf(network), stream);
    }

    /// <summary>Writes the network, whose layers <paramref name="description"/> gives, to a new file at <paramref name="path"/>.</summary>
    public static void ExportOnnx<T>(this INetwork<T> network, NetworkDescription description, string path) where T : unmanaged
    {
        if (path is null) throw new ArgumentNullException(nameof(path));
        byte[] model = BuildModel(network, description);
        File.WriteAllBytes(path, model);
    }

    /// <summary>Writes the network, whose layers <paramref name="description"/> gives, to <paramref name="stream"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="description"/> does not fit the network (sizes, parameter count or precision differ).</exception>
    public static void ExportOnnx<T>(this INetwork<T> network, NetworkDescription description, Stream stream) where T : unmanaged
    {
        if (stream is null) throw new ArgumentNullException(nameof(stream));
        if (!stream.CanWrite) throw new ArgumentException("The stream must be writable.", nameof(stream));
        byte[] model = BuildModel(network, description);
        stream.Write(model, 0, model.Length);
    }

    private static NetworkDescription DescriptionOf<T>(INetwork<T> network) where T : unmanaged =>
        network is IDescribedNetwork described
            ? described.Description
            : throw new NotSupportedException(
                $"{network.GetType().Name} does not describe its layers (it does not implement {nameof(IDescribedNetwork)}), so it cannot be exported to ONNX. " +
                $"Pass a {nameof(NetworkDescription)} to the ExportOnnx overload that takes one.");

    private static byte[] BuildModel<T>(INetwork<T> network, NetworkDescription description) where T : unmanaged
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        if (description is null) throw new ArgumentNullException(nameof(description));
        int elementType;
        if (typeof(T) == typeof(float)) elementType = OnnxGraphBuilder.FloatType;
        else if (typeof(T) == typeof(double)) elementType = OnnxGraphBuilder.DoubleType;
        else throw new NotSupportedException($"ONNX export supports float and double networks, not {typeof(T).Name}.");

        Precision precision = typeof(T) == typeof(float) ? Precision.Single : Precision.Double;
        if (description.Precision != precision)
            throw new ArgumentException($"The description is for {description.Precision} precision but the network is {precision}.", nameof(description));
        if (description.InputSize != network.InputSize || description.OutputSize != network.OutputSize || description.ParameterCount != network.ParameterCount)
            throw new ArgumentException(
                $"The description ({description.InputSize} inputs, {description.OutputSize} outputs, {description.ParameterCount} parameters) does not fit the network " +
                $"({network.InputSize} inputs, {network.OutputSize} outputs, {network.ParameterCount} parameters).", nameof(description));

        foreach (var layer in description.Layers)
        {
            if (layer.Kind == LayerKind.BatchNorm && (long)layer.BufferOffset + 2 * layer.Units > network.BufferCount)
                throw new ArgumentException($"The description's {layer} needs buffers up to index {layer.BufferOffset + 2 * layer.Units} but the network has {network.BufferCount}.", nameof(description));
        }
        var graph = new OnnxGraphBuilder(elementType, LittleEndianBytes(network.Parameters), LittleEndianBytes(network.Buffers));
        var outputs = new string[description.Layers.Count];
        for (int i = 0; i < description.Layers.Count; i++)
        {
            LayerDescription layer = description.Layers[i];
            int source = NetworkDescription.SourceOf(layer, i);
            outputs[i] = i == description.Layers.Count - 1 ? OutputName : $"layer{i}.out";
            OnnxLayerWriter.For(layer.Kind).Write(graph, layer, $"layer{i}", source < 0 ? InputName : outputs[source], outputs[i]);
        }

        graph.Graph.WriteString(2, "NeuralNet.Gen");
        graph.Graph.WriteMessage(11, v => WriteValueInfo(v, InputName, elementType, description.InputShape));
        graph.Graph.WriteMessage(12, v => WriteValueInfo(v, OutputName, elementType, description.OutputShape));

        var model = new ProtoWriter();
        model.WriteInt64(1, IrVersion);
        model.WriteString(2, "NeuralNet.Gen");
        model.WriteString(3, typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "0");
        model.WriteString(6, $"Exported from {network.GetType().FullName} ({network.ParameterCount} parameters).");
        model.WriteMessage(7, graph.Graph);
        model.WriteMessage(8, o =>
        {
            o.WriteString(1, "");
            o.WriteInt64(2, OpsetVersion);
        });
        return model.WrittenSpan.ToArray();
    }

    /// <summary>The parameters as little-endian bytes, as raw_data requires whatever the host's byte order.</summary>
    private static byte[] LittleEndianBytes<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        int size = typeof(T) == typeof(float) ? 4 : 8;
        byte[] raw = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is float f) BinaryPrimitives.WriteInt32LittleEndian(raw.AsSpan(i * 4), BitConverter.SingleToInt32Bits(f));
            else if (values[i] is double d) BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * 8), BitConverter.DoubleToInt64Bits(d));
        }
        return raw;
    }

    /// <summary>[N, …shape] with a symbolic batch dimension N.</summary>
    private static void WriteValueInfo(ProtoWriter valueInfo, string name, int elementType, System.Collections.Generic.IReadOnlyList<int> shape)
    {
        valueInfo.WriteString(1, name);
        valueInfo.WriteMessage(2, type => type.WriteMessage(1, tensorType =>
        {
            tensorType.WriteInt64(1, elementType);
            tensorType.WriteMessage(2, dims =>
            {
                dims.WriteMessage(1, dim => dim.WriteString(2, "N"));
                foreach (int size in shape) dims.WriteMessage(1, dim => dim.WriteInt64(1, size));
            });
        }));
    }
}
