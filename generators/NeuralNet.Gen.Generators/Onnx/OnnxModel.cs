using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace NeuralNet.Gen.Onnx;

/// <summary>
/// A file that is not a readable ONNX model: damaged, truncated, another format, or using what the reader does not
/// take (external data). The generator turns its message into NNG0012, the runtime into an InvalidDataException
/// (which is sealed, hence a FormatException here).
/// </summary>
internal sealed class OnnxFormatException : FormatException
{
    public OnnxFormatException(string message) : base(message) { }
}

/// <summary>TensorProto.DataType: the element types, numbered as onnx.proto numbers them.</summary>
internal enum OnnxDataType
{
    Undefined = 0, Float = 1, UInt8 = 2, Int8 = 3, UInt16 = 4, Int16 = 5, Int32 = 6, Int64 = 7, String = 8,
    Bool = 9, Float16 = 10, Double = 11, UInt32 = 12, UInt64 = 13, Complex64 = 14, Complex128 = 15, BFloat16 = 16,
}

/// <summary>AttributeProto.AttributeType, numbered as onnx.proto numbers them.</summary>
internal enum OnnxAttributeType
{
    Undefined = 0, Float = 1, Int = 2, String = 3, Tensor = 4, Graph = 5, Floats = 6, Ints = 7, Strings = 8,
    Tensors = 9, Graphs = 10, SparseTensor = 11, SparseTensors = 12, TypeProto = 13, TypeProtos = 14,
}

/// <summary>An ONNX ModelProto: what the importers need of it.</summary>
internal sealed class OnnxModel
{
    public OnnxModel(long irVersion, string producerName, string producerVersion,
        IReadOnlyList<OnnxOpsetImport> opsetImports, OnnxGraph graph)
    {
        IrVersion = irVersion;
        ProducerName = producerName;
        ProducerVersion = producerVersion;
        OpsetImports = opsetImports;
        Graph = graph;
    }

    public long IrVersion { get; }

    public string ProducerName { get; }

    public string ProducerVersion { get; }

    public IReadOnlyList<OnnxOpsetImport> OpsetImports { get; }

    public OnnxGraph Graph { get; }

    /// <summary>The version of the default operator set ("" or "ai.onnx"), which every reader check requires.</summary>
    public long Opset => OpsetImports.First(o => OnnxOpsetImport.IsDefaultDomain(o.Domain)).Version;
}

internal sealed record OnnxOpsetImport(string Domain, long Version)
{
    public static bool IsDefaultDomain(string domain) => domain.Length == 0 || domain == "ai.onnx";
}

/// <summary>An ONNX GraphProto: nodes in topological order (checked), initializers, inputs and outputs.</summary>
internal sealed class OnnxGraph
{
    public OnnxGraph(string name, IReadOnlyList<OnnxNode> nodes, IReadOnlyList<OnnxTensor> initializers,
        IReadOnlyList<OnnxValueInfo> inputs, IReadOnlyList<OnnxValueInfo> outputs)
    {
        Name = name;
        Nodes = nodes;
        Initializers = initializers;
        Inputs = inputs;
        Outputs = outputs;
    }

    public string Name { get; }

    public IReadOnlyList<OnnxNode> Nodes { get; }

    public IReadOnlyList<OnnxTensor> Initializers { get; }

    /// <summary>As written: older exporters also list initializers here; <see cref="RuntimeInputs"/> leaves them out.</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs { get; }

    public IReadOnlyList<OnnxValueInfo> Outputs { get; }

    /// <summary>The inputs a caller feeds: graph inputs that are not initializers.</summary>
    public IEnumerable<OnnxValueInfo> RuntimeInputs => Inputs.Where(i => !Initializers.Any(t => t.Name == i.Name));
}

internal sealed class OnnxNode
{
    public OnnxNode(string name, string opType, string domain, IReadOnlyList<string> inputs,
        IReadOnlyList<string> outputs, IReadOnlyList<OnnxAttribute> attributes)
    {
        Name = name;
        OpType = opType;
        Domain = domain;
        Inputs = inputs;
        Outputs = outputs;
        Attributes = attributes;
    }

    public string Name { get; }

    public string OpType { get; }

    public string Domain { get; }

    /// <summary>Value names; an empty string is an optional input left out.</summary>
    public IReadOnlyList<string> Inputs { get; }

    public IReadOnlyList<string> Outputs { get; }

    public IReadOnlyList<OnnxAttribute> Attributes { get; }

    public OnnxAttribute? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name);

    /// <summary>The node as messages name it: its name and operator, or its first output when it has no name.</summary>
    public string Describe() => Name.Length > 0 ? $"node '{Name}' ({OpType})"
        : $"{OpType} node writing '{(Outputs.Count > 0 ? Outputs[0] : "")}'";
}

/// <summary>
/// An attribute: its type says which of the values is set. Graph-valued attributes (If, Loop, Scan bodies) are
/// recorded by type only: no layer the product supports has one.
/// </summary>
internal sealed class OnnxAttribute
{
    public OnnxAttribute(string name, OnnxAttributeType type, float floatValue, long intValue, string stringValue,
        OnnxTensor? tensor, IReadOnlyList<float> floats, IReadOnlyList<long> ints, IReadOnlyList<string> strings)
    {
        Name = name;
        Type = type;
        Float = floatValue;
        Int = intValue;
        String = stringValue;
        Tensor = tensor;
        Floats = floats;
        Ints = ints;
        Strings = strings;
    }

    public string Name { get; }

    public OnnxAttributeType Type { get; }

    public float Float { get; }

    public long Int { get; }

    /// <summary>A STRING attribute's bytes as UTF-8 text.</summary>
    public string String { get; }

    public OnnxTensor? Tensor { get; }

    public IReadOnlyList<float> Floats { get; }

    public IReadOnlyList<long> Ints { get; }

    public IReadOnlyList<string> Strings { get; }
}

/// <summary>
/// A tensor (an initializer or a Constant's value) with its data decoded, whichever of raw_data or the typed
/// fields held it: floating-point elements in <see cref="FloatValues"/>, integer and boolean ones in
/// <see cref="IntValues"/>, row-major, their count the product of <see cref="Dims"/> (checked). Other element types
/// (strings, complex) keep no values.
/// </summary>
internal sealed class OnnxTensor
{
    private readonly byte[]? _raw;
    private readonly int _rawOffset;
    private double[]? _floatValues;

    public OnnxTensor(string name, OnnxDataType dataType, IReadOnlyList<long> dims, double[]? floatValues,
        long[]? intValues)
    {
        Name = name;
        DataType = dataType;
        Dims = dims;
        _floatValues = floatValues;
        IntValues = intValues;
    }

    /// <summary>
    /// A floating-point tensor whose values stay in the file's bytes (raw_data at <paramref name="offset"/> of
    /// <paramref name="raw"/>) until read: a megabyte of weights is decoded once, straight into the parameters
    /// (<see cref="CopyFloatsTo"/>), unless a layout change needs them as an array.
    /// </summary>
    public OnnxTensor(string name, OnnxDataType dataType, IReadOnlyList<long> dims, byte[] raw, int offset)
    {
        Name = name;
        DataType = dataType;
        Dims = dims;
        _raw = raw;
        _rawOffset = offset;
    }

    public string Name { get; }

    public OnnxDataType DataType { get; }

    public IReadOnlyList<long> Dims { get; }

    public long ElementCount => Dims.Aggregate(1L, (product, d) => product * d);

    /// <summary>The values of a floating-point tensor (decoded on first use), or null for other element types.</summary>
    public double[]? FloatValues
    {
        get
        {
            if (_floatValues is null && _raw is not null)
            {
                var values = new double[ElementCount];
                OnnxReader.DecodeFloats(_raw, _rawOffset, DataType, values, 0, values.Length);
                _floatValues = values;
            }
            return _floatValues;
        }
    }

    /// <summary>Whether <see cref="FloatValues"/> is not null, without decoding them.</summary>
    public bool HasFloatValues => _floatValues is not null || _raw is not null;

    /// <summary>Writes the floating-point values to <paramref name="destination"/> from <paramref name="index"/>, decoding the file's bytes there when they were not read yet.</summary>
    public void CopyFloatsTo(double[] destination, int index)
    {
        if (_floatValues is null && _raw is not null)
        {
            OnnxReader.DecodeFloats(_raw, _rawOffset, DataType, destination, index, checked((int)ElementCount));
            return;
        }
        Array.Copy(FloatValues!, 0, destination, index, FloatValues!.Length);
    }

    public long[]? IntValues { get; }

    public string DescribeShape() => "[" + string.Join(", ", Dims.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    public static bool IsFloatingPoint(OnnxDataType type) =>
        type is OnnxDataType.Float or OnnxDataType.Double or OnnxDataType.Float16 or OnnxDataType.BFloat16;

    public static bool IsInteger(OnnxDataType type) => type is OnnxDataType.UInt8 or OnnxDataType.Int8
        or OnnxDataType.UInt16 or OnnxDataType.Int16 or OnnxDataType.Int32 or OnnxDataType.Int64
        or OnnxDataType.Bool or OnnxDataType.UInt32 or OnnxDataType.UInt64;
}

/// <summary>A graph input or output: a tensor's element type and shape, each dimension a size or a name ("batch").</summary>
internal sealed class OnnxValueInfo
{
    public OnnxValueInfo(string name, OnnxDataType elementType, IReadOnlyList<OnnxDimension>? shape)
    {
        Name = name;
        ElementType = elementType;
        Shape = shape;
    }

    public string Name { get; }

    public OnnxDataType ElementType { get; }

    /// <summary>Null when the file gives no shape (not even a rank).</summary>
    public IReadOnlyList<OnnxDimension>? Shape { get; }
}

/// <summary>One dimension of a value's shape: a size, a symbolic name, or neither (unknown).</summary>
internal readonly record struct OnnxDimension(long? Value, string? Parameter)
{
    public override string ToString() => Value?.ToString(CultureInfo.InvariantCulture) ?? Parameter ?? "?";
}
