using System.Collections.Generic;
using System.Linq;
using System.Text;
using NeuralNet.Gen.Generators.Layers;
using NeuralNet.Gen.Generators.Model;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Emit;

/// <summary>
/// Emits <c>BackpropagateSample</c>: the forward pass keeping what the backward pass needs, the loss and its gradient
/// (fused with Sigmoid for BinaryCrossEntropy and with Softmax for CategoricalCrossEntropy), and the backward
/// pass, hand-derived by the chain rule layer by layer, accumulating into the gradient buffer.
/// </summary>
internal static class BackwardEmitter
{
    public static void EmitBackpropagateSample(SourceWriter w, EmitContext c)
    {
        var plan = c.Plan;
        var layers = plan.Layers;
        string T = c.T;
        w.Line("/// <summary>");
        w.Line("/// Backpropagation of one sample: the forward pass keeping what the backward pass needs, the loss, then the");
        w.Line("/// backward pass, which adds <paramref name=\"scale\"/> times this sample's loss gradient to <paramref name=\"g\"/>.");
        w.Line("/// Returns the sample's loss. <paramref name=\"s\"/> is the instance's training scratch.");
        w.Line("/// </summary>");
        using (w.Block($"private static {T} BackpropagateSample(global::System.ReadOnlySpan<{T}> p, global::System.Span<{T}> g, global::System.ReadOnlySpan<{T}> x, global::System.ReadOnlySpan<{T}> t, global::System.Span<{T}> s, {T} scale)"))
        {
            ForwardEmitter.DeclareSlices(w, c, "s", plan.TrainingScratch);

            // Forward, keeping pre-activations (z) and activations (a) of every layer.
            var zs = new List<Values>();
            var acts = new List<Values>();
            var inputs = new List<Values>();
            var input = Values.Span("x");
            foreach (var layer in layers)
            {
                w.Line();
                ForwardEmitter.LayerComment(w, layer);
                inputs.Add(input);
                var a = Unrollable(layer).EmitSampleForward(w, c, layer, input, layer.TrainingZ, layer.TrainingA);
                zs.Add(layer.Unrolled ? Values.Locals($"z{layer.Name}") : Values.Span(layer.TrainingZ!));
                acts.Add(a);
                // A loop layer reads the span the previous layer copied into, not its locals (a Linear layer's are z).
                input = layer.TrainingA is not null && !layer.IsLast ? Values.Span(layer.TrainingA) : a;
            }

            w.Line();
            EmitLoss(w, c, plan.Output.Spec, "loss");

            for (int l = layers.Count - 1; l >= 0; l--)
            {
                var layer = layers[l];
                var spec = layer.Spec;
                w.Line();
                w.Line($"// Backward through layer {layer.Name}: Dense {Int(spec.InputSize)} -> {Int(spec.OutputSize)}, {spec.Activation}");
                Values dz = layer.IsLast
                    ? Values.Span("dOut")
                    : Unrollable(layer).EmitSampleActivationBackward(w, c, layer, Gradient(layer), zs[l], acts[l]);
                Values? downstream = layer.ReadsNetworkInput ? null : Gradient(layers[layer.InputPosition]);
                Unrollable(layer).EmitSampleBackward(w, c, layer, dz, inputs[l], downstream);
            }
            w.Line();
            w.Line("return loss;");
        }
    }

    private static IUnrollableLayer Unrollable(LayerPlan layer) => (IUnrollableLayer)layer.Kind;

    /// <summary>Where dL/da of a layer lives: its scratch span, or locals between two unrolled layers.</summary>
    private static Values Gradient(LayerPlan layer) => layer.TrainingD is not null ? Values.Span(layer.TrainingD) : Values.Locals($"d{layer.Name}");

    /// <summary>The loss of one sample into <paramref name="lossName"/> and dL/dz of the output layer, times <c>scale</c>, into <c>dOut</c>.</summary>
    internal static void EmitLoss(SourceWriter w, EmitContext c, LayerSpec output, string lossName)
    {
        var loss = c.Spec.Loss!.Value;
        int k = output.OutputShape.LossRowSize; // one sample, or one step of a sequence
        string T = c.T, M = c.Math, K = Int(k);
        string perUnit = c.Lit(1.0 / k);
        switch (loss)
        {
            case LossFunction.BinaryCrossEntropy:
                w.Line(k > 1
                    ? $"// Loss: BinaryCrossEntropy, mean over {K} outputs, from the logits z (stable); fused with Sigmoid: dL/dz = (a - t) / {K}."
                    : "// Loss: BinaryCrossEntropy of the single output, from the logit z (stable); fused with Sigmoid: dL/dz = a - t.");
                w.Line($"{T} {lossName} = {c.Zero};");
                w.Line(k > 1 ? $"{T} unitScale = scale * {perUnit};" : $"{T} unitScale = scale;");
                using (PerOutput(w, k))
                {
                    w.Line($"{T} z = zOut[{Unit(k)}];");
                    w.Line($"{lossName} += {M}.Max(z, {c.Zero}) - z * t[{Unit(k)}] + {c.OwnMath}.Log({c.One} + {c.OwnMath}.Exp(-{M}.Abs(z)));");
                    w.Line($"dOut[{Unit(k)}] = (aOut[{Unit(k)}] - t[{Unit(k)}]) * unitScale;");
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
                    w.Line($"sumExp += {c.OwnMath}.Exp(zOut[k] - maxLogit);");
                    w.Line("targetSum += t[k];");
                }
                w.Line($"{T} logSumExp = maxLogit + {c.OwnMath}.Log(sumExp);");
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
        w.Line(k > 1 ? $"// Loss: {description}, over {K} outputs; dOut first holds dL/da." : $"// Loss: {description}, of the single output; dOut first holds dL/da.");
        w.Line($"{T} {lossName} = {c.Zero};");
        w.Line(k > 1 ? $"{T} unitScale = scale * {perUnit};" : $"{T} unitScale = scale;");
        using (PerOutput(w, k))
        {
            w.Line($"{T} r = aOut[{Unit(k)}] - t[{Unit(k)}];");
            switch (loss)
            {
                case LossFunction.MeanSquaredError:
                    w.Line($"{lossName} += r * r;");
                    w.Line($"dOut[{Unit(k)}] = {c.Lit(2)} * r * unitScale;");
                    break;
                case LossFunction.MeanAbsoluteError:
                    w.Line($"{lossName} += {M}.Abs(r);");
                    w.Line($"dOut[{Unit(k)}] = (r > {c.Zero} ? unitScale : r < {c.Zero} ? -unitScale : {c.Zero});");
                    break;
                default:
                    w.Line($"{T} absR = {M}.Abs(r);");
                    w.Line($"{lossName} += absR <= {c.One} ? {c.Lit(0.5)} * r * r : absR - {c.Lit(0.5)};");
                    w.Line($"dOut[{Unit(k)}] = (absR <= {c.One} ? r : r > {c.Zero} ? {c.One} : -{c.One}) * unitScale;");
                    break;
            }
        }
        if (k > 1) w.Line($"{lossName} *= {perUnit};");
        if (output.Activation == Activation.Softmax)
        {
            ActivationEmitter.EmitSoftmaxBackwardLoop(w, c, k, "dOut", "aOut");
        }
        else if (output.Activation != Activation.Linear)
        {
            w.Line($"// Through the output activation: dL/dz = dL/da · {output.Activation}'(z).");
            using (PerOutput(w, k))
            {
                string u = Unit(k);
                w.Line($"dOut[{u}] = {ActivationEmitter.Gradient(output.Activation, $"dOut[{u}]", $"zOut[{u}]", $"aOut[{u}]")};");
            }
        }
    }

    /// <summary>A loop over the outputs, or nothing around the body when there is one output.</summary>
    private static System.IDisposable PerOutput(SourceWriter w, int outputs) =>
        outputs > 1 ? w.Block($"for (int k = 0; k < {Int(outputs)}; k++)") : (System.IDisposable)new NoBlock();

    /// <summary>The index of the current output in the body of <see cref="PerOutput"/>.</summary>
    private static string Unit(int outputs) => outputs > 1 ? "k" : "0";

    private sealed class NoBlock : System.IDisposable
    {
        public void Dispose()
        {
        }
    }
}
