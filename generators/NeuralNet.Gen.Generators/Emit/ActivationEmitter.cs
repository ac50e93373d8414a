using System.Collections.Generic;
using System.Linq;
using NeuralNet.Gen.Generators.Model;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Emit;

/// <summary>
/// Emits one small private helper per activation the network uses (and its gradient when it trains), so
/// the layer code reads <c>ApplyRelu(z)</c> and the formulas stand once, next to their definitions. The names
/// must not be the activations' own: a user's <c>using static NeuralNet.Gen.Activation</c> would bind
/// <c>[Dense(4, Relu)]</c> to a member of the class instead.
/// </summary>
internal static class ActivationEmitter
{
    private const double GeluC = 0.7978845608028654; // √(2/π)
    private const double GeluK = 0.044715;

    /// <summary>The expression for activation(x), or null for Linear and Softmax (handled by the layer).</summary>
    public static string? Apply(Activation activation, string x) =>
        activation is Activation.Linear or Activation.Softmax ? null : $"Apply{activation}({x})";

    /// <summary>dL/dz from dL/da (<paramref name="upstream"/>), z and a.</summary>
    public static string Gradient(Activation activation, string upstream, string z, string a) =>
        activation == Activation.Linear ? upstream : $"{activation}Gradient({upstream}, {z}, {a})";

    public static void EmitHelpers(SourceWriter w, EmitContext c)
    {
        var used = new SortedSet<Activation>(c.Plan.Layers.Select(l => l.Kind.ActivationOf(l.Spec)).Where(a => a is not null).Select(a => a!.Value));
        used.Remove(Activation.Linear);
        used.Remove(Activation.Softmax);
        string T = c.T, M = c.Math, zero = c.Zero, one = c.One, half = c.Lit(0.5);
        const string Inline = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]";
        foreach (var activation in used)
        {
            w.Line();
            string summary, forward, gradient;
            switch (activation)
            {
                case Activation.Relu:
                    summary = "ReLU: max(0, x).";
                    forward = $"x > {zero} ? x : {zero}";
                    gradient = $"x > {zero} ? upstream : {zero}";
                    break;
                case Activation.LeakyRelu:
                    summary = "Leaky ReLU, slope 0.01 below zero.";
                    forward = $"x > {zero} ? x : {c.Lit(0.01)} * x";
                    gradient = $"x > {zero} ? upstream : {c.Lit(0.01)} * upstream";
                    break;
                case Activation.Sigmoid:
                    summary = "Logistic sigmoid: 1 / (1 + e^-x).";
                    forward = $"{one} / ({one} + {c.OwnMath}.Exp(-x))";
                    gradient = $"upstream * y * ({one} - y)";
                    break;
                case Activation.Tanh:
                    summary = "Hyperbolic tangent.";
                    forward = $"{c.OwnMath}.Tanh(x)";
                    gradient = $"upstream * ({one} - y * y)";
                    break;
                case Activation.Elu:
                    summary = "ELU, alpha 1: x above zero, e^x - 1 below.";
                    forward = $"x > {zero} ? x : {c.OwnMath}.Exp(x) - {one}";
                    gradient = $"x > {zero} ? upstream : upstream * (y + {one})";
                    break;
                case Activation.Gelu:
                    summary = "GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), as PyTorch's approximate='tanh'.";
                    forward = $"{half} * x * ({one} + {c.OwnMath}.Tanh({c.Lit(GeluC)} * (x + {c.Lit(GeluK)} * x * x * x)))";
                    gradient = "";
                    break;
                case Activation.Swish:
                    summary = "Swish (SiLU): x·sigmoid(x).";
                    forward = $"x / ({one} + {c.OwnMath}.Exp(-x))";
                    gradient = "";
                    break;
                default: // Softplus
                    summary = "Softplus: log(1 + e^x), written max(x, 0) + log(1 + e^-|x|) so it cannot overflow.";
                    forward = $"{M}.Max(x, {zero}) + {c.OwnMath}.Log({one} + {c.OwnMath}.Exp(-{M}.Abs(x)))";
                    gradient = $"upstream / ({one} + {c.OwnMath}.Exp(-x))";
                    break;
            }

            w.Line($"/// <summary>{summary}</summary>");
            w.Line(Inline);
            w.Line($"private static {T} Apply{activation}({T} x) => {forward};");
            if (!c.Plan.DifferentiatedActivations.Contains(activation)) continue;
            w.Line();
            w.Line($"/// <summary>Gradient of <see cref=\"Apply{activation}\"/>: dL/dx from dL/dy (<paramref name=\"upstream\"/>), x and y = {activation}(x).</summary>");
            w.Line(Inline);
            if (activation == Activation.Gelu)
            {
                using (w.Block($"private static {T} GeluGradient({T} upstream, {T} x, {T} y)"))
                {
                    w.Line($"{T} t = {c.OwnMath}.Tanh({c.Lit(GeluC)} * (x + {c.Lit(GeluK)} * x * x * x));");
                    w.Line($"return upstream * ({half} * ({one} + t) + {half} * x * ({one} - t * t) * {c.Lit(GeluC)} * ({one} + {c.Lit(3 * GeluK)} * x * x));");
                }
            }
            else if (activation == Activation.Swish)
            {
                using (w.Block($"private static {T} SwishGradient({T} upstream, {T} x, {T} y)"))
                {
                    w.Line($"{T} s = {one} / ({one} + {c.OwnMath}.Exp(-x));");
                    w.Line($"return upstream * (s + y * ({one} - s));");
                }
            }
            else
            {
                w.Line($"private static {T} {activation}Gradient({T} upstream, {T} x, {T} y) => {gradient};");
            }
        }
    }

    /// <summary>a{l} from z{l} over the whole batch (layers with an activation, on the batched path).</summary>
    public static void EmitBatchActivation(SourceWriter w, EmitContext c, LayerPlan plan)
    {
        var layer = plan.Spec;
        string i = plan.Name, n = Int(layer.OutputSize);
        switch (layer.Activation)
        {
            case Activation.Linear:
                w.Line($"z{i}.CopyTo(a{i});");
                break;
            case Activation.Softmax:
                w.Line($"z{i}.CopyTo(a{i});");
                using (w.Block($"for (int b = 0; b < {SoftmaxRows(layer)}; b++)"))
                {
                    w.Line($"global::System.Span<{c.T}> row = a{i}.Slice(b * {Int(layer.OutputShape.Channels)}, {Int(layer.OutputShape.Channels)});");
                    EmitSoftmaxLoop(w, c, layer.OutputShape.Channels, "row");
                }
                break;
            default:
                using (w.Block($"for (int j = 0; j < batchSize * {n}; j++)"))
                {
                    w.Line($"a{i}[j] = {Apply(layer.Activation, $"z{i}[j]")};");
                }
                break;
        }
    }

    /// <summary>Turns d{l} from dL/da into dL/dz, in place, over the whole batch.</summary>
    public static void EmitBatchActivationBackward(SourceWriter w, EmitContext c, LayerPlan plan)
    {
        var layer = plan.Spec;
        string i = plan.Name, n = Int(layer.OutputSize);
        switch (layer.Activation)
        {
            case Activation.Linear:
                return;
            case Activation.Softmax:
                using (w.Block($"for (int b = 0; b < {SoftmaxRows(layer)}; b++)"))
                {
                    string k = Int(layer.OutputShape.Channels);
                    w.Line($"global::System.Span<{c.T}> dRow = d{i}.Slice(b * {k}, {k});");
                    w.Line($"global::System.Span<{c.T}> aRow = a{i}.Slice(b * {k}, {k});");
                    EmitSoftmaxBackwardLoop(w, c, layer.OutputShape.Channels, "dRow", "aRow");
                }
                return;
            default:
                using (w.Block($"for (int j = 0; j < batchSize * {n}; j++)"))
                {
                    w.Line($"d{i}[j] = {Gradient(layer.Activation, $"d{i}[j]", $"z{i}[j]", $"a{i}[j]")};");
                }
                return;
        }
    }

    /// <summary>Softmax runs over the last axis: one row per sample, or per step of a sequence.</summary>
    private static string SoftmaxRows(LayerSpec layer) =>
        layer.OutputShape.Positions == 1 ? "batchSize" : $"batchSize * {Int(layer.OutputShape.Positions)}";

    /// <summary>In-place softmax over a span of <paramref name="n"/> values, shifted by the maximum so exp cannot overflow.</summary>
    public static void EmitSoftmaxLoop(SourceWriter w, EmitContext c, int n, string span)
    {
        string T = c.T, M = c.Math;
        w.Line("// Softmax, shifted by the maximum so that exp cannot overflow.");
        using (w.Scope())
        {
            w.Line($"{T} max = {span}[0];");
            using (w.Block($"for (int o = 1; o < {Int(n)}; o++)")) w.Line($"max = {M}.Max(max, {span}[o]);");
            w.Line($"{T} sum = {c.Zero};");
            using (w.Block($"for (int o = 0; o < {Int(n)}; o++)"))
            {
                w.Line($"{T} e = {c.OwnMath}.Exp({span}[o] - max);");
                w.Line($"{span}[o] = e;");
                w.Line("sum += e;");
            }
            w.Line($"{T} inverseSum = {c.One} / sum;");
            using (w.Block($"for (int o = 0; o < {Int(n)}; o++)")) w.Line($"{span}[o] *= inverseSum;");
        }
    }

    /// <summary>Softmax's Jacobian-vector product over spans, in place on <paramref name="d"/>.</summary>
    public static void EmitSoftmaxBackwardLoop(SourceWriter w, EmitContext c, int n, string d, string a)
    {
        w.Line("// Softmax Jacobian-vector product: dz_k = a_k (da_k - Σ_j da_j a_j).");
        using (w.Scope())
        {
            w.Line($"{c.T} dot = {c.Zero};");
            using (w.Block($"for (int o = 0; o < {Int(n)}; o++)")) w.Line($"dot += {d}[o] * {a}[o];");
            using (w.Block($"for (int o = 0; o < {Int(n)}; o++)")) w.Line($"{d}[o] = {a}[o] * ({d}[o] - dot);");
        }
    }
}
