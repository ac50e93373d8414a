using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using NeuralNet.Gen.Generators.Model;
using NeuralNet.Gen.Generators.Parsing;

namespace NeuralNet.Gen.Weights;

/// <summary>
/// A weights file's content as equatable data for the incremental pipeline: the generator's read step compares it
/// with the previous run's, so an unchanged file gives a cached result downstream.
/// </summary>
/// <param name="Error">Why the file could not be read, or null.</param>
internal sealed record WeightsFile(string Path, EquatableArray<byte> Content, string? Error)
{
    /// <summary>Extensions of the formats [Weights] reads; other AdditionalFiles items are never opened.</summary>
    public static bool IsCandidate(string path)
    {
        string lower = path.ToLowerInvariant();
        return lower.EndsWith(".nng", StringComparison.Ordinal) || lower.EndsWith(".safetensors", StringComparison.Ordinal) || lower.EndsWith(".onnx", StringComparison.Ordinal)
            || lower.EndsWith(".json", StringComparison.Ordinal);
    }

    /// <summary>
    /// JSON is text and comes through <see cref="AdditionalText.GetText"/> as the cookbook asks. Safetensors and
    /// parameter files are binary: SourceText would decode them as text and lose bytes, so they are read from the
    /// item's path. That read sits in a Select over the AdditionalText, which Roslyn re-runs only for a new
    /// AdditionalText (the file changed), and its output is compared by content, so nothing downstream re-runs
    /// when the bytes are the same.
    /// </summary>
    public static WeightsFile Read(AdditionalText text, CancellationToken cancellationToken)
    {
        try
        {
            if (text.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                var source = text.GetText(cancellationToken);
                return source is null
                    ? new WeightsFile(text.Path, EquatableArray<byte>.Empty, "the file cannot be read")
                    : new WeightsFile(text.Path, EquatableArray<byte>.Own(Encoding.UTF8.GetBytes(source.ToString())), null);
            }
#pragma warning disable RS1035 // Binary AdditionalFiles have no byte API (see the summary).
            return new WeightsFile(text.Path, EquatableArray<byte>.Own(File.ReadAllBytes(text.Path)), null);
#pragma warning restore RS1035
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return new WeightsFile(text.Path, EquatableArray<byte>.Empty, $"the file '{text.Path}' cannot be read: {e.Message}");
        }
    }
}

/// <summary>
/// Binds a network's [Weights] to its file: finds the AdditionalFiles item, imports it, and gives either the
/// parameters or NNG0012 findings. The generator and the analyzer both call it, so a file the analyzer accepts is
/// exactly one the generator bakes in.
/// </summary>
internal static class WeightsBinding
{
    public const string DiagnosticId = Generators.Parsing.DiagnosticIds.WeightsMismatch;

    /// <summary>The most a network's baked parameters may take: half the metadata string heap, which also holds the user's literals.</summary>
    public const int MaxBakedBytes = 8 * 1024 * 1024;

    /// <summary>The network's parameter layout as the importers need it, or a reason it cannot take weights.</summary>
    public static WeightsLayout? Layout(NetworkSpec spec, out string? problem)
    {
        var layers = new List<ImportedLayer>();
        var merges = new List<MergeLayout>();
        var activations = new List<ActivationLayout>();
        Shape? flattened = null;
        int buffers = 0;
        // Per layer index (0: the input, channels-last in PyTorch too): whether PyTorch holds its output channels-first.
        var channelsFirst = new bool[spec.Layers.Count + 1];
        foreach (var layer in spec.Layers)
        {
            var kind = Generators.Layers.LayerRegistry.For(layer.Kind);
            bool inputChannelsFirst = ChannelsFirstAt(channelsFirst, layer.Index - 1);
            if (kind.SecondInputIndex(layer) is int from)
            {
                int source = spec.Layers.Count(l => l.Index <= from && l.ParameterCount > 0);
                merges.Add(new MergeLayout(layer.Index, layer.Kind == LayerKind.Concatenate, from, layers.Count, source));
            }
            // A layer that is only an activation ([Activation]) is a node of its own in an ONNX file.
            if (layer.ParameterCount == 0 && kind.ActivationOf(layer) is { } activation)
                activations.Add(new ActivationLayout(layer.Index, activation.ToString(), layers.Count));
            if (kind.ImportLayout(layer, buffers, flattened) is { } imported)
            {
                layers.Add(imported);
            }
            else if (layer.ParameterCount > 0)
            {
                problem = $"layer {layer.Index.ToString(CultureInfo.InvariantCulture)} ({layer.Description}) cannot take imported weights yet; only Dense, Conv1D, Conv2D, SimpleRNN, GRU, LSTM, BatchNorm and LayerNorm layers can";
                return null;
            }
            flattened = kind.FlattenedImageAfter(layer, flattened);
            // A Conv1d's [channels, steps] flattened: the Dense after it permutes columns as for an image one pixel wide.
            if (layer.Kind == LayerKind.Flatten && inputChannelsFirst) flattened = layer.InputShape;
            if (layer.Index < channelsFirst.Length)
            {
                channelsFirst[layer.Index] = kind.ChannelsFirstInTorch(layer, inputChannelsFirst)
                    && (kind.SecondInputIndex(layer) is not int second || ChannelsFirstAt(channelsFirst, second));
            }
            buffers += kind.BufferCount(layer);
        }
        problem = null;
        return new WeightsLayout(spec.Precision == Precision.Double ? 8 : 4, spec.ArchitectureFingerprint, spec.ParameterCount, layers, merges, buffers, activations);
    }

    private static bool ChannelsFirstAt(bool[] channelsFirst, int index) => index >= 0 && index < channelsFirst.Length && channelsFirst[index];

    /// <summary>Whether an AdditionalFiles path ends with the attribute's path, at a folder boundary.</summary>
    public static bool Matches(string filePath, string attributePath)
    {
        string file = filePath.Replace('\\', '/');
        string wanted = attributePath.Replace('\\', '/').TrimStart('/');
        if (wanted.StartsWith("./", StringComparison.Ordinal)) wanted = wanted.Substring(2);
        if (wanted.Length == 0 || !file.EndsWith(wanted, StringComparison.OrdinalIgnoreCase)) return false;
        return file.Length == wanted.Length || file[file.Length - wanted.Length - 1] == '/';
    }

    /// <summary>
    /// The spec with its trained parameters filled in, or, when the file does not fit, the network whose members throw
    /// naming the file's first NNG0012 error (the analyzer reports it): one read of the file for both, so a megabyte
    /// file is imported once per run.
    /// </summary>
    public static (NetworkSpec? Spec, BrokenNetwork? Mismatch) BindOrRefuse(NetworkSpec spec, ImmutableArray<WeightsFile> files)
    {
        if (spec.Weights is null) return (spec, null);
        var (resolved, parameters, findings, buffers) = Resolve(spec, files);
        if (findings.FirstOrDefault(f => f.IsError) is { } error) return (null, BrokenNetwork.WeightsMismatch(spec, error.Message));
        if (parameters is null || resolved is null) return (null, null);
        var layout = Layout(resolved, out _)!;
        // The buffers (BatchNorm's running statistics) follow the parameters in the baked data.
        var values = buffers is null ? parameters : parameters.Concat(buffers).ToArray();
        return (resolved with { TrainedParameters = EquatableArray<byte>.Own(WeightsImporter.ToLittleEndianBytes(values, layout.ElementSize)) }, null);
    }

    /// <summary>Reads and checks the network's [Weights] file among <paramref name="files"/>: parameters (and buffers when the file has them), or NNG0012 findings.</summary>
    public static (double[]? Parameters, List<ParseDiagnostic> Findings, double[]? Buffers) Check(NetworkSpec spec, IEnumerable<WeightsFile> files)
    {
        var (_, parameters, findings, buffers) = Resolve(spec, files);
        return (parameters, findings, buffers);
    }

    /// <summary>
    /// <see cref="Check"/>, with the layers of a network that takes them from its file filled in first (and NNG0014, an
    /// info finding, giving them): the spec as the generator emits it, its parameters, and every finding.
    /// </summary>
    public static (NetworkSpec? Spec, double[]? Parameters, List<ParseDiagnostic> Findings, double[]? Buffers) Resolve(NetworkSpec spec, IEnumerable<WeightsFile> files)
    {
        if (!spec.LayersFromWeights || spec.Layers.Count > 0)
        {
            var (declaredParameters, declaredBuffers) = CheckDeclared(spec, files, out var declaredFindings);
            return (spec, declaredParameters, declaredFindings, declaredBuffers);
        }
        var findings = new List<ParseDiagnostic>();
        var resolved = OnnxArchitecture.Resolve(spec, files, findings, out var graph);
        if (resolved is null) return (null, null, findings, null);
        var (parameters, buffers) = CheckDeclared(resolved, files, out var checkFindings, graph);
        findings.AddRange(checkFindings);
        return (resolved, parameters, findings, buffers);
    }

    /// <summary>An NNG0012 finding at the [Weights] path.</summary>
    internal static ParseDiagnostic Finding(WeightsSpec weights, string message) =>
        new(DiagnosticId, DiagnosticTarget.Argument, weights.AttributeIndex, 0, null, $"[Weights(\"{weights.Path}\")]: {message}", true);

    /// <summary>The one AdditionalFiles item the attribute names, or null after reporting why there is none.</summary>
    internal static WeightsFile? Find(WeightsSpec weights, IEnumerable<WeightsFile> files, Action<string> add)
    {
        if (weights.Path.Trim().Length == 0)
        {
            add("the path is empty; expected the end of an AdditionalFiles item's path, e.g. \"weights.safetensors\"");
            return null;
        }
        if (!WeightsFile.IsCandidate(weights.Path))
        {
            add("the file's extension is not one [Weights] reads; expected .nng (parameter file), .safetensors (PyTorch), .onnx or .json (Keras)");
            return null;
        }
        var matches = files.Where(f => Matches(f.Path, weights.Path)).ToList();
        if (matches.Count == 0)
        {
            add($"the file is missing: no AdditionalFiles item ends with '{weights.Path}'; expected <AdditionalFiles Include=\"{weights.Path}\" /> in the project");
            return null;
        }
        if (matches.Count > 1)
        {
            add($"the path is ambiguous: {matches.Count.ToString(CultureInfo.InvariantCulture)} AdditionalFiles items end with it ({string.Join(", ", matches.Select(m => "'" + m.Path + "'"))}); expected one, so give more of its path");
            return null;
        }
        if (matches[0].Error is { } error)
        {
            add(error);
            return null;
        }
        return matches[0];
    }

    /// <param name="graph">The file's graph when the architecture was read from it: not read a second time.</param>
    private static (double[]? Parameters, double[]? Buffers) CheckDeclared(NetworkSpec spec, IEnumerable<WeightsFile> files, out List<ParseDiagnostic> findings, Onnx.OnnxLayerGraph? graph = null)
    {
        var weights = spec.Weights!;
        var found = findings = new List<ParseDiagnostic>();
        void Add(string message) => found.Add(Finding(weights, message));

        var layout = Layout(spec, out var layoutProblem);
        if (layout is null)
        {
            Add(layoutProblem!);
            return (null, null);
        }
        if (Find(weights, files, Add) is not { } file) return (null, null);
        var data = file.Content.AsArray();
        WeightsImport import;
        try
        {
            import = graph is not null ? OnnxWeights.Import(graph, layout) : WeightsImporter.Import(WeightsImporter.DetectFormat(file.Path, data), data, layout, weights.Names);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The importers report bad data as problems; this only keeps a bug of theirs from failing the whole build.
            Add($"the file could not be read ({e.GetType().Name}: {e.Message})");
            return (null, null);
        }
        foreach (var problem in import.Problems) Add(problem);
        long bakedBytes = (long)layout.ParameterCount * layout.ElementSize;
        if (import.Succeeded && bakedBytes > MaxBakedBytes)
        {
            Add($"the network's {layout.ParameterCount.ToString(CultureInfo.InvariantCulture)} parameters take {bakedBytes.ToString(CultureInfo.InvariantCulture)} bytes, more than the {MaxBakedBytes.ToString(CultureInfo.InvariantCulture)} that can be baked into an assembly; load the file at run time instead (LoadSafetensors, LoadKerasJson, LoadParameters)");
            return (null, null);
        }
        return (import.Parameters, import.Buffers);
    }
}
