using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NeuralNet.Gen.Generators.Layers;
using NeuralNet.Gen.Generators.Model;
using NeuralNet.Gen.Generators.Parsing;
using NeuralNet.Gen.Onnx;

namespace NeuralNet.Gen.Weights;

/// <summary>
/// One attribute of the stack a weights file declares: its values as Roslyn would bind them (constructor arguments in
/// order with defaults filled in, enums as their int; named ones) and its C# text, e.g. <c>Dense(64, Activation.Relu)</c>.
/// </summary>
internal sealed class DeclaredAttribute
{
    public DeclaredAttribute(string name, params object?[] arguments)
    {
        Name = name;
        Arguments = arguments;
        Text = Render();
    }

    /// <summary>The attribute class's name without "Attribute": Input, Dense, Conv2D, ...</summary>
    public string Name { get; }

    public object?[] Arguments { get; }

    public List<KeyValuePair<string, object?>> Named { get; } = new();

    /// <summary>As the code fix writes it (the attribute list's content, without brackets).</summary>
    public string Text { get; private set; }

    /// <summary>An activation folded in after the fact: Dense's argument 1, Conv2D's argument 2.</summary>
    public void SetActivation(int position, Activation activation)
    {
        Arguments[position] = (int)activation;
        Text = Render();
    }

    public void AddNamed(string name, object value)
    {
        Named.Add(new(name, value));
        Text = Render();
    }

    private string Render()
    {
        var parts = new List<string>();
        for (int i = 0; i < Arguments.Length; i++)
        {
            // Trailing default activations are left out: Dense(3), not Dense(3, Activation.Linear); SimpleRNN(8), not SimpleRNN(8, Activation.Tanh).
            bool defaultActivation = i == Arguments.Length - 1 && Arguments[i] is int a
                && (Name is "Dense" or "Conv2D" or "Conv1D" && a == (int)Activation.Linear || Name == "SimpleRNN" && a == (int)Activation.Tanh);
            if (!defaultActivation) parts.Add(Format(Name, i, Arguments[i]));
        }
        parts.AddRange(Named.Select(n => n.Key + " = " + n.Value switch
        {
            int p when n.Key == "Padding" => "Padding." + (Padding)p,
            bool b => b ? "true" : "false",
            string text => Quote(text),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            var v => Convert.ToString(v, CultureInfo.InvariantCulture),
        }));
        return parts.Count == 0 ? Name : $"{Name}({string.Join(", ", parts)})";
    }

    /// <summary>A C# string literal (layer names come from the file's node names).</summary>
    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static string Format(string name, int position, object? value) =>
        (name, position, value) switch
        {
            ("Dense", 1, int _) or ("Conv2D", 2, int _) or ("Conv1D", 2, int _) or ("Activation", 0, int _) or ("SimpleRNN", 1, int _) => "Activation." + (Activation)(int)value!,
            (_, _, int i) => i.ToString(CultureInfo.InvariantCulture),
            (_, _, string text) => Quote(text),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null",
        };
}

/// <summary>
/// The architecture an ONNX file holds, as the attribute stack a user would write for it: <c>[Input]</c> (ONNX's
/// channels-first [C, H, W] as our H×W×C), then one attribute per layer of the normalised graph (Gemm or MatMul+Add as
/// Dense, Conv as Conv2D with Valid or Same padding, MaxPool as MaxPool2D, Flatten of an image), each activation and
/// Softmax folded into the Dense or Conv2D it follows. The network is then built from that stack by the layer kinds'
/// own <see cref="Layer.Read"/>, so it is exactly the network the written-out stack declares.
/// </summary>
internal sealed class OnnxArchitecture
{
    private OnnxArchitecture(OnnxLayerGraph graph, Shape input, DeclaredAttribute inputAttribute, IReadOnlyList<DeclaredAttribute> layers)
    {
        Graph = graph;
        Input = input;
        InputAttribute = inputAttribute;
        Layers = layers;
    }

    /// <summary>The normalised graph the stack was read from, which the weights import reuses.</summary>
    public OnnxLayerGraph Graph { get; }

    public Shape Input { get; }

    public DeclaredAttribute InputAttribute { get; }

    public IReadOnlyList<DeclaredAttribute> Layers { get; }

    /// <summary>Every attribute as written, [Input] first.</summary>
    public IEnumerable<string> Texts => new[] { InputAttribute.Text }.Concat(Layers.Select(l => l.Text));

    /// <summary>The stack as C# attribute lists, one per line.</summary>
    public string Source => string.Join("\n", Texts.Select(t => "[" + t + "]"));

    /// <summary>The fix kind NNG0014 carries: the stack follows it, one attribute list per line.</summary>
    public const string FixPrefix = "WriteLayers:";

    /// <summary>
    /// The network <paramref name="pending"/> (<see cref="NetworkSpec.LayersFromWeights"/>) with the layers its file
    /// declares and NNG0014 giving them; or null with NNG0012 naming what the file lacks.
    /// </summary>
    public static NetworkSpec? Resolve(NetworkSpec pending, IEnumerable<WeightsFile> files, List<ParseDiagnostic> findings, out OnnxLayerGraph? graph)
    {
        graph = null;
        var weights = pending.Weights!;
        void Add(string message) => findings.Add(WeightsBinding.Finding(weights, message));
        if (WeightsBinding.Find(weights, files, Add) is not { } file) return null;
        OnnxArchitecture? architecture;
        string? problem;
        try
        {
            architecture = Infer(file.Content.AsArray(), out problem);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The reader reports bad data as problems; this only keeps a bug of ours from failing the whole build.
            architecture = null;
            problem = $"the file could not be read ({e.GetType().Name}: {e.Message})";
        }
        if (architecture is null)
        {
            Add(problem!);
            return null;
        }
        var spec = architecture.Build(pending, findings, Add);
        if (spec is null) return null;
        graph = architecture.Graph;
        findings.Add(new ParseDiagnostic(DiagnosticIds.LayersFromWeights, DiagnosticTarget.ClassName, -1, -1, null,
            $"Network '{pending.ClassName}' takes its layers from '{weights.Path}': {string.Join(" ", architecture.Texts.Select(t => "[" + t + "]"))}; write them out to see and check them in the source",
            false, Fix: FixPrefix + architecture.Source));
        return spec;
    }

    /// <summary>
    /// Each attribute read by its layer kind, as the parser reads written ones (attribute indices as if written after
    /// [Weights]); null, reported, when a layer kind refuses what the file holds.
    /// </summary>
    private NetworkSpec? Build(NetworkSpec pending, List<ParseDiagnostic> findings, Action<string> add)
    {
        var layers = new List<LayerSpec>();
        var local = new List<ParseDiagnostic>();
        Shape current = Input;
        string previous = NetworkParser.InputDescription(Input);
        long offset = 0;
        int attributeIndex = pending.Weights!.AttributeIndex + 1;
        // The names skips read (Add, Concatenate), resolved as the parser resolves written ones.
        var names = new LayerNames(Layers.Select((l, i) => (Name: NameOf(l), AttributeIndex: attributeIndex + 1 + i)).Where(n => n.Name is not null).Select(n => (n.Name!, n.AttributeIndex)));
        names.DeclareInput(Input, previous, true);
        foreach (var attribute in Layers)
        {
            var kind = LayerRegistry.ForAttribute(attribute.Name + "Attribute")!;
            string? name = NameOf(attribute);
            if (name is not null) names.Check(name, attributeIndex + 1, local);
            var reader = new LayerReader((attribute.Arguments, attribute.Named), ++attributeIndex, layers.Count + 1, current, previous, true, (int)offset, local, names);
            var layer = kind.Read(reader);
            var error = local.FirstOrDefault(f => f.IsError);
            if (layer is null || error is not null)
            {
                add($"the file's layer [{attribute.Text}] cannot follow {previous}: {error?.Message ?? "its layer kind refuses it"}");
                return null;
            }
            if (name is not null)
            {
                layer = layer with { Name = name };
                names.Declare(name, layer.Index, layer.OutputShape, layer.Description, true);
            }
            layers.Add(layer);
            current = layer.OutputShape;
            previous = layer.Description;
            offset += layer.ParameterCount;
        }
        if (offset > AttributeArguments.MaxSize)
        {
            add($"the file's layers hold {offset.ToString(CultureInfo.InvariantCulture)} parameters, more than a network can hold");
            return null;
        }
        if (pending.Loss is { } loss)
        {
            int before = findings.Count;
            NetworkParser.CheckLoss(loss, -1, layers[layers.Count - 1], findings);
            if (findings.Count > before) return null;
        }
        return pending with
        {
            InputShape = Input,
            Layers = new EquatableArray<LayerSpec>(layers),
            WeightsArchitecture = Source,
        };
    }

    private static string? NameOf(DeclaredAttribute attribute) => attribute.Named.FirstOrDefault(n => n.Key == "Name").Value as string;

    /// <summary>ONNX activations (as the normaliser names them, single nodes or decompositions) and ours, with the settings that make them equal.</summary>
    internal static Activation? ActivationOf(OnnxLayerCandidate c)
    {
        float F(string name, float fallback) => c.Floats.TryGetValue(name, out float v) ? v : fallback;
        bool Near(float value, double expected) => Math.Abs(value - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected));
        return c.Operator switch
        {
            "Relu" => Activation.Relu,
            "Sigmoid" => Activation.Sigmoid,
            "Tanh" => Activation.Tanh,
            "LeakyRelu" when Near(F("alpha", 0.01f), 0.01) => Activation.LeakyRelu,
            "Elu" when Near(F("alpha", 1f), 1) => Activation.Elu,
            "Gelu" when c.Strings.TryGetValue("approximate", out var approximate) && approximate == "tanh" => Activation.Gelu,
            "Swish" => Activation.Swish,
            "Softplus" => Activation.Softplus,
            "Relu6" => Activation.Relu6,
            "HardSigmoid" when Near(F("alpha", 1f / 6), 1.0 / 6) && Near(F("beta", 0.5f), 0.5) => Activation.HardSigmoid,
            "HardSwish" => Activation.HardSwish,
            "Mish" => Activation.Mish,
            "Selu" when Near(F("alpha", 1.6732632f), 1.6732632423543772) && Near(F("gamma", 1.050701f), 1.0507009873554805) => Activation.Selu,
            _ => null,
        };
    }

    /// <summary>The stack the file declares, or null with the first node (or input) that no attribute can declare.</summary>
    public static OnnxArchitecture? Infer(byte[] data, out string? problem)
    {
        if (!OnnxReader.TryRead(data, out var model, out problem))
        {
            problem = "the file is not a readable ONNX model: " + problem;
            return null;
        }
        OnnxLayerGraph graph;
        try
        {
            graph = OnnxGraphNormalizer.Normalize(model!);
        }
        catch (OnnxFormatException e)
        {
            problem = "the ONNX graph cannot be read as layers: " + e.Message;
            return null;
        }
        return Infer(graph, out problem);
    }

    public static OnnxArchitecture? Infer(OnnxLayerGraph graph, out string? problem) =>
        OnnxStackReader.Read(graph, out problem) is { } stack ? new OnnxArchitecture(graph, stack.Input, stack.InputAttribute, stack.Layers) : null;

    internal static DeclaredAttribute? Conv2D(OnnxLayerCandidate c, string node, out string? problem)
    {
        problem = null;
        var weight = c.Tensors["weight"];
        var kernel = c.Ints["kernel_shape"];
        if (weight.Dims.Count != 4)
        {
            problem = $"{node} (Conv) is a {weight.Dims.Count - 2}-D convolution; expected a 2-D one (Conv2D)";
            return null;
        }
        if (c.Ints["group"][0] != 1 || kernel[0] != kernel[1] || c.Ints["strides"][0] != c.Ints["strides"][1] || c.Ints["dilations"].Any(d => d != 1))
        {
            problem = $"{node} (Conv) has{Settings(c)}; expected a square kernel, equal strides, group 1 and dilation 1";
            return null;
        }
        var conv = new DeclaredAttribute("Conv2D", (int)weight.Dims[0], (int)kernel[0], (int)Activation.Linear);
        int stride = (int)c.Ints["strides"][0];
        if (stride != 1) conv.AddNamed("Stride", stride);
        var padding = PaddingOf(c, node, out problem);
        if (problem is not null) return null;
        if (padding == Padding.Same) conv.AddNamed("Padding", (int)Padding.Same);
        if (!c.Tensors.ContainsKey("bias")) conv.AddNamed("UseBias", false);
        return conv;
    }

    /// <summary>
    /// Valid (no padding) or Same (Keras's: total max((⌈n/s⌉ − 1)·s + k − n, 0), the odd one after), from auto_pad or
    /// explicit pads; PyTorch's padding=(k − 1)/2 with stride 1 is Same for an odd kernel.
    /// </summary>
    private static Padding PaddingOf(OnnxLayerCandidate c, string node, out string? problem)
    {
        problem = null;
        string autoPad = c.Strings.TryGetValue("auto_pad", out var a) ? a : "NOTSET";
        var pads = c.Ints["pads"];
        if (autoPad == "VALID" || autoPad == "NOTSET" && pads.All(p => p == 0)) return Padding.Valid;
        if (autoPad == "SAME_UPPER") return Padding.Same;
        var input = InputSpatial(c);
        if (autoPad == "NOTSET" && input is not null)
        {
            bool same = true;
            for (int axis = 0; axis < 2; axis++)
            {
                long n = input[axis], k = c.Ints["kernel_shape"][axis], s = c.Ints["strides"][axis];
                long total = Math.Max(((n + s - 1) / s - 1) * s + k - n, 0);
                same &= pads[axis] == total / 2 && pads[axis + 2] == total - total / 2;
            }
            if (same) return Padding.Same;
        }
        problem = $"{node} (Conv) has pads [{string.Join(", ", pads)}]{(autoPad != "NOTSET" ? " auto_pad " + autoPad : "")}; expected none (Padding.Valid) or Keras's Same padding";
        return Padding.Valid;
    }

    /// <summary>The convolution's input height and width, from its output and settings (the candidate keeps only the output).</summary>
    private static long[]? InputSpatial(OnnxLayerCandidate c)
    {
        // The normaliser checked the window arithmetic; for stride 1 the input size follows from the output exactly.
        if (c.OutputShape is not { Count: 3 } output || c.Ints["strides"].Any(s => s != 1)) return null;
        var pads = c.Ints["pads"];
        var kernel = c.Ints["kernel_shape"];
        return new[] { output[1] + kernel[0] - 1 - pads[0] - pads[2], output[2] + kernel[1] - 1 - pads[1] - pads[3] };
    }

    /// <summary>
    /// RNN, GRU, LSTM (batch-first, the Transposes and Squeezes around them folded by the normaliser) as SimpleRNN, GRU,
    /// LSTM with ReturnSequences; direction, clip, activations and GRU's linear_before_reset are checked by the import.
    /// </summary>
    internal static DeclaredAttribute Recurrent(OnnxLayerCandidate c)
    {
        int units = (int)c.Ints["hidden_size"][0];
        var layer = c.Operator switch
        {
            "RNN" => new DeclaredAttribute("SimpleRNN", units, (int)(c.Strings.TryGetValue("activations", out var f) && f == "Relu" ? Activation.Relu : Activation.Tanh)),
            "GRU" => new DeclaredAttribute("GRU", units),
            _ => new DeclaredAttribute("LSTM", units),
        };
        if (c.Ints["return_sequences"][0] == 1) layer.AddNamed("ReturnSequences", true);
        return layer;
    }

    internal static string Settings(OnnxLayerCandidate c)
    {
        var parts = c.Ints.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => $"{i.Key} [{string.Join(", ", i.Value)}]")
            .Concat(c.Floats.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {f.Value.ToString("R", CultureInfo.InvariantCulture)}"))
            .Concat(c.Strings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} {s.Value}"));
        string text = string.Join(", ", parts);
        return text.Length == 0 ? "" : " " + text;
    }
}
