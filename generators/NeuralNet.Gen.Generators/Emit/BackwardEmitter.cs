using System.Collections.Generic;
using System.Linq;
using System.Text;
using NeuralNet.Gen.Generators.Model;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Emit;

/// <summary>
/// Emits <c>TrainSample</c>: the forward pass keeping what the backward pass needs, the loss and its gradient
/// (fused with Sigmoid for BinaryCrossEntropy and with Softmax for CategoricalCrossEntropy), and the backward
/// pass, hand-derived by the chain rule layer by layer, accumulating into the gradient buffer.
/// </summary>
internal static class BackwardEmitter
{
    /// <summary>Length of the per-instance training scratch that <see cref="EmitTrainSample"/> slices.</summary>
    public static int ScratchSize(EmitContext c) => Layout(c).Size;

    private static ScratchLayout Layout(EmitContext c)
    {
        var layers = c.Spec.Layers;
        var scratch = new ScratchLayout();
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            string i = Int(layer.Index);
            if (l == layers.Count - 1)
            {
                scratch.Add("zOut", layer.OutputSize);
                scratch.Add("aOut", layer.OutputSize);
                scratch.Add("dOut", layer.OutputSize);
            }
            else if (!IsUnrolled(layer))
            {
                scratch.Add($"z{i}", layer.OutputSize);
                scratch.Add($"a{i}", layer.OutputSize);
                scratch.Add($"d{i}", layer.OutputSize);
            }
            else if (!IsUnrolled(layers[l + 1]))
            {
                scratch.Add($"a{i}", layer.OutputSize);
                scratch.Add($"d{i}", layer.OutputSize);
            }
        }
        return scratch;
    }

    public static void EmitTrainSample(SourceWriter w, EmitContext c)
    {
        var spec = c.Spec;
        var layers = spec.Layers;
        string T = c.T;
        w.Line("/// <summary>");
        w.Line("/// One sample forward and backward: adds <paramref name=\"scale\"/> times this sample's loss gradient to");
        w.Line("/// <paramref name=\"g\"/> and returns the sample's loss. <paramref name=\"s\"/> is the instance's training scratch.");
        w.Line("/// </summary>");
        using (w.Block($"private static {T} TrainSample(global::System.ReadOnlySpan<{T}> p, global::System.Span<{T}> g, global::System.ReadOnlySpan<{T}> x, global::System.ReadOnlySpan<{T}> t, global::System.Span<{T}> s, {T} scale)"))
        {
            Layout(c).Declare(w, c, "s");

            // Forward, keeping pre-activations (z) and activations (a) of every layer.
            var zs = new List<Values>();
            var acts = new List<Values>();
            var inputs = new List<Values>();
            var input = Values.Span("x");
            for (int l = 0; l < layers.Count; l++)
            {
                var layer = layers[l];
                string i = Int(layer.Index);
                bool last = l == layers.Count - 1;
                bool unrolled = IsUnrolled(layer);
                string? zSpan = last ? "zOut" : unrolled ? null : $"z{i}";
                string? outSpan = last ? "aOut" : !unrolled || !IsUnrolled(layers[l + 1]) ? $"a{i}" : null;
                w.Line();
                ForwardEmitter.LayerComment(w, layer);
                inputs.Add(input);
                var a = ForwardEmitter.EmitDense(w, c, layer, input, zSpan, outSpan);
                zs.Add(unrolled ? Values.Locals($"z{i}") : Values.Span(zSpan!));
                acts.Add(a);
                // A loop layer reads the span the previous layer copied into, not its locals (a Linear layer's are z).
                input = outSpan is not null && !last ? Values.Span(outSpan) : a;
            }

            w.Line();
            EmitLoss(w, c, layers[layers.Count - 1], "loss");

            for (int l = layers.Count - 1; l >= 0; l--)
            {
                var layer = layers[l];
                w.Line();
                w.Line($"// Backward through layer {Int(layer.Index)}: Dense {Int(layer.InputSize)} -> {Int(layer.OutputSize)}, {layer.Activation}");
                Values dz;
                if (l == layers.Count - 1)
                {
                    dz = Values.Span("dOut");
                }
                else
                {
                    bool nextUnrolled = IsUnrolled(layers[l + 1]);
                    var upstream = !IsUnrolled(layer) || !nextUnrolled ? Values.Span($"d{Int(layer.Index)}") : Values.Locals($"d{Int(layer.Index)}");
                    dz = EmitActivationBackward(w, c, layer, upstream, zs[l], acts[l]);
                }
                Values? downstream = null;
                if (l > 0)
                {
                    var previous = layers[l - 1];
                    string p = Int(previous.Index);
                    downstream = !IsUnrolled(layer) || !IsUnrolled(previous) ? Values.Span($"d{p}") : Values.Locals($"d{p}");
                }
                EmitDenseBackward(w, c, layer, dz, inputs[l], downstream);
            }
            w.Line();
            w.Line("return loss;");
        }
    }

    /// <summary>dL/dz of a hidden layer from dL/da.</summary>
    private static Values EmitActivationBackward(SourceWriter w, EmitContext c, LayerSpec layer, Values upstream, Values z, Values a)
    {
        string i = Int(layer.Index), T = c.T;
        int n = layer.OutputSize;
        if (!IsUnrolled(layer))
        {
            string d = upstream.Name;
            if (layer.Activation == Activation.Softmax)
            {
                EmitSoftmaxBackwardLoop(w, c, n, d, a.Name);
            }
            else if (layer.Activation != Activation.Linear)
            {
                using (w.Block($"for (int o = 0; o < {Int(n)}; o++)"))
                {
                    w.Line($"{d}[o] = {ActivationEmitter.Gradient(layer.Activation, $"{d}[o]", $"{z.Name}[o]", $"{a.Name}[o]")};");
                }
            }
            return upstream;
        }
        if (layer.Activation == Activation.Softmax)
        {
            // Softmax Jacobian-vector product: dz_k = a_k (da_k - Σ_j da_j a_j).
            w.Line($"{T} dot{i} = {string.Join(" + ", Enumerable.Range(0, n).Select(o => $"{upstream.At(o)} * {a.At(o)}"))};");
            for (int o = 0; o < n; o++) w.Line($"{T} dz{i}_{Int(o)} = {a.At(o)} * ({upstream.At(o)} - dot{i});");
        }
        else
        {
            for (int o = 0; o < n; o++)
            {
                w.Line($"{T} dz{i}_{Int(o)} = {ActivationEmitter.Gradient(layer.Activation, upstream.At(o), z.At(o), a.At(o))};");
            }
        }
        return Values.Locals($"dz{i}");
    }

    /// <summary>Weight and bias gradients (dW += dz·xᵀ, db += dz) and, when a layer precedes, dL/dx = Wᵀ·dz.</summary>
    internal static void EmitDenseBackward(SourceWriter w, EmitContext c, LayerSpec layer, Values dz, Values input, Values? downstream)
    {
        int n = layer.Units, m = layer.InputSize, wOff = layer.ParameterOffset, bOff = layer.BiasOffset;
        string T = c.T;
        if (IsUnrolled(layer))
        {
            for (int o = 0; o < n; o++)
            {
                w.Line($"g[{Int(bOff + o)}] += {dz.At(o)};");
                for (int i = 0; i < m; i++) w.Line($"g[{Int(wOff + o * m + i)}] += {dz.At(o)} * {input.At(i)};");
            }
            if (downstream is null) return;
            for (int i = 0; i < m; i++)
            {
                var sum = string.Join(" + ", Enumerable.Range(0, n).Select(o => $"{dz.At(o)} * p[{Int(wOff + o * m + i)}]"));
                w.Line(downstream.IsSpan ? $"{downstream.At(i)} = {sum};" : $"{T} {downstream.At(i)} = {sum};");
            }
            return;
        }

        if (downstream is not null) w.Line($"{downstream.Name}.Clear();");
        using (w.Block($"for (int o = 0; o < {Int(n)}; o++)"))
        {
            w.Line($"{T} dz = {dz.Name}[o];");
            w.Line($"if (dz == {c.Zero}) continue; // nothing flows back through this unit (a dead ReLU, say)");
            w.Line($"g[{Int(bOff)} + o] += dz;");
            w.Line($"global::NeuralNet.Gen.Kernels.MultiplyAdd(dz, {input.Name}, g.Slice({Int(wOff)} + o * {Int(m)}, {Int(m)}));");
            if (downstream is not null)
            {
                w.Line($"global::NeuralNet.Gen.Kernels.MultiplyAdd(dz, p.Slice({Int(wOff)} + o * {Int(m)}, {Int(m)}), {downstream.Name});");
            }
        }
    }

    internal static void EmitSoftmaxBackwardLoop(SourceWriter w, EmitContext c, int n, string d, string a)
    {
        w.Line("// Softmax Jacobian-vector product: dz_k = a_k (da_k - Σ_j da_j a_j).");
        using (w.Scope())
        {
            w.Line($"{c.T} dot = {c.Zero};");
            using (w.Block($"for (int o = 0; o < {Int(n)}; o++)")) w.Line($"dot += {d}[o] * {a}[o];");
            using (w.Block($"for (int o = 0; o < {Int(n)}; o++)")) w.Line($"{d}[o] = {a}[o] * ({d}[o] - dot);");
        }
    }

    /// <summary>The loss of one sample into <paramref name="lossName"/> and dL/dz of the output layer, times <c>scale</c>, into <c>dOut</c>.</summary>
    internal static void EmitLoss(SourceWriter w, EmitContext c, LayerSpec output, string lossName)
    {
        var loss = c.Spec.Loss!.Value;
        int k = output.OutputSize;
        string T = c.T, M = c.Math, K = Int(k);
        string perUnit = c.Lit(1.0 / k);
        switch (loss)
        {
            case LossFunction.BinaryCrossEntropy:
                w.Line($"// Loss: BinaryCrossEntropy, mean over {K} outputs, from the logits z (stable); fused with Sigmoid: dL/dz = (a - t) / {K}.");
                w.Line($"{T} {lossName} = {c.Zero};");
                w.Line(k > 1 ? $"{T} unitScale = scale * {perUnit};" : $"{T} unitScale = scale;");
                using (w.Block($"for (int k = 0; k < {K}; k++)"))
                {
                    w.Line($"{T} z = zOut[k];");
                    w.Line($"{lossName} += {M}.Max(z, {c.Zero}) - z * t[k] + {M}.Log({c.One} + {M}.Exp(-{M}.Abs(z)));");
                    w.Line("dOut[k] = (aOut[k] - t[k]) * unitScale;");
                }
                if (k > 1) w.Line($"{lossName} *= {perUnit};");
                return;
            case LossFunction.CategoricalCrossEntropy:
                w.Line("// Loss: CategoricalCrossEntropy, summed over classes, from the logits by log-sum-exp;");
                w.Line("// fused with Softmax: dL/dz = a·Σt - t (= a - t for one-hot targets).");
                w.Line($"{T} maxLogit = zOut[0];");
                using (w.Block($"for (int k = 1; k < {K}; k++)")) w.Line($"maxLogit = {M}.Max(maxLogit, zOut[k]);");
                w.Line($"{T} sumExp = {c.Zero};");
                w.Line($"{T} targetSum = {c.Zero};");
                using (w.Block($"for (int k = 0; k < {K}; k++)"))
                {
                    w.Line($"sumExp += {M}.Exp(zOut[k] - maxLogit);");
                    w.Line("targetSum += t[k];");
                }
                w.Line($"{T} logSumExp = maxLogit + {M}.Log(sumExp);");
                w.Line($"{T} {lossName} = {c.Zero};");
                using (w.Block($"for (int k = 0; k < {K}; k++)"))
                {
                    w.Line($"{lossName} += t[k] * (logSumExp - zOut[k]);");
                    w.Line("dOut[k] = (aOut[k] * targetSum - t[k]) * scale;");
                }
                return;
        }

        string description = loss switch
        {
            LossFunction.MeanSquaredError => "MeanSquaredError: mean of (a - t)²",
            LossFunction.MeanAbsoluteError => "MeanAbsoluteError: mean of |a - t|",
            _ => "Huber (delta 1): mean of 0.5·r² where |r| <= 1, |r| - 0.5 elsewhere, r = a - t",
        };
        w.Line($"// Loss: {description}, over {K} outputs; dOut first holds dL/da.");
        w.Line($"{T} {lossName} = {c.Zero};");
        w.Line(k > 1 ? $"{T} unitScale = scale * {perUnit};" : $"{T} unitScale = scale;");
        using (w.Block($"for (int k = 0; k < {K}; k++)"))
        {
            w.Line($"{T} r = aOut[k] - t[k];");
            switch (loss)
            {
                case LossFunction.MeanSquaredError:
                    w.Line($"{lossName} += r * r;");
                    w.Line($"dOut[k] = {c.Lit(2)} * r * unitScale;");
                    break;
                case LossFunction.MeanAbsoluteError:
                    w.Line($"{lossName} += {M}.Abs(r);");
                    w.Line($"dOut[k] = (r > {c.Zero} ? unitScale : r < {c.Zero} ? -unitScale : {c.Zero});");
                    break;
                default:
                    w.Line($"{T} absR = {M}.Abs(r);");
                    w.Line($"{lossName} += absR <= {c.One} ? {c.Lit(0.5)} * r * r : absR - {c.Lit(0.5)};");
                    w.Line($"dOut[k] = (absR <= {c.One} ? r : r > {c.Zero} ? {c.One} : -{c.One}) * unitScale;");
                    break;
            }
        }
        if (k > 1) w.Line($"{lossName} *= {perUnit};");
        if (output.Activation == Activation.Softmax)
        {
            EmitSoftmaxBackwardLoop(w, c, k, "dOut", "aOut");
        }
        else if (output.Activation != Activation.Linear)
        {
            w.Line($"// Through the output activation: dL/dz = dL/da · {output.Activation}'(z).");
            using (w.Block($"for (int k = 0; k < {K}; k++)"))
            {
                w.Line($"dOut[k] = {ActivationEmitter.Gradient(output.Activation, "dOut[k]", "zOut[k]", "aOut[k]")};");
            }
        }
    }
}
