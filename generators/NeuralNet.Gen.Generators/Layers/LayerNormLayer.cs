using System.Collections.Generic;
using System.Globalization;
using NeuralNet.Gen.Generators.Emit;
using NeuralNet.Gen.Generators.Model;
using NeuralNet.Gen.Generators.Parsing;
using NeuralNet.Gen.Weights;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Layers;

/// <summary>
/// <c>[LayerNorm(Epsilon = 1e-5)]</c> over the last axis of each row (a vector, each step of a sequence, each position of
/// an image), as PyTorch's <c>LayerNorm(C)</c>: y = (x - mean) / √(var + ε) · weight + bias with the row's mean and
/// biased variance, the same in training and at inference. Weight [C] then bias [C] in <c>Parameters</c>.
/// </summary>
internal sealed class LayerNormLayer : Layer
{
    public const double DefaultEpsilon = 1e-5;

    public override LayerKind Kind => LayerKind.LayerNorm;

    public override LayerSpec? Read(LayerReader r)
    {
        double epsilon = r.NamedDouble("Epsilon", DefaultEpsilon);
        if (!(epsilon > 0 && epsilon < double.PositiveInfinity)) r.NamedError(DiagnosticIds.InvalidArgument, "Epsilon", $"LayerNorm Epsilon must be positive, but it is {Number(epsilon)}");
        if (!r.Valid || !r.InputKnown) return null;
        var input = r.Input;
        if ((long)input.Channels * 2 + r.ParameterOffset > AttributeArguments.MaxSize)
        {
            r.Error(DiagnosticIds.InvalidArgument, $"LayerNorm on {input.Channels} values brings the network to more than {AttributeArguments.MaxSize} parameters");
            return null;
        }
        return r.Create(LayerKind.LayerNorm, input, units: input.Channels) with { Epsilon = epsilon };
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public override int WeightCount(LayerSpec layer) => layer.Units;

    public override int BiasCount(LayerSpec layer) => layer.Units;

    public override string Description(LayerSpec layer) => layer.Epsilon == DefaultEpsilon ? "LayerNorm" : $"LayerNorm(Epsilon = {Number(layer.Epsilon)})";

    public override string Fingerprint(LayerSpec layer) => $"LayerNorm({Number(layer.Epsilon)})";

    /// <summary>What one normalised row is: the sample, or each step or position.</summary>
    private static string Rows(LayerSpec layer) => layer.InputShape.IsVector ? "each sample" : layer.InputShape.IsSequence ? "each step" : "each position";

    public override string Describe(LayerPlan plan)
    {
        var l = plan.Spec;
        return $"Layer {Int(l.Index)}: LayerNorm over {l.OutputShape}, the last axis ({Int(l.Units)}) of {Rows(l)}, epsilon {Number(l.Epsilon)} " +
               $"(weight [{Int(l.Units)}] at {Int(l.ParameterOffset)}, bias [{Int(l.Units)}] at {Int(l.BiasOffset)})";
    }

    public override string SummaryName(LayerSpec layer, int ordinal) => $"layer_norm_{Int(ordinal)} (LayerNorm)";

    public override string TorchModule => "nn.LayerNorm";

    public override string ParameterDocumentation(LayerPlan plan)
    {
        var l = plan.Spec;
        return $"Layer {Int(l.Index)} (LayerNorm over {Int(l.Units)} values): weight [{Int(l.Units)}] at {Int(l.ParameterOffset)}, bias [{Int(l.Units)}] at {Int(l.BiasOffset)}";
    }

    public override void EmitInitialization(SourceWriter w, EmitContext c, LayerPlan plan)
    {
        var l = plan.Spec;
        w.Line($"// Layer {Int(l.Index)}: LayerNorm over {Int(l.Units)} values, weight 1, bias 0");
        w.Line($"p.Slice({Int(l.ParameterOffset)}, {Int(l.Units)}).Fill({c.One});");
        w.Line($"p.Slice({Int(l.BiasOffset)}, {Int(l.Units)}).Clear();");
    }

    public override string OnnxDescription(LayerPlan plan)
    {
        var l = plan.Spec;
        return $"global::NeuralNet.Gen.LayerDescription.LayerNorm({Number(l.Epsilon)}, {Int(l.ParameterOffset)}, {OnnxDimensions(l.InputShape)})";
    }

    /// <summary>nn.LayerNorm's <c>weight</c> [C] and <c>bias</c> [C].</summary>
    public override ImportedLayer ImportLayout(LayerSpec layer, int bufferOffset, Shape? flattenedImage) => new LayerNormImport(layer.Index, layer.Units, layer.ParameterOffset, layer.Epsilon);

    /// <summary>nn.LayerNorm normalises the last axis: PyTorch's sequence is channels-last there.</summary>
    public override bool ChannelsFirstInTorch(LayerSpec layer, bool inputChannelsFirst) => false;

    public override IEnumerable<BufferSlot> SampleSlots(LayerPlan layer, bool training)
    {
        var l = layer.Spec;
        yield return ValueSlot("a" + layer.Name, l.OutputSize);
        if (!training) yield break;
        yield return ValueSlot("d" + layer.Name, l.OutputSize, trainingOnly: true);
        // The normalised values and 1/√(var + ε) of each row, for the backward pass.
        yield return ValueSlot("xhat" + layer.Name, l.OutputSize, trainingOnly: true);
        yield return ValueSlot("rstd" + layer.Name, l.InputShape.Positions, trainingOnly: true);
    }

    public override void EmitBatchForward(SourceWriter w, EmitContext c, BatchStep step)
    {
        var l = step.Layer.Spec;
        string i = step.Layer.Name;
        string rows = l.InputShape.Positions == 1 ? "batchSize" : $"batchSize * {Int(l.InputShape.Positions)}";
        w.Line($"// Each row of {Int(l.Units)}: its mean and biased variance, summed in order.");
        using (w.Block($"for (int row = 0; row < {rows}; row++)"))
        {
            EmitRow(w, c, l, $"{step.Input}.Slice(row * {Int(l.Units)}, {Int(l.Units)})", $"a{i}.Slice(row * {Int(l.Units)}, {Int(l.Units)})",
                step.Training ? ($"xhat{i}.Slice(row * {Int(l.Units)}, {Int(l.Units)})", $"rstd{i}[row]") : null);
        }
    }

    /// <summary>One row: <paramref name="input"/> normalised into <paramref name="output"/>; while training, x̂ and 1/√(var + ε) kept.</summary>
    private static void EmitRow(SourceWriter w, EmitContext c, LayerSpec l, string input, string output, (string Xhat, string Rstd)? kept)
    {
        string T = c.T, C = Int(l.Units), weight = Plus(l.ParameterOffset), bias = Plus(l.BiasOffset);
        w.Line($"global::System.ReadOnlySpan<{T}> xr = {input};");
        w.Line($"global::System.Span<{T}> yr = {output};");
        if (kept is { } k) w.Line($"global::System.Span<{T}> hr = {k.Xhat};");
        w.Line($"{T} mean = {c.Zero};");
        using (w.Block($"for (int k = 0; k < {C}; k++)")) w.Line("mean += xr[k];");
        w.Line($"mean /= {c.Lit(l.Units)};");
        w.Line($"{T} variance = {c.Zero};");
        using (w.Block($"for (int k = 0; k < {C}; k++)"))
        {
            w.Line($"{T} centred = xr[k] - mean;");
            w.Line("variance += centred * centred;");
        }
        w.Line($"{T} rstd = {c.One} / {c.Math}.Sqrt(variance / {c.Lit(l.Units)} + {c.Lit(l.Epsilon)});");
        if (kept is { } kr) w.Line($"{kr.Rstd} = rstd;");
        using (w.Block($"for (int k = 0; k < {C}; k++)"))
        {
            w.Line($"{T} normalised = (xr[k] - mean) * rstd;");
            if (kept is not null) w.Line("hr[k] = normalised;");
            w.Line($"yr[k] = p[{weight}k] * normalised + p[{bias}k];");
        }
    }

    /// <summary>An offset to put before <c>k</c> in an index: "" for 0, "40 + " otherwise.</summary>
    private static string Plus(int offset) => offset == 0 ? "" : Int(offset) + " + ";

    public override void EmitBatchBackward(SourceWriter w, EmitContext c, BatchStep step)
    {
        var l = step.Layer.Spec;
        string i = step.Layer.Name, T = c.T, C = Int(l.Units), weight = Plus(l.ParameterOffset), bias = Plus(l.BiasOffset);
        string rows = l.InputShape.Positions == 1 ? "batchSize" : $"batchSize * {Int(l.InputShape.Positions)}";
        w.Line($"// Backward through layer {i}: LayerNorm, per row: dx = rstd · (dx̂ - mean(dx̂) - x̂ · mean(dx̂ · x̂)), dx̂ = dy · weight.");
        using (w.Block($"for (int row = 0; row < {rows}; row++)"))
        {
            w.Line($"global::System.ReadOnlySpan<{T}> dr = d{i}.Slice(row * {C}, {C});");
            w.Line($"global::System.ReadOnlySpan<{T}> hr = xhat{i}.Slice(row * {C}, {C});");
            w.Line($"{T} sumDxhat = {c.Zero}, sumDxhatXhat = {c.Zero};");
            using (w.Block($"for (int k = 0; k < {C}; k++)"))
            {
                w.Line($"g[{weight}k] += dr[k] * hr[k];");
                w.Line($"g[{bias}k] += dr[k];");
                w.Line($"{T} dxhat = dr[k] * p[{weight}k];");
                w.Line("sumDxhat += dxhat;");
                w.Line("sumDxhatXhat += dxhat * hr[k];");
            }
            if (step.InputGradient is { } dx)
            {
                w.Line($"{T} meanDxhat = sumDxhat / {c.Lit(l.Units)}, meanDxhatXhat = sumDxhatXhat / {c.Lit(l.Units)};");
                w.Line($"{T} rstd = rstd{i}[row];");
                w.Line($"global::System.Span<{T}> dxr = {dx}.Slice(row * {C}, {C});");
                using (w.Block($"for (int k = 0; k < {C}; k++)"))
                {
                    w.Line($"dxr[k] = rstd * (dr[k] * p[{weight}k] - meanDxhat - hr[k] * meanDxhatXhat);");
                }
            }
        }
    }

    /// <summary>Each row on its own: it streams.</summary>
    public override bool IsCausal(LayerSpec layer) => true;

    public override void EmitStep(SourceWriter w, EmitContext c, StreamStep step)
    {
        using (w.Scope())
        {
            EmitRow(w, c, step.Layer.Spec, step.Input, "s" + step.Layer.Name, null);
        }
    }
}
