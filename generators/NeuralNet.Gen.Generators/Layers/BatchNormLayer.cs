using System.Collections.Generic;
using System.Globalization;
using NeuralNet.Gen.Generators.Emit;
using NeuralNet.Gen.Generators.Model;
using NeuralNet.Gen.Generators.Parsing;
using NeuralNet.Gen.Weights;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Layers;

/// <summary>
/// <c>[BatchNorm(Momentum = 0.1, Epsilon = 1e-5)]</c> over the last axis (a vector's features, a sequence's or an
/// image's channels), as PyTorch's <c>BatchNorm1d</c>/<c>BatchNorm2d</c>. Training normalises with the statistics of
/// the whole batch (every sample and position: biased variance) and moves the running statistics towards them
/// (unbiased variance); inference normalises with the running statistics. Weight [C] then bias [C] in
/// <c>Parameters</c>; running mean [C] then running variance [C] in <c>Buffers</c>.
/// </summary>
internal sealed class BatchNormLayer : Layer
{
    public const double DefaultMomentum = 0.1;

    public const double DefaultEpsilon = 1e-5;

    public override LayerKind Kind => LayerKind.BatchNorm;

    public override LayerSpec? Read(LayerReader r)
    {
        double momentum = r.NamedDouble("Momentum", DefaultMomentum);
        double epsilon = r.NamedDouble("Epsilon", DefaultEpsilon);
        if (!(momentum >= 0 && momentum <= 1)) r.NamedError(DiagnosticIds.InvalidArgument, "Momentum", $"BatchNorm Momentum must be in [0, 1], but it is {Number(momentum)}");
        if (!(epsilon > 0 && epsilon < double.PositiveInfinity)) r.NamedError(DiagnosticIds.InvalidArgument, "Epsilon", $"BatchNorm Epsilon must be positive, but it is {Number(epsilon)}");
        if (!r.Valid || !r.InputKnown) return null;
        var input = r.Input;
        if ((long)input.Channels * 2 + r.ParameterOffset > AttributeArguments.MaxSize)
        {
            r.Error(DiagnosticIds.InvalidArgument, $"BatchNorm on {input.Channels} channels brings the network to more than {AttributeArguments.MaxSize} parameters");
            return null;
        }
        return r.Create(LayerKind.BatchNorm, input, units: input.Channels) with { Momentum = momentum, Epsilon = epsilon };
    }

    /// <summary>An offset to put before <c>ch</c> in an index: "" for 0, "40 + " otherwise.</summary>
    private static string Plus(int offset) => offset == 0 ? "" : Int(offset) + " + ";

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public override int WeightCount(LayerSpec layer) => layer.Units;

    public override int BiasCount(LayerSpec layer) => layer.Units;

    public override int BufferCount(LayerSpec layer) => 2 * layer.Units;

    /// <summary>A vector has one value per feature and sample: the batch variance needs two samples (PyTorch raises too).</summary>
    public override int MinimumTrainingBatch(LayerSpec layer) => layer.InputShape.Positions >= 2 ? 1 : 2;

    /// <summary>Training normalises with the statistics of the whole batch: the batch is not split into chunks.</summary>
    public override bool NeedsWholeBatch => true;

    public override string Description(LayerSpec layer)
    {
        var settings = new List<string>();
        if (layer.Momentum != DefaultMomentum) settings.Add($"Momentum = {Number(layer.Momentum)}");
        if (layer.Epsilon != DefaultEpsilon) settings.Add($"Epsilon = {Number(layer.Epsilon)}");
        return settings.Count == 0 ? "BatchNorm" : $"BatchNorm({string.Join(", ", settings)})";
    }

    public override string Fingerprint(LayerSpec layer) => $"BatchNorm({Number(layer.Momentum)},{Number(layer.Epsilon)})";

    private static string Axis(LayerSpec layer) => layer.InputShape.IsVector ? "feature" : "channel";

    public override string Describe(LayerPlan plan)
    {
        var l = plan.Spec;
        return $"Layer {Int(l.Index)}: BatchNorm over {l.OutputShape}, per {Axis(l)} ({Int(l.Units)}), momentum {Number(l.Momentum)}, epsilon {Number(l.Epsilon)} " +
               $"(weight [{Int(l.Units)}] at {Int(l.ParameterOffset)}, bias [{Int(l.Units)}] at {Int(l.BiasOffset)}; running mean and variance [{Int(l.Units)}] each at {Int(plan.BufferOffset)} of Buffers)" +
               (plan.FoldedIntoInput ? $", folded into layer {Int(plan.InputPosition + 1)} at inference" : "");
    }

    public override bool FoldsIntoInput => true;

    /// <summary>The workspace a layer that takes a BatchNorm into its weights at inference folds them into: weights, then bias.</summary>
    public static IEnumerable<BufferSlot> FoldSlots(LayerPlan producer)
    {
        if (producer.FoldedNormalization is null) yield break;
        yield return ValueSlot("folded" + producer.Name, producer.Spec.WeightCount + producer.FoldedNormalization.Spec.Units);
    }

    /// <summary>
    /// The weights and bias a layer reads: its own, or at inference, when a BatchNorm follows it, both with the
    /// BatchNorm folded in (per output channel c: w'[c, …] = w[c, …]·s[c], b'[c] = (b[c] - mean[c])·s[c] + β[c], where
    /// s = γ/√(var + ε)), computed here from the current parameters and running statistics.
    /// </summary>
    public static (string Weights, string Bias) FoldedOrOwn(SourceWriter w, EmitContext c, BatchStep step, string weights, string bias)
    {
        var producer = step.Layer;
        if (step.Training || producer.FoldedNormalization is not { } norm) return (weights, bias);
        var l = producer.Spec;
        var n = norm.Spec;
        string i = producer.Name, T = c.T, C = Int(n.Units), perChannel = Int(l.WeightCount / n.Units);
        string gamma = Plus(n.ParameterOffset), beta = Plus(n.BiasOffset), mean = Plus(norm.BufferOffset), variance = Plus(norm.BufferOffset + n.Units);
        w.Line($"// BatchNorm layer {norm.Name} is folded into this layer's weights and bias at inference (it follows with no activation between):");
        w.Line($"// w' = w · s and b' = (b - mean) · s + bias per output channel, s = weight / √(variance + ε); the same bits alone or in a batch.");
        w.Line($"global::System.Span<{T}> foldedWeights{i} = folded{i}.Slice(0, {Int(l.WeightCount)});");
        w.Line($"global::System.Span<{T}> foldedBias{i} = folded{i}.Slice({Int(l.WeightCount)}, {C});");
        using (w.Block($"for (int ch = 0; ch < {C}; ch++)"))
        {
            w.Line($"{T} s = p[{gamma}ch] / {c.Math}.Sqrt(buffers[{variance}ch] + {c.Lit(n.Epsilon)});");
            w.Line($"foldedBias{i}[ch] = ({(l.BiasCount > 0 ? $"p[{Plus(l.BiasOffset)}ch]" : c.Zero)} - buffers[{mean}ch]) * s + p[{beta}ch];");
            w.Line($"global::System.ReadOnlySpan<{T}> row = p.Slice({Plus(l.ParameterOffset)}ch * {perChannel}, {perChannel});");
            w.Line($"global::System.Span<{T}> foldedRow = foldedWeights{i}.Slice(ch * {perChannel}, {perChannel});");
            using (w.Block($"for (int k = 0; k < {perChannel}; k++)")) w.Line("foldedRow[k] = row[k] * s;");
        }
        return ($"foldedWeights{i}", $"foldedBias{i}");
    }

    public override string SummaryName(LayerSpec layer, int ordinal) => $"batch_norm_{Int(ordinal)} (BatchNorm)";

    public override string TorchModule => "nn.BatchNorm1d/2d";

    /// <summary>Weight and bias, running_mean and running_var, as nn.BatchNorm1d/2d names them.</summary>
    public override ImportedLayer ImportLayout(LayerSpec layer, int bufferOffset, Shape? flattenedImage) =>
        new BatchNormImport(layer.Index, layer.Units, layer.ParameterOffset, bufferOffset, layer.Epsilon);

    public override string OnnxDescription(LayerPlan plan)
    {
        var l = plan.Spec;
        return $"global::NeuralNet.Gen.LayerDescription.BatchNorm({Number(l.Epsilon)}, {Int(l.ParameterOffset)}, {Int(plan.BufferOffset)}, {OnnxDimensions(l.InputShape)})";
    }

    public override string ParameterDocumentation(LayerPlan plan)
    {
        var l = plan.Spec;
        return $"Layer {Int(l.Index)} (BatchNorm over {Int(l.Units)} {Axis(l)}s): weight [{Int(l.Units)}] at {Int(l.ParameterOffset)}, bias [{Int(l.Units)}] at {Int(l.BiasOffset)}";
    }

    public override string BufferDocumentation(LayerPlan plan)
    {
        var l = plan.Spec;
        return $"Layer {Int(l.Index)} (BatchNorm over {Int(l.Units)} {Axis(l)}s): running mean [{Int(l.Units)}] at {Int(plan.BufferOffset)}, running variance [{Int(l.Units)}] at {Int(plan.BufferOffset + l.Units)}";
    }

    public override void EmitInitialization(SourceWriter w, EmitContext c, LayerPlan plan)
    {
        var l = plan.Spec;
        w.Line($"// Layer {Int(l.Index)}: BatchNorm over {Int(l.Units)} {Axis(l)}s, weight 1, bias 0");
        w.Line($"p.Slice({Int(l.ParameterOffset)}, {Int(l.Units)}).Fill({c.One});");
        w.Line($"p.Slice({Int(l.BiasOffset)}, {Int(l.Units)}).Clear();");
    }

    public override void EmitBufferInitialization(SourceWriter w, EmitContext c, LayerPlan plan)
    {
        var l = plan.Spec;
        w.Line($"// Layer {Int(l.Index)}: BatchNorm running mean 0, running variance 1");
        w.Line($"buffers.Slice({Int(plan.BufferOffset)}, {Int(l.Units)}).Clear();");
        w.Line($"buffers.Slice({Int(plan.BufferOffset + l.Units)}, {Int(l.Units)}).Fill({c.One});");
    }

    public override IEnumerable<BufferSlot> SampleSlots(LayerPlan layer, bool training)
    {
        int n = layer.Spec.OutputSize;
        // Folded into the layer before at inference, it needs its own output only while training.
        yield return ValueSlot("a" + layer.Name, n, trainingOnly: layer.FoldedIntoInput);
        if (!training) yield break;
        yield return ValueSlot("d" + layer.Name, n, trainingOnly: true);
        yield return ValueSlot("xhat" + layer.Name, n, trainingOnly: true);
    }

    public override IEnumerable<BufferSlot> WorkspaceSlots(LayerPlan layer, bool training)
    {
        int channels = layer.Spec.Units;
        // Per channel: the scale (inference) or 1/√(var + ε) (training); and two sums while training.
        yield return ValueSlot("scale" + layer.Name, channels, trainingOnly: layer.FoldedIntoInput);
        if (training) yield return ValueSlot("sums" + layer.Name, 2 * channels, trainingOnly: true);
    }

    public override void EmitBatchForward(SourceWriter w, EmitContext c, BatchStep step)
    {
        var plan = step.Layer;
        var l = plan.Spec;
        string i = plan.Name, C = Int(l.Units), T = c.T, M = c.Math, x = step.Input;
        string weight = Plus(l.ParameterOffset), bias = Plus(l.BiasOffset), mean = Plus(plan.BufferOffset), variance = Plus(plan.BufferOffset + l.Units);
        string rows = l.InputShape.Positions == 1 ? "batchSize" : $"batchSize * {Int(l.InputShape.Positions)}";
        if (!step.Training && plan.FoldedIntoInput)
        {
            w.Line($"// Folded into layer {Int(plan.InputPosition + 1)}'s weights and bias at inference: its output is this layer's.");
            return;
        }
        if (!step.Training)
        {
            w.Line("// Running statistics: y = (x - mean) · weight / √(variance + ε) + bias.");
            using (w.Block($"for (int ch = 0; ch < {C}; ch++)"))
            {
                w.Line($"scale{i}[ch] = p[{weight}ch] / {M}.Sqrt(buffers[{variance}ch] + {c.Lit(l.Epsilon)});");
            }
            using (w.Block($"for (int row = 0; row < {rows}; row++)"))
            {
                w.Line($"global::System.ReadOnlySpan<{T}> xr = {x}.Slice(row * {C}, {C});");
                w.Line($"global::System.Span<{T}> yr = a{i}.Slice(row * {C}, {C});");
                using (w.Block($"for (int ch = 0; ch < {C}; ch++)"))
                {
                    w.Line($"yr[ch] = (xr[ch] - buffers[{mean}ch]) * scale{i}[ch] + p[{bias}ch];");
                }
            }
            return;
        }

        w.Line($"// Batch statistics over the {(l.InputShape.Positions == 1 ? "batch" : "batch and every position")}, in row order so every run sums alike.");
        w.Line($"int count{i} = {rows};");
        w.Line($"global::System.Span<{T}> mean{i} = sums{i}.Slice(0, {C});");
        w.Line($"global::System.Span<{T}> variance{i} = sums{i}.Slice({C}, {C});");
        w.Line($"sums{i}.Clear();");
        using (w.Block($"for (int row = 0; row < count{i}; row++)"))
        {
            w.Line($"global::System.ReadOnlySpan<{T}> xr = {x}.Slice(row * {C}, {C});");
            using (w.Block($"for (int ch = 0; ch < {C}; ch++)")) w.Line($"mean{i}[ch] += xr[ch];");
        }
        using (w.Block($"for (int ch = 0; ch < {C}; ch++)")) w.Line($"mean{i}[ch] /= count{i};");
        using (w.Block($"for (int row = 0; row < count{i}; row++)"))
        {
            w.Line($"global::System.ReadOnlySpan<{T}> xr = {x}.Slice(row * {C}, {C});");
            using (w.Block($"for (int ch = 0; ch < {C}; ch++)"))
            {
                w.Line($"{T} centred = xr[ch] - mean{i}[ch];");
                w.Line($"variance{i}[ch] += centred * centred;");
            }
        }
        w.Line($"// Normalise with the biased variance; the running variance takes the unbiased one (PyTorch).");
        w.Line($"{T} unbiased{i} = ({T})count{i} / (count{i} - 1);");
        using (w.Block($"for (int ch = 0; ch < {C}; ch++)"))
        {
            w.Line($"variance{i}[ch] /= count{i};");
            w.Line($"scale{i}[ch] = {c.One} / {M}.Sqrt(variance{i}[ch] + {c.Lit(l.Epsilon)});");
            w.Line($"buffers[{mean}ch] = {c.Lit(1 - l.Momentum)} * buffers[{mean}ch] + {c.Lit(l.Momentum)} * mean{i}[ch];");
            w.Line($"buffers[{variance}ch] = {c.Lit(1 - l.Momentum)} * buffers[{variance}ch] + {c.Lit(l.Momentum)} * variance{i}[ch] * unbiased{i};");
        }
        using (w.Block($"for (int row = 0; row < count{i}; row++)"))
        {
            w.Line($"global::System.ReadOnlySpan<{T}> xr = {x}.Slice(row * {C}, {C});");
            w.Line($"global::System.Span<{T}> hr = xhat{i}.Slice(row * {C}, {C});");
            w.Line($"global::System.Span<{T}> yr = a{i}.Slice(row * {C}, {C});");
            using (w.Block($"for (int ch = 0; ch < {C}; ch++)"))
            {
                w.Line($"{T} normalised = (xr[ch] - mean{i}[ch]) * scale{i}[ch];");
                w.Line("hr[ch] = normalised;");
                w.Line($"yr[ch] = p[{weight}ch] * normalised + p[{bias}ch];");
            }
        }
    }

    public override void EmitBatchBackward(SourceWriter w, EmitContext c, BatchStep step)
    {
        var plan = step.Layer;
        var l = plan.Spec;
        string i = plan.Name, C = Int(l.Units), T = c.T;
        string weight = Plus(l.ParameterOffset), bias = Plus(l.BiasOffset);
        w.Line($"// Backward through layer {i}: BatchNorm, through the batch statistics as well:");
        w.Line("// dx = weight / √(var + ε) · (dy - mean(dy) - x̂ · mean(dy · x̂)), per channel over the batch.");
        w.Line($"int count{i} = {(l.InputShape.Positions == 1 ? "batchSize" : $"batchSize * {Int(l.InputShape.Positions)}")}; // rows: the batch's samples (and positions)");
        w.Line($"global::System.Span<{T}> sumDy{i} = sums{i}.Slice(0, {C});");
        w.Line($"global::System.Span<{T}> sumDyXhat{i} = sums{i}.Slice({C}, {C});");
        w.Line($"sums{i}.Clear();");
        using (w.Block($"for (int row = 0; row < count{i}; row++)"))
        {
            w.Line($"global::System.ReadOnlySpan<{T}> dr = d{i}.Slice(row * {C}, {C});");
            w.Line($"global::System.ReadOnlySpan<{T}> hr = xhat{i}.Slice(row * {C}, {C});");
            using (w.Block($"for (int ch = 0; ch < {C}; ch++)"))
            {
                w.Line($"sumDy{i}[ch] += dr[ch];");
                w.Line($"sumDyXhat{i}[ch] += dr[ch] * hr[ch];");
            }
        }
        using (w.Block($"for (int ch = 0; ch < {C}; ch++)"))
        {
            w.Line($"g[{weight}ch] += sumDyXhat{i}[ch];");
            w.Line($"g[{bias}ch] += sumDy{i}[ch];");
        }
        if (step.InputGradient is not { } dx)
        {
            w.Line("// (no gradient to pass back to the input)");
            return;
        }
        using (w.Block($"for (int ch = 0; ch < {C}; ch++)"))
        {
            w.Line($"scale{i}[ch] *= p[{weight}ch];");
            w.Line($"sumDy{i}[ch] /= count{i};");
            w.Line($"sumDyXhat{i}[ch] /= count{i};");
        }
        using (w.Block($"for (int row = 0; row < count{i}; row++)"))
        {
            w.Line($"global::System.ReadOnlySpan<{T}> dr = d{i}.Slice(row * {C}, {C});");
            w.Line($"global::System.ReadOnlySpan<{T}> hr = xhat{i}.Slice(row * {C}, {C});");
            w.Line($"global::System.Span<{T}> dxr = {dx}.Slice(row * {C}, {C});");
            using (w.Block($"for (int ch = 0; ch < {C}; ch++)"))
            {
                w.Line($"dxr[ch] = scale{i}[ch] * (dr[ch] - sumDy{i}[ch] - hr[ch] * sumDyXhat{i}[ch]);");
            }
        }
    }
}
