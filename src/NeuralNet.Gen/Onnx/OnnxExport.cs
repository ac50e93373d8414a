using System;
using System.Buffers.Binary;
using System.IO;
using System.Reflection;
using NeuralNet.Gen.Onnx;

namespace NeuralNet.Gen;

/// <summary>
/// Writes a network as an ONNX model (IR 9, opset 20) that ONNX Runtime and other ONNX tools load: Dense layers
/// become Gemm with transB = 1 (our weights are [out, in]), activations their ONNX operators, and the parameters
/// initializers, so the same model runs on GPUs and in other languages.
/// </summary>
public static class OnnxExport
{
    /// <summary>The graph's input name; its shape is [N, InputSize] with a symbolic batch dimension N.</summary>
    public const string InputName = "input";
    /// <summary>The graph's output name; its shape is [N, OutputSize].</summary>
    public const string OutputName = "output";
    /// <summary>The ONNX IR version written.</summary>
    public const int IrVersion = 9;
    /// <summary>The ai.onnx operator set imported (20 is the first with Gelu).</summary>
    public const int OpsetVersion = 20;

    // ONNX TensorProto.DataType and AttributeProto.AttributeType values.
    private const int FloatType = 1, DoubleType = 11;
    private const int AttributeFloat = 1, AttributeInt = 2, AttributeString = 3;

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
        if (typeof(T) == typeof(float)) elementType = FloatType;
        else if (typeof(T) == typeof(double)) elementType = DoubleType;
        else throw new NotSupportedException($"ONNX export supports float and double networks, not {typeof(T).Name}.");

        Precision precision = typeof(T) == typeof(float) ? Precision.Single : Precision.Double;
        if (description.Precision != precision)
            throw new ArgumentException($"The description is for {description.Precision} precision but the network is {precision}.", nameof(description));
        if (description.InputSize != network.InputSize || description.OutputSize != network.OutputSize || description.ParameterCount != network.ParameterCount)
            throw new ArgumentException(
                $"The description ({description.InputSize} inputs, {description.OutputSize} outputs, {description.ParameterCount} parameters) does not fit the network " +
                $"({network.InputSize} inputs, {network.OutputSize} outputs, {network.ParameterCount} parameters).", nameof(description));

        ReadOnlySpan<T> parameters = network.Parameters;
        var graph = new ProtoWriter();
        string current = InputName;
        for (int i = 0; i < description.Layers.Count; i++)
        {
            LayerDescription layer = description.Layers[i];
            bool last = i == description.Layers.Count - 1;
            string prefix = $"layer{i}";
            if (layer.Kind != LayerKind.Dense)
                throw new NotSupportedException($"ONNX export does not support {layer.Kind} layers yet.");

            int weightCount = layer.Units * layer.InputSize;
            string weight = prefix + ".weight", bias = prefix + ".bias";
            graph.WriteMessage(5, Tensor(weight, elementType, parameters.Slice(layer.ParameterOffset, weightCount), layer.Units, layer.InputSize));
            graph.WriteMessage(5, Tensor(bias, elementType, parameters.Slice(layer.ParameterOffset + weightCount, layer.Units), layer.Units));

            string affine = layer.Activation == Activation.Linear && last ? OutputName : prefix + ".z";
            WriteNode(graph, "Gemm", prefix + ".gemm", [current, weight, bias], affine, n => WriteIntAttribute(n, "transB", 1));
            current = affine;
            if (layer.Activation != Activation.Linear)
                current = WriteActivation(graph, layer.Activation, prefix, current, last ? OutputName : prefix + ".a", elementType);
        }

        graph.WriteString(2, "NeuralNet.Gen");
        graph.WriteMessage(11, v => WriteValueInfo(v, InputName, elementType, description.InputSize));
        graph.WriteMessage(12, v => WriteValueInfo(v, OutputName, elementType, description.OutputSize));

        var model = new ProtoWriter();
        model.WriteInt64(1, IrVersion);
        model.WriteString(2, "NeuralNet.Gen");
        model.WriteString(3, typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "0");
        model.WriteString(6, $"Exported from {network.GetType().FullName} ({network.ParameterCount} parameters).");
        model.WriteMessage(7, graph);
        model.WriteMessage(8, o =>
        {
            o.WriteString(1, "");
            o.WriteInt64(2, OpsetVersion);
        });
        return model.WrittenSpan.ToArray();
    }

    /// <summary>Writes the nodes of one activation from <paramref name="input"/> to <paramref name="output"/>; returns <paramref name="output"/>.</summary>
    private static string WriteActivation(ProtoWriter graph, Activation activation, string prefix, string input, string output, int elementType)
    {
        string name = prefix + "." + activation.ToString().ToLowerInvariant();
        switch (activation)
        {
            case Activation.Relu: WriteNode(graph, "Relu", name, [input], output); break;
            case Activation.Sigmoid: WriteNode(graph, "Sigmoid", name, [input], output); break;
            case Activation.Tanh: WriteNode(graph, "Tanh", name, [input], output); break;
            case Activation.Softmax: WriteNode(graph, "Softmax", name, [input], output, n => WriteIntAttribute(n, "axis", -1)); break;
            case Activation.LeakyRelu when elementType == FloatType:
                WriteNode(graph, "LeakyRelu", name, [input], output, n => WriteFloatAttribute(n, "alpha", 0.01f));
                break;
            case Activation.Elu when elementType == FloatType:
                WriteNode(graph, "Elu", name, [input], output, n => WriteFloatAttribute(n, "alpha", 1f));
                break;
            case Activation.Gelu:
                WriteNode(graph, "Gelu", name, [input], output, n => WriteStringAttribute(n, "approximate", "tanh"));
                break;
            case Activation.Softplus when elementType == FloatType:
                WriteNode(graph, "Softplus", name, [input], output);
                break;
            case Activation.Swish:
                // ONNX has no Swish before opset 24: x·sigmoid(x).
                WriteNode(graph, "Sigmoid", name + ".sigmoid", [input], name + ".s");
                WriteNode(graph, "Mul", name, [input, name + ".s"], output);
                break;
            // ONNX Runtime 1.31's CPU provider has no double kernels for LeakyRelu, Elu and Softplus: compose them.
            case Activation.LeakyRelu:
                // max(x, 0.01·x)
                WriteScalar(graph, name + ".slope", elementType, 0.01);
                WriteNode(graph, "Mul", name + ".scaled", [input, name + ".slope"], name + ".sx");
                WriteNode(graph, "Max", name, [input, name + ".sx"], output);
                break;
            case Activation.Elu:
                // x > 0 ? x : e^x - 1, with Where; e^x of a large x is never selected.
                WriteScalar(graph, name + ".zero", elementType, 0);
                WriteScalar(graph, name + ".one", elementType, 1);
                WriteNode(graph, "Greater", name + ".positive", [input, name + ".zero"], name + ".p");
                WriteNode(graph, "Exp", name + ".exp", [input], name + ".e");
                WriteNode(graph, "Sub", name + ".expm1", [name + ".e", name + ".one"], name + ".em1");
                WriteNode(graph, "Where", name, [name + ".p", input, name + ".em1"], output);
                break;
            case Activation.Softplus:
                // max(x, 0) + log(1 + e^-|x|), which cannot overflow.
                WriteScalar(graph, name + ".zero", elementType, 0);
                WriteScalar(graph, name + ".one", elementType, 1);
                WriteNode(graph, "Max", name + ".relu", [input, name + ".zero"], name + ".r");
                WriteNode(graph, "Abs", name + ".abs", [input], name + ".ax");
                WriteNode(graph, "Neg", name + ".neg", [name + ".ax"], name + ".nax");
                WriteNode(graph, "Exp", name + ".exp", [name + ".nax"], name + ".e");
                WriteNode(graph, "Add", name + ".onee", [name + ".e", name + ".one"], name + ".1e");
                WriteNode(graph, "Log", name + ".log", [name + ".1e"], name + ".l");
                WriteNode(graph, "Add", name, [name + ".r", name + ".l"], output);
                break;
            default:
                throw new NotSupportedException($"ONNX export does not support the {activation} activation.");
        }
        return output;
    }

    private static void WriteNode(ProtoWriter graph, string opType, string name, string[] inputs, string output, Action<ProtoWriter>? attributes = null) =>
        graph.WriteMessage(1, n =>
        {
            foreach (string input in inputs) n.WriteString(1, input);
            n.WriteString(2, output);
            n.WriteString(3, name);
            n.WriteString(4, opType);
            attributes?.Invoke(n);
        });

    private static void WriteIntAttribute(ProtoWriter node, string name, long value) =>
        node.WriteMessage(5, a =>
        {
            a.WriteString(1, name);
            a.WriteInt64(3, value);
            a.WriteInt64(20, AttributeInt);
        });

    private static void WriteFloatAttribute(ProtoWriter node, string name, float value) =>
        node.WriteMessage(5, a =>
        {
            a.WriteString(1, name);
            a.WriteFloat(2, value);
            a.WriteInt64(20, AttributeFloat);
        });

    private static void WriteStringAttribute(ProtoWriter node, string name, string value) =>
        node.WriteMessage(5, a =>
        {
            a.WriteString(1, name);
            a.WriteString(4, value);
            a.WriteInt64(20, AttributeString);
        });

    /// <summary>A rank-0 initializer.</summary>
    private static void WriteScalar(ProtoWriter graph, string name, int elementType, double value) =>
        graph.WriteMessage(5, t =>
        {
            t.WriteInt64(2, elementType);
            t.WriteString(8, name);
            Span<byte> raw = stackalloc byte[8];
            if (elementType == FloatType)
            {
                BinaryPrimitives.WriteInt32LittleEndian(raw, BitConverter.SingleToInt32Bits((float)value));
                t.WriteBytes(9, raw[..4]);
            }
            else
            {
                BinaryPrimitives.WriteInt64LittleEndian(raw, BitConverter.DoubleToInt64Bits(value));
                t.WriteBytes(9, raw);
            }
        });

    /// <summary>A TensorProto with little-endian raw_data, as the format requires whatever the host's byte order.</summary>
    private static ProtoWriter Tensor<T>(string name, int elementType, ReadOnlySpan<T> values, params int[] dims) where T : unmanaged
    {
        var tensor = new ProtoWriter();
        foreach (int dim in dims) tensor.WriteInt64(1, dim);
        tensor.WriteInt64(2, elementType);
        tensor.WriteString(8, name);
        int size = elementType == FloatType ? 4 : 8;
        byte[] raw = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is float f) BinaryPrimitives.WriteInt32LittleEndian(raw.AsSpan(i * 4), BitConverter.SingleToInt32Bits(f));
            else if (values[i] is double d) BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * 8), BitConverter.DoubleToInt64Bits(d));
        }
        tensor.WriteBytes(9, raw);
        return tensor;
    }

    private static void WriteValueInfo(ProtoWriter valueInfo, string name, int elementType, int size)
    {
        valueInfo.WriteString(1, name);
        valueInfo.WriteMessage(2, type => type.WriteMessage(1, tensorType =>
        {
            tensorType.WriteInt64(1, elementType);
            tensorType.WriteMessage(2, shape =>
            {
                shape.WriteMessage(1, dim => dim.WriteString(2, "N"));
                shape.WriteMessage(1, dim => dim.WriteInt64(1, size));
            });
        }));
    }
}
