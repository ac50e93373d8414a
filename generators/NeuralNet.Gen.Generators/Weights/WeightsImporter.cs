using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NeuralNet.Gen.Weights;

/// <summary>
/// One layer with parameters as the importers see it: where its weights (Dense [units, inputSize]; Conv2D, when
/// <paramref name="KernelSize"/> is set, PyTorch's [filters, channels, kh, kw]) and its bias [units] (absent when
/// not <paramref name="UseBias"/>) go. Number is 1-based, as in the generated comments ("layer 2"); Activation is a
/// member name of <c>Activation</c>, for checks against Keras files. A Dense layer that reads a flattened
/// <paramref name="ImageHeight"/> x <paramref name="ImageWidth"/> image has its PyTorch weight columns in
/// channels-first order (c, h, w), which safetensors import permutes to ours (h, w, c). A recurrent layer
/// (<paramref name="Gates"/> G: SimpleRNN 1, GRU 3, LSTM 4; InputSize its features) holds PyTorch's weight_ih
/// [G·units, features], weight_hh [G·units, units], bias_ih [G·units], bias_hh [G·units], in that order, and gives
/// every step's state when <paramref name="ReturnSequences"/>. A BatchNorm (<paramref name="BufferOffset"/> set; Units
/// its channels) holds weight [C] and bias [C] in the parameters, running_mean [C] and running_var [C] in the buffers
/// from BufferOffset, and normalises with <paramref name="Epsilon"/>.
/// </summary>
internal sealed record DenseLayout(int Number, int InputSize, int Units, string Activation, int ParameterOffset, int Channels = 0, int KernelSize = 0, bool UseBias = true,
    int ImageHeight = 0, int ImageWidth = 0, int Gates = 0, bool ReturnSequences = false, int KernelDimensions = 2, int BufferOffset = -1, double Epsilon = 0)
{
    public bool IsConvolution => KernelSize > 0;

    /// <summary>A Conv1D's kernel: PyTorch's <c>nn.Conv1d</c> weight [filters, channels, kernel].</summary>
    public bool IsConvolution1D => IsConvolution && KernelDimensions == 1;

    public bool IsRecurrent => Gates > 0;

    public bool IsBatchNorm => BufferOffset >= 0;

    /// <summary>The weight tensor's shape, as PyTorch's module stores it (a recurrent layer's weight_ih).</summary>
    public long[] WeightShape => IsConvolution1D ? new long[] { Units, Channels, KernelSize }
        : IsConvolution ? new long[] { Units, Channels, KernelSize, KernelSize }
        : IsBatchNorm ? new long[] { Units }
        : new long[] { (IsRecurrent ? Gates : 1) * Units, InputSize };

    /// <summary>Every weight of the layer (a recurrent layer's weight_ih and weight_hh); its biases follow.</summary>
    public int WeightCount => IsConvolution1D ? Units * Channels * KernelSize
        : IsConvolution ? Units * Channels * KernelSize * KernelSize
        : IsRecurrent ? Gates * Units * (InputSize + Units) : IsBatchNorm ? Units : Units * InputSize;

    /// <summary>The recurrent kind's attribute name, from its gate count.</summary>
    public string RecurrentKind => Gates switch { 1 => "SimpleRNN", 3 => "GRU", _ => "LSTM" };

    /// <summary>
    /// A recurrent layer's tensors as <c>nn.RNN</c>/<c>nn.GRU</c>/<c>nn.LSTM</c> names them for its layer
    /// <paramref name="stackIndex"/> (the <c>_l0</c>, <c>_l1</c> of <c>num_layers</c>), with shape and parameter offset.
    /// </summary>
    public IEnumerable<(string Name, long[] Shape, int Offset)> RecurrentTensors(int stackIndex)
    {
        int gu = Gates * Units;
        string l = "_l" + N(stackIndex);
        yield return ("weight_ih" + l, new long[] { gu, InputSize }, ParameterOffset);
        yield return ("weight_hh" + l, new long[] { gu, Units }, ParameterOffset + gu * InputSize);
        yield return ("bias_ih" + l, new long[] { gu }, ParameterOffset + WeightCount);
        yield return ("bias_hh" + l, new long[] { gu }, ParameterOffset + WeightCount + gu);
    }

    public string Describe() => IsConvolution1D
        ? $"layer {N(Number)} (Conv1D {N(Units)} filters of {N(KernelSize)} on {N(Channels)} channels, {Activation}{(UseBias ? "" : ", no bias")})"
        : IsConvolution
        ? $"layer {N(Number)} (Conv2D {N(Units)} filters {N(KernelSize)}x{N(KernelSize)} on {N(Channels)} channels, {Activation}{(UseBias ? "" : ", no bias")})"
        : IsRecurrent
        ? $"layer {N(Number)} ({RecurrentKind} {N(InputSize)} -> {N(Units)}{(Gates == 1 ? ", " + Activation : "")})"
        : IsBatchNorm
        ? $"layer {N(Number)} (BatchNorm over {N(Units)} channels)"
        : $"layer {N(Number)} (Dense {N(InputSize)} -> {N(Units)}, {Activation}{(UseBias ? "" : ", no bias")})";

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// What a weights file must fill: the network's layers with parameters, its precision (ElementSize 4 for float, 8 for
/// double) and its parameter-file fingerprint; its Add and Concatenate layers, which an ONNX graph must have too; its
/// buffers (BatchNorm's running statistics).
/// </summary>
internal sealed record WeightsLayout(int ElementSize, string Fingerprint, int ParameterCount, IReadOnlyList<DenseLayout> Layers, IReadOnlyList<MergeLayout>? Merges = null,
    int BufferCount = 0);

/// <summary>The parameters in the network's layout, or every reason the file does not fit.</summary>
internal sealed class WeightsImport
{
    private WeightsImport(double[]? parameters, IReadOnlyList<string> problems, double[]? buffers = null)
    {
        Parameters = parameters;
        Problems = problems;
        Buffers = buffers;
    }

    /// <summary>Null when there are problems.</summary>
    public double[]? Parameters { get; }

    /// <summary>The buffers (BatchNorm's running statistics) when the format carries them; null otherwise (the network's stay as they are).</summary>
    public double[]? Buffers { get; }

    /// <summary>Each names the tensor (or byte, or layer) at fault, what was expected and what was found.</summary>
    public IReadOnlyList<string> Problems { get; }

    public bool Succeeded => Parameters is not null;

    public static WeightsImport Success(double[] parameters, double[]? buffers = null) => new(parameters, Array.Empty<string>(), buffers);

    public static WeightsImport Failure(IReadOnlyList<string> problems) => new(null, problems);

    public static WeightsImport Failure(string problem) => new(null, new[] { problem });
}

/// <summary>The weights formats [Weights] reads and the runtime imports.</summary>
internal enum WeightsFormat { ParameterFile, Safetensors, KerasJson, Onnx }

/// <summary>
/// Reads trained weights into a network's parameter layout (layer by layer, weight [units, in] row-major, then bias)
/// from the NeuralNet.Gen parameter file, PyTorch's safetensors and Keras-style JSON. One source file compiled into
/// the generator, the analyzers and the runtime, so a file that builds is exactly a file that loads. Pure: bytes in,
/// parameters or problems out; no I/O, never throws for bad data.
/// </summary>
internal static class WeightsImporter
{
    /// <summary>The format by file extension, then by content: "NNGP" magic, a JSON object, else safetensors.</summary>
    public static WeightsFormat DetectFormat(string path, byte[] data)
    {
        string lower = path.ToLowerInvariant();
        if (lower.EndsWith(".nng", StringComparison.Ordinal)) return WeightsFormat.ParameterFile;
        if (lower.EndsWith(".safetensors", StringComparison.Ordinal)) return WeightsFormat.Safetensors;
        if (lower.EndsWith(".json", StringComparison.Ordinal)) return WeightsFormat.KerasJson;
        if (lower.EndsWith(".onnx", StringComparison.Ordinal)) return WeightsFormat.Onnx;
        if (ParameterFile.StartsWithMagic(data, data.Length)) return WeightsFormat.ParameterFile;
        int first = 0;
        while (first < data.Length && data[first] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF) first++;
        return first < data.Length && data[first] == (byte)'{' ? WeightsFormat.KerasJson : WeightsFormat.Safetensors;
    }

    public static WeightsImport Import(WeightsFormat format, byte[] data, WeightsLayout layout, string? names) => format switch
    {
        WeightsFormat.ParameterFile => ImportParameterFile(data, layout),
        WeightsFormat.Safetensors => ImportSafetensors(data, layout, names),
        WeightsFormat.Onnx => OnnxWeights.Import(data, layout),
        _ => ImportKerasJson(DecodeUtf8(data), layout),
    };

    public static string DecodeUtf8(byte[] data) => new UTF8Encoding(false, false).GetString(data);

    // ---- NeuralNet.Gen parameter file (see ParameterSerializer) ----

    public static WeightsImport ImportParameterFile(byte[] data, WeightsLayout layout)
    {
        var file = ParameterFile.Read(data, data.Length, out string? problem);
        if (file is null) return WeightsImport.Failure("the file " + problem);
        if (file.ElementSize != layout.ElementSize)
            return WeightsImport.Failure($"the parameter file holds {TypeName(file.ElementSize)} parameters; expected {TypeName(layout.ElementSize)}, the network's precision");
        if (file.Fingerprint != layout.Fingerprint || file.Count != layout.ParameterCount)
            return WeightsImport.Failure($"the parameter file was saved from another architecture: expected \"{layout.Fingerprint}\" with {N(layout.ParameterCount)} parameters, found \"{file.Fingerprint}\" with {N(file.Count)}");
        var parameters = new double[file.Count];
        for (int i = 0; i < parameters.Length; i++) parameters[i] = file[i];
        if (layout.BufferCount == 0) return WeightsImport.Success(parameters);
        if (file.BufferCount != layout.BufferCount)
            return WeightsImport.Failure($"the parameter file holds {N(file.BufferCount)} buffers; expected the network's {N(layout.BufferCount)} running statistics (save it with version 2)");
        var buffers = new double[file.BufferCount];
        for (int i = 0; i < buffers.Length; i++) buffers[i] = file.Buffer(i);
        return WeightsImport.Success(parameters, buffers);
    }

    // ---- safetensors ----

    /// <summary>
    /// PyTorch's safetensors: an 8-byte little-endian header length, a JSON header mapping each tensor's name to its
    /// dtype, shape and data_offsets (relative to the end of the header), then the data. Dense layer k takes
    /// <c>&lt;name&gt;.weight</c> [units, in] and <c>&lt;name&gt;.bias</c> [units], where the names are
    /// <paramref name="names"/> (comma-separated, one per Dense layer) or else the file's own numeric module
    /// prefixes in increasing order, as nn.Sequential writes them (0, 2, 4, ... with activations in between).
    /// </summary>
    public static WeightsImport ImportSafetensors(byte[] data, WeightsLayout layout, string? names)
    {
        if (data.Length < 8)
            return WeightsImport.Failure($"the safetensors file is truncated: it has {N(data.Length)} bytes, fewer than the 8-byte header length");
        long headerLength = ReadInt64(data, 0);
        if (headerLength < 2 || headerLength > data.Length - 8)
            return WeightsImport.Failure($"the safetensors file is truncated or is not safetensors: its header length is {headerLength.ToString(CultureInfo.InvariantCulture)} but only {N(data.Length - 8)} bytes follow");
        JsonValue header;
        try
        {
            header = JsonValue.Parse(DecodeUtf8(Slice(data, 8, (int)headerLength)));
        }
        catch (JsonFormatException e)
        {
            return WeightsImport.Failure("the safetensors header is not valid JSON: " + e.Message);
        }
        if (header.Kind != JsonKind.Object) return WeightsImport.Failure($"the safetensors header is {header.Describe()}; expected a JSON object");

        long dataStart = 8 + headerLength;
        long dataLength = data.Length - dataStart;
        var problems = new List<string>();
        var tensors = new Dictionary<string, (string DType, long[] Shape, long Begin, long End)>(StringComparer.Ordinal);
        foreach (var member in header.Members)
        {
            if (member.Key == "__metadata__") continue;
            var t = member.Value;
            var dtype = t["dtype"];
            var shape = t["shape"];
            var offsets = t["data_offsets"];
            if (t.Kind != JsonKind.Object || dtype?.Kind != JsonKind.String || shape?.Kind != JsonKind.Array || offsets?.Kind != JsonKind.Array
                || offsets.Items.Count != 2 || !shape.Items.All(IsCount) || !offsets.Items.All(IsCount))
            {
                problems.Add($"tensor '{member.Key}' has a malformed header entry; expected {{\"dtype\", \"shape\", \"data_offsets\": [begin, end]}}");
                continue;
            }
            long begin = (long)offsets.Items[0].Number, end = (long)offsets.Items[1].Number;
            var dims = shape.Items.Select(i => (long)i.Number).ToArray();
            if (end < begin || end > dataLength)
            {
                problems.Add($"tensor '{member.Key}' is truncated: its data_offsets [{begin.ToString(CultureInfo.InvariantCulture)}, {end.ToString(CultureInfo.InvariantCulture)}] run past the {dataLength.ToString(CultureInfo.InvariantCulture)} bytes of data in the file");
                continue;
            }
            long elements = dims.Aggregate(1L, (a, b) => a * b);
            int size = DTypeSize(dtype.String);
            if (size > 0 && elements * size != end - begin)
            {
                problems.Add($"tensor '{member.Key}' ({dtype.String} {ShapeText(dims)}) should take {(elements * size).ToString(CultureInfo.InvariantCulture)} bytes but its data_offsets give {(end - begin).ToString(CultureInfo.InvariantCulture)}");
                continue;
            }
            tensors[member.Key] = (dtype.String, dims, begin, end);
        }

        // Which name prefix feeds which layer.
        string[] prefixes;
        if (!string.IsNullOrWhiteSpace(names))
        {
            prefixes = names!.Split(',').Select(n => n.Trim()).ToArray();
            if (prefixes.Length != layout.Layers.Count || prefixes.Any(p => p.Length == 0))
                return WeightsImport.Failure($"Names lists {N(prefixes.Length)} tensor name prefixes ({names}); expected {N(layout.Layers.Count)}, one per layer with parameters, comma-separated");
        }
        else
        {
            // A recurrent module with num_layers = n is n layers: its prefix counts once per _l0 ... _l(n-1).
            var numeric = new SortedDictionary<long, int>();
            foreach (var name in header.Members.Select(m => m.Key))
            {
                int dot = name.LastIndexOf('.');
                if (dot > 0 && long.TryParse(name.Substring(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out long index))
                    numeric[index] = Math.Max(numeric.TryGetValue(index, out int layers) ? layers : 1, RecurrentStackIndex(name.Substring(dot + 1)) + 1);
            }
            prefixes = numeric.SelectMany(p => Enumerable.Repeat(p.Key.ToString(CultureInfo.InvariantCulture), p.Value)).Take(layout.Layers.Count).ToArray();
        }

        var parameters = new double[layout.ParameterCount];
        var buffers = new double[layout.BufferCount];
        var used = new HashSet<string>(StringComparer.Ordinal);
        var expected = new List<string>();
        for (int k = 0; k < layout.Layers.Count; k++)
        {
            var layer = layout.Layers[k];
            if (k >= prefixes.Length)
            {
                string first = layer.IsRecurrent ? "weight_ih_l0" : "weight";
                problems.Add($"tensor '{Guess(prefixes, k)}.{first}' is missing: expected shape {ShapeText(layer.WeightShape)} for {layer.Describe()}; the file has tensors for {N(prefixes.Length)} of the {N(layout.Layers.Count)} layers with parameters" +
                    (prefixes.Length == 0 ? $" (its names: {string.Join(", ", header.Members.Where(m => m.Key != "__metadata__").Select(m => "'" + m.Key + "'").Take(8))}); give the module prefixes with Names, e.g. Names = \"rnn, rnn, head\"" : ""));
                continue;
            }
            if (layer.IsRecurrent)
            {
                // Layers named by the same prefix are one nn.RNN/GRU/LSTM with num_layers: _l0, _l1, ... in order.
                int stackIndex = Enumerable.Range(0, k).Count(j => prefixes[j] == prefixes[k] && layout.Layers[j].IsRecurrent);
                foreach (var (name, shape, offset) in layer.RecurrentTensors(stackIndex))
                {
                    ReadTensor(prefixes[k] + "." + name, shape, layer, offset);
                    expected.Add($"'{prefixes[k]}.{name}'");
                }
                continue;
            }
            if (layer.IsBatchNorm)
            {
                // nn.BatchNorm1d/2d: weight, bias; running_mean, running_var into the buffers; num_batches_tracked only counts.
                ReadTensor(prefixes[k] + ".weight", layer.WeightShape, layer, layer.ParameterOffset);
                ReadTensor(prefixes[k] + ".bias", layer.WeightShape, layer, layer.ParameterOffset + layer.Units);
                ReadTensor(prefixes[k] + ".running_mean", layer.WeightShape, layer, layer.BufferOffset, buffers);
                ReadTensor(prefixes[k] + ".running_var", layer.WeightShape, layer, layer.BufferOffset + layer.Units, buffers);
                used.Add(prefixes[k] + ".num_batches_tracked");
                foreach (string name in new[] { "weight", "bias", "running_mean", "running_var" }) expected.Add($"'{prefixes[k]}.{name}'");
                continue;
            }
            expected.Add($"'{prefixes[k]}.weight'");
            if (layer.UseBias) expected.Add($"'{prefixes[k]}.bias'");
            if (ReadTensor(prefixes[k] + ".weight", layer.WeightShape, layer, layer.ParameterOffset) && layer.ImageHeight > 0)
                ToChannelsLastColumns(parameters, layer);
            if (layer.UseBias) ReadTensor(prefixes[k] + ".bias", new long[] { layer.Units }, layer, layer.ParameterOffset + layer.WeightCount);
        }
        foreach (var member in header.Members)
        {
            if (member.Key != "__metadata__" && !used.Contains(member.Key))
                problems.Add($"tensor '{member.Key}' is extra: no layer of the network takes it (expected only {string.Join(", ", expected)})");
        }
        return problems.Count == 0 ? WeightsImport.Success(parameters, layout.Layers.Any(l => l.IsBatchNorm) ? buffers : null) : WeightsImport.Failure(problems);

        bool ReadTensor(string name, long[] expectedShape, DenseLayout layer, int offset, double[]? target = null)
        {
            target ??= parameters;
            used.Add(name);
            if (!tensors.TryGetValue(name, out var tensor))
            {
                if (!header.Members.Any(m => m.Key == name))
                    problems.Add($"tensor '{name}' is missing: expected shape {ShapeText(expectedShape)} for {layer.Describe()}");
                return false;
            }
            string expectedType = layout.ElementSize == 4 ? "F32" : "F64";
            // float32 widens to double exactly; anything else would change the trained values.
            if (tensor.DType != expectedType && !(tensor.DType == "F32" && layout.ElementSize == 8))
            {
                problems.Add($"tensor '{name}' has element type {tensor.DType}; expected {expectedType} (the network's precision{(layout.ElementSize == 8 ? ", or F32" : "")})");
                return false;
            }
            if (!tensor.Shape.SequenceEqual(expectedShape))
            {
                problems.Add($"tensor '{name}' has shape {ShapeText(tensor.Shape)}; expected {ShapeText(expectedShape)} for {layer.Describe()}");
                return false;
            }
            int size = DTypeSize(tensor.DType);
            int start = (int)(dataStart + tensor.Begin);
            int count = (int)((tensor.End - tensor.Begin) / size);
            for (int i = 0; i < count; i++) target[offset + i] = ReadElement(data, start + i * size, tensor.DType);
            return true;
        }
    }

    /// <summary>
    /// PyTorch flattens [C, H, W], we flatten [H, W, C]: column (c, h, w) of its Dense weight becomes our column (h, w, c),
    /// so the same trained layer reads our channels-last images.
    /// </summary>
    internal static void ToChannelsLastColumns(double[] parameters, DenseLayout layer)
    {
        int height = layer.ImageHeight, width = layer.ImageWidth, channels = layer.InputSize / (height * width);
        var row = new double[layer.InputSize];
        for (int u = 0; u < layer.Units; u++)
        {
            int rowStart = layer.ParameterOffset + u * layer.InputSize;
            Array.Copy(parameters, rowStart, row, 0, row.Length);
            for (int c = 0; c < channels; c++)
                for (int h = 0; h < height; h++)
                    for (int w = 0; w < width; w++)
                        parameters[rowStart + (h * width + w) * channels + c] = row[(c * height + h) * width + w];
        }
    }

    /// <summary>N of a recurrent tensor's <c>_lN</c> suffix (weight_ih_l1: 1); 0 for other names.</summary>
    private static int RecurrentStackIndex(string tensor)
    {
        int l = tensor.LastIndexOf("_l", StringComparison.Ordinal);
        return l > 0 && (tensor.StartsWith("weight_", StringComparison.Ordinal) || tensor.StartsWith("bias_", StringComparison.Ordinal))
            && int.TryParse(tensor.Substring(l + 2), NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < 1024 ? index : 0;
    }

    private static string Guess(string[] prefixes, int k) =>
        prefixes.Length > 0 && long.TryParse(prefixes[prefixes.Length - 1], NumberStyles.None, CultureInfo.InvariantCulture, out long last)
            ? (last + 2 * (k - prefixes.Length + 1)).ToString(CultureInfo.InvariantCulture)
            : (2 * k).ToString(CultureInfo.InvariantCulture);

    private static bool IsCount(JsonValue value) => value.Kind == JsonKind.Number && value.Number >= 0 && value.Number <= int.MaxValue && value.Number == Math.Floor(value.Number);

    private static int DTypeSize(string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" or "F8_E4M3" or "F8_E5M2" => 1,
        _ => 0,
    };

    // ---- Keras-style JSON ----

    /// <summary>
    /// Keras-style JSON (as RTNeural's exporter writes it): <c>{"layers": [{"type": "dense", "activation": "tanh",
    /// "weights": [kernel [in][out], bias [out]]}, {"type": "activation", "activation": "relu"}, ...]}</c>. The
    /// kernel is transposed into our [units, in] layout; a Dense layer without a bias (use_bias=False) gets zeros.
    /// The activation, from the dense layer or an activation layer right after it, must match the network's.
    /// </summary>
    public static WeightsImport ImportKerasJson(string text, WeightsLayout layout)
    {
        if (layout.Layers.FirstOrDefault(l => l.IsConvolution || l.IsRecurrent || l.IsBatchNorm || !l.UseBias) is { } unsupported)
            return WeightsImport.Failure($"Keras-style JSON fills Dense layers with a bias only, but {unsupported.Describe()} is not one; use safetensors or the parameter file");
        JsonValue root;
        try
        {
            root = JsonValue.Parse(text);
        }
        catch (JsonFormatException e)
        {
            return WeightsImport.Failure("the Keras JSON file is not valid JSON: " + e.Message);
        }
        var layers = root["layers"];
        if (layers?.Kind != JsonKind.Array)
            return WeightsImport.Failure("the Keras JSON file has no \"layers\" array; expected {\"layers\": [{\"type\": \"dense\", \"weights\": [kernel, bias]}, ...]}");

        var problems = new List<string>();
        var dense = new List<(int Index, JsonValue Layer, string? Activation)>();
        for (int i = 0; i < layers.Items.Count; i++)
        {
            var layer = layers.Items[i];
            string type = layer["type"]?.Kind == JsonKind.String ? layer["type"]!.String : "";
            string? activation = layer["activation"]?.Kind == JsonKind.String ? layer["activation"]!.String : null;
            if (type == "dense")
            {
                dense.Add((i, layer, string.IsNullOrEmpty(activation) ? null : activation));
            }
            else if (type == "activation")
            {
                var last = dense.Count > 0 ? dense[dense.Count - 1] : default;
                if (dense.Count == 0 || last.Index != i - 1)
                    problems.Add($"Keras layer {N(i)} (activation '{activation}') does not follow a dense layer; expected activations only right after dense layers");
                else if (last.Activation is not null && !IsLinear(last.Activation))
                    problems.Add($"Keras layer {N(i)} applies activation '{activation}' after dense layer {N(last.Index)}, which already has '{last.Activation}'; expected one activation per Dense layer");
                else
                    dense[dense.Count - 1] = (last.Index, last.Layer, activation);
            }
            else
            {
                problems.Add($"Keras layer {N(i)} has type '{type}'; expected only 'dense' and 'activation' layers");
            }
        }

        var parameters = new double[layout.ParameterCount];
        for (int k = 0; k < Math.Max(dense.Count, layout.Layers.Count); k++)
        {
            if (k >= dense.Count)
            {
                var missing = layout.Layers[k];
                problems.Add($"the dense layer for {missing.Describe()} is missing: expected kernel [{N(missing.InputSize)}][{N(missing.Units)}]; the file has {N(dense.Count)} dense layers, the network {N(layout.Layers.Count)}");
                continue;
            }
            var (index, json, activationName) = dense[k];
            var weights = json["weights"];
            int kernelIn = weights?.Kind == JsonKind.Array && weights.Items.Count > 0 && weights.Items[0].Kind == JsonKind.Array ? weights.Items[0].Items.Count : 0;
            int kernelOut = kernelIn > 0 && weights!.Items[0].Items[0].Kind == JsonKind.Array ? weights.Items[0].Items[0].Items.Count : 0;
            if (k >= layout.Layers.Count)
            {
                problems.Add($"Keras layer {N(index)} (dense, kernel [{N(kernelIn)}][{N(kernelOut)}]) is extra: the network has only {N(layout.Layers.Count)} Dense layers");
                continue;
            }
            var layer = layout.Layers[k];
            string where = $"Keras layer {N(index)} (dense) for {layer.Describe()}";
            if (activationName is not null && !ActivationMatches(activationName, layer.Activation))
                problems.Add($"{where} has activation '{activationName}'; expected '{KerasName(layer.Activation)}', the network's activation");
            if (weights?.Kind != JsonKind.Array || weights.Items.Count is < 1 or > 2)
            {
                problems.Add($"{where} has {(weights is null ? "no weights" : "weights " + weights.Describe())}; expected [kernel [{N(layer.InputSize)}][{N(layer.Units)}], bias [{N(layer.Units)}]] (the bias is optional)");
                continue;
            }
            var kernel = weights.Items[0];
            if (kernel.Kind != JsonKind.Array || kernel.Items.Count != layer.InputSize || kernel.Items.Any(r => r.Kind != JsonKind.Array || r.Items.Count != layer.Units))
            {
                problems.Add($"{where}: kernel has shape {KerasShape(kernel)}; expected [{N(layer.InputSize)}][{N(layer.Units)}]");
            }
            else
            {
                for (int i = 0; i < layer.InputSize; i++)
                    for (int o = 0; o < layer.Units; o++)
                        parameters[layer.ParameterOffset + o * layer.InputSize + i] = Number(kernel.Items[i].Items[o], $"{where}: kernel[{N(i)}][{N(o)}]", problems, layout.ElementSize);
            }
            if (weights.Items.Count == 2)
            {
                var bias = weights.Items[1];
                if (bias.Kind != JsonKind.Array || bias.Items.Count != layer.Units || bias.Items.Any(v => v.Kind == JsonKind.Array))
                {
                    problems.Add($"{where}: bias has shape {KerasShape(bias)}; expected [{N(layer.Units)}]");
                }
                else
                {
                    int biasOffset = layer.ParameterOffset + layer.Units * layer.InputSize;
                    for (int o = 0; o < layer.Units; o++)
                        parameters[biasOffset + o] = Number(bias.Items[o], $"{where}: bias[{N(o)}]", problems, layout.ElementSize);
                }
            }
        }
        return problems.Count == 0 ? WeightsImport.Success(parameters) : WeightsImport.Failure(problems);
    }

    private static double Number(JsonValue value, string where, List<string> problems, int elementSize)
    {
        if (value.Kind != JsonKind.Number)
        {
            problems.Add($"{where} is {value.Describe()}; expected a number");
            return 0;
        }
        if (double.IsInfinity(value.Number) || (elementSize == 4 && Math.Abs(value.Number) > float.MaxValue))
        {
            problems.Add($"{where} is out of {(elementSize == 4 ? "float32" : "float64")} range");
            return 0;
        }
        return value.Number;
    }

    private static string KerasShape(JsonValue value)
    {
        if (value.Kind != JsonKind.Array) return value.Describe();
        var text = "[" + N(value.Items.Count) + "]";
        if (value.Items.Count > 0 && value.Items[0].Kind == JsonKind.Array)
        {
            var inner = value.Items.Select(r => r.Kind == JsonKind.Array ? r.Items.Count : -1).Distinct().ToArray();
            text += inner.Length == 1 && inner[0] >= 0 ? "[" + N(inner[0]) + "]" : "[ragged]";
        }
        return text;
    }

    private static bool IsLinear(string name) => name.Length == 0 || name == "linear";

    private static bool ActivationMatches(string kerasName, string activation) =>
        kerasName.ToLowerInvariant() switch
        {
            "" or "linear" or "none" => activation == "Linear",
            "tanh" => activation == "Tanh",
            "relu" => activation == "Relu",
            "elu" => activation == "Elu",
            "sigmoid" => activation == "Sigmoid",
            "softmax" => activation == "Softmax",
            "softplus" => activation == "Softplus",
            "swish" or "silu" => activation == "Swish",
            "relu6" => activation == "Relu6",
            "selu" => activation == "Selu",
            "mish" => activation == "Mish",
            "hard_silu" or "hard_swish" => activation == "HardSwish",
            // Keras 2's hard_sigmoid is 0.2·x + 0.5, not PyTorch's x/6 + 0.5: it is left unmatched.
            // Keras's gelu is exact by default and its leaky_relu slope is 0.2 or 0.3: neither matches ours.
            _ => false,
        };

    private static string KerasName(string activation) => activation switch
    {
        "Linear" => "linear",
        "Relu" => "relu",
        "Tanh" => "tanh",
        "Elu" => "elu",
        "Sigmoid" => "sigmoid",
        "Softmax" => "softmax",
        "Softplus" => "softplus",
        "Swish" => "swish",
        "Relu6" => "relu6",
        "Selu" => "selu",
        "Mish" => "mish",
        "HardSwish" => "hard_silu",
        _ => activation + " (no exact Keras equivalent)",
    };

    // ---- bytes ----

    /// <summary>The parameters as the bytes of the network's element type, little-endian, for baking into code.</summary>
    public static byte[] ToLittleEndianBytes(double[] parameters, int elementSize)
    {
        var bytes = new byte[parameters.Length * elementSize];
        for (int i = 0; i < parameters.Length; i++)
        {
            long bits = elementSize == 4 ? SingleBits((float)parameters[i]) : BitConverter.DoubleToInt64Bits(parameters[i]);
            for (int b = 0; b < elementSize; b++) bytes[i * elementSize + b] = (byte)(bits >> (8 * b));
        }
        return bytes;
    }

    private static int SingleBits(float value) => new FloatBits { Single = value }.Int32;

    private static float SingleFromBits(int bits) => new FloatBits { Int32 = bits }.Single;

    /// <summary>BitConverter.SingleToInt32Bits does not exist on netstandard2.0; a union needs no unsafe code.</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)]
    private struct FloatBits
    {
        [System.Runtime.InteropServices.FieldOffset(0)] public float Single;
        [System.Runtime.InteropServices.FieldOffset(0)] public int Int32;
    }

    internal static double ReadElement(byte[] data, int offset, string dtype) => dtype == "F32"
        ? SingleFromBits(ReadInt32(data, offset))
        : BitConverter.Int64BitsToDouble(ReadInt64(data, offset));

    internal static int ReadInt32(byte[] data, int offset) =>
        data[offset] | data[offset + 1] << 8 | data[offset + 2] << 16 | data[offset + 3] << 24;

    internal static long ReadInt64(byte[] data, int offset) =>
        (uint)ReadInt32(data, offset) | (long)ReadInt32(data, offset + 4) << 32;

    private static byte[] Slice(byte[] data, int offset, int length)
    {
        var slice = new byte[length];
        Buffer.BlockCopy(data, offset, slice, 0, length);
        return slice;
    }

    private static string TypeName(int elementSize) => elementSize == 4 ? "float32" : "float64";

    private static string ShapeText(long[] shape) => "[" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
