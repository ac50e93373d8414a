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
    private const double SeluAlpha = 1.6732632423543772; // PyTorch's constants
    private const double SeluScale = 1.0507009873554805;

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
        string T = c.T;
        foreach (var activation in used)
        {
            w.Line();
            var (summary, forward, gradient) = Formulas(activation, c);
            w.Line($"/// <summary>{summary}</summary>");
            w.Line(Inline);
            w.Line($"private static {T} Apply{activation}({T} x) => {forward};");
            if (!c.Plan.DifferentiatedActivations.Contains(activation)) continue;
            w.Line();
            w.Line($"/// <summary>Gradient of <see cref=\"Apply{activation}\"/>: dL/dx from dL/dy (<paramref name=\"upstream\"/>), x and y = {activation}(x).</summary>");
            w.Line(Inline);
            if (gradient.Length > 0) w.Line($"private static {T} {activation}Gradient({T} upstream, {T} x, {T} y) => {gradient};");
            else EmitGradientBody(w, c, activation);
        }
    }

    private const string Inline = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]";

    /// <summary>An activation's doc summary, its forward expression of x, and its gradient expression of upstream, x and y (empty when it needs a body).</summary>
    private static (string Summary, string Forward, string Gradient) Formulas(Activation activation, EmitContext c)
    {
        string M = c.Math, own = c.OwnMath, zero = c.Zero, one = c.One, half = c.Lit(0.5);
        return activation switch
        {
            Activation.Relu => ("ReLU: max(0, x).", $"x > {zero} ? x : {zero}", $"x > {zero} ? upstream : {zero}"),
            Activation.LeakyRelu => ("Leaky ReLU, slope 0.01 below zero.", $"x > {zero} ? x : {c.Lit(0.01)} * x", $"x > {zero} ? upstream : {c.Lit(0.01)} * upstream"),
            Activation.Sigmoid => ("Logistic sigmoid: 1 / (1 + e^-x).", $"{one} / ({one} + {own}.Exp(-x))", $"upstream * y * ({one} - y)"),
            Activation.Tanh => ("Hyperbolic tangent.", $"{own}.Tanh(x)", $"upstream * ({one} - y * y)"),
            Activation.Elu => ("ELU, alpha 1: x above zero, e^x - 1 below.", $"x > {zero} ? x : {own}.Exp(x) - {one}", $"x > {zero} ? upstream : upstream * (y + {one})"),
            Activation.Gelu => ("GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), as PyTorch's approximate='tanh'.",
                $"{half} * x * ({one} + {own}.Tanh({c.Lit(GeluC)} * (x + {c.Lit(GeluK)} * x * x * x)))", ""),
            Activation.Swish => ("Swish (SiLU): x·sigmoid(x).", $"x / ({one} + {own}.Exp(-x))", ""),
            Activation.Relu6 => ("ReLU6: min(max(x, 0), 6).", $"x > {zero} ? (x < {c.Lit(6)} ? x : {c.Lit(6)}) : {zero}", $"x > {zero} && x < {c.Lit(6)} ? upstream : {zero}"),
            Activation.HardSigmoid => ("Hard sigmoid: relu6(x + 3) / 6, as PyTorch's Hardsigmoid.",
                $"x <= {c.Lit(-3)} ? {zero} : x >= {c.Lit(3)} ? {one} : x * {c.Lit(1.0 / 6)} + {half}",
                $"x > {c.Lit(-3)} && x < {c.Lit(3)} ? upstream * {c.Lit(1.0 / 6)} : {zero}"),
            // Gradient as PyTorch's: x/3 + 1/2 on [-3, 3], 0 below, 1 above.
            Activation.HardSwish => ("Hard swish: x·relu6(x + 3) / 6, as PyTorch's Hardswish.",
                $"x <= {c.Lit(-3)} ? {zero} : x >= {c.Lit(3)} ? x : x * (x + {c.Lit(3)}) * {c.Lit(1.0 / 6)}",
                $"x < {c.Lit(-3)} ? {zero} : x <= {c.Lit(3)} ? upstream * (x * {c.Lit(1.0 / 3)} + {half}) : upstream"),
            Activation.Mish => ("Mish: x·tanh(softplus(x)), softplus written max(x, 0) + log(1 + e^-|x|) so it cannot overflow.",
                $"x * {own}.Tanh({M}.Max(x, {zero}) + {own}.Log({one} + {own}.Exp(-{M}.Abs(x))))", ""),
            Activation.Selu => ("SELU: scale·x above zero, scale·alpha·(e^x - 1) below (PyTorch's alpha and scale).",
                $"x > {zero} ? {c.Lit(SeluScale)} * x : {c.Lit(SeluScale * SeluAlpha)} * ({own}.Exp(x) - {one})",
                $"x > {zero} ? upstream * {c.Lit(SeluScale)} : upstream * (y + {c.Lit(SeluScale * SeluAlpha)})"),
            _ => ("Softplus: log(1 + e^x), written max(x, 0) + log(1 + e^-|x|) so it cannot overflow.",
                $"{M}.Max(x, {zero}) + {own}.Log({one} + {own}.Exp(-{M}.Abs(x)))", $"upstream / ({one} + {own}.Exp(-x))"),
        };
    }

    /// <summary>The gradients that need a statement body: GELU, Swish and Mish recompute an inner value.</summary>
    private static void EmitGradientBody(SourceWriter w, EmitContext c, Activation activation)
    {
        string T = c.T, M = c.Math, own = c.OwnMath, zero = c.Zero, one = c.One, half = c.Lit(0.5);
        using (w.Block($"private static {T} {activation}Gradient({T} upstream, {T} x, {T} y)"))
        {
            switch (activation)
            {
                case Activation.Gelu:
                    w.Line($"{T} t = {own}.Tanh({c.Lit(GeluC)} * (x + {c.Lit(GeluK)} * x * x * x));");
                    w.Line($"return upstream * ({half} * ({one} + t) + {half} * x * ({one} - t * t) * {c.Lit(GeluC)} * ({one} + {c.Lit(3 * GeluK)} * x * x));");
                    break;
                case Activation.Swish:
                    w.Line($"{T} s = {one} / ({one} + {own}.Exp(-x));");
                    w.Line($"return upstream * (s + y * ({one} - s));");
                    break;
                default:
                    // Mish: d/dx x·tanh(sp(x)) = t + x·(1 - t²)·sigmoid(x), with t = tanh(sp(x)) = y / x recomputed (x may be 0).
                    w.Line($"{T} t = {own}.Tanh({M}.Max(x, {zero}) + {own}.Log({one} + {own}.Exp(-{M}.Abs(x))));");
                    w.Line($"{T} s = {one} / ({one} + {own}.Exp(-x));");
                    w.Line($"return upstream * (t + x * ({one} - t * t) * s);");
                    break;
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
                    string r = SoftmaxRowSize(layer);
                    w.Line($"global::System.Span<{c.T}> row = a{i}.Slice(b * {r}, {r});");
                    EmitSoftmax(w, c, "row");
                }
                break;
            default:
                if (EmitVectorActivation(w, c, layer.Activation, $"z{i}", $"a{i}", $"batchSize * {n}")) break;
                using (w.Block($"for (int j = 0; j < batchSize * {n}; j++)"))
                {
                    w.Line($"a{i}[j] = {Apply(layer.Activation, $"z{i}[j]")};");
                }
                break;
        }
    }

    /// <summary>
    /// destination[..count] = activation(source[..count]) with the runtime's vector kernels, several values per
    /// instruction and the same bits as the Apply method one value at a time: ReLU, Sigmoid and Tanh. False (nothing
    /// written) for the other activations, which the caller loops over.
    /// </summary>
    public static bool EmitVectorActivation(SourceWriter w, EmitContext c, Activation activation, string source, string destination, string count)
    {
        switch (activation)
        {
            case Activation.Relu:
                w.Line($"global::NeuralNet.Gen.Kernels.Relu<{c.T}>({source}.Slice(0, {count}), {destination}); // several values per instruction, as ApplyRelu one at a time");
                return true;
            case Activation.Sigmoid or Activation.Tanh:
                if (source != destination) w.Line($"{source}.Slice(0, {count}).CopyTo({destination});");
                w.Line($"global::NeuralNet.Gen.NeuralMath.{activation}({destination}.Slice(0, {count})); // several values per instruction, the same bits as Apply{activation} one at a time");
                return true;
            default:
                return false;
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
                    string r = SoftmaxRowSize(layer);
                    w.Line($"global::System.Span<{c.T}> dRow = d{i}.Slice(b * {r}, {r});");
                    w.Line($"global::System.Span<{c.T}> aRow = a{i}.Slice(b * {r}, {r});");
                    EmitSoftmaxBackward(w, c, "dRow", "aRow");
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

    /// <summary>Softmax rows over the batch: one per sample, or one per step of a sequence.</summary>
    private static string SoftmaxRows(LayerSpec layer) =>
        layer.OutputShape.IsSequence ? $"batchSize * {Int(layer.OutputShape.Steps)}" : "batchSize";

    /// <summary>Values in one softmax row: a sample's outputs, or one step's.</summary>
    private static string SoftmaxRowSize(LayerSpec layer) =>
        Int(layer.OutputShape.IsSequence ? layer.OutputShape.Channels : layer.OutputSize);

    /// <summary>In-place softmax over a span, shifted by the maximum so exp cannot overflow (the runtime's kernel).</summary>
    public static void EmitSoftmax(SourceWriter w, EmitContext c, string span) =>
        w.Line($"global::NeuralNet.Gen.LossKernels.Softmax<{c.T}>({span});");

    /// <summary>Softmax's Jacobian-vector product over spans, in place on <paramref name="d"/> (the runtime's kernel).</summary>
    public static void EmitSoftmaxBackward(SourceWriter w, EmitContext c, string d, string a) =>
        w.Line($"global::NeuralNet.Gen.LossKernels.SoftmaxBackward<{c.T}>({d}, {a}); // dz_k = a_k (da_k - Σ_j da_j a_j)");
}
