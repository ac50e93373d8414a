using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NeuralNet.Gen.Onnx;

namespace NeuralNet.Gen.Weights;

/// <summary>
/// An ONNX model's initializers in a declared network's layout: the normaliser's candidates that hold parameters are
/// matched in order to the layers with parameters, each of which checks and copies its own (<see
/// cref="ImportedLayer.Fill"/>); each activation goes to the layer it follows. Shape-only candidates (Flatten,
/// Reshape, MaxPool) pass; anything else is a problem naming its first node. Pure and shared by the generator, the
/// analyzers and the runtime.
/// </summary>
internal static class OnnxWeights
{
    private static readonly Dictionary<string, string> Activations = new()
    {
        ["Relu"] = "Relu", ["Sigmoid"] = "Sigmoid", ["Tanh"] = "Tanh", ["LeakyRelu"] = "LeakyRelu", ["Elu"] = "Elu",
        ["Gelu"] = "Gelu", ["Softplus"] = "Softplus", ["Swish"] = "Swish", ["Softmax"] = "Softmax",
    };

    /// <summary>
    /// Our name for an ONNX activation. Our Gelu is the tanh approximation (DESIGN.md), so ONNX's exact, erf-based Gelu
    /// (torch's default, a Gelu node without approximate = "tanh" or its Erf decomposition) is not it.
    /// </summary>
    private static string Ours(OnnxLayerCandidate candidate) =>
        candidate.Operator == "Gelu" && !(candidate.Strings.TryGetValue("approximate", out var approximate) && approximate == "tanh")
            ? "Gelu (exact, with erf; ours is the tanh approximation)"
            : Activations.TryGetValue(candidate.Operator, out var name) ? name : candidate.Operator;

    public static WeightsImport Import(byte[] data, WeightsLayout layout)
    {
        if (!OnnxReader.TryRead(data, out var model, out string? problem))
            return WeightsImport.Failure("the file is not a readable ONNX model: " + problem);
        OnnxLayerGraph graph;
        try
        {
            graph = OnnxGraphNormalizer.Normalize(model!);
        }
        catch (OnnxFormatException e)
        {
            return WeightsImport.Failure("the ONNX graph cannot be read as layers: " + e.Message);
        }
        return Import(graph, layout);
    }

    /// <summary>The same, for a graph already read (a network whose layers the file declares reads it once).</summary>
    public static WeightsImport Import(OnnxLayerGraph graph, WeightsLayout layout)
    {
        var fill = new OnnxFill(layout.ElementSize, new double[layout.ParameterCount], new double[layout.BufferCount], new List<string>());
        var matched = new Matching(graph, layout, fill);
        foreach (var candidate in graph.Layers) matched.Take(candidate);
        matched.Finish();
        return fill.Problems.Count == 0 ? WeightsImport.Success(fill.Parameters, layout.BufferCount > 0 ? fill.Buffers : null) : WeightsImport.Failure(fill.Problems);
    }

    /// <summary>Candidates with initializers: each takes the next declared layer with parameters.</summary>
    private static bool HoldsParameters(OnnxLayerCandidate candidate) =>
        candidate.Kind is OnnxLayerKind.Dense or OnnxLayerKind.Conv or OnnxLayerKind.Recurrent or OnnxLayerKind.BatchNormalization
            or OnnxLayerKind.LayerNormalization;

    /// <summary>Candidates that only reshape or pool what they read: no parameters, nothing to check here.</summary>
    private static bool PassesThrough(OnnxLayerCandidate candidate) =>
        candidate.Kind is OnnxLayerKind.Flatten or OnnxLayerKind.Reshape or OnnxLayerKind.MaxPool or OnnxLayerKind.GlobalAveragePool or OnnxLayerKind.GlobalMaxPool
        // Our pools average over windows inside the input; padding counted in the mean is no layer of ours.
        || candidate.Kind == OnnxLayerKind.AveragePool && candidate.Ints["pads"].All(p => p == 0);

    /// <summary>Gemm, MatMul and Conv have no activation of their own: exporters write it as the next node.</summary>
    private static bool CarriesNoActivation(OnnxLayerCandidate candidate) => candidate.Kind is OnnxLayerKind.Dense or OnnxLayerKind.Conv;

    /// <summary>How a candidate names itself when it is not what the layer expects.</summary>
    private static string Describe(OnnxLayerCandidate candidate) => candidate.Kind switch
    {
        OnnxLayerKind.Dense => "a Gemm/MatMul",
        OnnxLayerKind.Conv => "a Conv",
        OnnxLayerKind.Recurrent => RecurrentImport.DescribeOnnx(candidate.Operator),
        OnnxLayerKind.BatchNormalization => "a BatchNormalization",
        OnnxLayerKind.LayerNormalization => "a LayerNormalization",
        _ => "a " + candidate.Kind,
    };

    /// <summary>The walk over the graph's candidates: which layer each fills, which activation follows which layer, and the skips between them.</summary>
    private sealed class Matching
    {
        private readonly WeightsLayout _layout;
        private readonly OnnxFill _fill;
        private readonly string?[] _activations;
        private readonly OnnxDataFlow _flow;
        private readonly IReadOnlyList<ActivationLayout> _standalone;

        /// <summary>The layer the last parameter candidate took (-1 before the first).</summary>
        private int _k = -1;

        /// <summary>The declared [Activation] layers found so far.</summary>
        private int _standaloneFound;

        /// <summary>Whether the next candidate may be that layer's activation.</summary>
        private bool _activationAllowed;

        /// <summary>The current value's shape (ONNX's, without the batch) and whether it holds its channels on axis 1.</summary>
        private IReadOnlyList<long>? _shape;
        private bool _channelsFirst;

        /// <summary>What the last Flatten read, for the Dense right after it: a channels-last image, a sequence, a channels-first sequence.</summary>
        private bool _flattenedChannelsLastImage;
        private bool _flattenedSequence;
        private IReadOnlyList<long>? _flattenedChannelsFirstSequence;

        public Matching(OnnxLayerGraph graph, WeightsLayout layout, OnnxFill fill)
        {
            _layout = layout;
            _fill = fill;
            _activations = new string?[layout.Layers.Count];
            _flow = new OnnxDataFlow(graph.Input.Name, layout.Merges);
            _standalone = layout.Activations ?? new ActivationLayout[0];
            _shape = graph.InputShape;
            _channelsFirst = graph.InputChannelsFirst();
        }

        public void Take(OnnxLayerCandidate candidate)
        {
            string node = $"node '{candidate.Nodes.FirstOrDefault() ?? candidate.Output}'";
            _fill.Node = node;
            if (candidate.Kind is OnnxLayerKind.Add or OnnxLayerKind.Concat)
            {
                _activationAllowed = false;
                _flow.Merge(candidate, _k + 1, node, _fill.Problems);
                return;
            }
            _flow.CheckReadsPrevious(candidate, node, _fill.Problems);
            int rank = _shape?.Count ?? 0;
            if (HoldsParameters(candidate)) TakeLayer(candidate);
            else if (candidate.Kind is OnnxLayerKind.Activation or OnnxLayerKind.Softmax) TakeActivation(candidate);
            else if (OnnxLayerGraph.FlipsLayout(candidate, rank, _channelsFirst))
            {
                // Our exporter's Transpose between a convolution and its activation: the activation may still follow.
                _channelsFirst = !_channelsFirst;
            }
            else if (PassesThrough(candidate))
            {
                if (candidate.Kind == OnnxLayerKind.Flatten && rank > 1)
                {
                    _flattenedChannelsLastImage = rank == 3 && !_channelsFirst;
                    _flattenedSequence = rank == 2;
                    _flattenedChannelsFirstSequence = rank == 2 && _channelsFirst ? _shape : null;
                }
                _activationAllowed = false;
            }
            else
            {
                string settings = candidate.Kind == OnnxLayerKind.AveragePool ? $" with pads [{string.Join(", ", candidate.Ints["pads"])}] counted {(candidate.Ints["count_include_pad"][0] != 0 ? "in" : "out of")} the mean" : "";
                _fill.Problem($"is {candidate.Kind}{(candidate.Operator.Length > 0 ? $" ({candidate.Operator})" : "")}{settings}, which no declared layer can take here");
                _activationAllowed = false;
            }
            Follow(candidate);
            // A layer whose activation is still to come is not yet the layer's output (a skip cannot start there).
            _flow.Produced(candidate, _k + 1, complete: !_activationAllowed || _layout.Layers[_k].Activation == "Linear");
        }

        /// <summary>The layout of the candidate's output: a convolution's or pool's is channels-first, a Gemm's or recurrent layer's channels-last.</summary>
        private void Follow(OnnxLayerCandidate candidate)
        {
            if (candidate.Kind is OnnxLayerKind.Conv or OnnxLayerKind.MaxPool or OnnxLayerKind.AveragePool) _channelsFirst = true;
            else if (candidate.Kind is OnnxLayerKind.Dense or OnnxLayerKind.Recurrent or OnnxLayerKind.Flatten or OnnxLayerKind.GlobalAveragePool
                     or OnnxLayerKind.GlobalMaxPool) _channelsFirst = false;
            if (candidate.Kind != OnnxLayerKind.Flatten)
            {
                _flattenedChannelsLastImage = false;
                _flattenedSequence = false;
                _flattenedChannelsFirstSequence = null;
            }
            _shape = candidate.OutputShape ?? _shape;
        }

        /// <summary>The next declared layer with parameters checks and copies the candidate's initializers.</summary>
        private void TakeLayer(OnnxLayerCandidate candidate)
        {
            _k++;
            _activationAllowed = false;
            if (_k >= _layout.Layers.Count)
            {
                _fill.Problem($"({(candidate.Kind == OnnxLayerKind.Dense ? "Dense" : candidate.Operator)}) is extra: the network has {N(_layout.Layers.Count)} layers with parameters");
                return;
            }
            var layer = _layout.Layers[_k];
            _activationAllowed = CarriesNoActivation(candidate);
            if (!layer.Accepts(candidate))
            {
                _fill.Problem($"is {Describe(candidate)}; expected {layer.OnnxExpectation} for {layer.Describe()}");
                return;
            }
            // A Gemm after a Flatten of a channels-first sequence ([C, L], a Conv1d's) reads its columns channel by channel.
            if (_flattenedChannelsFirstSequence is { } sequence && candidate.Kind == OnnxLayerKind.Dense && candidate.Tensors.TryGetValue("weight", out var weight)
                && weight.Dims.Count == 2 && weight.Dims[1] == sequence[0] * sequence[1])
                candidate = candidate.WithTensor("weight", OnnxLayout.DenseWeightForChannelsLast(weight, sequence));
            // The file's own layout decides: a sequence's columns are ours by now (permuted above, or channels-last).
            _fill.ColumnsInOurOrder = _flattenedChannelsLastImage || _flattenedSequence;
            layer.Fill(candidate, _fill);
            _fill.ColumnsInOurOrder = false;
        }

        private void TakeActivation(OnnxLayerCandidate candidate)
        {
            // A declared [Activation] here takes it, also right after a Dense or convolution declared without one.
            if (_standaloneFound < _standalone.Count && _standalone[_standaloneFound] is var declared && declared.ParameterLayersBefore == _k + 1
                && (!_activationAllowed || _layout.Layers[_k].Activation == "Linear"))
            {
                string ours = Ours(candidate);
                if (ours != declared.Activation)
                    _fill.Problem($"({ours}) is where {declared.Describe()} is; expected {declared.Activation}");
                _standaloneFound++;
                _activationAllowed = false;
                return;
            }
            if (!_activationAllowed)
            {
                _fill.Problem($"({candidate.Operator}) does not follow a Dense or Conv2D layer; expected activations only right after them");
                return;
            }
            _activations[_k] = Ours(candidate);
            _activationAllowed = false;
        }

        /// <summary>Every declared layer and merge found, each layer followed by its activation.</summary>
        public void Finish()
        {
            _flow.CheckEveryMergeFound(_fill.Problems);
            for (int i = _standaloneFound; i < _standalone.Count; i++)
                _fill.Problems.Add($"{_standalone[i].Describe()} is missing: the file has no activation node after {N(_standalone[i].ParameterLayersBefore)} layers with parameters");
            for (int i = 0; i < _layout.Layers.Count; i++)
            {
                var layer = _layout.Layers[i];
                if (i > _k)
                {
                    _fill.Problems.Add($"{layer.Describe()} is missing: the file has {N(_k + 1)} Gemm, MatMul, Conv or recurrent layers, the network {N(_layout.Layers.Count)}");
                    continue;
                }
                if (!layer.TakesOnnxActivation) continue; // a recurrent layer's activation is its operator's
                string? found = _activations[i];
                string activation = found ?? "Linear";
                if (activation != layer.Activation)
                    _fill.Problems.Add($"{layer.Describe()} is followed in the file by {(found is null ? "no activation" : $"'{found}'")}; expected {layer.Activation}");
            }
        }
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
