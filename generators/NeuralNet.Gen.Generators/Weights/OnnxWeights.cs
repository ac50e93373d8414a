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
        var matched = new Matching(graph.Input.Name, layout, fill);
        foreach (var candidate in graph.Layers) matched.Take(candidate);
        matched.Finish();
        return fill.Problems.Count == 0 ? WeightsImport.Success(fill.Parameters, layout.BufferCount > 0 ? fill.Buffers : null) : WeightsImport.Failure(fill.Problems);
    }

    /// <summary>Candidates with initializers: each takes the next declared layer with parameters.</summary>
    private static bool HoldsParameters(OnnxLayerCandidate candidate) =>
        candidate.Kind is OnnxLayerKind.Dense or OnnxLayerKind.Conv or OnnxLayerKind.Recurrent or OnnxLayerKind.BatchNormalization;

    /// <summary>Gemm, MatMul and Conv have no activation of their own: exporters write it as the next node.</summary>
    private static bool CarriesNoActivation(OnnxLayerCandidate candidate) => candidate.Kind is OnnxLayerKind.Dense or OnnxLayerKind.Conv;

    /// <summary>How a candidate names itself when it is not what the layer expects.</summary>
    private static string Describe(OnnxLayerCandidate candidate) => candidate.Kind switch
    {
        OnnxLayerKind.Dense => "a Gemm/MatMul",
        OnnxLayerKind.Conv => "a Conv",
        OnnxLayerKind.Recurrent => $"an ONNX {candidate.Operator} (PyTorch's nn.{(candidate.Operator == "LSTM" || candidate.Operator == "GRU" ? candidate.Operator : "RNN")}, our " +
                                   $"{RecurrentImport.GatesOf(candidate.Operator) switch { 1 => "SimpleRNN", 3 => "GRU", _ => "LSTM" }})",
        OnnxLayerKind.BatchNormalization => "a BatchNormalization",
        _ => "a " + candidate.Kind,
    };

    /// <summary>The walk over the graph's candidates: which layer each fills, which activation follows which layer, and the skips between them.</summary>
    private sealed class Matching
    {
        private readonly WeightsLayout _layout;
        private readonly OnnxFill _fill;
        private readonly string?[] _activations;
        private readonly OnnxDataFlow _flow;

        /// <summary>The layer the last parameter candidate took (-1 before the first).</summary>
        private int _k = -1;

        /// <summary>Whether the next candidate may be that layer's activation.</summary>
        private bool _activationAllowed;

        public Matching(string input, WeightsLayout layout, OnnxFill fill)
        {
            _layout = layout;
            _fill = fill;
            _activations = new string?[layout.Layers.Count];
            _flow = new OnnxDataFlow(input, layout.Merges);
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
            if (HoldsParameters(candidate)) TakeLayer(candidate);
            else if (candidate.Kind is OnnxLayerKind.Activation or OnnxLayerKind.Softmax) TakeActivation(candidate);
            else if (candidate.Kind is OnnxLayerKind.Flatten or OnnxLayerKind.Reshape or OnnxLayerKind.MaxPool) _activationAllowed = false;
            else
            {
                _fill.Problem($"is {candidate.Kind}{(candidate.Operator.Length > 0 ? $" ({candidate.Operator})" : "")}, which no declared layer can take here");
                _activationAllowed = false;
            }
            // A layer whose activation is still to come is not yet the layer's output (a skip cannot start there).
            _flow.Produced(candidate, _k + 1, complete: !_activationAllowed || _layout.Layers[_k].Activation == "Linear");
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
                _fill.Problem($"is {Describe(candidate)}; expected {layer.OnnxExpectation} for {layer.Describe()}");
            else
                layer.Fill(candidate, _fill);
        }

        private void TakeActivation(OnnxLayerCandidate candidate)
        {
            if (!_activationAllowed)
            {
                _fill.Problem($"({candidate.Operator}) does not follow a Dense or Conv2D layer; expected activations only right after them");
                return;
            }
            _activations[_k] = candidate.Operator;
            _activationAllowed = false;
        }

        /// <summary>Every declared layer and merge found, each layer followed by its activation.</summary>
        public void Finish()
        {
            _flow.CheckEveryMergeFound(_fill.Problems);
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
                string activation = found is { } op ? (Activations.TryGetValue(op, out var ours) ? ours : op) : "Linear";
                if (activation != layer.Activation)
                    _fill.Problems.Add($"{layer.Describe()} is followed in the file by {(found is null ? "no activation" : $"'{found}'")}; expected {layer.Activation}");
            }
        }
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
