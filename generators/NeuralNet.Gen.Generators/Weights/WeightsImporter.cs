using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NeuralNet.Gen.Weights;

/// <summary>
/// What a weights file must fill: the network's layers with parameters, its precision (ElementSize 4 for float, 8 for
/// double) and its parameter-file fingerprint; its Add and Concatenate layers, which an ONNX graph must have too; its
/// buffers (BatchNorm's running statistics).
/// </summary>
internal sealed record WeightsLayout(int ElementSize, string Fingerprint, int ParameterCount, IReadOnlyList<ImportedLayer> Layers, IReadOnlyList<MergeLayout>? Merges = null,
    int BufferCount = 0, IReadOnlyList<ActivationLayout>? Activations = null);

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

    public static string DecodeUtf8(byte[] data) => DecodeUtf8(data, 0, data.Length);

    public static string DecodeUtf8(byte[] data, int index, int count) => new UTF8Encoding(false, false).GetString(data, index, count);

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
    /// PyTorch's safetensors (see <see cref="SafetensorsFile"/>). Layer k takes the tensors it names (<see
    /// cref="ImportedLayer.Tensors"/>: <c>&lt;prefix&gt;.weight</c>, <c>&lt;prefix&gt;.bias</c>, ...), where the prefixes
    /// are <paramref name="names"/> (comma-separated, one per layer with parameters) or else the file's own numeric
    /// module prefixes in increasing order, as nn.Sequential writes them (0, 2, 4, ... with activations in between).
    /// </summary>
    public static WeightsImport ImportSafetensors(byte[] data, WeightsLayout layout, string? names)
    {
        var problems = new List<string>();
        if (SafetensorsFile.Open(data, problems, out string? unreadable) is not { } file) return WeightsImport.Failure(unreadable!);
        if (Prefixes(file, layout, names, out string? badNames) is not { } prefixes) return WeightsImport.Failure(badNames!);

        var parameters = new double[layout.ParameterCount];
        var buffers = new double[layout.BufferCount];
        var used = new HashSet<string>(StringComparer.Ordinal);
        var expected = new List<string>();
        for (int k = 0; k < layout.Layers.Count; k++)
        {
            var layer = layout.Layers[k];
            var tensors = layer.Tensors(StackIndex(layout, prefixes, k)).ToList();
            if (k >= prefixes.Length)
            {
                problems.Add($"tensor '{Guess(prefixes, k)}.{tensors[0].Name}' is missing: expected shape {SafetensorsFile.ShapeText(tensors[0].Shape)} for {layer.Describe()}; the file has tensors for {N(prefixes.Length)} of the {N(layout.Layers.Count)} layers with parameters" +
                    (prefixes.Length == 0 ? $" (its names: {string.Join(", ", file.Names.Select(n => "'" + n + "'").Take(8))}); give the module prefixes with Names, e.g. Names = \"rnn, rnn, head\"" : ""));
                continue;
            }
            bool complete = true;
            foreach (var tensor in tensors)
            {
                string name = prefixes[k] + "." + tensor.Name;
                used.Add(name);
                expected.Add($"'{name}'");
                complete &= file.Read(name, tensor.Shape, layer.Describe(), tensor.InBuffers ? buffers : parameters, tensor.Offset, layout.ElementSize, problems);
            }
            foreach (string ignored in layer.IgnoredTensors) used.Add(prefixes[k] + "." + ignored);
            if (complete) layer.AfterImport(parameters);
        }
        foreach (string name in file.Names)
        {
            if (!used.Contains(name))
                problems.Add($"tensor '{name}' is extra: no layer of the network takes it (expected only {string.Join(", ", expected)})");
        }
        return problems.Count == 0 ? WeightsImport.Success(parameters, layout.Layers.Any(l => l.BufferCount > 0) ? buffers : null) : WeightsImport.Failure(problems);
    }

    /// <summary>Which name prefix feeds which layer: <paramref name="names"/>, or the file's numeric module prefixes.</summary>
    private static string[]? Prefixes(SafetensorsFile file, WeightsLayout layout, string? names, out string? problem)
    {
        problem = null;
        if (!string.IsNullOrWhiteSpace(names))
        {
            var given = names!.Split(',').Select(n => n.Trim()).ToArray();
            if (given.Length == layout.Layers.Count && given.All(p => p.Length > 0)) return given;
            problem = $"Names lists {N(given.Length)} tensor name prefixes ({names}); expected {N(layout.Layers.Count)}, one per layer with parameters, comma-separated";
            return null;
        }
        // A recurrent module with num_layers = n is n layers: its prefix counts once per _l0 ... _l(n-1).
        var numeric = new SortedDictionary<long, int>();
        foreach (var name in file.Names)
        {
            int dot = name.LastIndexOf('.');
            if (dot > 0 && long.TryParse(name.Substring(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out long index))
                numeric[index] = Math.Max(numeric.TryGetValue(index, out int layers) ? layers : 1, RecurrentStackIndex(name.Substring(dot + 1)) + 1);
        }
        return numeric.SelectMany(p => Enumerable.Repeat(p.Key.ToString(CultureInfo.InvariantCulture), p.Value)).Take(layout.Layers.Count).ToArray();
    }

    /// <summary>Layers named by the same prefix are one module with num_layers (nn.LSTM's _l0, _l1, ...): layer k's index in it.</summary>
    private static int StackIndex(WeightsLayout layout, string[] prefixes, int k) =>
        k < prefixes.Length && layout.Layers[k].StacksUnderOnePrefix ? Enumerable.Range(0, k).Count(j => prefixes[j] == prefixes[k] && layout.Layers[j].StacksUnderOnePrefix) : 0;

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

    // ---- Keras-style JSON ----

    /// <summary>
    /// Keras-style JSON (as RTNeural's exporter writes it): <c>{"layers": [{"type": "dense", "activation": "tanh",
    /// "weights": [kernel [in][out], bias [out]]}, {"type": "activation", "activation": "relu"}, ...]}</c>. The
    /// kernel is transposed into our [units, in] layout; a file layer without a bias (use_bias=False) gives a Dense
    /// declared with one zeros, and is the only kind a Dense declared <c>UseBias = false</c> takes.
    /// The activation, from the dense layer or an activation layer right after it, must match the network's.
    /// </summary>
    public static WeightsImport ImportKerasJson(string text, WeightsLayout layout)
    {
        var denseLayers = layout.Layers.OfType<DenseImport>().ToList();
        if (layout.Layers.FirstOrDefault(l => !denseLayers.Contains(l)) is { } unsupported)
            return WeightsImport.Failure($"Keras-style JSON fills Dense layers only, but {unsupported.Describe()} is not one; use safetensors or the parameter file");
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
        var dense = KerasDenseLayers(layers, problems);
        var parameters = new double[layout.ParameterCount];
        for (int k = 0; k < Math.Max(dense.Count, denseLayers.Count); k++)
        {
            if (k >= dense.Count)
            {
                var missing = denseLayers[k];
                problems.Add($"the dense layer for {missing.Describe()} is missing: expected kernel [{N(missing.InputSize)}][{N(missing.Units)}]; the file has {N(dense.Count)} dense layers, the network {N(denseLayers.Count)}");
                continue;
            }
            var (index, json, activationName) = dense[k];
            var weights = json["weights"];
            if (k >= denseLayers.Count)
            {
                int kernelIn = weights?.Kind == JsonKind.Array && weights.Items.Count > 0 && weights.Items[0].Kind == JsonKind.Array ? weights.Items[0].Items.Count : 0;
                int kernelOut = kernelIn > 0 && weights!.Items[0].Items[0].Kind == JsonKind.Array ? weights.Items[0].Items[0].Items.Count : 0;
                problems.Add($"Keras layer {N(index)} (dense, kernel [{N(kernelIn)}][{N(kernelOut)}]) is extra: the network has only {N(denseLayers.Count)} Dense layers");
                continue;
            }
            var layer = denseLayers[k];
            string where = $"Keras layer {N(index)} (dense) for {layer.Describe()}";
            if (activationName is not null && !ActivationMatches(activationName, layer.Activation))
                problems.Add($"{where} has activation '{activationName}'; expected '{KerasName(layer.Activation)}', the network's activation");
            FillKerasDense(weights, layer, where, parameters, layout.ElementSize, problems);
        }
        return problems.Count == 0 ? WeightsImport.Success(parameters) : WeightsImport.Failure(problems);
    }

    /// <summary>The file's dense layers (index in "layers", the layer, its activation: its own or the activation layer's right after it).</summary>
    private static List<(int Index, JsonValue Layer, string? Activation)> KerasDenseLayers(JsonValue layers, List<string> problems)
    {
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
        return dense;
    }

    /// <summary>A dense layer's "weights": kernel [in][out] transposed into our [units, in], then the optional bias.</summary>
    private static void FillKerasDense(JsonValue? weights, DenseImport layer, string where, double[] parameters, int elementSize, List<string> problems)
    {
        if (weights?.Kind != JsonKind.Array || weights.Items.Count is < 1 or > 2)
        {
            problems.Add($"{where} has {(weights is null ? "no weights" : "weights " + weights.Describe())}; expected [kernel [{N(layer.InputSize)}][{N(layer.Units)}], bias [{N(layer.Units)}]] (the bias is optional)");
            return;
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
                    parameters[layer.ParameterOffset + o * layer.InputSize + i] = Number(kernel.Items[i].Items[o], $"{where}: kernel[{N(i)}][{N(o)}]", problems, elementSize);
        }
        if (weights.Items.Count < 2) return;
        var bias = weights.Items[1];
        if (!layer.UseBias)
        {
            problems.Add($"{where} has a bias {KerasShape(bias)}; expected none (the layer is declared UseBias = false)");
            return;
        }
        if (bias.Kind != JsonKind.Array || bias.Items.Count != layer.Units || bias.Items.Any(v => v.Kind == JsonKind.Array))
        {
            problems.Add($"{where}: bias has shape {KerasShape(bias)}; expected [{N(layer.Units)}]");
            return;
        }
        int biasOffset = layer.ParameterOffset + layer.Units * layer.InputSize;
        for (int o = 0; o < layer.Units; o++)
            parameters[biasOffset + o] = Number(bias.Items[o], $"{where}: bias[{N(o)}]", problems, elementSize);
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

    private static string TypeName(int elementSize) => elementSize == 4 ? "float32" : "float64";

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
