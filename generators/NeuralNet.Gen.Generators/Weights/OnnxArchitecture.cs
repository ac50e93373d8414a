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
                && (Name is "Dense" or "Conv2D" && a == (int)Activation.Linear || Name == "SimpleRNN" && a == (int)Activation.Tanh);
            if (!defaultActivation) parts.Add(Format(Name, i, Arguments[i]));
        }
        parts.AddRange(Named.Select(n => n.Key + " = " + n.Value switch
        {
            int p when n.Key == "Padding" => "Padding." + (Padding)p,
            bool b => b ? "true" : "false",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            var v => Convert.ToString(v, CultureInfo.InvariantCulture),
        }));
        return parts.Count == 0 ? Name : $"{Name}({string.Join(", ", parts)})";
    }

    private static string Format(string name, int position, object? value) =>
        (name, position, value) switch
        {
            ("Dense", 1, int _) or ("Conv2D", 2, int _) or ("Activation", 0, int _) or ("SimpleRNN", 1, int _) => "Activation." + (Activation)(int)value!,
            (_, _, int i) => i.ToString(CultureInfo.InvariantCulture),
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
            architecture = Infer(file.Content.ToArray(), out problem);
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
        foreach (var attribute in Layers)
        {
            var kind = LayerRegistry.ForAttribute(attribute.Name + "Attribute")!;
            var reader = new LayerReader((attribute.Arguments, attribute.Named), ++attributeIndex, layers.Count + 1, current, previous, true, (int)offset, local);
            var layer = kind.Read(reader);
            var error = local.FirstOrDefault(f => f.IsError);
            if (layer is null || error is not null)
            {
                add($"the file's layer [{attribute.Text}] cannot follow {previous}: {error?.Message ?? "its layer kind refuses it"}");
                return null;
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

    /// <summary>ONNX activations (as the normaliser names them, single nodes or decompositions) and ours, with the settings that make them equal.</summary>
    private static Activation? ActivationOf(OnnxLayerCandidate c)
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

    public static OnnxArchitecture? Infer(OnnxLayerGraph graph, out string? problem)
    {
        problem = null;
        string inputName = graph.Input.Name;
        if (graph.InputShape is not { } dims || dims.Any(d => d <= 0 || d > int.MaxValue))
        {
            problem = $"the graph input '{inputName}' has no fixed shape besides the batch axis ([{string.Join(", ", graph.Input.Shape?.Select(d => d.ToString()) ?? Array.Empty<string>())}]); expected [batch, features], [batch, steps, features] or [batch, channels, height, width]";
            return null;
        }
        Shape input;
        switch (dims.Count)
        {
            case 1: input = Shape.Vector((int)dims[0]); break;
            case 2: input = Shape.Sequence((int)dims[0], (int)dims[1]); break;
            // ONNX images are [channels, height, width]; ours are height × width × channels.
            case 3: input = Shape.Image((int)dims[1], (int)dims[2], (int)dims[0]); break;
            default:
                problem = $"the graph input '{inputName}' has rank {dims.Count + 1}; expected [batch, features], [batch, steps, features] or [batch, channels, height, width]";
                return null;
        }
        var inputAttribute = input.Rank switch
        {
            1 => new DeclaredAttribute("Input", input.Size),
            2 => new DeclaredAttribute("Input", input.Steps, input.Channels),
            _ => new DeclaredAttribute("Input", input.Height, input.Width, input.Channels),
        };

        var layers = new List<DeclaredAttribute>();
        DeclaredAttribute? foldTarget = null;
        string previous = inputName;
        int rank = dims.Count;
        foreach (var c in graph.Layers)
        {
            string node = $"node '{c.Nodes.FirstOrDefault() ?? c.Output}'";
            if (c.Inputs.Count != 1 || c.Inputs[0] != previous)
            {
                problem = $"{node} ({c.Kind}) reads {string.Join(" and ", c.Inputs.Select(i => $"'{i}'"))}; a file declares a chain of layers, each reading the one before ('{previous}')";
                return null;
            }
            var next = Declare(c, node, rank, ref foldTarget, out problem);
            if (problem is not null) return null;
            if (next is not null) layers.Add(next);
            previous = c.Output;
            rank = c.OutputShape?.Count ?? rank;
        }
        if (previous != graph.Output)
        {
            problem = $"the graph output '{graph.Output}' is not the last layer's output '{previous}'";
            return null;
        }
        if (layers.Count == 0)
        {
            problem = "the graph has no layer: its output is its input";
            return null;
        }
        return new OnnxArchitecture(graph, input, inputAttribute, layers);
    }

    /// <summary>The attribute for one candidate; null with no problem when it folds into the layer before or changes nothing.</summary>
    private static DeclaredAttribute? Declare(OnnxLayerCandidate c, string node, int rank, ref DeclaredAttribute? foldTarget, out string? problem)
    {
        problem = null;
        DeclaredAttribute? folded = foldTarget;
        foldTarget = null;
        switch (c.Kind)
        {
            case OnnxLayerKind.Dense:
            {
                var weight = c.Tensors["weight"];
                if (rank > 2)
                {
                    problem = $"{node} (Dense) reads a tensor of rank {rank + 1}; expected [batch, features] (a Flatten before it) or [batch, steps, features]";
                    return null;
                }
                if (!c.Tensors.ContainsKey("bias"))
                {
                    problem = $"{node} (Dense) has no bias; a Dense layer without bias cannot be declared from a file yet";
                    return null;
                }
                var dense = new DeclaredAttribute("Dense", (int)weight.Dims[0], (int)Activation.Linear);
                foldTarget = dense;
                return dense;
            }
            case OnnxLayerKind.Conv:
            {
                var conv = Conv2D(c, node, out problem);
                foldTarget = conv;
                return conv;
            }
            case OnnxLayerKind.MaxPool:
                return MaxPool2D(c, node, out problem);
            case OnnxLayerKind.Recurrent:
                return Recurrent(c, node, rank, out problem);
            case OnnxLayerKind.BatchNormalization:
            {
                // Per channel, as our BatchNorm is per last axis: ONNX's channels-first images become channels-last.
                var norm = new DeclaredAttribute("BatchNorm");
                double epsilon = c.Floats.TryGetValue("epsilon", out float e) ? AttributeArguments.FromFloat(e) : BatchNormLayer.DefaultEpsilon;
                if (epsilon != BatchNormLayer.DefaultEpsilon) norm.AddNamed("Epsilon", epsilon);
                return norm;
            }
            case OnnxLayerKind.Flatten:
                // ONNX's Flatten of [batch, n] changes nothing; ours would be NNG0005.
                if (rank == 1) return null;
                if (c.OutputShape is not { Count: 1 })
                {
                    problem = $"{node} (Flatten) does not give [batch, features]";
                    return null;
                }
                return new DeclaredAttribute("Flatten");
            case OnnxLayerKind.Activation:
            case OnnxLayerKind.Softmax:
            {
                Activation? activation = c.Kind == OnnxLayerKind.Softmax
                    ? c.Operator == "Softmax" && c.Ints["axis"][0] is var axis && (axis == -1 || axis == rank) ? Activation.Softmax : null
                    : ActivationOf(c);
                if (activation is not { } a)
                {
                    problem = $"{node} ({c.Operator}{Settings(c)}) is not an activation the product has; expected one of {string.Join(", ", Enum.GetNames(typeof(Activation)).Skip(1))} with PyTorch's constants{(c.Kind == OnnxLayerKind.Softmax ? ", Softmax over the last axis" : "")}";
                    return null;
                }
                int position = folded?.Name == "Dense" ? 1 : 2;
                if (folded is not null && (a != Activation.Softmax || folded.Name == "Dense"))
                {
                    folded.SetActivation(position, a);
                    return null;
                }
                if (a != Activation.Softmax && LayerRegistry.ForAttribute("ActivationAttribute") is not null)
                {
                    return new DeclaredAttribute("Activation", (int)a);
                }
                problem = $"{node} ({c.Operator}) does not follow a Gemm, MatMul or Conv; expected activations right after one";
                return null;
            }
            default:
                problem = $"{node} ({c.Kind}{(c.Operator.Length > 0 && c.Operator != c.Kind.ToString() ? " " + c.Operator : "")}) cannot be declared from a file yet; expected Gemm, MatMul(+Add), Conv, MaxPool, Flatten, RNN, GRU, LSTM, BatchNormalization, an activation or Softmax (declare the layers and keep [Weights] to check the file against them)";
                return null;
        }
    }

    private static DeclaredAttribute? Conv2D(OnnxLayerCandidate c, string node, out string? problem)
    {
        problem = null;
        var weight = c.Tensors["weight"];
        var kernel = c.Ints["kernel_shape"];
        if (weight.Dims.Count != 4)
        {
            problem = $"{node} (Conv) is a {weight.Dims.Count - 2}-D convolution; expected a 2-D one (Conv2D)";
            return null;
        }
        if (!c.Tensors.ContainsKey("bias"))
        {
            problem = $"{node} (Conv) has no bias; a Conv2D without bias cannot be declared from a file yet";
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
    private static DeclaredAttribute? Recurrent(OnnxLayerCandidate c, string node, int rank, out string? problem)
    {
        problem = null;
        if (rank != 2)
        {
            problem = $"{node} ({c.Operator}) reads a tensor of rank {rank + 1}; expected a sequence [batch, steps, features]";
            return null;
        }
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

    private static DeclaredAttribute? MaxPool2D(OnnxLayerCandidate c, string node, out string? problem)
    {
        problem = null;
        var kernel = c.Ints["kernel_shape"];
        var strides = c.Ints["strides"];
        if (kernel.Count != 2 || kernel[0] != kernel[1] || strides[0] != strides[1] || c.Ints["pads"].Any(p => p != 0)
            || c.Ints["dilations"].Any(d => d != 1) || c.Strings.TryGetValue("auto_pad", out var autoPad) && autoPad is not ("NOTSET" or "VALID"))
        {
            problem = $"{node} (MaxPool) has{Settings(c)}; expected a square 2-D window, equal strides, no padding and dilation 1 (MaxPool2D)";
            return null;
        }
        var pool = new DeclaredAttribute("MaxPool2D", (int)kernel[0]);
        if (strides[0] != kernel[0]) pool.AddNamed("Stride", (int)strides[0]);
        return pool;
    }

    private static string Settings(OnnxLayerCandidate c)
    {
        var parts = c.Ints.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => $"{i.Key} [{string.Join(", ", i.Value)}]")
            .Concat(c.Floats.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {f.Value.ToString("R", CultureInfo.InvariantCulture)}"))
            .Concat(c.Strings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} {s.Value}"));
        string text = string.Join(", ", parts);
        return text.Length == 0 ? "" : " " + text;
    }
}
