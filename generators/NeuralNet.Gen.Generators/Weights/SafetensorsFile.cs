using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace NeuralNet.Gen.Weights;

/// <summary>
/// PyTorch's safetensors, read: an 8-byte little-endian header length, a JSON header mapping each tensor's name to
/// its dtype, shape and data_offsets (relative to the end of the header), then the data. Entries that do not fit
/// their bytes are problems and cannot be read; <see cref="Read"/> copies one tensor into place.
/// </summary>
internal sealed class SafetensorsFile
{
    private readonly byte[] _data;
    private readonly long _dataStart;
    private readonly Dictionary<string, (string DType, long[] Shape, long Begin, long End)> _tensors = new(StringComparer.Ordinal);

    private SafetensorsFile(byte[] data, long dataStart, IReadOnlyList<string> names)
    {
        _data = data;
        _dataStart = dataStart;
        Names = names;
    }

    /// <summary>Every name in the header, in its order (<c>__metadata__</c> excluded).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The file, or null with <paramref name="problem"/> when its header cannot be read; bad entries go to <paramref name="problems"/>.</summary>
    public static SafetensorsFile? Open(byte[] data, List<string> problems, out string? problem)
    {
        problem = null;
        if (data.Length < 8)
        {
            problem = $"the safetensors file is truncated: it has {N(data.Length)} bytes, fewer than the 8-byte header length";
            return null;
        }
        long headerLength = WeightsImporter.ReadInt64(data, 0);
        if (headerLength < 2 || headerLength > data.Length - 8)
        {
            problem = $"the safetensors file is truncated or is not safetensors: its header length is {L(headerLength)} but only {N(data.Length - 8)} bytes follow";
            return null;
        }
        JsonValue header;
        try
        {
            header = JsonValue.Parse(WeightsImporter.DecodeUtf8(data, 8, (int)headerLength));
        }
        catch (JsonFormatException e)
        {
            problem = "the safetensors header is not valid JSON: " + e.Message;
            return null;
        }
        if (header.Kind != JsonKind.Object)
        {
            problem = $"the safetensors header is {header.Describe()}; expected a JSON object";
            return null;
        }
        var file = new SafetensorsFile(data, 8 + headerLength, header.Members.Select(m => m.Key).Where(k => k != "__metadata__").ToArray());
        foreach (var member in header.Members)
        {
            if (member.Key != "__metadata__") file.Add(member.Key, member.Value, problems);
        }
        return file;
    }

    private void Add(string name, JsonValue t, List<string> problems)
    {
        var dtype = t["dtype"];
        var shape = t["shape"];
        var offsets = t["data_offsets"];
        if (t.Kind != JsonKind.Object || dtype?.Kind != JsonKind.String || shape?.Kind != JsonKind.Array || offsets?.Kind != JsonKind.Array
            || offsets.Items.Count != 2 || !shape.Items.All(IsCount) || !offsets.Items.All(IsCount))
        {
            problems.Add($"tensor '{name}' has a malformed header entry; expected {{\"dtype\", \"shape\", \"data_offsets\": [begin, end]}}");
            return;
        }
        long begin = (long)offsets.Items[0].Number, end = (long)offsets.Items[1].Number;
        long dataLength = _data.Length - _dataStart;
        var dims = shape.Items.Select(i => (long)i.Number).ToArray();
        if (end < begin || end > dataLength)
        {
            problems.Add($"tensor '{name}' is truncated: its data_offsets [{L(begin)}, {L(end)}] run past the {L(dataLength)} bytes of data in the file");
            return;
        }
        long elements = dims.Aggregate(1L, (a, b) => a * b);
        int size = DTypeSize(dtype.String);
        if (size > 0 && elements * size != end - begin)
        {
            problems.Add($"tensor '{name}' ({dtype.String} {ShapeText(dims)}) should take {L(elements * size)} bytes but its data_offsets give {L(end - begin)}");
            return;
        }
        _tensors[name] = (dtype.String, dims, begin, end);
    }

    /// <summary>
    /// Copies tensor <paramref name="name"/> to <paramref name="target"/> from <paramref name="offset"/> when it has
    /// <paramref name="expectedShape"/> and the network's precision (<paramref name="elementSize"/>; float32 widens to
    /// double exactly, anything else would change the trained values), else adds why not.
    /// </summary>
    public bool Read(string name, long[] expectedShape, string layer, double[] target, int offset, int elementSize, List<string> problems)
    {
        if (!_tensors.TryGetValue(name, out var tensor))
        {
            if (!Names.Contains(name)) problems.Add($"tensor '{name}' is missing: expected shape {ShapeText(expectedShape)} for {layer}");
            return false;
        }
        string expectedType = elementSize == 4 ? "F32" : "F64";
        if (tensor.DType != expectedType && !(tensor.DType == "F32" && elementSize == 8))
        {
            problems.Add($"tensor '{name}' has element type {tensor.DType}; expected {expectedType} (the network's precision{(elementSize == 8 ? ", or F32" : "")})");
            return false;
        }
        if (!tensor.Shape.SequenceEqual(expectedShape))
        {
            problems.Add($"tensor '{name}' has shape {ShapeText(tensor.Shape)}; expected {ShapeText(expectedShape)} for {layer}");
            return false;
        }
        int size = DTypeSize(tensor.DType);
        int start = (int)(_dataStart + tensor.Begin);
        int count = (int)((tensor.End - tensor.Begin) / size);
        for (int i = 0; i < count; i++) target[offset + i] = WeightsImporter.ReadElement(_data, start + i * size, tensor.DType);
        return true;
    }

    public static string ShapeText(long[] shape) => "[" + string.Join(", ", shape.Select(L)) + "]";

    private static bool IsCount(JsonValue value) => value.Kind == JsonKind.Number && value.Number >= 0 && value.Number <= int.MaxValue && value.Number == Math.Floor(value.Number);

    private static int DTypeSize(string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" or "F8_E4M3" or "F8_E5M2" => 1,
        _ => 0,
    };

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string L(long value) => value.ToString(CultureInfo.InvariantCulture);
}
