using System;
using System.Buffers.Binary;

namespace NeuralNet.Gen.Onnx;

/// <summary>
/// The graph being exported: nodes, initializers cut from the network's parameters, and the helpers the per-kind
/// <see cref="OnnxLayerWriter"/>s share (activations, channels-last ↔ channels-first transposes).
/// </summary>
internal sealed class OnnxGraphBuilder
{
    // ONNX TensorProto.DataType and AttributeProto.AttributeType values.
    public const int FloatType = 1, DoubleType = 11, Int64Type = 7;
    private const int AttributeFloat = 1, AttributeInt = 2, AttributeString = 3, AttributeInts = 7, AttributeStrings = 8;

    private readonly byte[] _parameters;
    private readonly byte[] _buffers;

    /// <summary>
    /// A graph of <paramref name="elementType"/> tensors whose initializers are cut from <paramref name="parameters"/>
    /// and <paramref name="buffers"/> (little-endian bytes, as raw_data wants them).
    /// </summary>
    public OnnxGraphBuilder(int elementType, byte[] parameters, byte[]? buffers = null)
    {
        ElementType = elementType;
        _parameters = parameters;
        _buffers = buffers ?? [];
    }

    /// <summary>The GraphProto written so far.</summary>
    public ProtoWriter Graph { get; } = new();

    /// <summary><see cref="FloatType"/> or <see cref="DoubleType"/>.</summary>
    public int ElementType { get; }

    public bool IsFloat => ElementType == FloatType;

    private int ElementSize => IsFloat ? 4 : 8;

    /// <summary>An initializer holding parameters [offset, offset + count) with shape <paramref name="dims"/>; returns its name.</summary>
    public string Parameters(string name, int offset, int count, params int[] dims) => Initializer(name, _parameters, offset, count, dims);

    /// <summary>An initializer holding buffers [offset, offset + count) (running statistics) with shape <paramref name="dims"/>; returns its name.</summary>
    public string Buffers(string name, int offset, int count, params int[] dims) => Initializer(name, _buffers, offset, count, dims);

    private string Initializer(string name, byte[] source, int offset, int count, int[] dims)
    {
        Graph.WriteMessage(5, t =>
        {
            foreach (int dim in dims) t.WriteInt64(1, dim);
            t.WriteInt64(2, ElementType);
            t.WriteString(8, name);
            t.WriteBytes(9, source.AsSpan(offset * ElementSize, count * ElementSize));
        });
        return name;
    }

    /// <summary>An initializer whose element i is parameter <paramref name="indices"/>[i], for layouts that differ from ours; returns its name.</summary>
    public string GatheredParameters(string name, int[] indices, params int[] dims)
    {
        int size = ElementSize;
        byte[] raw = new byte[indices.Length * size];
        for (int i = 0; i < indices.Length; i++) _parameters.AsSpan(indices[i] * size, size).CopyTo(raw.AsSpan(i * size));
        Graph.WriteMessage(5, t =>
        {
            foreach (int dim in dims) t.WriteInt64(1, dim);
            t.WriteInt64(2, ElementType);
            t.WriteString(8, name);
            t.WriteBytes(9, raw);
        });
        return name;
    }

    /// <summary>A rank-1 int64 initializer (shapes, pads, slice bounds); returns its name.</summary>
    public string Int64s(string name, params long[] values)
    {
        Graph.WriteMessage(5, t =>
        {
            t.WriteInt64(1, values.Length);
            t.WriteInt64(2, Int64Type);
            t.WriteString(8, name);
            byte[] raw = new byte[values.Length * 8];
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * 8), values[i]);
            t.WriteBytes(9, raw);
        });
        return name;
    }

    /// <summary>A rank-0 initializer of the graph's element type; returns its name.</summary>
    public string Scalar(string name, double value)
    {
        Graph.WriteMessage(5, t =>
        {
            t.WriteInt64(2, ElementType);
            t.WriteString(8, name);
            Span<byte> raw = stackalloc byte[8];
            if (IsFloat)
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
        return name;
    }

    public void Node(string opType, string name, string[] inputs, string output, Action<ProtoWriter>? attributes = null) =>
        Node(opType, name, inputs, [output], attributes);

    /// <summary>A node with several outputs; an empty name leaves that output unwritten (ONNX's optional outputs).</summary>
    public void Node(string opType, string name, string[] inputs, string[] outputs, Action<ProtoWriter>? attributes = null) =>
        Graph.WriteMessage(1, n =>
        {
            foreach (string input in inputs) n.WriteString(1, input);
            foreach (string output in outputs) n.WriteString(2, output);
            n.WriteString(3, name);
            n.WriteString(4, opType);
            attributes?.Invoke(n);
        });

    public static void Int(ProtoWriter node, string name, long value) =>
        node.WriteMessage(5, a =>
        {
            a.WriteString(1, name);
            a.WriteInt64(3, value);
            a.WriteInt64(20, AttributeInt);
        });

    public static void Ints(ProtoWriter node, string name, params long[] values) =>
        node.WriteMessage(5, a =>
        {
            a.WriteString(1, name);
            foreach (long value in values) a.WriteInt64(8, value);
            a.WriteInt64(20, AttributeInts);
        });

    public static void Float(ProtoWriter node, string name, float value) =>
        node.WriteMessage(5, a =>
        {
            a.WriteString(1, name);
            a.WriteFloat(2, value);
            a.WriteInt64(20, AttributeFloat);
        });

    public static void String(ProtoWriter node, string name, string value) =>
        node.WriteMessage(5, a =>
        {
            a.WriteString(1, name);
            a.WriteString(4, value);
            a.WriteInt64(20, AttributeString);
        });

    public static void Strings(ProtoWriter node, string name, params string[] values) =>
        node.WriteMessage(5, a =>
        {
            a.WriteString(1, name);
            foreach (string value in values) a.WriteString(9, value);
            a.WriteInt64(20, AttributeStrings);
        });

    /// <summary>[N, H, W, C] to ONNX's [N, C, H, W], for the operators that only read channels-first images.</summary>
    public string ToChannelsFirst(string prefix, string input)
    {
        Node("Transpose", prefix + ".nchw", [input], prefix + ".nchw", n => Ints(n, "perm", 0, 3, 1, 2));
        return prefix + ".nchw";
    }

    /// <summary>[N, C, H, W] back to our [N, H, W, C].</summary>
    public void ToChannelsLast(string prefix, string input, string output) =>
        Node("Transpose", prefix + ".nhwc", [input], output, n => Ints(n, "perm", 0, 2, 3, 1));

    /// <summary>The nodes of <paramref name="activation"/> from <paramref name="input"/> to <paramref name="output"/> (Softmax over the last axis).</summary>
    public void Activation(Activation activation, string prefix, string input, string output)
    {
        string name = prefix + "." + activation.ToString().ToLowerInvariant();
        switch (activation)
        {
            case NeuralNet.Gen.Activation.Linear: Node("Identity", name, [input], output); break;
            case NeuralNet.Gen.Activation.Relu: Node("Relu", name, [input], output); break;
            case NeuralNet.Gen.Activation.Sigmoid: Node("Sigmoid", name, [input], output); break;
            case NeuralNet.Gen.Activation.Tanh: Node("Tanh", name, [input], output); break;
            case NeuralNet.Gen.Activation.Softmax: Node("Softmax", name, [input], output, n => Int(n, "axis", -1)); break;
            case NeuralNet.Gen.Activation.LeakyRelu when IsFloat:
                Node("LeakyRelu", name, [input], output, n => Float(n, "alpha", 0.01f));
                break;
            case NeuralNet.Gen.Activation.Elu when IsFloat:
                Node("Elu", name, [input], output, n => Float(n, "alpha", 1f));
                break;
            case NeuralNet.Gen.Activation.Gelu:
                Node("Gelu", name, [input], output, n => String(n, "approximate", "tanh"));
                break;
            case NeuralNet.Gen.Activation.Softplus when IsFloat:
                Node("Softplus", name, [input], output);
                break;
            case NeuralNet.Gen.Activation.Swish:
                // ONNX has no Swish before opset 24: x·sigmoid(x).
                Node("Sigmoid", name + ".sigmoid", [input], name + ".s");
                Node("Mul", name, [input, name + ".s"], output);
                break;
            // ONNX Runtime 1.31's CPU provider has no double kernels for LeakyRelu, Elu and Softplus: compose them.
            case NeuralNet.Gen.Activation.LeakyRelu:
                // max(x, 0.01·x)
                Node("Mul", name + ".scaled", [input, Scalar(name + ".slope", 0.01)], name + ".sx");
                Node("Max", name, [input, name + ".sx"], output);
                break;
            case NeuralNet.Gen.Activation.Elu:
                // x > 0 ? x : e^x - 1, with Where; e^x of a large x is never selected.
                Node("Greater", name + ".positive", [input, Scalar(name + ".zero", 0)], name + ".p");
                Node("Exp", name + ".exp", [input], name + ".e");
                Node("Sub", name + ".expm1", [name + ".e", Scalar(name + ".one", 1)], name + ".em1");
                Node("Where", name, [name + ".p", input, name + ".em1"], output);
                break;
            case NeuralNet.Gen.Activation.Softplus:
                // max(x, 0) + log(1 + e^-|x|), which cannot overflow.
                Node("Max", name + ".relu", [input, Scalar(name + ".zero", 0)], name + ".r");
                Node("Abs", name + ".abs", [input], name + ".ax");
                Node("Neg", name + ".neg", [name + ".ax"], name + ".nax");
                Node("Exp", name + ".exp", [name + ".nax"], name + ".e");
                Node("Add", name + ".onee", [name + ".e", Scalar(name + ".one", 1)], name + ".1e");
                Node("Log", name + ".log", [name + ".1e"], name + ".l");
                Node("Add", name, [name + ".r", name + ".l"], output);
                break;
            case NeuralNet.Gen.Activation.HardSigmoid when IsFloat:
                Node("HardSigmoid", name, [input], output, n => { Float(n, "alpha", 1f / 6); Float(n, "beta", 0.5f); });
                break;
            case NeuralNet.Gen.Activation.HardSwish when IsFloat:
                Node("HardSwish", name, [input], output);
                break;
            case NeuralNet.Gen.Activation.Selu when IsFloat:
                Node("Selu", name, [input], output, n => { Float(n, "alpha", 1.6732632423543772f); Float(n, "gamma", 1.0507009873554805f); });
                break;
            case NeuralNet.Gen.Activation.Mish when IsFloat:
                Node("Mish", name, [input], output);
                break;
            // Double: composed from operators ONNX Runtime's CPU provider runs in double.
            case NeuralNet.Gen.Activation.Relu6:
                Node("Max", name + ".relu", [input, Scalar(name + ".zero", 0)], name + ".r");
                Node("Min", name, [name + ".r", Scalar(name + ".six", 6)], output);
                break;
            case NeuralNet.Gen.Activation.HardSigmoid:
            case NeuralNet.Gen.Activation.HardSwish:
                // min(max(x/6 + 1/2, 0), 1), times x for HardSwish.
                Node("Mul", name + ".scaled", [input, Scalar(name + ".sixth", 1.0 / 6)], name + ".xs");
                Node("Add", name + ".shifted", [name + ".xs", Scalar(name + ".half", 0.5)], name + ".xh");
                Node("Max", name + ".low", [name + ".xh", Scalar(name + ".zero", 0)], name + ".lo");
                if (activation == NeuralNet.Gen.Activation.HardSigmoid)
                {
                    Node("Min", name, [name + ".lo", Scalar(name + ".one", 1)], output);
                    break;
                }
                Node("Min", name + ".high", [name + ".lo", Scalar(name + ".one", 1)], name + ".hs");
                Node("Mul", name, [input, name + ".hs"], output);
                break;
            case NeuralNet.Gen.Activation.Selu:
                // scale·(x > 0 ? x : alpha·(e^x - 1)).
                Node("Greater", name + ".positive", [input, Scalar(name + ".zero", 0)], name + ".p");
                Node("Exp", name + ".exp", [input], name + ".e");
                Node("Sub", name + ".expm1", [name + ".e", Scalar(name + ".one", 1)], name + ".em1");
                Node("Mul", name + ".alpha", [name + ".em1", Scalar(name + ".alphav", 1.6732632423543772)], name + ".neg");
                Node("Where", name + ".where", [name + ".p", input, name + ".neg"], name + ".w");
                Node("Mul", name, [name + ".w", Scalar(name + ".scale", 1.0507009873554805)], output);
                break;
            case NeuralNet.Gen.Activation.Mish:
                // x·tanh(max(x, 0) + log(1 + e^-|x|)).
                Node("Max", name + ".relu", [input, Scalar(name + ".zero", 0)], name + ".r");
                Node("Abs", name + ".abs", [input], name + ".ax");
                Node("Neg", name + ".neg", [name + ".ax"], name + ".nax");
                Node("Exp", name + ".exp", [name + ".nax"], name + ".e");
                Node("Add", name + ".onee", [name + ".e", Scalar(name + ".one", 1)], name + ".1e");
                Node("Log", name + ".log", [name + ".1e"], name + ".l");
                Node("Add", name + ".softplus", [name + ".r", name + ".l"], name + ".sp");
                Node("Tanh", name + ".tanh", [name + ".sp"], name + ".t");
                Node("Mul", name, [input, name + ".t"], output);
                break;
            default:
                throw new NotSupportedException($"ONNX export does not support the {activation} activation.");
        }
    }
}
