using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NeuralNet.Gen.Onnx;

namespace NeuralNet.Gen.Weights;

/// <summary>
/// A declared Add or Concatenate as the importers see it: its 1-based layer number, the layer it reads besides the
/// previous one (<paramref name="FromNumber"/>, 0 for the network's input), and how many layers with parameters come
/// before it and up to its source, which is how an ONNX graph's values are matched to our layers.
/// </summary>
internal sealed record MergeLayout(int Number, bool IsConcatenate, int FromNumber, int ParameterLayersBefore, int SourceParameterLayers)
{
    public string Describe() =>
        $"layer {N(Number)} ({(IsConcatenate ? "Concatenate" : "Add")} of {(FromNumber == 0 ? "the network's input" : "layer " + N(FromNumber) + "'s output")})";

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// A declared <c>[Activation]</c> layer as the ONNX importer sees it: its 1-based layer number, its activation's name
/// and how many layers with parameters come before it, which is where its node must be in the graph.
/// </summary>
internal sealed record ActivationLayout(int Number, string Activation, int ParameterLayersBefore)
{
    public string Describe() => $"layer {Number.ToString(CultureInfo.InvariantCulture)} (Activation({Activation}))";
}

/// <summary>
/// Follows the data through an ONNX graph's layer candidates as our network runs it: a chain, each layer reading the
/// previous one's output, with skips only through Add and Concat. Each value is known by the number of layers with
/// parameters that produced it and whether their activation has been applied, so an Add or Concat is checked against
/// the declared layer: the previous output on one side (first, for Concat), the declared source on the other, Concat
/// along the last axis of our layout (ONNX's channel axis 1 for an image). Pure and shared by every importer of ONNX.
/// </summary>
internal sealed class OnnxDataFlow
{
    private readonly string _input;
    private readonly IReadOnlyList<MergeLayout> _merges;
    private readonly Dictionary<string, (int Layers, bool Complete)> _values = new(System.StringComparer.Ordinal);
    private string _current;
    private int _merge;

    public OnnxDataFlow(string input, IReadOnlyList<MergeLayout>? merges)
    {
        _input = _current = input;
        _merges = merges ?? new MergeLayout[0];
    }

    /// <summary>A layer other than a merge must read the previous layer's output.</summary>
    public void CheckReadsPrevious(OnnxLayerCandidate candidate, string node, List<string> problems)
    {
        if (candidate.Inputs.Count > 0 && candidate.Inputs[0] != _current)
            problems.Add($"{node} reads '{candidate.Inputs[0]}'; expected the previous layer's output '{_current}' (the network's layers are a chain, with skips only through Add and Concatenate)");
    }

    /// <summary>The candidate's output is the new previous output, after <paramref name="layers"/> layers with parameters.</summary>
    public void Produced(OnnxLayerCandidate candidate, int layers, bool complete)
    {
        _values[candidate.Output] = (layers, complete);
        _current = candidate.Output;
    }

    /// <summary>Checks an Add or Concat after <paramref name="layers"/> layers with parameters against the next declared merge.</summary>
    public void Merge(OnnxLayerCandidate candidate, int layers, string node, List<string> problems)
    {
        bool concat = candidate.Kind == OnnxLayerKind.Concat;
        string op = concat ? "Concat" : "Add";
        if (_merge >= _merges.Count)
        {
            problems.Add($"{node} ({op}) is extra: the network declares {N(_merges.Count)} Add or Concatenate layers");
            Produced(candidate, layers, complete: true);
            return;
        }
        var merge = _merges[_merge++];
        if (concat != merge.IsConcatenate)
            problems.Add($"{node} is an ONNX {op}; expected {(merge.IsConcatenate ? "a Concat" : "an Add")} for {merge.Describe()}");
        if (layers != merge.ParameterLayersBefore)
            problems.Add($"{node} ({op}) follows {N(layers)} layers with parameters; expected {N(merge.ParameterLayersBefore)} before {merge.Describe()}");
        int previous = candidate.Inputs.Count != 2 ? -1 : candidate.Inputs[0] == _current ? 0 : !concat && candidate.Inputs[1] == _current ? 1 : -1;
        if (previous < 0)
        {
            problems.Add($"{node} ({op}) reads {string.Join(" and ", candidate.Inputs.Select(i => "'" + i + "'"))}; expected the previous layer's output '{_current}'{(concat ? " first" : "")} and one earlier output, for {merge.Describe()}");
        }
        else
        {
            string skip = candidate.Inputs[1 - previous];
            bool fits = merge.FromNumber == 0
                ? skip == _input
                : skip != _input && _values.TryGetValue(skip, out var value) && value.Complete && value.Layers == merge.SourceParameterLayers;
            if (!fits)
                problems.Add($"{node} ({op}) reads '{skip}' as its second operand; expected {(merge.FromNumber == 0 ? $"the network's input '{_input}'" : $"the output of the layer after {N(merge.SourceParameterLayers)} layers with parameters")} for {merge.Describe()}");
        }
        if (concat && candidate.Ints.TryGetValue("axis", out var axes) && candidate.OutputShape is { } shape)
        {
            // ONNX's axes count the batch; our last axis is ONNX's channel axis 1 for a channels-first image.
            int rank = shape.Count + 1;
            long axis = axes[0] < 0 ? axes[0] + rank : axes[0];
            long expected = rank == 4 ? 1 : rank - 1;
            if (axis != expected)
                problems.Add($"{node} (Concat) joins axis {axes[0].ToString(CultureInfo.InvariantCulture)}; expected axis {expected.ToString(CultureInfo.InvariantCulture)} (the features or channels) for {merge.Describe()}");
        }
        Produced(candidate, layers, complete: true);
    }

    /// <summary>Every declared merge must have been found.</summary>
    public void CheckEveryMergeFound(List<string> problems)
    {
        for (int i = _merge; i < _merges.Count; i++)
            problems.Add($"{_merges[i].Describe()} is missing: the file has {N(_merge)} Add or Concat nodes, the network {N(_merges.Count)}");
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
