using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace NeuralNet.Gen.Onnx.Tests;

/// <summary>Hand-built ONNX protobuf (onnx.proto's field numbers), for graphs no exporter writes: damaged or unfit ones.</summary>
internal static class OnnxBytes
{
    public static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }
        bytes.Add((byte)value);
        return bytes.ToArray();
    }

    public static byte[] VarintField(int field, long value) => Varint((ulong)(field << 3)).Concat(Varint((ulong)value)).ToArray();

    public static byte[] Field(int field, byte[] bytes) =>
        Varint((ulong)(field << 3 | 2)).Concat(Varint((ulong)bytes.Length)).Concat(bytes).ToArray();

    public static byte[] Field(int field, string text) => Field(field, Encoding.UTF8.GetBytes(text));

    /// <summary>TensorProto's name, data type and dims, without data.</summary>
    public static byte[] TensorHeader(string name, int dataType, params long[] dims) =>
        dims.SelectMany(d => VarintField(1, d)).Concat(VarintField(2, dataType)).Concat(Field(8, name)).ToArray();

    /// <summary>A float tensor with its values in raw_data, as torch writes initializers.</summary>
    public static byte[] FloatTensor(string name, long[] dims, params float[] values) =>
        TensorHeader(name, 1, dims).Concat(Field(9, values.SelectMany(BitConverter.GetBytes).ToArray())).ToArray();

    /// <summary>A double tensor with its values in raw_data, as ExportOnnx writes a double network's initializers.</summary>
    public static byte[] DoubleTensor(string name, long[] dims, params double[] values) =>
        TensorHeader(name, 11, dims).Concat(Field(9, values.SelectMany(BitConverter.GetBytes).ToArray())).ToArray();

    /// <summary>A rank-1 int64 tensor (Slice's starts, Pad's pads) in raw_data.</summary>
    public static byte[] Int64Tensor(string name, params long[] values) =>
        TensorHeader(name, 7, values.Length).Concat(Field(9, values.SelectMany(BitConverter.GetBytes).ToArray())).ToArray();

    public static byte[] IntAttribute(string name, long value) =>
        Field(1, name).Concat(VarintField(3, value)).Concat(VarintField(20, 2)).ToArray();

    public static byte[] Node(string opType, string[] inputs, string[] outputs, params byte[][] attributes) =>
        inputs.SelectMany(i => Field(1, i)).Concat(outputs.SelectMany(o => Field(2, o)))
            .Concat(Field(3, opType.ToLowerInvariant())).Concat(Field(4, opType))
            .Concat(attributes.SelectMany(a => Field(5, a))).ToArray();

    /// <summary>A float tensor value; a dimension of -1 is the symbolic "batch".</summary>
    public static byte[] ValueInfo(string name, params long[] dims) => TypedValueInfo(name, 1, dims);

    /// <summary>A tensor value of ONNX element type <paramref name="elementType"/> (1 float, 11 double).</summary>
    public static byte[] TypedValueInfo(string name, int elementType, params long[] dims)
    {
        byte[] shape = dims.SelectMany(d => Field(1, d < 0 ? Field(2, "batch") : VarintField(1, d))).ToArray();
        return Field(1, name).Concat(Field(2, Field(1, VarintField(1, elementType).Concat(Field(2, shape)).ToArray()))).ToArray();
    }

    /// <summary>A node named <paramref name="name"/> (<see cref="Node"/> names it after its operator).</summary>
    public static byte[] NamedNode(string name, string opType, string[] inputs, string[] outputs, params byte[][] attributes) =>
        inputs.SelectMany(i => Field(1, i)).Concat(outputs.SelectMany(o => Field(2, o)))
            .Concat(Field(3, name)).Concat(Field(4, opType))
            .Concat(attributes.SelectMany(a => Field(5, a))).ToArray();

    public static byte[] Model(long opset, byte[][] nodes, byte[][] initializers, byte[][] inputs, byte[][] outputs)
    {
        byte[] graph = nodes.SelectMany(n => Field(1, n)).Concat(Field(2, "test"))
            .Concat(initializers.SelectMany(t => Field(5, t)))
            .Concat(inputs.SelectMany(i => Field(11, i))).Concat(outputs.SelectMany(o => Field(12, o))).ToArray();
        return VarintField(1, 7).Concat(Field(2, "OnnxBytes")).Concat(Field(7, graph))
            .Concat(Field(8, VarintField(2, opset))).ToArray();
    }
}
