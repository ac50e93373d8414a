using System;
using System.Collections.Generic;
using System.Linq;
using NeuralNet.Gen.Generators.Model;

namespace NeuralNet.Gen.Generators.Parsing;

/// <summary>An output <c>Add</c> or <c>Concatenate</c> may read: the network's input or a named earlier layer.</summary>
/// <param name="Index">The layer's number (0 for the network's input).</param>
/// <param name="Known">False when that layer had an error, so its shape is unknown.</param>
internal sealed record LayerSource(string Name, int Index, Shape Shape, string Description, bool Known);

/// <summary>
/// The layer <c>Name</c>s of one network as the parser walks it in source order: which are already declared (and
/// their shapes), which come later. Checks each name once (NNG0013: unique, not <c>"input"</c>) and resolves the
/// references of <c>Add</c> and <c>Concatenate</c>, which may only read an earlier layer.
/// </summary>
internal sealed class LayerNames
{
    public const string Input = "input";

    private readonly Dictionary<string, LayerSource> _earlier = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _declaredAt;

    /// <param name="declared">Every layer attribute's <c>Name</c> with its attribute index, in source order.</param>
    public LayerNames(IEnumerable<(string Name, int AttributeIndex)> declared)
    {
        _declaredAt = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, index) in declared)
        {
            if (!_declaredAt.ContainsKey(name)) _declaredAt[name] = index;
        }
    }

    /// <summary>The network's input becomes readable (once [Input] has been passed).</summary>
    public void DeclareInput(Shape shape, string description, bool known) => _earlier[Input] = new LayerSource(Input, 0, shape, description, known);

    /// <summary>NNG0013 for a reserved or repeated name; true when the name may be recorded.</summary>
    public bool Check(string name, int attributeIndex, List<ParseDiagnostic> findings)
    {
        if (name == Input)
        {
            findings.Add(AttributeArguments.NamedError(DiagnosticIds.NameReference, attributeIndex, "Name",
                "Layer Name \"input\" is reserved for the network's input; expected another name, found \"input\""));
            return false;
        }
        if (_earlier.TryGetValue(name, out var first))
        {
            findings.Add(AttributeArguments.NamedError(DiagnosticIds.NameReference, attributeIndex, "Name",
                $"Layer Name \"{name}\" is already used by layer {first.Index} ({first.Description}); expected a name unique in the network, found \"{name}\" again"));
            return false;
        }
        return true;
    }

    /// <summary>Records a layer's name after it was read (with <paramref name="known"/> false when the layer had an error).</summary>
    public void Declare(string name, int index, Shape shape, string description, bool known)
    {
        if (!_earlier.ContainsKey(name)) _earlier[name] = new LayerSource(name, index, shape, description, known);
    }

    /// <summary>The earlier layer (or input) named <paramref name="from"/>, or null with NNG0013 at argument 0 of the reading attribute.</summary>
    public LayerSource? Resolve(string? from, string kind, int attributeIndex, List<ParseDiagnostic> findings)
    {
        if (from is not null && _earlier.TryGetValue(from, out var source)) return source;
        string earlier = Earlier();
        string found;
        if (from is null) found = "null";
        else if (_declaredAt.TryGetValue(from, out int at) && at == attributeIndex) found = $"\"{from}\", the {kind} layer itself (a cycle)";
        else if (_declaredAt.ContainsKey(from)) found = $"\"{from}\", a layer declared after this one (a forward reference)";
        else found = $"\"{from}\", which no layer is named";
        string? closest = from is null ? null : Closest(from);
        findings.Add(new ParseDiagnostic(DiagnosticIds.NameReference, DiagnosticTarget.Argument, attributeIndex, 0, null,
            $"{kind} must read an earlier layer's Name or \"input\"; expected one of {earlier}, found {found}", true,
            Fix: closest is null ? null : FixKinds.RenameReference + ":" + closest));
        return null;
    }

    private string Earlier() => string.Join(", ", _earlier.Values.OrderBy(s => s.Index).Select(s => $"\"{s.Name}\""));

    /// <summary>The earlier name nearest to a misspelt one (edit distance at most a third of its length, and at least 1), or null.</summary>
    private string? Closest(string from)
    {
        string? best = null;
        int bestDistance = Math.Max(1, from.Length / 3) + 1;
        foreach (var name in _earlier.Keys.OrderBy(n => n, StringComparer.Ordinal))
        {
            int d = Distance(from, name);
            if (d < bestDistance)
            {
                best = name;
                bestDistance = d;
            }
        }
        return best;
    }

    /// <summary>Levenshtein distance, case-insensitive ("Block1" for "block1" is a typo too).</summary>
    private static int Distance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) row[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                int cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + cost);
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
