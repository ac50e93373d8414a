using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Analyzers.Tests;

/// <summary>
/// Random network declarations through the generator and every analyzer. What counts as "an error diagnostic": an NNG
/// error from the analyzers, or a compiler error located in the declaration's own file (e.g. CS0579 for a second
/// [Loss], CS0260 for a missing partial on one of two declarations). Everything else must compile with no error,
/// generated code included. An error in a generated file, an analyzer exception (AD0001) or a generator exception
/// (CS8785) fails the test, and so does generated code (other than the throwing public surface) for a network that has an
/// NNG error.
/// </summary>
public sealed class FuzzTests
{
    private const int Cases = 2000;
    private const int Seed = 20261122;

    /// <summary>Declarations per compilation: each in its own file and namespace, so findings are told apart by file.</summary>
    private const int BatchSize = 25;
    private readonly ITestOutputHelper _output;

    public FuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void RandomDeclarations_NeverCrashAndEitherFailWithAnErrorOrCompile()
    {
        var random = new Random(Seed);
        var declarations = Enumerable.Range(0, Cases).Select(i => RandomDeclaration(random, i)).ToArray();
        var sources = declarations.Select(d => d.Source).ToArray();
        var outcomes = new Outcome[Cases];
        var failures = new List<string>();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        Parallel.For(0, Cases / BatchSize, new ParallelOptions { MaxDegreeOfParallelism = 2 }, batch =>
        {
            var indices = Enumerable.Range(batch * BatchSize, BatchSize).ToArray();
            AnalysisRun run;
            try
            {
                run = Harness.Run(indices.Select(i => (CasePath(i), sources[i])));
            }
            catch (Exception e)
            {
                lock (failures) failures.Add($"batch {batch} threw {e}\n{string.Join("\n", indices.Select(i => sources[i]))}");
                return;
            }
            foreach (int i in indices)
            {
                var problem = Check(run, i, out outcomes[i]);
                if (problem is null && outcomes[i].Kind == OutcomeKind.NotGenerated && declarations[i].HasNetwork)
                {
                    problem = "the analyzers accept a network that the generator did not emit";
                }
                if (problem is not null) lock (failures) failures.Add($"case {i}: {problem}\n{sources[i]}");
            }
        });
        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

        var ids = outcomes.SelectMany(o => o.Ids).GroupBy(id => id).OrderBy(g => g.Key).Select(g => $"{g.Key} x{g.Count()}");
        _output.WriteLine($"{Cases} cases (seed {Seed}) in {watch.Elapsed.TotalSeconds:F1} s ({cpu.TotalSeconds:F1} s CPU): "
            + $"{outcomes.Count(o => o.Kind == OutcomeKind.NngError)} NNG error, {outcomes.Count(o => o.Kind == OutcomeKind.CompilerError)} compiler error in the declaration, "
            + $"{outcomes.Count(o => o.Kind == OutcomeKind.Generated)} generated and compiled, {outcomes.Count(o => o.Kind == OutcomeKind.NotGenerated)} valid but not generated (no [Network]) and compiled; "
            + $"{GeneratedImageNetworks(outcomes, declarations)} of the generated have image layers");
        _output.WriteLine("diagnostics: " + string.Join(", ", ids));

        Assert.True(failures.Count == 0, $"{failures.Count} failing cases; first:\n{string.Join("\n\n", failures.Take(3))}");
        // The generator is good enough to reach every diagnostic and to produce compiling code often.
        foreach (var id in new[] { "NNG0001", "NNG0002", "NNG0003", "NNG0004", "NNG0005", "NNG0006", "NNG0007", "NNG0008", "NNG0010", "NNG0011", "NNG0013" })
        {
            Assert.Contains(outcomes, o => o.Ids.Contains(id));
        }
        Assert.True(outcomes.Count(o => o.Kind == OutcomeKind.Generated) >= 200, "too few valid generated networks");
        Assert.True(GeneratedImageNetworks(outcomes, declarations) >= 50, "too few valid convolution networks");
    }

    private static int GeneratedImageNetworks(Outcome[] outcomes, (string Source, bool HasNetwork, bool HasImageLayers)[] declarations) =>
        Enumerable.Range(0, outcomes.Length).Count(i => outcomes[i].Kind == OutcomeKind.Generated && declarations[i].HasImageLayers);

    private enum OutcomeKind { NngError, CompilerError, Generated, NotGenerated }

    private readonly record struct Outcome(OutcomeKind Kind, string[] Ids);

    private static string CasePath(int index) => $"Case{index}.cs";

    /// <summary>The generated file of case i is named after its namespace, Fuzz{i}.Net.g.cs.</summary>
    private static bool IsGeneratedFor(string path, int index) =>
        System.IO.Path.GetFileName(path).StartsWith($"Fuzz{index}.", StringComparison.Ordinal);

    private static string? Check(AnalysisRun run, int index, out Outcome outcome)
    {
        var path = CasePath(index);
        bool Mine(Diagnostic d) => d.Location.SourceTree?.FilePath is { } p && (p == path || IsGeneratedFor(p, index));
        var nng = run.Nng.Where(Mine).ToList();
        var compilerErrors = run.CompilerErrors.Where(Mine).ToList();
        int generated = run.GeneratedPaths.Count(p => IsGeneratedFor(p, index));
        var ids = nng.Select(d => d.Id).Distinct().ToArray();
        outcome = new Outcome(OutcomeKind.NngError, ids);
        if (run.GeneratorDiagnostics.Any(d => d.Id == "CS8785")) return "generator failed (CS8785)";
        if (run.AnalyzerDiagnostics.Any(d => d.Id == "AD0001")) return "analyzer failed (AD0001)";
        var generatedErrors = compilerErrors.Where(d => d.Location.SourceTree!.FilePath != path).ToList();
        if (generatedErrors.Count > 0) return "errors in generated code: " + string.Join("; ", generatedErrors.Take(3));
        if (nng.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            // Only the public surface (members that throw, so call sites compile) may be generated for it.
            bool surfaceOnly = run.Output.SyntaxTrees.Where(t => IsGeneratedFor(t.FilePath, index))
                .All(t => t.ToString().Contains("has an architecture error and was not generated", StringComparison.Ordinal));
            return surfaceOnly ? null : "network code generated for a network with an NNG error";
        }
        if (compilerErrors.Count > 0)
        {
            outcome = new Outcome(OutcomeKind.CompilerError, ids);
            return null;
        }
        outcome = new Outcome(generated > 0 ? OutcomeKind.Generated : OutcomeKind.NotGenerated, ids);
        return null;
    }

    private static readonly string[] Activations = { "Linear", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Softmax", "Elu", "Gelu", "Swish", "Softplus" };
    private static readonly string[] Losses = { "MeanSquaredError", "MeanAbsoluteError", "Huber", "BinaryCrossEntropy", "CategoricalCrossEntropy" };
    private static readonly string[] Optimizers = { "Sgd", "Momentum", "Nesterov", "RmsProp", "Adagrad", "Adam", "AdamW" };
    private static readonly string[] Inits = { "GlorotUniform", "GlorotNormal", "HeUniform", "HeNormal", "Normal", "Zeros" };
    private static readonly string[] Floats = { "-1f", "0f", "0.001f", "0.1f", "0.5f", "0.9f", "0.999f", "1f", "2f", "1e-8f", "float.NaN" };

    /// <summary>One random declaration: mostly plausible networks, with every kind of mistake mixed in.</summary>
    private static (string Source, bool HasNetwork, bool HasImageLayers) RandomDeclaration(Random r, int index)
    {
        bool Chance(double p) => r.NextDouble() < p;
        T Pick<T>(IReadOnlyList<T> items) => items[r.Next(items.Count)];
        int Size(int max) => Chance(0.06) ? r.Next(-2, 1) : r.Next(1, max + 1);
        string Activation() => Chance(0.02) ? "(Activation)" + r.Next(10, 50) : Pick(Activations);
        string F(double v) => v.ToString("R", CultureInfo.InvariantCulture) + "f";

        var attributes = new List<string>();
        bool image = Chance(0.35);
        bool sequence = !image && Chance(0.3);
        var layers = new List<string>();
        int layerCount = Chance(0.05) ? 0 : r.Next(1, 6);
        for (int i = 0; i < layerCount; i++)
        {
            int kind = image ? r.Next(6) : (Chance(0.85) ? 0 : r.Next(1, 6));
            if (Chance(sequence ? 0.25 : 0.02))
            {
                // Conv1D: mostly on sequences; on a vector or an image it must be NNG0005, a kernel too long for Valid too.
                string[] paddings = { "Valid", "Same", "Causal" };
                layers.Add($"Conv1D({Size(4)}, {Size(4)}{(Chance(0.5) ? ", " + Activation() : "")}{(Chance(0.3) ? $", Stride = {Size(3)}" : "")}"
                    + $"{(Chance(0.5) ? ", Padding = Padding." + Pick(paddings) : "")}{(Chance(0.3) ? $", Dilation = {Size(3)}" : "")}{(Chance(0.1) ? ", UseBias = false" : "")})");
                continue;
            }
            if (sequence && Chance(0.7))
            {
                string returns = Chance(0.5) ? $", ReturnSequences = {(Chance(0.5) ? "true" : "false")}" : "";
                layers.Add(r.Next(3) switch
                {
                    0 => $"SimpleRNN({Size(5)}{(Chance(0.5) ? ", " + Activation() : "")}{returns})",
                    1 => $"GRU({Size(5)}{returns})",
                    _ => $"LSTM({Size(5)}{returns})",
                });
                continue;
            }
            if (Chance(0.06))
            {
                // [Activation] and [LayerNorm] on any shape (an undefined activation, a non-positive epsilon must be NNG0004).
                layers.Add(Chance(0.5) ? $"Activation({Activation()})" : "LayerNorm" + (Chance(0.4) ? $"(Epsilon = {Pick(Floats)})" : ""));
                continue;
            }
            layers.Add(kind switch
            {
                0 => $"Dense({Size(6)}{(Chance(0.7) ? ", " + Activation() : "")}{(Chance(0.1) ? ", WeightInit = WeightInit." + Pick(Inits) : "")}{(Chance(0.1) ? ", UseBias = false" : "")})",
                1 => $"Conv2D({Size(4)}, {Size(4)}{(Chance(0.5) ? ", " + Activation() : "")}{(Chance(0.2) ? $", Stride = {Size(3)}" : "")}{(Chance(0.2) ? ", Padding = Padding." + (Chance(0.9) ? "Same" : "Causal") : "")}{(Chance(0.1) ? ", UseBias = false" : "")})",
                2 => $"MaxPool2D({Size(3)}{(Chance(0.2) ? $", Stride = {Size(3)}" : "")})",
                3 => "Flatten",
                4 => $"Dropout({F(Pick(new[] { -0.5, 0, 0.25, 0.5, 0.99, 1, 1.5 }))})",
                _ => "BatchNorm" + (Chance(0.4) ? $"(Momentum = {Pick(Floats)}{(Chance(0.5) ? ", Epsilon = " + Pick(Floats) : "")})" : ""),
            });
        }
        // A plausible classifier head often enough that many networks are valid.
        if (image && layerCount > 0 && Chance(0.6)) layers.Add("Flatten");
        if (layerCount > 0 && Chance(0.5)) layers.Add($"Dense({Size(4)}, {Activation()})");

        AddNamesAndMerges(new Random(index), layers);
        AddPools(new Random(index + 0x5EED), layers, image, sequence);

        string input = image ? $"Input({Size(8)}, {Size(8)}, {Size(3)})" : sequence ? $"Input({Size(6)}, {Size(3)})" : $"Input({Size(6)})";
        int inputs = Chance(0.05) ? 0 : Chance(0.04) ? 2 : 1;
        for (int i = 0; i < inputs; i++)
        {
            int at = Chance(0.06) ? r.Next(layers.Count + 1) : 0;
            layers.Insert(at, input);
        }

        bool denseOnly = layers.All(l => l.StartsWith("Dense(", StringComparison.Ordinal) || l.StartsWith("Input(", StringComparison.Ordinal)
            || l.StartsWith("Add(", StringComparison.Ordinal) || l.StartsWith("Concatenate(", StringComparison.Ordinal));
        bool hasNetwork = !Chance(0.03);
        if (hasNetwork) attributes.Add(Chance(0.2) ? $"Network(Precision = Precision.{(Chance(0.5) ? "Double" : "Single")}, Seed = {r.Next(100)})" : "Network");
        if (Chance(0.01)) attributes.Add("Network");
        attributes.AddRange(layers);
        if (Chance(0.6)) attributes.Add($"Loss(LossFunction.{Pick(Losses)})");
        if (Chance(0.01)) attributes.Add($"Loss((LossFunction){r.Next(5, 9)})");
        if (Chance(0.02)) attributes.Add($"Loss(LossFunction.{Pick(Losses)})");
        if (Chance(0.4))
        {
            var named = new List<string>();
            foreach (var name in new[] { "LearningRate", "Momentum", "Beta1", "Beta2", "Epsilon", "WeightDecay" })
            {
                if (Chance(0.2)) named.Add($"{name} = {Pick(Floats)}");
            }
            attributes.Add($"Optimizer(OptimizerKind.{Pick(Optimizers)}{string.Concat(named.Select(n => ", " + n))})");
        }

        var sb = new StringBuilder(Harness.Usings);
        sb.Append("namespace Fuzz").Append(index).Append(";\n");
        bool split = Chance(0.02) && attributes.Count > 2;
        bool generic = Chance(0.02);
        string modifiers = Chance(0.04) ? "public" : Chance(0.02) ? "public static partial" : "public partial";
        string keyword = Chance(0.02) ? "record" : "class";
        var first = split ? attributes.Take(attributes.Count - 1) : attributes;
        foreach (var attribute in first) sb.Append('[').Append(attribute).Append("]\n");
        sb.Append(modifiers).Append(' ').Append(keyword).Append(" Net").Append(generic ? "<T>" : "").Append(" { }\n");
        if (split) sb.Append('[').Append(attributes[^1]).Append("]\npublic partial ").Append(keyword).Append(" Net").Append(generic ? "<T>" : "").Append(" { }\n");
        return (sb.ToString(), hasNetwork, !denseOnly);
    }

    private static readonly string[] Names = { "a", "b", "c", "input" };
    private static readonly string[] References = { "a", "b", "c", "input", "input", "x", "A" };

    /// <summary>
    /// Names on some layers (duplicates and the reserved "input" among them) and Add or Concatenate layers reading
    /// them: earlier layers, later ones (forward references), themselves (cycles), unknown or misspelt names. A stream
    /// of its own, so the rest of the declaration is drawn as before.
    /// </summary>
    private static void AddNamesAndMerges(Random r, List<string> layers)
    {
        if (r.NextDouble() >= 0.35) return;
        for (int i = 0; i < layers.Count; i++)
        {
            if (r.NextDouble() < 0.4) layers[i] = WithName(layers[i], Names[r.Next(Names.Length)]);
        }
        int merges = r.Next(1, 3);
        for (int m = 0; m < merges; m++)
        {
            string merge = $"{(r.NextDouble() < 0.6 ? "Add" : "Concatenate")}(\"{References[r.Next(References.Length)]}\")";
            if (r.NextDouble() < 0.2) merge = WithName(merge, Names[r.Next(Names.Length)]);
            layers.Insert(r.Next(layers.Count + 1), merge);
        }
    }

    /// <summary>
    /// Pooling layers (MaxPool1D, AveragePool1D, AveragePool2D, GlobalAveragePool, GlobalMaxPool), mostly in networks of
    /// sequences or images: a global pool mostly in place of a Flatten (which keeps a valid network valid), else a
    /// window pool mostly of the input's rank right after it, its size sometimes out of range or larger than the input.
    /// A stream of its own, so the rest of the declaration is drawn as before.
    /// </summary>
    private static void AddPools(Random r, List<string> layers, bool image, bool sequence)
    {
        if (r.NextDouble() >= (image ? 0.3 : sequence ? 0.12 : 0.02)) return;
        int flatten = layers.IndexOf("Flatten");
        if (flatten >= 0 && r.NextDouble() < 0.7)
        {
            layers[flatten] = r.NextDouble() < 0.5 ? "GlobalAveragePool" : "GlobalMaxPool";
            return;
        }
        if (r.NextDouble() < 0.1)
        {
            layers.Insert(r.Next(layers.Count + 1), r.NextDouble() < 0.5 ? "GlobalAveragePool" : "GlobalMaxPool");
            return;
        }
        int size = r.NextDouble() < 0.1 ? r.Next(-1, 1) : r.Next(1, 3);
        string stride = r.NextDouble() < 0.3 ? $", Stride = {(r.NextDouble() < 0.1 ? r.Next(-1, 1) : r.Next(1, 3))}" : "";
        bool twoD = r.NextDouble() < 0.9 ? image : !image;
        string pool = twoD ? $"AveragePool2D({size}{stride})" : $"{(r.NextDouble() < 0.5 ? "MaxPool1D" : "AveragePool1D")}({size}{stride})";
        layers.Insert(r.NextDouble() < 0.85 ? 0 : r.Next(layers.Count + 1), pool);
    }

    private static string WithName(string layer, string name) =>
        layer.EndsWith(")", StringComparison.Ordinal) ? $"{layer.Substring(0, layer.Length - 1)}, Name = \"{name}\")" : $"{layer}(Name = \"{name}\")";
}
