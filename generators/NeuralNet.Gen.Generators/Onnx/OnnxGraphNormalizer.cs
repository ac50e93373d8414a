using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace NeuralNet.Gen.Onnx;

/// <summary>
/// Turns a graph as exporters write it into layer candidates (<see cref="OnnxLayerGraph"/>): Gemm or MatMul+Add
/// become Dense with the weight as [units, inputs]; a zero Pad folds into the Conv after it; elementwise nodes
/// reading one tensor become one activation, recognised by value whatever the decomposition (Gelu, Mish,
/// HardSwish, Swish); the LayerNormalization decomposition becomes one layer; the Transpose and Squeeze around
/// RNN/GRU/LSTM and torch's last-step Gather fold into the recurrent layer; the noise that builds shapes and zero
/// initial states (Shape, Gather, Unsqueeze, Concat, ConstantOfShape, Slice, Constant, Identity, Cast) is
/// evaluated or set aside. Independent of the generator's layer classes: plain data out, or an
/// <see cref="OnnxFormatException"/> naming the first node that fits no layer.
/// </summary>
internal static partial class OnnxGraphNormalizer
{
    public static OnnxLayerGraph Normalize(OnnxModel model) => new Walker(model).Run();

    /// <summary>What a value in the graph is, as far as layers are concerned.</summary>
    private abstract class Value { }

    /// <summary>Data flowing through the layers: the graph input (Producer null) or a layer's output.</summary>
    private sealed class DataValue : Value
    {
        public DataValue(string inputName, LayerBuilder? producer, bool timeMajor = false, int directionAxis = -1, bool soleUse = true)
        {
            InputName = inputName;
            Producer = producer;
            TimeMajor = timeMajor;
            DirectionAxis = directionAxis;
            SoleUse = soleUse;
        }

        public string InputName { get; }

        public LayerBuilder? Producer { get; }

        /// <summary>[steps, batch, ...] as ONNX's recurrent operators take and give it.</summary>
        public bool TimeMajor { get; }

        /// <summary>The recurrent output's num_directions axis, still to be squeezed (-1: none).</summary>
        public int DirectionAxis { get; }

        /// <summary>No other node reads this value or the ones it is an alias of, so its producer may still change.</summary>
        public bool SoleUse { get; }

        public string Name => Producer?.Output ?? InputName;
    }

    private sealed class ConstantValue : Value
    {
        public ConstantValue(OnnxTensor tensor) => Tensor = tensor;

        public OnnxTensor Tensor { get; }
    }

    /// <summary>Computed from the data's run-time shape (batch size): exporters' scaffolding, never a layer.</summary>
    /// <remarks>
    /// What is known of it is kept where torch's <c>x.view(x.size(0), -1)</c> needs it: <see cref="OfData"/> for
    /// Shape(data), <see cref="Known"/> for a shape vector (or scalar) of constants and the batch size.
    /// </remarks>
    private sealed class ShapeValue : Value
    {
        /// <summary>The batch size's place in <see cref="Known"/>.</summary>
        public const long BatchSize = long.MinValue;

        public ShapeValue(long[]? known = null, bool scalar = false, bool ofData = false)
        {
            Known = known;
            Scalar = scalar;
            OfData = ofData;
        }

        public long[]? Known { get; }

        public bool Scalar { get; }

        public bool OfData { get; }
    }

    /// <summary>Zeros of a run-time shape: the initial state torch builds for recurrent layers.</summary>
    private sealed class ZeroValue : Value { }

    /// <summary>An elementwise function of one data value, sampled at <see cref="Samples"/> points, not yet a layer.</summary>
    private sealed class PointwiseValue : Value
    {
        public PointwiseValue(DataValue input, double[] samples, List<OnnxNode> nodes)
        {
            Input = input;
            Samples = samples;
            Nodes = nodes;
        }

        public DataValue Input { get; }

        public double[] Samples { get; }

        public List<OnnxNode> Nodes { get; }
    }

    private sealed class LayerBuilder
    {
        public LayerBuilder(OnnxLayerKind kind, string op, IEnumerable<string> inputs, string output, OnnxNode node)
        {
            Kind = kind;
            Operator = op;
            Inputs = inputs.ToList();
            Output = output;
            Nodes.Add(node.Name);
        }

        public OnnxLayerKind Kind { get; }

        public string Operator { get; }

        public List<string> Inputs { get; }

        public string Output { get; set; }

        public List<string> Nodes { get; } = new();

        public Dictionary<string, OnnxTensor> Tensors { get; } = new();

        public Dictionary<string, IReadOnlyList<long>> Ints { get; } = new();

        public Dictionary<string, float> Floats { get; } = new();

        public Dictionary<string, string> Strings { get; } = new();

        /// <summary>A Dense from MatMul whose bias may still come as the next Add.</summary>
        public bool AwaitsBias { get; set; }

        public OnnxLayerCandidate Build(IReadOnlyList<long>? outputShape) => new(Kind, Operator, Inputs.ToArray(), Output, outputShape, Nodes.ToArray(),
            new Dictionary<string, OnnxTensor>(Tensors), new Dictionary<string, IReadOnlyList<long>>(Ints),
            new Dictionary<string, float>(Floats), new Dictionary<string, string>(Strings));
    }

    /// <summary>The points every elementwise region is evaluated at: enough to tell Gelu's two forms apart.</summary>
    private static readonly double[] SamplePoints = Enumerable.Range(0, 65).Select(i => -8 + i * 0.25).ToArray();

    /// <summary>Single-node activations, kept with their attributes (LeakyRelu's alpha...).</summary>
    private static readonly HashSet<string> ActivationOperators = new(StringComparer.Ordinal)
    {
        "Relu", "Sigmoid", "Tanh", "LeakyRelu", "Elu", "Selu", "Softplus", "Softsign", "HardSigmoid", "HardSwish",
        "Mish", "Gelu",
    };

    private static readonly HashSet<string> ElementwiseUnary = new(ActivationOperators, StringComparer.Ordinal)
    {
        "Erf", "Sqrt", "Exp", "Log", "Neg", "Abs", "Reciprocal", "Clip",
    };

    private static readonly HashSet<string> ElementwiseBinary = new(StringComparer.Ordinal) { "Add", "Sub", "Mul", "Div", "Pow" };

    /// <summary>The activations a several-node region may compute, as PyTorch defines them.</summary>
    private static readonly (string Name, string? Approximate, Func<double, double> F)[] KnownActivations =
    {
        ("Gelu", "tanh", x => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))),
        ("Gelu", "none", x => 0.5 * x * (1 + Erf(x / Math.Sqrt(2)))),
        ("Mish", null, x => x * Math.Tanh(Softplus(x))),
        ("Swish", null, x => x / (1 + Math.Exp(-x))),
        ("HardSwish", null, x => x * Math.Max(0, Math.Min(1, x / 6 + 0.5))),
        ("HardSigmoid", null, x => Math.Max(0, Math.Min(1, x / 6 + 0.5))),
        ("Relu6", null, x => Math.Max(0, Math.Min(6, x))),
        ("Relu", null, x => Math.Max(0, x)),
        ("Sigmoid", null, x => 1 / (1 + Math.Exp(-x))),
        ("Tanh", null, Math.Tanh),
        ("Softplus", null, Softplus),
        ("Elu", null, x => x > 0 ? x : Math.Exp(x) - 1),
    };

    private sealed partial class Walker
    {
        private readonly OnnxModel _model;
        private readonly Dictionary<string, Value> _values = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _readers = new(StringComparer.Ordinal);
        private readonly List<LayerBuilder> _layers = new();
        private readonly HashSet<OnnxNode> _absorbed = new();

        public Walker(OnnxModel model) => _model = model;

        private long Opset => _model.Opset;

        public OnnxLayerGraph Run()
        {
            OnnxGraph graph = _model.Graph;
            OnnxValueInfo[] inputs = graph.RuntimeInputs.ToArray();
            if (inputs.Length != 1)
            {
                throw new OnnxFormatException($"the graph has {inputs.Length} inputs ({string.Join(", ", inputs.Select(i => $"'{i.Name}'"))}); a network reads one");
            }
            if (graph.Outputs.Count != 1)
            {
                throw new OnnxFormatException($"the graph has {graph.Outputs.Count} outputs; a network writes one");
            }
            foreach (OnnxTensor initializer in graph.Initializers)
            {
                _values[initializer.Name] = new ConstantValue(initializer);
            }
            _values[inputs[0].Name] = new DataValue(inputs[0].Name, null);
            foreach (OnnxNode node in graph.Nodes)
            {
                foreach (string input in node.Inputs.Where(i => i.Length > 0))
                {
                    _readers[input] = _readers.TryGetValue(input, out int n) ? n + 1 : 1;
                }
            }
            foreach (string output in graph.Outputs.Select(o => o.Name))
            {
                _readers[output] = _readers.TryGetValue(output, out int n) ? n + 1 : 1;
            }
            foreach (OnnxNode node in graph.Nodes)
            {
                if (!_absorbed.Contains(node))
                {
                    Visit(node);
                }
            }
            string outputName = graph.Outputs[0].Name;
            DataValue result = AsData(Lookup(outputName, null), outputName)
                ?? throw new OnnxFormatException($"the graph output '{outputName}' does not depend on the input");
            if (result.TimeMajor || result.DirectionAxis >= 0)
            {
                throw new OnnxFormatException($"the graph output '{outputName}' is a recurrent output still in ONNX's [steps, directions, batch, units] layout");
            }
            // Layers whose output no layer reads (torch permutes a copy only to take its batch size) are dead code.
            bool pruned;
            do
            {
                pruned = _layers.RemoveAll(l => l.Output != result.Name && !_layers.Any(o => o.Inputs.Contains(l.Output))) > 0;
            }
            while (pruned);
            IReadOnlyList<long>? inputShape = inputs[0].Shape is { Count: > 1 } dims && dims.Skip(1).All(d => d.Value > 0)
                ? dims.Skip(1).Select(d => d.Value!.Value).ToArray() : null;
            var shapes = new Dictionary<string, IReadOnlyList<long>?>(StringComparer.Ordinal) { [inputs[0].Name] = inputShape };
            var layers = new List<OnnxLayerCandidate>();
            foreach (LayerBuilder layer in _layers)
            {
                IReadOnlyList<long>?[] layerInputs = layer.Inputs.Select(i => shapes.TryGetValue(i, out var shape) ? shape : null).ToArray();
                IReadOnlyList<long>? output = layerInputs.All(i => i is not null) ? OnnxShapes.Output(layer, layerInputs!) : null;
                shapes[layer.Output] = output;
                layers.Add(layer.Build(output));
            }
            return new OnnxLayerGraph(inputs[0], inputShape, layers, result.Name);
        }

        private void Visit(OnnxNode node)
        {
            if (!OnnxOpsetImport.IsDefaultDomain(node.Domain))
            {
                throw Unsupported(node, $"operator {node.Domain}.{node.OpType} is not supported");
            }
            // Only recurrent operators may leave their first output out (tf2onnx keeps Y_h alone).
            if (node.Outputs.All(o => o.Length == 0) || node.Outputs[0].Length == 0 && node.OpType is not ("RNN" or "GRU" or "LSTM"))
            {
                throw Unsupported(node, "it has no output");
            }
            Value?[] inputs = node.Inputs.Select(i => i.Length == 0 ? null : Lookup(i, node)).ToArray();
            bool readsData = inputs.Any(v => v is DataValue or PointwiseValue or WindowValue or ColumnsValue);
            if (readsData && node.OpType is "Shape" or "Size")
            {
                _values[node.Outputs[0]] = new ShapeValue(ofData: node.OpType == "Shape");
                return;
            }
            if (!readsData)
            {
                VisitScaffolding(node, inputs);
                return;
            }
            int window = Array.FindIndex(inputs, v => v is WindowValue or ColumnsValue);
            if (window >= 0 && node.OpType is not ("Concat" or "MatMul"))
            {
                Data(node, inputs, window); // throws: only a lowered convolution reads Slices of the data
            }
            if (ElementwiseUnary.Contains(node.OpType) || ElementwiseBinary.Contains(node.OpType))
            {
                if (TryDenseBias(node, inputs) || TryPointwise(node, inputs))
                {
                    return;
                }
            }
            switch (node.OpType)
            {
                case "Identity":
                case "Dropout":
                    _values[node.Outputs[0]] = Data(node, inputs, 0);
                    return;
                case "Gemm": Gemm(node, inputs); return;
                case "MatMul" when inputs.Length > 0 && inputs[0] is ColumnsValue columns:
                    LoweredConvolution(node, columns, inputs);
                    return;
                case "MatMul": MatMul(node, inputs); return;
                case "Conv": Conv(node, inputs); return;
                case "Pad": Pad(node, inputs); return;
                case "MaxPool":
                case "AveragePool":
                    Pool(node, inputs);
                    return;
                case "GlobalAveragePool":
                case "GlobalMaxPool":
                    Add(new LayerBuilder(node.OpType == "GlobalMaxPool" ? OnnxLayerKind.GlobalMaxPool : OnnxLayerKind.GlobalAveragePool,
                        node.OpType, new[] { Data(node, inputs, 0).Name }, node.Outputs[0], node));
                    return;
                case "Flatten":
                    Add(new LayerBuilder(OnnxLayerKind.Flatten, node.OpType, new[] { Data(node, inputs, 0).Name }, node.Outputs[0], node))
                        .Ints["axis"] = new[] { node.Attribute("axis")?.Int ?? 1 };
                    return;
                case "Reshape": Reshape(node, inputs); return;
                case "Transpose": Transpose(node, inputs); return;
                case "Squeeze": Squeeze(node, inputs); return;
                case "Gather": LastStep(node, inputs); return;
                case "Softmax":
                case "LogSoftmax":
                    Add(new LayerBuilder(OnnxLayerKind.Softmax, node.OpType, new[] { Data(node, inputs, 0).Name }, node.Outputs[0], node))
                        .Ints["axis"] = new[] { node.Attribute("axis")?.Int ?? (Opset < 13 ? 1 : -1) };
                    return;
                case "BatchNormalization": BatchNormalization(node, inputs); return;
                case "LayerNormalization": LayerNormalization(node, inputs); return;
                case "ReduceMean":
                    if (LastAxis(node) && TryNext(node, "Sub") is not null) LayerNormalizationDecomposed(node, inputs);
                    else GlobalMean(node, inputs);
                    return;
                case "RNN":
                case "GRU":
                case "LSTM":
                    Recurrent(node, inputs);
                    return;
                case "Slice": Window(node, inputs); return;
                case "Concat" when inputs.Length > 0 && inputs.All(v => v is WindowValue):
                    Columns(node, inputs);
                    return;
                case "Concat":
                    var concat = Add(new LayerBuilder(OnnxLayerKind.Concat, node.OpType,
                        inputs.Select((_, i) => Data(node, inputs, i).Name).ToArray(), node.Outputs[0], node));
                    concat.Ints["axis"] = new[] { node.Attribute("axis")?.Int ?? 0 };
                    return;
                case "Add":
                    Add(new LayerBuilder(OnnxLayerKind.Add, node.OpType, new[] { Data(node, inputs, 0).Name, Data(node, inputs, 1).Name },
                        node.Outputs[0], node));
                    return;
                default:
                    throw Unsupported(node, $"operator {node.OpType} is not supported on the network's data");
            }
        }

        /// <summary>Nodes that read no data: constants evaluated, shape computations and zero states set aside.</summary>
        private void VisitScaffolding(OnnxNode node, Value?[] inputs)
        {
            if (node.OpType == "Constant")
            {
                OnnxTensor tensor = OnnxConstantFolder.FromConstantNode(node) ?? throw Unsupported(node, "the Constant holds no value this reader takes");
                _values[node.Outputs[0]] = new ConstantValue(tensor);
                return;
            }
            OnnxTensor?[] constants = inputs.Select(v => (v as ConstantValue)?.Tensor).ToArray();
            bool allConstant = inputs.All(v => v is null or ConstantValue);
            OnnxTensor? folded = allConstant ? OnnxConstantFolder.Evaluate(node, constants, Opset) : null;
            Value result;
            if (folded is not null)
            {
                result = new ConstantValue(folded);
            }
            else if (node.OpType == "ConstantOfShape")
            {
                OnnxTensor? fill = node.Attribute("value")?.Tensor;
                double[]? values = fill is null ? new[] { 0.0 } : OnnxConstantFolder.AsDoubles(fill);
                result = values is { Length: 1 } && values[0] == 0 ? new ZeroValue() : new ShapeValue();
            }
            else if (inputs.Length > 0 && inputs[0] is ZeroValue
                     && node.OpType is "Slice" or "Reshape" or "Squeeze" or "Unsqueeze" or "Transpose" or "Expand" or "Identity" or "Cast")
            {
                result = new ZeroValue();
            }
            else if (inputs.Any(v => v is ShapeValue) || node.OpType == "Shape")
            {
                result = BatchShape(node, inputs) ?? new ShapeValue();
            }
            else
            {
                throw Unsupported(node, $"operator {node.OpType} on constants could not be evaluated");
            }
            foreach (string output in node.Outputs.Where(o => o.Length > 0))
            {
                _values[output] = result;
            }
        }

        /// <summary>The shape vector torch builds from the batch size: Gather(Shape(x), 0), Unsqueeze, Concat with constants.</summary>
        private static ShapeValue? BatchShape(OnnxNode node, Value?[] inputs)
        {
            long[]? Vector(Value? v) => v switch
            {
                ShapeValue { Known: { } known, Scalar: false } => known,
                ConstantValue { Tensor: { IntValues: { } ints, Dims.Count: 1 } } => ints,
                _ => null,
            };
            switch (node.OpType)
            {
                case "Gather" when inputs.Length == 2 && inputs[0] is ShapeValue { OfData: true }
                    && inputs[1] is ConstantValue { Tensor: { IntValues: { Length: 1 } index, Dims.Count: 0 } } && index[0] == 0
                    && (node.Attribute("axis")?.Int ?? 0) == 0:
                    return new ShapeValue(new[] { ShapeValue.BatchSize }, scalar: true);
                case "Unsqueeze" when inputs.Length > 0 && inputs[0] is ShapeValue { Known: { } known, Scalar: true }:
                    long[]? axes = node.Attribute("axes")?.Ints.ToArray() ?? (inputs.Length > 1 ? (inputs[1] as ConstantValue)?.Tensor.IntValues : null);
                    return axes is { Length: 1 } && axes[0] == 0 ? new ShapeValue(known) : null;
                case "Concat" when (node.Attribute("axis")?.Int ?? 0) == 0 && inputs.All(v => Vector(v) is not null):
                    return new ShapeValue(inputs.SelectMany(v => Vector(v)!).ToArray());
                case "Cast" when inputs.Length == 1 && inputs[0] is ShapeValue { Known: not null } known:
                    return known;
                default:
                    return null;
            }
        }

        /// <summary>MatMul's Dense (no bias yet) followed by Add of a vector: Keras' Dense as tf2onnx writes it.</summary>
        private bool TryDenseBias(OnnxNode node, Value?[] inputs)
        {
            if (node.OpType != "Add" || inputs.Length != 2)
            {
                return false;
            }
            int dataIndex = inputs[0] is DataValue ? 0 : 1;
            if (inputs[dataIndex] is not DataValue { Producer: { AwaitsBias: true } dense, SoleUse: true }
                || inputs[1 - dataIndex] is not ConstantValue { Tensor: var bias } || _readers[node.Inputs[dataIndex]] != 1)
            {
                return false;
            }
            long units = dense.Tensors["weight"].Dims[0];
            if (bias.FloatValues is null || bias.ElementCount != units || bias.Dims.Count(d => d != 1) > 1)
            {
                return false;
            }
            dense.Tensors["bias"] = new OnnxTensor(bias.Name, bias.DataType, new[] { units }, bias.FloatValues, null);
            dense.AwaitsBias = false;
            dense.Nodes.Add(node.Name);
            dense.Output = node.Outputs[0];
            _values[node.Outputs[0]] = new DataValue("", dense);
            return true;
        }

        /// <summary>
        /// An elementwise node whose data inputs are all (functions of) the same tensor and whose other inputs are
        /// scalars: it joins that tensor's elementwise region, evaluated at the sample points.
        /// </summary>
        private bool TryPointwise(OnnxNode node, Value?[] inputs)
        {
            bool binary = ElementwiseBinary.Contains(node.OpType);
            if (binary ? inputs.Length != 2 || inputs[1] is null : inputs.Length == 0 || inputs[0] is not (DataValue or PointwiseValue))
            {
                return false;
            }
            if (inputs[0] is null)
            {
                return false;
            }
            DataValue? source = null;
            var samples = new List<double[]>();
            var nodes = new List<OnnxNode>();
            for (int i = 0; i < inputs.Length; i++)
            {
                switch (inputs[i])
                {
                    case null:
                        samples.Add(Array.Empty<double>());
                        break;
                    case DataValue data:
                        if (source is not null && !SameData(source, data) || data.TimeMajor || data.DirectionAxis >= 0)
                        {
                            return false;
                        }
                        source = data;
                        samples.Add(SamplePoints);
                        break;
                    case PointwiseValue region:
                        if (source is not null && !SameData(source, region.Input))
                        {
                            return false;
                        }
                        source = region.Input;
                        samples.Add(region.Samples);
                        nodes.AddRange(region.Nodes.Where(n => !nodes.Contains(n)));
                        break;
                    case ConstantValue { Tensor: var t } when OnnxConstantFolder.AsDoubles(t) is { Length: > 0 } c && c.All(v => v == c[0]):
                        samples.Add(Enumerable.Repeat(c[0], SamplePoints.Length).ToArray());
                        break;
                    default:
                        return false;
                }
            }
            if (source is null)
            {
                return false;
            }
            nodes.Add(node);
            _values[node.Outputs[0]] = new PointwiseValue(source, Apply(node, samples), nodes);
            return true;
        }

        private static bool SameData(DataValue a, DataValue b) => a.Name == b.Name;

        /// <summary>The region computing <paramref name="name"/> becomes one Activation layer, named by what it computes.</summary>
        private DataValue Materialize(PointwiseValue region, string name)
        {
            OnnxNode last = region.Nodes[region.Nodes.Count - 1];
            var floats = new Dictionary<string, float>();
            var strings = new Dictionary<string, string>();
            string op;
            if (region.Nodes.Count == 1 && ActivationOperators.Contains(last.OpType))
            {
                op = last.OpType;
                foreach (OnnxAttribute attribute in last.Attributes)
                {
                    if (attribute.Type == OnnxAttributeType.Float)
                    {
                        floats[attribute.Name] = attribute.Float;
                    }
                    else if (attribute.Type == OnnxAttributeType.String)
                    {
                        strings[attribute.Name] = attribute.String;
                    }
                }
                FillDefaults(op, floats);
            }
            else
            {
                var match = KnownActivations.FirstOrDefault(a => Matches(a.F, region.Samples));
                if (match.Name is null)
                {
                    throw Unsupported(last, $"the elementwise nodes {string.Join(", ", region.Nodes.Select(n => $"'{n.Name}' ({n.OpType})"))} compute no activation the product has");
                }
                op = match.Name;
                if (match.Approximate is not null)
                {
                    strings["approximate"] = match.Approximate;
                }
            }
            var layer = new LayerBuilder(OnnxLayerKind.Activation, op, new[] { region.Input.Name }, name, region.Nodes[0]);
            layer.Nodes.AddRange(region.Nodes.Skip(1).Select(n => n.Name));
            foreach (var f in floats)
            {
                layer.Floats[f.Key] = f.Value;
            }
            foreach (var t in strings)
            {
                layer.Strings[t.Key] = t.Value;
            }
            return new DataValue("", Add(layer));
        }

        private static void FillDefaults(string op, Dictionary<string, float> floats)
        {
            void Default(string name, float value)
            {
                if (!floats.ContainsKey(name))
                {
                    floats[name] = value;
                }
            }
            switch (op)
            {
                case "LeakyRelu": Default("alpha", 0.01f); break;
                case "Elu": Default("alpha", 1f); break;
                case "Selu": Default("alpha", 1.67326319217681884765625f); Default("gamma", 1.05070102214813232421875f); break;
                case "HardSigmoid": Default("alpha", 0.2f); Default("beta", 0.5f); break;
            }
        }

        private static bool Matches(Func<double, double> f, double[] samples)
        {
            for (int i = 0; i < SamplePoints.Length; i++)
            {
                double expected = f(SamplePoints[i]);
                if (!(Math.Abs(samples[i] - expected) <= 1e-5 * (1 + Math.Abs(expected))))
                {
                    return false;
                }
            }
            return true;
        }

        private void Gemm(OnnxNode node, Value?[] inputs)
        {
            DataValue x = Data(node, inputs, 0);
            OnnxTensor b = Constant(node, inputs, 1, "B");
            if ((node.Attribute("transA")?.Int ?? 0) != 0 || b.Dims.Count != 2 || !b.HasFloatValues)
            {
                throw Unsupported(node, "only Gemm(X, W, bias) with X untransposed and a 2-D floating-point W is a Dense layer");
            }
            double alpha = node.Attribute("alpha")?.Float ?? 1, beta = node.Attribute("beta")?.Float ?? 1;
            OnnxTensor weight = (node.Attribute("transB")?.Int ?? 0) != 0 ? b : Transposed(b);
            if (alpha != 1)
            {
                weight = Scaled(weight, alpha);
            }
            var layer = Add(new LayerBuilder(OnnxLayerKind.Dense, "Gemm", new[] { x.Name }, node.Outputs[0], node));
            layer.Tensors["weight"] = weight;
            if (inputs.Length > 2 && inputs[2] is not null)
            {
                OnnxTensor c = Constant(node, inputs, 2, "C");
                long units = weight.Dims[0];
                double[] values = c.FloatValues ?? throw Unsupported(node, "its bias C is not floating point");
                if (values.Length != units && values.Length != 1)
                {
                    throw Unsupported(node, $"its bias C has shape {c.DescribeShape()} where [{units}] was expected");
                }
                double[] bias = Enumerable.Range(0, (int)units).Select(i => values[values.Length == 1 ? 0 : i] * beta).ToArray();
                layer.Tensors["bias"] = new OnnxTensor(c.Name, c.DataType, new[] { units }, bias, null);
            }
        }

        private void MatMul(OnnxNode node, Value?[] inputs)
        {
            DataValue x = Data(node, inputs, 0);
            OnnxTensor w = inputs.Length > 1 && inputs[1] is ConstantValue { Tensor: var t } && t.Dims.Count == 2 && t.FloatValues is not null
                ? t : throw Unsupported(node, "only MatMul of the data by a 2-D floating-point initializer is a Dense layer");
            var layer = Add(new LayerBuilder(OnnxLayerKind.Dense, "MatMul", new[] { x.Name }, node.Outputs[0], node));
            layer.Tensors["weight"] = Transposed(w);
            layer.AwaitsBias = true;
        }

        private void Conv(OnnxNode node, Value?[] inputs)
        {
            DataValue x = Data(node, inputs, 0);
            OnnxTensor w = Constant(node, inputs, 1, "W");
            int spatial = w.Dims.Count - 2;
            if (spatial < 1 || !w.HasFloatValues)
            {
                throw Unsupported(node, $"its weight has shape {w.DescribeShape()}; a convolution weight is [filters, channels, kernel...]");
            }
            long[] pads = Ints(node, "pads", new long[2 * spatial]);
            string input = x.Name;
            if (x.Producer is { Kind: OnnxLayerKind.Pad } pad && x.SoleUse && _readers[node.Inputs[0]] == 1
                && pad.Ints["pads"].Count == 2 * (spatial + 2) && pad.Floats["value"] == 0 && pad.Strings["mode"] == "constant")
            {
                // A zero Pad of the spatial axes only is the convolution's own padding (torch's causal Conv1d).
                IReadOnlyList<long> padPads = pad.Ints["pads"];
                if (padPads[0] == 0 && padPads[1] == 0 && padPads[spatial + 2] == 0 && padPads[spatial + 3] == 0)
                {
                    for (int d = 0; d < spatial; d++)
                    {
                        pads[d] += padPads[2 + d];
                        pads[spatial + d] += padPads[spatial + 4 + d];
                    }
                    _layers.Remove(pad);
                    input = pad.Inputs[0];
                }
            }
            var layer = Add(new LayerBuilder(OnnxLayerKind.Conv, "Conv", new[] { input }, node.Outputs[0], node));
            if (input != x.Name)
            {
                layer.Nodes.InsertRange(0, x.Producer!.Nodes);
            }
            layer.Tensors["weight"] = w;
            if (inputs.Length > 2 && inputs[2] is not null)
            {
                layer.Tensors["bias"] = Constant(node, inputs, 2, "B");
            }
            layer.Ints["kernel_shape"] = Ints(node, "kernel_shape", w.Dims.Skip(2).ToArray());
            layer.Ints["strides"] = Ints(node, "strides", Enumerable.Repeat(1L, spatial).ToArray());
            layer.Ints["dilations"] = Ints(node, "dilations", Enumerable.Repeat(1L, spatial).ToArray());
            layer.Ints["pads"] = pads;
            layer.Ints["group"] = new[] { node.Attribute("group")?.Int ?? 1 };
            layer.Strings["auto_pad"] = node.Attribute("auto_pad")?.String ?? "NOTSET";
        }

        private void Pad(OnnxNode node, Value?[] inputs)
        {
            DataValue x = Data(node, inputs, 0);
            long[] pads = Opset < 11 ? Ints(node, "pads", Array.Empty<long>())
                : (inputs.Length > 1 ? (inputs[1] as ConstantValue)?.Tensor.IntValues : null)
                  ?? throw Unsupported(node, "its pads are not constant");
            double value = 0;
            if (Opset < 11)
            {
                value = node.Attribute("value")?.Float ?? 0;
            }
            else if (inputs.Length > 2 && inputs[2] is not null)
            {
                value = (inputs[2] as ConstantValue)?.Tensor is { } v && OnnxConstantFolder.AsDoubles(v) is { Length: 1 } d
                    ? d[0] : throw Unsupported(node, "its padding value is not a constant scalar");
            }
            if (inputs.Length > 3 && inputs[3] is not null)
            {
                throw Unsupported(node, "padding only some axes is not supported");
            }
            if (pads.All(p => p == 0))
            {
                _values[node.Outputs[0]] = x;
                return;
            }
            var layer = Add(new LayerBuilder(OnnxLayerKind.Pad, "Pad", new[] { x.Name }, node.Outputs[0], node));
            layer.Ints["pads"] = pads;
            layer.Floats["value"] = (float)value;
            layer.Strings["mode"] = node.Attribute("mode")?.String ?? "constant";
        }

        private void Pool(OnnxNode node, Value?[] inputs)
        {
            if (node.Outputs.Count > 1 && node.Outputs[1].Length > 0 && _readers.ContainsKey(node.Outputs[1]))
            {
                throw Unsupported(node, "its indices output is read, which no pooling layer gives");
            }
            long[] kernel = Ints(node, "kernel_shape", Array.Empty<long>());
            if (kernel.Length == 0)
            {
                throw Unsupported(node, "it has no kernel_shape");
            }
            long[] pads = Ints(node, "pads", new long[2 * kernel.Length]);
            long countIncludePad = node.Attribute("count_include_pad")?.Int ?? 0;
            DataValue x = Data(node, inputs, 0);
            string input = x.Name;
            // torch's AvgPool with count_include_pad=True is a zero Pad, then an AveragePool: the same as pads counted in the mean.
            if (node.OpType == "AveragePool" && FoldablePad(node, x, kernel.Length) is { } pad)
            {
                IReadOnlyList<long> padPads = pad.Ints["pads"];
                for (int d = 0; d < kernel.Length; d++)
                {
                    pads[d] += padPads[2 + d];
                    pads[kernel.Length + d] += padPads[kernel.Length + 4 + d];
                }
                countIncludePad = 1;
                _layers.Remove(pad);
                input = pad.Inputs[0];
            }
            var layer = Add(new LayerBuilder(node.OpType == "MaxPool" ? OnnxLayerKind.MaxPool : OnnxLayerKind.AveragePool,
                node.OpType, new[] { input }, node.Outputs[0], node));
            if (input != x.Name)
            {
                layer.Nodes.InsertRange(0, x.Producer!.Nodes);
            }
            layer.Ints["kernel_shape"] = kernel;
            layer.Ints["strides"] = Ints(node, "strides", Enumerable.Repeat(1L, kernel.Length).ToArray());
            layer.Ints["pads"] = pads;
            layer.Ints["dilations"] = Ints(node, "dilations", Enumerable.Repeat(1L, kernel.Length).ToArray());
            layer.Ints["ceil_mode"] = new[] { node.Attribute("ceil_mode")?.Int ?? 0 };
            if (node.OpType == "AveragePool")
            {
                layer.Ints["count_include_pad"] = new[] { countIncludePad };
            }
            layer.Strings["auto_pad"] = node.Attribute("auto_pad")?.String ?? "NOTSET";
        }

        /// <summary>The zero Pad of the spatial axes only that <paramref name="x"/> comes from, if nothing else reads it.</summary>
        private LayerBuilder? FoldablePad(OnnxNode node, DataValue x, int spatial) =>
            x.Producer is { Kind: OnnxLayerKind.Pad } pad && x.SoleUse && _readers[node.Inputs[0]] == 1
            && pad.Ints["pads"].Count == 2 * (spatial + 2) && pad.Floats["value"] == 0 && pad.Strings["mode"] == "constant"
            && pad.Ints["pads"] is var p && p[0] == 0 && p[1] == 0 && p[spatial + 2] == 0 && p[spatial + 3] == 0
                ? pad : null;

        /// <summary>
        /// torch's <c>x.mean(dim=(2, 3))</c> (or over the last axis of a Conv1d's output): a ReduceMean over every axis
        /// after the channels is a GlobalAveragePool; "axes" and "keepdims" are checked against the rank with the shapes.
        /// </summary>
        private void GlobalMean(OnnxNode node, Value?[] inputs)
        {
            long[]? axes = node.Attribute("axes")?.Ints.ToArray() ?? (inputs.Length > 1 ? (inputs[1] as ConstantValue)?.Tensor.IntValues : null);
            if (axes is not { Length: > 0 })
            {
                throw Unsupported(node, "ReduceMean is supported only over constant axes: every axis after the channels (a global average pool) or the last axis starting a LayerNormalization decomposition");
            }
            var layer = Add(new LayerBuilder(OnnxLayerKind.GlobalAveragePool, "ReduceMean", new[] { Data(node, inputs, 0).Name }, node.Outputs[0], node));
            layer.Ints["axes"] = axes;
            layer.Ints["keepdims"] = new[] { node.Attribute("keepdims")?.Int ?? 1 };
        }

        private void Reshape(OnnxNode node, Value?[] inputs)
        {
            DataValue x = Data(node, inputs, 0);
            Value? shape = inputs.Length > 1 ? inputs[1] : null;
            // The batch size where torch computed it is "copy this axis" (0), as a constant shape would say.
            long[]? target = (shape as ConstantValue)?.Tensor.IntValues
                ?? (shape as ShapeValue)?.Known?.Select(d => d == ShapeValue.BatchSize ? 0 : d).ToArray();
            bool flatten = target is { Length: 2 } && target[1] != 0 && (target[0] is 0 or -1 || target[1] == -1);
            var layer = Add(new LayerBuilder(flatten ? OnnxLayerKind.Flatten : OnnxLayerKind.Reshape, "Reshape",
                new[] { x.Name }, node.Outputs[0], node));
            if (flatten)
            {
                layer.Ints["axis"] = new[] { 1L };
            }
            else if (target is not null)
            {
                layer.Ints["shape"] = target;
            }
            else
            {
                layer.Strings["shape"] = "computed at run time";
            }
        }

        /// <summary>[batch, steps, features] ⇄ [steps, batch, features] around recurrent operators folds away; others are layers.</summary>
        private void Transpose(OnnxNode node, Value?[] inputs)
        {
            DataValue x = Data(node, inputs, 0);
            long[] perm = Ints(node, "perm", Array.Empty<long>());
            if (perm.SequenceEqual(new long[] { 1, 0, 2 }) && x.DirectionAxis < 0)
            {
                _values[node.Outputs[0]] = Alias(node, x, timeMajor: !x.TimeMajor, directionAxis: -1);
                return;
            }
            if (perm.SequenceEqual(new long[] { 2, 0, 1 }) && !x.TimeMajor && x.DirectionAxis < 0)
            {
                // A Conv1d's [batch, channels, steps] into a recurrent layer: torch fuses permute(0, 2, 1) with the
                // time-major Transpose. The layer is the batch-first [batch, steps, channels]; the view is time-major.
                var swap = Add(new LayerBuilder(OnnxLayerKind.Transpose, "Transpose", new[] { x.Name }, node.Outputs[0], node));
                swap.Ints["perm"] = new long[] { 0, 2, 1 };
                _values[node.Outputs[0]] = new DataValue("", swap, timeMajor: true);
                return;
            }
            Add(new LayerBuilder(OnnxLayerKind.Transpose, "Transpose", new[] { x.Name }, node.Outputs[0], node)).Ints["perm"] = perm;
        }

        private void Squeeze(OnnxNode node, Value?[] inputs)
        {
            DataValue x = Data(node, inputs, 0);
            long[]? axes = node.Attribute("axes")?.Ints.ToArray()
                ?? (inputs.Length > 1 ? (inputs[1] as ConstantValue)?.Tensor.IntValues : null);
            if (x.DirectionAxis < 0 || axes is not { Length: 1 } || axes[0] != x.DirectionAxis)
            {
                throw Unsupported(node, "Squeeze is supported only of a recurrent output's directions axis");
            }
            _values[node.Outputs[0]] = Alias(node, x, x.TimeMajor, directionAxis: -1);
        }

        /// <summary>torch's <c>y[:, -1, :]</c> on a recurrent layer's sequence: the layer returns its last step only.</summary>
        private void LastStep(OnnxNode node, Value?[] inputs)
        {
            DataValue x = Data(node, inputs, 0);
            long[]? index = (inputs.Length > 1 ? inputs[1] as ConstantValue : null)?.Tensor.IntValues;
            if (x.Producer is not { Kind: OnnxLayerKind.Recurrent } recurrent || x.TimeMajor || x.DirectionAxis >= 0
                || !x.SoleUse || _readers[node.Inputs[0]] != 1 || (node.Attribute("axis")?.Int ?? 0) != 1
                || index is not { Length: 1 } || index[0] != -1 || inputs[1] is ConstantValue { Tensor.Dims.Count: > 0 })
            {
                throw Unsupported(node, "Gather is supported only as the last step (index -1 on axis 1) of a recurrent layer's batch-first output");
            }
            recurrent.Ints["return_sequences"] = new[] { 0L };
            recurrent.Nodes.Add(node.Name);
            recurrent.Output = node.Outputs[0];
            _values[node.Outputs[0]] = new DataValue("", recurrent);
        }

        private void BatchNormalization(OnnxNode node, Value?[] inputs)
        {
            var layer = Add(new LayerBuilder(OnnxLayerKind.BatchNormalization, node.OpType, new[] { Data(node, inputs, 0).Name }, node.Outputs[0], node));
            string[] roles = { "scale", "bias", "mean", "variance" };
            for (int i = 0; i < roles.Length; i++)
            {
                layer.Tensors[roles[i]] = Constant(node, inputs, i + 1, roles[i]);
            }
            layer.Floats["epsilon"] = node.Attribute("epsilon")?.Float ?? 1e-5f;
        }

        private void LayerNormalization(OnnxNode node, Value?[] inputs)
        {
            var layer = Add(new LayerBuilder(OnnxLayerKind.LayerNormalization, node.OpType, new[] { Data(node, inputs, 0).Name }, node.Outputs[0], node));
            layer.Tensors["scale"] = Constant(node, inputs, 1, "scale");
            if (inputs.Length > 2 && inputs[2] is not null)
            {
                layer.Tensors["bias"] = Constant(node, inputs, 2, "B");
            }
            layer.Ints["axis"] = new[] { node.Attribute("axis")?.Int ?? -1 };
            layer.Floats["epsilon"] = node.Attribute("epsilon")?.Float ?? 1e-5f;
        }

        /// <summary>torch's LayerNorm before opset 17: ReduceMean, Sub, Pow 2, ReduceMean, Add eps, Sqrt, Div, Mul scale, Add bias.</summary>
        private void LayerNormalizationDecomposed(OnnxNode mean, Value?[] inputs)
        {
            DataValue x = Data(mean, inputs, 0);
            string fail = "ReduceMean is supported only as the start of a LayerNormalization decomposition";
            OnnxNode sub = Next(mean, "Sub", fail);
            if (In(sub, 0) != In(mean, 0) || In(sub, 1) != mean.Outputs[0] || !LastAxis(mean))
            {
                throw Unsupported(mean, fail);
            }
            OnnxNode pow = Next(sub, "Pow", fail, onlyReader: false);
            OnnxNode variance = Next(pow, "ReduceMean", fail);
            OnnxNode addEpsilon = Next(variance, "Add", fail);
            OnnxNode sqrt = Next(addEpsilon, "Sqrt", fail);
            OnnxNode div = Next(sqrt, "Div", fail);
            if (!LastAxis(variance) || ScalarInput(pow, 1) != 2 || In(div, 0) != sub.Outputs[0]
                || ScalarInput(addEpsilon, In(addEpsilon, 0) == variance.Outputs[0] ? 1 : 0) is not { } epsilon)
            {
                throw Unsupported(mean, fail);
            }
            var layer = Add(new LayerBuilder(OnnxLayerKind.LayerNormalization, "LayerNormalization", new[] { x.Name }, div.Outputs[0], mean));
            var nodes = new List<OnnxNode> { sub, pow, variance, addEpsilon, sqrt, div };
            OnnxNode last = div;
            if (TryNext(last, "Mul") is { } scale && VectorInput(scale, last) is { } gamma)
            {
                layer.Tensors["scale"] = gamma;
                nodes.Add(last = scale);
                if (TryNext(last, "Add") is { } shift && VectorInput(shift, last) is { } beta)
                {
                    layer.Tensors["bias"] = beta;
                    nodes.Add(last = shift);
                }
            }
            foreach (OnnxNode node in nodes)
            {
                _absorbed.Add(node);
                layer.Nodes.Add(node.Name);
            }
            layer.Output = last.Outputs[0];
            layer.Ints["axis"] = new[] { -1L };
            layer.Floats["epsilon"] = (float)epsilon;
            _values[last.Outputs[0]] = new DataValue("", layer);
        }

        /// <summary>Over the last axis, kept: torch writes axes [-1] (its rank is not known here for a positive axis).</summary>
        private static bool LastAxis(OnnxNode reduce) =>
            reduce.Attribute("axes")?.Ints is { Count: 1 } axes && axes[0] == -1 && (reduce.Attribute("keepdims")?.Int ?? 1) == 1;

        private static string In(OnnxNode node, int index) => index < node.Inputs.Count ? node.Inputs[index] : "";

        private OnnxNode Next(OnnxNode node, string opType, string fail, bool onlyReader = true)
        {
            OnnxNode? next = TryNext(node, opType, onlyReader);
            return next ?? throw Unsupported(node, fail);
        }

        /// <summary>The node of <paramref name="opType"/> reading <paramref name="node"/>'s output, if it is the only reader (or the first).</summary>
        private OnnxNode? TryNext(OnnxNode node, string opType, bool onlyReader = true)
        {
            string output = node.Outputs[0];
            if (onlyReader && _readers.TryGetValue(output, out int n) && n != 1)
            {
                return null;
            }
            return _model.Graph.Nodes.FirstOrDefault(r => r.OpType == opType && r.Inputs.Contains(output)
                && r.Outputs.Count > 0 && r.Outputs[0].Length > 0 && !_absorbed.Contains(r));
        }

        private double? ScalarInput(OnnxNode node, int index) =>
            ConstantNamed(In(node, index)) is { } t && OnnxConstantFolder.AsDoubles(t) is { Length: 1 } d ? d[0] : null;

        private OnnxTensor? VectorInput(OnnxNode node, OnnxNode previous)
        {
            string other = node.Inputs.Count == 2 ? node.Inputs[node.Inputs[0] == previous.Outputs[0] ? 1 : 0] : "";
            return ConstantNamed(other) is { FloatValues: not null } t ? t : null;
        }

        /// <summary>An initializer, an evaluated constant, or a Constant node not visited yet (a pattern looks ahead).</summary>
        private OnnxTensor? ConstantNamed(string name)
        {
            if (_values.TryGetValue(name, out Value? value))
            {
                return (value as ConstantValue)?.Tensor;
            }
            OnnxNode? constant = _model.Graph.Nodes.FirstOrDefault(n => n.OpType == "Constant" && n.Outputs.Count > 0 && n.Outputs[0] == name);
            return constant is null ? null : OnnxConstantFolder.FromConstantNode(constant);
        }

        private void Recurrent(OnnxNode node, Value?[] inputs)
        {
            DataValue x = Data(node, inputs, 0);
            bool batchFirst = (node.Attribute("layout")?.Int ?? 0) == 1;
            if (x.DirectionAxis >= 0 || x.TimeMajor == batchFirst)
            {
                throw Unsupported(node, batchFirst ? "its layout is batch-first but its input is time-major" : "its input is not a [steps, batch, features] view of the data");
            }
            if (inputs.Length > 4 && inputs[4] is not null)
            {
                throw Unsupported(node, "sequence lengths are not supported");
            }
            for (int i = 5; i < inputs.Length; i++)
            {
                if (inputs[i] is not (null or ZeroValue) && !(inputs[i] is ConstantValue { Tensor: var s } && (OnnxConstantFolder.AsDoubles(s)?.All(v => v == 0) ?? false)))
                {
                    throw Unsupported(node, i == 7 ? "peephole weights are not supported" : "its initial state is not zero");
                }
            }
            bool sequenceRead = _readers.ContainsKey(node.Outputs[0]);
            bool lastRead = node.Outputs.Count > 1 && node.Outputs[1].Length > 0 && _readers.ContainsKey(node.Outputs[1]);
            if (node.Outputs.Skip(2).Any(o => o.Length > 0 && _readers.ContainsKey(o)) || sequenceRead && lastRead)
            {
                throw Unsupported(node, "more than one of its outputs is read");
            }
            string output = lastRead ? node.Outputs[1] : node.Outputs[0];
            var layer = Add(new LayerBuilder(OnnxLayerKind.Recurrent, node.OpType, new[] { x.Name }, output, node));
            layer.Tensors["W"] = Constant(node, inputs, 1, "W");
            layer.Tensors["R"] = Constant(node, inputs, 2, "R");
            if (inputs.Length > 3 && inputs[3] is not null)
            {
                layer.Tensors["B"] = Constant(node, inputs, 3, "B");
            }
            layer.Ints["hidden_size"] = new[] { node.Attribute("hidden_size")?.Int ?? layer.Tensors["R"].Dims.LastOrDefault() };
            layer.Ints["return_sequences"] = new[] { lastRead ? 0L : 1L };
            layer.Ints["layout"] = new[] { batchFirst ? 1L : 0L };
            if (node.OpType == "GRU")
            {
                layer.Ints["linear_before_reset"] = new[] { node.Attribute("linear_before_reset")?.Int ?? 0 };
            }
            layer.Strings["direction"] = node.Attribute("direction")?.String ?? "forward";
            if (node.Attribute("activations") is { } activations)
            {
                layer.Strings["activations"] = string.Join(",", activations.Strings);
            }
            if (node.Attribute("clip") is { } clip)
            {
                layer.Floats["clip"] = clip.Float;
            }
            // Y is [steps, directions, batch, units] (batch-first layout: [batch, steps, directions, units]); Y_h [directions, batch, units].
            _values[output] = new DataValue("", layer, timeMajor: !lastRead && !batchFirst,
                directionAxis: lastRead ? 0 : batchFirst ? 2 : 1);
        }

        /// <summary>The same data in another view; the node joins the layer that produced it, for messages.</summary>
        private DataValue Alias(OnnxNode node, DataValue x, bool timeMajor, int directionAxis)
        {
            x.Producer?.Nodes.Add(node.Name);
            return new(x.InputName, x.Producer, timeMajor, directionAxis, x.SoleUse && _readers[node.Inputs[0]] == 1);
        }

        private LayerBuilder Add(LayerBuilder layer)
        {
            _layers.Add(layer);
            _values[layer.Output] = new DataValue("", layer);
            return layer;
        }

        private Value Lookup(string name, OnnxNode? reader) =>
            _values.TryGetValue(name, out Value? value) ? value
                : throw new OnnxFormatException(reader is null ? $"the graph output '{name}' is never computed" : $"{reader.Describe()} reads '{name}' before it is computed");

        /// <summary>Input <paramref name="index"/> as data, an elementwise region before it made a layer.</summary>
        private DataValue Data(OnnxNode node, Value?[] inputs, int index) =>
            (index < inputs.Length ? AsData(inputs[index], node.Inputs[index]) : null)
            ?? throw Unsupported(node, index < inputs.Length && inputs[index] is WindowValue or ColumnsValue
                ? $"it reads '{node.Inputs[index]}', Slices of the data, which only {LoweredConvolutionPattern} may read"
                : $"its input {index} is not the network's data");

        private DataValue? AsData(Value? value, string name) => value switch
        {
            DataValue data => data,
            PointwiseValue region => Materialize(region, name),
            _ => null,
        };

        private static OnnxTensor Constant(OnnxNode node, Value?[] inputs, int index, string role) =>
            index < inputs.Length && inputs[index] is ConstantValue { Tensor: var tensor }
                ? tensor : throw Unsupported(node, $"its {role} (input {index}) is not an initializer or constant");

        private static long[] Ints(OnnxNode node, string name, long[] fallback) =>
            node.Attribute(name)?.Ints.ToArray() ?? fallback;

        private static OnnxFormatException Unsupported(OnnxNode node, string reason) => new($"{node.Describe()}: {reason}");
    }

    /// <summary>
    /// Each layer's output shape from its inputs' (batch axis left out, ONNX's layout), checking that its tensors
    /// fit what it reads: a file whose Gemm does not take the Flatten before it is refused here, naming the node.
    /// </summary>
    private static class OnnxShapes
    {
        public static IReadOnlyList<long>? Output(LayerBuilder layer, IReadOnlyList<long>[] inputs)
        {
            IReadOnlyList<long> x = inputs[0];
            int rank = x.Count;
            switch (layer.Kind)
            {
                case OnnxLayerKind.Dense:
                {
                    IReadOnlyList<long> weight = layer.Tensors["weight"].Dims;
                    Expect(layer, rank >= 1 && weight[1] == x[rank - 1], $"a weight [units, {Last(x)}]", $"[{Join(weight)}] for an input [{Join(x)}]");
                    return x.Take(rank - 1).Concat(new[] { weight[0] }).ToArray();
                }
                case OnnxLayerKind.Conv:
                {
                    IReadOnlyList<long> weight = layer.Tensors["weight"].Dims;
                    long group = layer.Ints["group"][0];
                    Expect(layer, rank == weight.Count - 1 && group > 0 && weight[1] * group == x[0],
                        $"an input [{weight[1] * group}, ...] of rank {weight.Count - 1}", $"[{Join(x)}]");
                    long[] output = new[] { weight[0] }.Concat(Windows(layer, x, ceil: false)).ToArray();
                    if (layer.Ints.TryGetValue("window_starts", out var starts))
                    {
                        IReadOnlyList<long> pads = layer.Ints["pads"];
                        long[] padded = x.Skip(1).Select((d, a) => d + pads[a] + pads[x.Count - 1 + a]).ToArray();
                        Expect(layer, WindowsFit(starts, layer.Ints["window_ends"], layer.Ints["strides"], padded, output.Skip(1).ToArray()),
                            $"Slices of {Join(output.Skip(1))} positions each", $"ends [{Join(layer.Ints["window_ends"])}] of an input [{Join(padded)}] (padded, channels last)");
                    }
                    return output;
                }
                case OnnxLayerKind.MaxPool:
                case OnnxLayerKind.AveragePool:
                    Expect(layer, rank == layer.Ints["kernel_shape"].Count + 1, $"an input of rank {layer.Ints["kernel_shape"].Count + 1}", $"[{Join(x)}]");
                    return new[] { x[0] }.Concat(Windows(layer, x, ceil: layer.Ints["ceil_mode"][0] != 0)).ToArray();
                case OnnxLayerKind.GlobalAveragePool:
                case OnnxLayerKind.GlobalMaxPool:
                    if (layer.Ints.TryGetValue("axes", out var axes))
                    {
                        // A ReduceMean: its axes (counting the batch) must be every one after the channels.
                        var sorted = axes.Select(a => a < 0 ? a + rank + 1 : a).OrderBy(a => a).ToArray();
                        Expect(layer, rank >= 2 && sorted.SequenceEqual(Enumerable.Range(2, rank - 1).Select(a => (long)a)),
                            $"axes [{Join(Enumerable.Range(2, Math.Max(rank - 1, 0)).Select(a => (long)a))}] (every axis after the channels)", $"axes [{Join(axes)}] of an input [{Join(x)}]");
                        if (layer.Ints["keepdims"][0] == 0) return new[] { x[0] };
                    }
                    return x.Select((d, i) => i == 0 ? d : 1).ToArray();
                case OnnxLayerKind.Flatten:
                    return layer.Ints["axis"][0] == 1 ? new[] { x.Aggregate(1L, (a, b) => a * b) } : null;
                case OnnxLayerKind.Transpose:
                {
                    IReadOnlyList<long> perm = layer.Ints["perm"];
                    Expect(layer, perm.Count == rank + 1 && perm[0] == 0 && perm.Skip(1).All(p => p >= 1 && p <= rank) && perm.Distinct().Count() == perm.Count,
                        "a permutation that keeps the batch axis first", $"[{Join(perm)}] for an input [{Join(x)}]");
                    return perm.Skip(1).Select(p => x[(int)p - 1]).ToArray();
                }
                case OnnxLayerKind.Activation:
                case OnnxLayerKind.Softmax:
                    return x;
                case OnnxLayerKind.BatchNormalization:
                    Expect(layer, layer.Tensors.Values.All(t => t.ElementCount == x[0]), $"statistics of {x[0]} channels",
                        string.Join(", ", layer.Tensors.Select(t => $"{t.Key} {t.Value.DescribeShape()}")));
                    return x;
                case OnnxLayerKind.LayerNormalization:
                    Expect(layer, layer.Tensors.Values.All(t => t.ElementCount == x[rank - 1]), $"scale and bias of {Last(x)} elements",
                        string.Join(", ", layer.Tensors.Select(t => $"{t.Key} {t.Value.DescribeShape()}")));
                    return x;
                case OnnxLayerKind.Recurrent:
                {
                    IReadOnlyList<long> w = layer.Tensors["W"].Dims;
                    long units = layer.Ints["hidden_size"][0];
                    Expect(layer, rank == 2 && w.Count == 3 && w[2] == x[1], $"a sequence [steps, {(w.Count == 3 ? w[2] : 0)}]", $"[{Join(x)}]");
                    return layer.Ints["return_sequences"][0] == 1 ? new[] { x[0], units } : new[] { units };
                }
                case OnnxLayerKind.Add:
                    Expect(layer, inputs.All(i => i.SequenceEqual(x)), $"inputs of one shape [{Join(x)}]", string.Join(" and ", inputs.Select(i => $"[{Join(i)}]")));
                    return x;
                case OnnxLayerKind.Concat:
                {
                    long axis = layer.Ints["axis"][0];
                    int a = (int)(axis < 0 ? axis + rank : axis - 1);
                    Expect(layer, a >= 0 && a < rank && inputs.All(i => i.Count == rank && Enumerable.Range(0, rank).All(d => d == a || i[d] == x[d])),
                        $"inputs that differ only along axis {axis}", string.Join(" and ", inputs.Select(i => $"[{Join(i)}]")));
                    return x.Select((d, i) => i == a ? inputs.Sum(p => p[a]) : d).ToArray();
                }
                case OnnxLayerKind.Pad:
                {
                    IReadOnlyList<long> pads = layer.Ints["pads"];
                    Expect(layer, pads.Count == 2 * (rank + 1), $"{2 * (rank + 1)} pads", $"{pads.Count}");
                    return x.Select((d, i) => d + pads[i + 1] + pads[rank + 2 + i]).ToArray();
                }
                default:
                    return null;
            }
        }

        /// <summary>Each spatial size through ONNX's window arithmetic (explicit pads, or auto_pad SAME_*).</summary>
        private static IEnumerable<long> Windows(LayerBuilder layer, IReadOnlyList<long> x, bool ceil)
        {
            IReadOnlyList<long> kernel = layer.Ints["kernel_shape"], strides = layer.Ints["strides"], dilations = layer.Ints["dilations"], pads = layer.Ints["pads"];
            int spatial = x.Count - 1;
            string autoPad = layer.Strings["auto_pad"];
            Expect(layer, kernel.Count == spatial && strides.Count == spatial && dilations.Count == spatial && pads.Count == 2 * spatial
                && strides.All(v => v > 0) && dilations.All(v => v > 0), $"{spatial} kernel sizes, positive strides and dilations, {2 * spatial} pads",
                $"kernel [{Join(kernel)}], strides [{Join(strides)}], dilations [{Join(dilations)}], pads [{Join(pads)}]");
            for (int a = 0; a < spatial; a++)
            {
                long size = x[a + 1], span = dilations[a] * (kernel[a] - 1) + 1;
                long output = autoPad is "SAME_UPPER" or "SAME_LOWER" ? (size + strides[a] - 1) / strides[a]
                    : autoPad == "VALID" ? (size - span) / strides[a] + 1
                    : ((size + pads[a] + pads[spatial + a] - span) + (ceil ? strides[a] - 1 : 0)) / strides[a] + 1;
                Expect(layer, output >= 1 && size + pads[a] + pads[spatial + a] >= span, $"a window of {span} within the padded size",
                    $"size {size} with pads {pads[a]} and {pads[spatial + a]}");
                yield return output;
            }
        }

        private static void Expect(LayerBuilder layer, bool condition, string expected, string found)
        {
            if (!condition)
            {
                throw new OnnxFormatException($"node '{layer.Nodes[0]}' ({layer.Kind}) expects {expected}, found {found}");
            }
        }

        private static string Last(IReadOnlyList<long> x) => x.Count > 0 ? x[x.Count - 1].ToString(CultureInfo.InvariantCulture) : "?";

        private static string Join(IEnumerable<long> values) => string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>[rows, columns] to [columns, rows]: MatMul's and Keras' [in, out] kernels to PyTorch's [out, in].</summary>
    private static OnnxTensor Transposed(OnnxTensor matrix)
    {
        int rows = (int)matrix.Dims[0], columns = (int)matrix.Dims[1];
        var values = new double[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                values[c * rows + r] = matrix.FloatValues![r * columns + c];
            }
        }
        return new OnnxTensor(matrix.Name, matrix.DataType, new long[] { columns, rows }, values, null);
    }

    private static OnnxTensor Scaled(OnnxTensor tensor, double factor) =>
        new(tensor.Name, tensor.DataType, tensor.Dims, tensor.FloatValues!.Select(v => v * factor).ToArray(), null);

    /// <summary>One elementwise node over sampled inputs (a missing optional input is an empty array).</summary>
    private static double[] Apply(OnnxNode node, List<double[]> inputs)
    {
        double[] a = inputs[0];
        var result = new double[SamplePoints.Length];
        double Attr(string name, double fallback) => node.Attribute(name)?.Float ?? fallback;
        double Input(int i, int k, double fallback) => i < inputs.Count && inputs[i].Length > 0 ? inputs[i][k] : fallback;
        for (int k = 0; k < result.Length; k++)
        {
            double x = a[k];
            result[k] = node.OpType switch
            {
                "Relu" => Math.Max(0, x),
                "Sigmoid" => 1 / (1 + Math.Exp(-x)),
                "Tanh" => Math.Tanh(x),
                "LeakyRelu" => x >= 0 ? x : Attr("alpha", 0.01) * x,
                "Elu" => x >= 0 ? x : Attr("alpha", 1) * (Math.Exp(x) - 1),
                "Selu" => Attr("gamma", 1.0507009873554805) * (x > 0 ? x : Attr("alpha", 1.6732632423543772) * (Math.Exp(x) - 1)),
                "Softplus" => Softplus(x),
                "Softsign" => x / (1 + Math.Abs(x)),
                "HardSigmoid" => Math.Max(0, Math.Min(1, Attr("alpha", 0.2) * x + Attr("beta", 0.5))),
                "HardSwish" => x * Math.Max(0, Math.Min(1, x / 6 + 0.5)),
                "Mish" => x * Math.Tanh(Softplus(x)),
                "Gelu" => node.Attribute("approximate")?.String == "tanh"
                    ? 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))
                    : 0.5 * x * (1 + Erf(x / Math.Sqrt(2))),
                "Erf" => Erf(x),
                "Sqrt" => Math.Sqrt(x),
                "Exp" => Math.Exp(x),
                "Log" => Math.Log(x),
                "Neg" => -x,
                "Abs" => Math.Abs(x),
                "Reciprocal" => 1 / x,
                "Clip" => Math.Min(Input(2, k, node.Attribute("max")?.Float ?? double.PositiveInfinity),
                    Math.Max(Input(1, k, node.Attribute("min")?.Float ?? double.NegativeInfinity), x)),
                "Add" => x + inputs[1][k],
                "Sub" => x - inputs[1][k],
                "Mul" => x * inputs[1][k],
                "Div" => x / inputs[1][k],
                "Pow" => Math.Pow(x, inputs[1][k]),
                _ => double.NaN,
            };
        }
        return result;
    }

    private static double Softplus(double x) => x > 20 ? x : Math.Log(1 + Math.Exp(x));

    /// <summary>erf to 1.2e-7 (Numerical Recipes' erfc by Chebyshev fit); Math.Erf is not in netstandard2.0.</summary>
    private static double Erf(double x)
    {
        double z = Math.Abs(x), t = 1 / (1 + 0.5 * z);
        double erfc = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
            + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - erfc : erfc - 1;
    }
}
