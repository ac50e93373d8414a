using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace NeuralNet.Gen.Onnx;

/// <summary>
/// Reads an ONNX ModelProto (the field numbers of onnx.proto) into an <see cref="OnnxModel"/>. One source file set
/// compiled into the generator and the runtime, with no Roslyn in it, so a file that builds is a file that loads.
/// Pure: bytes in, a model out or an <see cref="OnnxFormatException"/> naming what is wrong; a damaged file never
/// costs more memory than its own size, and protobuf allows fields in any order, so each message is read whole
/// before it is checked.
/// </summary>
internal static class OnnxReader
{
    /// <summary>The model, or <see cref="OnnxFormatException"/> for a file that is not a whole, consistent ONNX model.</summary>
    public static OnnxModel Read(byte[] data)
    {
        if (data is null)
        {
            throw new ArgumentNullException(nameof(data));
        }
        if (data.Length == 0)
        {
            throw new OnnxFormatException("the file is empty");
        }
        OnnxModel model = ReadModel(new ProtoReader(data));
        Validate(model);
        return model;
    }

    /// <summary>As <see cref="Read"/>, with the problem as text instead of an exception (for the generator).</summary>
    public static bool TryRead(byte[] data, out OnnxModel? model, out string? problem)
    {
        try
        {
            model = Read(data);
            problem = null;
            return true;
        }
        catch (OnnxFormatException e)
        {
            model = null;
            problem = e.Message;
            return false;
        }
    }

    private static OnnxModel ReadModel(ProtoReader reader)
    {
        long irVersion = 0;
        string producerName = "", producerVersion = "";
        var opsets = new List<OnnxOpsetImport>();
        OnnxGraph? graph = null;
        while (reader.TryReadTag(out int field, out int wireType))
        {
            switch (field)
            {
                case 1: irVersion = Varint(ref reader, wireType); break;
                case 2: producerName = Text(ref reader, wireType); break;
                case 3: producerVersion = Text(ref reader, wireType); break;
                case 7:
                    if (graph is not null)
                    {
                        throw new OnnxFormatException("the model has two graphs");
                    }
                    graph = ReadGraph(Message(ref reader, wireType));
                    break;
                case 8: opsets.Add(ReadOpset(Message(ref reader, wireType))); break;
                default: reader.Skip(wireType); break;
            }
        }
        if (irVersion < 3)
        {
            throw new OnnxFormatException(irVersion == 0
                ? "no ONNX ir_version: this is not an ONNX model"
                : $"ir_version {N(irVersion)} predates operator sets (3)");
        }
        if (graph is null)
        {
            throw new OnnxFormatException("the model has no graph");
        }
        if (!opsets.Any(o => OnnxOpsetImport.IsDefaultDomain(o.Domain)))
        {
            throw new OnnxFormatException("the model imports no version of the default operator set (opset_import for \"\")");
        }
        return new OnnxModel(irVersion, producerName, producerVersion, opsets, graph);
    }

    private static OnnxOpsetImport ReadOpset(ProtoReader reader)
    {
        string domain = "";
        long version = 0;
        while (reader.TryReadTag(out int field, out int wireType))
        {
            switch (field)
            {
                case 1: domain = Text(ref reader, wireType); break;
                case 2: version = Varint(ref reader, wireType); break;
                default: reader.Skip(wireType); break;
            }
        }
        if (version < 1)
        {
            throw new OnnxFormatException($"operator set \"{domain}\" has version {N(version)}");
        }
        return new OnnxOpsetImport(domain, version);
    }

    private static OnnxGraph ReadGraph(ProtoReader reader)
    {
        string name = "";
        var nodes = new List<OnnxNode>();
        var initializers = new List<OnnxTensor>();
        var inputs = new List<OnnxValueInfo>();
        var outputs = new List<OnnxValueInfo>();
        while (reader.TryReadTag(out int field, out int wireType))
        {
            switch (field)
            {
                case 1: nodes.Add(ReadNode(Message(ref reader, wireType))); break;
                case 2: name = Text(ref reader, wireType); break;
                case 5: initializers.Add(ReadTensor(Message(ref reader, wireType))); break;
                case 11: inputs.Add(ReadValueInfo(Message(ref reader, wireType))); break;
                case 12: outputs.Add(ReadValueInfo(Message(ref reader, wireType))); break;
                case 15: throw new OnnxFormatException("the graph has sparse initializers, which are not supported");
                default: reader.Skip(wireType); break;
            }
        }
        return new OnnxGraph(name, nodes, initializers, inputs, outputs);
    }

    private static OnnxNode ReadNode(ProtoReader reader)
    {
        string name = "", opType = "", domain = "";
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new List<OnnxAttribute>();
        while (reader.TryReadTag(out int field, out int wireType))
        {
            switch (field)
            {
                case 1: inputs.Add(Text(ref reader, wireType)); break;
                case 2: outputs.Add(Text(ref reader, wireType)); break;
                case 3: name = Text(ref reader, wireType); break;
                case 4: opType = Text(ref reader, wireType); break;
                case 5: attributes.Add(ReadAttribute(Message(ref reader, wireType))); break;
                case 7: domain = Text(ref reader, wireType); break;
                default: reader.Skip(wireType); break;
            }
        }
        var node = new OnnxNode(name, opType, domain, inputs, outputs, attributes);
        if (opType.Length == 0)
        {
            throw new OnnxFormatException($"{node.Describe()} has no operator type");
        }
        return node;
    }

    private static OnnxAttribute ReadAttribute(ProtoReader reader)
    {
        string name = "", text = "";
        var type = OnnxAttributeType.Undefined;
        float single = 0;
        long integer = 0;
        OnnxTensor? tensor = null;
        var floats = new List<ulong>();
        var ints = new List<long>();
        var strings = new List<string>();
        while (reader.TryReadTag(out int field, out int wireType))
        {
            switch (field)
            {
                case 1: name = Text(ref reader, wireType); break;
                case 2:
                    reader.ExpectWireType(wireType, ProtoReader.Fixed32Type);
                    single = Bits.Single(reader.ReadFixed32());
                    break;
                case 3: integer = Varint(ref reader, wireType); break;
                case 4: text = Text(ref reader, wireType); break;
                case 5: tensor = ReadTensor(Message(ref reader, wireType)); break;
                case 7: reader.ReadRepeatedFixed(wireType, 4, floats); break;
                case 8: reader.ReadRepeatedVarints(wireType, ints); break;
                case 9: strings.Add(Text(ref reader, wireType)); break;
                case 20: type = (OnnxAttributeType)Varint(ref reader, wireType); break;
                default: reader.Skip(wireType); break;
            }
        }
        if (name.Length == 0)
        {
            throw new OnnxFormatException("an attribute has no name");
        }
        if (type == OnnxAttributeType.Tensor && tensor is null)
        {
            throw new OnnxFormatException($"attribute '{name}' is a tensor but holds none");
        }
        return new OnnxAttribute(name, type, single, integer, text, tensor,
            floats.Select(b => Bits.Single((uint)b)).ToArray(), ints.ToArray(), strings.ToArray());
    }

    private static OnnxTensor ReadTensor(ProtoReader reader)
    {
        string name = "";
        var dataType = OnnxDataType.Undefined;
        var dims = new List<long>();
        var fixed32 = new List<ulong>();
        var fixed64 = new List<ulong>();
        var varints = new List<long>();
        (int Offset, int Length)? raw = null;
        bool external = false;
        while (reader.TryReadTag(out int field, out int wireType))
        {
            switch (field)
            {
                case 1: reader.ReadRepeatedVarints(wireType, dims); break;
                case 2: dataType = (OnnxDataType)Varint(ref reader, wireType); break;
                case 3: throw new OnnxFormatException("a tensor is split into segments, which is not supported");
                case 4: reader.ReadRepeatedFixed(wireType, 4, fixed32); break; // float_data
                case 5: reader.ReadRepeatedVarints(wireType, varints); break; // int32_data (and 8/16-bit, bool, float16 bits)
                case 7: reader.ReadRepeatedVarints(wireType, varints); break; // int64_data
                case 8: name = Text(ref reader, wireType); break;
                case 9:
                    reader.ExpectWireType(wireType, ProtoReader.LengthDelimitedType);
                    raw = reader.ReadLengthDelimited();
                    break;
                case 10: reader.ReadRepeatedFixed(wireType, 8, fixed64); break; // double_data
                case 11: reader.ReadRepeatedVarints(wireType, varints); break; // uint64_data
                case 14: external = Varint(ref reader, wireType) == 1; break;
                default: reader.Skip(wireType); break;
            }
        }
        string label = name.Length > 0 ? $"tensor '{name}'" : "a tensor";
        if (external)
        {
            throw new OnnxFormatException($"{label} keeps its data in an external file, which is not supported: save the model with its initializers inside the .onnx file");
        }
        long count = ElementCount(dims, label, reader.Data.Length);
        double[]? floating;
        long[]? integers;
        int elementSize = ElementSize(dataType);
        if (raw is { } bytes)
        {
            if (elementSize == 0)
            {
                throw new OnnxFormatException($"{label} of element type {dataType} has raw data, which is not supported");
            }
            if (bytes.Length != count * elementSize)
            {
                throw new OnnxFormatException($"{label} {Shape(dims)} of {dataType} needs {N(count * elementSize)} bytes of data but has {N(bytes.Length)}");
            }
            if (OnnxTensor.IsFloatingPoint(dataType))
            {
                return new OnnxTensor(name, dataType, dims.ToArray(), reader.Data, bytes.Offset);
            }
            DecodeRaw(reader.Data, bytes.Offset, (int)count, dataType, out floating, out integers);
        }
        else
        {
            int typed = dataType switch
            {
                OnnxDataType.Float => fixed32.Count,
                OnnxDataType.Double => fixed64.Count,
                _ when elementSize > 0 => varints.Count,
                _ => 0,
            };
            if (elementSize > 0 && typed != count)
            {
                throw new OnnxFormatException($"{label} {Shape(dims)} of {dataType} has {N(count)} elements but {N(typed)} values");
            }
            DecodeTyped(dataType, fixed32, fixed64, varints, out floating, out integers);
        }
        return new OnnxTensor(name, dataType, dims.ToArray(), floating, integers);
    }

    /// <summary>The product of <paramref name="dims"/>; every element takes at least one bit of the file, so a count beyond 8 × its size cannot be real.</summary>
    private static long ElementCount(List<long> dims, string label, int fileLength)
    {
        long count = 1;
        foreach (long d in dims)
        {
            if (d < 0 || (d > 0 && count > (8L * fileLength + 8) / d))
            {
                throw new OnnxFormatException($"{label} has the impossible shape [{string.Join(", ", dims.Select(N))}]");
            }
            count *= d;
        }
        return count;
    }

    /// <summary>A tensor's values from its typed fields: float_data, double_data, or the varints of int32_data, int64_data and uint64_data.</summary>
    private static void DecodeTyped(OnnxDataType dataType, List<ulong> fixed32, List<ulong> fixed64, List<long> varints, out double[]? floating, out long[]? integers)
    {
        floating = null;
        integers = null;
        if (dataType == OnnxDataType.Float)
        {
            floating = fixed32.Select(b => (double)Bits.Single((uint)b)).ToArray();
        }
        else if (dataType == OnnxDataType.Double)
        {
            floating = fixed64.Select(b => BitConverter.Int64BitsToDouble((long)b)).ToArray();
        }
        else if (dataType == OnnxDataType.Float16)
        {
            floating = varints.Select(v => (double)Bits.Half((ushort)v)).ToArray();
        }
        else if (dataType == OnnxDataType.BFloat16)
        {
            floating = varints.Select(v => (double)Bits.Single((uint)(ushort)v << 16)).ToArray();
        }
        else if (ElementSize(dataType) > 0)
        {
            integers = varints.Select(v => Narrow(v, dataType)).ToArray();
        }
    }

    private static OnnxValueInfo ReadValueInfo(ProtoReader reader)
    {
        string name = "";
        var elementType = OnnxDataType.Undefined;
        List<OnnxDimension>? shape = null;
        while (reader.TryReadTag(out int field, out int wireType))
        {
            if (field == 1)
            {
                name = Text(ref reader, wireType);
            }
            else if (field == 2)
            {
                // TypeProto: only tensor_type (1) describes a tensor; sequences and maps stay without a type.
                ProtoReader type = Message(ref reader, wireType);
                while (type.TryReadTag(out int typeField, out int typeWire))
                {
                    if (typeField != 1)
                    {
                        type.Skip(typeWire);
                        continue;
                    }
                    ProtoReader tensor = Message(ref type, typeWire);
                    while (tensor.TryReadTag(out int tensorField, out int tensorWire))
                    {
                        if (tensorField == 1)
                        {
                            elementType = (OnnxDataType)Varint(ref tensor, tensorWire);
                        }
                        else if (tensorField == 2)
                        {
                            shape = ReadShape(Message(ref tensor, tensorWire));
                        }
                        else
                        {
                            tensor.Skip(tensorWire);
                        }
                    }
                }
            }
            else
            {
                reader.Skip(wireType);
            }
        }
        return new OnnxValueInfo(name, elementType, shape);
    }

    private static List<OnnxDimension> ReadShape(ProtoReader reader)
    {
        var dims = new List<OnnxDimension>();
        while (reader.TryReadTag(out int field, out int wireType))
        {
            if (field != 1)
            {
                reader.Skip(wireType);
                continue;
            }
            ProtoReader dim = Message(ref reader, wireType);
            long? value = null;
            string? parameter = null;
            while (dim.TryReadTag(out int dimField, out int dimWire))
            {
                switch (dimField)
                {
                    case 1: value = Varint(ref dim, dimWire); break;
                    case 2: parameter = Text(ref dim, dimWire); break;
                    default: dim.Skip(dimWire); break;
                }
            }
            dims.Add(new OnnxDimension(value, parameter));
        }
        return dims;
    }

    /// <summary>
    /// What makes a graph computable: unique initializer names, every node input produced before it is read
    /// (nodes are in topological order, as onnx.proto requires), every graph output produced. A byte flipped in a
    /// name shows up here.
    /// </summary>
    private static void Validate(OnnxModel model)
    {
        OnnxGraph graph = model.Graph;
        if (graph.Nodes.Count == 0)
        {
            throw new OnnxFormatException("the graph has no nodes");
        }
        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (OnnxTensor initializer in graph.Initializers)
        {
            if (initializer.Name.Length == 0 || !defined.Add(initializer.Name))
            {
                throw new OnnxFormatException(initializer.Name.Length == 0
                    ? "an initializer has no name"
                    : $"two initializers are named '{initializer.Name}'");
            }
        }
        foreach (OnnxValueInfo input in graph.Inputs)
        {
            defined.Add(input.Name);
        }
        if (!graph.RuntimeInputs.Any())
        {
            throw new OnnxFormatException("the graph has no input");
        }
        foreach (OnnxNode node in graph.Nodes)
        {
            foreach (string input in node.Inputs)
            {
                if (input.Length > 0 && !defined.Contains(input))
                {
                    throw new OnnxFormatException($"{node.Describe()} reads '{input}', which no input, initializer or earlier node defines");
                }
            }
            foreach (string output in node.Outputs)
            {
                if (output.Length > 0)
                {
                    defined.Add(output);
                }
            }
        }
        if (graph.Outputs.Count == 0)
        {
            throw new OnnxFormatException("the graph has no output");
        }
        foreach (OnnxValueInfo output in graph.Outputs)
        {
            if (!defined.Contains(output.Name))
            {
                throw new OnnxFormatException($"the graph output '{output.Name}' is not computed by any node");
            }
        }
    }

    private static int ElementSize(OnnxDataType type) => type switch
    {
        OnnxDataType.Float or OnnxDataType.Int32 or OnnxDataType.UInt32 => 4,
        OnnxDataType.Double or OnnxDataType.Int64 or OnnxDataType.UInt64 => 8,
        OnnxDataType.Float16 or OnnxDataType.BFloat16 or OnnxDataType.Int16 or OnnxDataType.UInt16 => 2,
        OnnxDataType.Int8 or OnnxDataType.UInt8 or OnnxDataType.Bool => 1,
        _ => 0,
    };

    /// <summary>raw_data: little-endian elements, as onnx.proto fixes it whatever the machine.</summary>
    private static void DecodeRaw(byte[] data, int offset, int count, OnnxDataType type, out double[]? floating,
        out long[]? integers)
    {
        floating = null;
        integers = null;
        if (OnnxTensor.IsFloatingPoint(type))
        {
            floating = new double[count];
            DecodeFloats(data, offset, type, floating, 0, count);
            return;
        }
        integers = new long[count];
        for (int i = 0; i < count; i++) integers[i] = Narrow((long)LittleEndian(data, offset, i, ElementSize(type)), type);
    }

    /// <summary><paramref name="count"/> floating-point elements of raw_data to <paramref name="destination"/> from <paramref name="index"/>.</summary>
    internal static void DecodeFloats(byte[] data, int offset, OnnxDataType type, double[] destination, int index, int count)
    {
        int size = ElementSize(type);
        for (int i = 0; i < count; i++)
        {
            ulong bits = LittleEndian(data, offset, i, size);
            destination[index + i] = type switch
            {
                OnnxDataType.Float => Bits.Single((uint)bits),
                OnnxDataType.Double => BitConverter.Int64BitsToDouble((long)bits),
                OnnxDataType.Float16 => Bits.Half((ushort)bits),
                _ => Bits.Single((uint)bits << 16),
            };
        }
    }

    private static ulong LittleEndian(byte[] data, int offset, int element, int size)
    {
        ulong bits = 0;
        for (int b = size - 1; b >= 0; b--)
        {
            bits = bits << 8 | data[offset + element * size + b];
        }
        return bits;
    }

    /// <summary>An integer element as its type reads it: sign-extended for the signed types.</summary>
    private static long Narrow(long value, OnnxDataType type) => type switch
    {
        OnnxDataType.Int8 => (sbyte)value,
        OnnxDataType.Int16 => (short)value,
        OnnxDataType.Int32 => (int)value,
        OnnxDataType.UInt8 => (byte)value,
        OnnxDataType.UInt16 => (ushort)value,
        OnnxDataType.UInt32 => (uint)value,
        OnnxDataType.Bool => value != 0 ? 1 : 0,
        _ => value,
    };

    private static long Varint(ref ProtoReader reader, int wireType)
    {
        reader.ExpectWireType(wireType, ProtoReader.VarintType);
        return reader.ReadInt64();
    }

    private static string Text(ref ProtoReader reader, int wireType)
    {
        reader.ExpectWireType(wireType, ProtoReader.LengthDelimitedType);
        return reader.ReadString();
    }

    private static ProtoReader Message(ref ProtoReader reader, int wireType)
    {
        reader.ExpectWireType(wireType, ProtoReader.LengthDelimitedType);
        return reader.ReadMessage();
    }

    private static string Shape(IEnumerable<long> dims) => "[" + string.Join(", ", dims.Select(N)) + "]";

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Bit reinterpretation without BitConverter.Int32BitsToSingle, which netstandard2.0 lacks.</summary>
    private static class Bits
    {
        [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)]
        private struct Union
        {
            [System.Runtime.InteropServices.FieldOffset(0)] public float Single;
            [System.Runtime.InteropServices.FieldOffset(0)] public uint UInt32;
        }

        public static float Single(uint bits) => new Union { UInt32 = bits }.Single;

        /// <summary>IEEE half precision to float: exact, subnormals and infinities included.</summary>
        public static float Half(ushort bits)
        {
            int sign = bits >> 15, exponent = bits >> 10 & 0x1F, mantissa = bits & 0x3FF;
            float magnitude = exponent switch
            {
                0 => mantissa * (1f / (1 << 24)),
                0x1F => mantissa == 0 ? float.PositiveInfinity : float.NaN,
                _ => (1 + mantissa / 1024f) * (float)Math.Pow(2, exponent - 15),
            };
            return sign == 1 ? -magnitude : magnitude;
        }
    }
}
