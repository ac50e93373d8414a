using System.Collections.Generic;
using System.Linq;
using System.Text;
using NeuralNet.Gen.Generators.Layers;
using NeuralNet.Gen.Generators.Model;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Emit;

/// <summary>
/// Emits <c>BackpropagateSample</c>: the forward pass keeping what the backward pass needs, the loss and its gradient
/// (fused with Sigmoid for BinaryCrossEntropy and with Softmax for the categorical cross-entropies), and the backward
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
                w.Line(spec.Kind == LayerKind.Dense
                    ? $"// Backward through layer {layer.Name}: Dense {Int(spec.InputSize)} -> {Int(spec.OutputSize)}, {spec.Activation}"
                    : $"// Backward through layer {layer.Name}: {layer.Kind.Description(spec)}");
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

    /// <summary>
    /// The loss of one sample into <paramref name="lossName"/> and dL/dz of the output layer, times <c>scale</c>, into
    /// <c>dOut</c>: the runtime's loss kernel (the one <c>ComputeLoss</c> calls too), then, for a loss not fused with
    /// the output activation, the chain rule through that activation.
    /// </summary>
    internal static void EmitLoss(SourceWriter w, EmitContext c, LayerSpec output, string lossName, string scale = "scale")
    {
        int k = output.OutputShape.LossRowSize; // one sample, or one step of a sequence
        w.Line("// " + LossComment(c.Spec.Loss!.Value, k));
        w.Line($"{c.T} {lossName} = {LossCall(c, "zOut", "aOut", "t", "dOut", scale)};");
        if (c.Plan.LossReadsLogits) return;
        if (output.Activation == Activation.Softmax)
        {
            ActivationEmitter.EmitSoftmaxBackward(w, c, "dOut", "aOut");
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

    /// <summary>
    /// The call of the network's loss kernel (<c>LossKernels</c>, one method per loss): the loss of one sample, and
    /// <paramref name="scale"/> times its gradient into <paramref name="gradient"/> unless that is <c>Span.Empty</c>.
    /// </summary>
    internal static string LossCall(EmitContext c, string logits, string predictions, string targets, string gradient, string scale)
    {
        string kernel = "global::NeuralNet.Gen.LossKernels.";
        return c.Spec.Loss!.Value switch
        {
            LossFunction.BinaryCrossEntropy => $"{kernel}BinaryCrossEntropyFromLogits<{c.T}>({logits}, {predictions}, {targets}, {gradient}, {scale})",
            LossFunction.CategoricalCrossEntropy => $"{kernel}CategoricalCrossEntropyFromLogits<{c.T}>({logits}, {predictions}, {targets}, {gradient}, {scale})",
            LossFunction.SparseCategoricalCrossEntropy => $"{kernel}SparseCategoricalCrossEntropyFromLogits<{c.T}>({logits}, {predictions}, {targets}, {gradient}, {scale})",
            var loss => $"{kernel}{loss}<{c.T}>({predictions}, {targets}, {gradient}, {scale})",
        };
    }

    /// <summary>
    /// <c>SampleLoss</c>'s return: the loss kernel on the whole output, or, for a sequence output, on each step's row,
    /// the steps' losses summed in order and times 1/steps, as the training path sums them (so <c>ComputeLoss</c>,
    /// which divides by the batch, returns a mean over the batch and the steps).
    /// </summary>
    internal static void EmitSampleLossReturn(SourceWriter w, EmitContext c, string logits, string predictions, string target)
    {
        var shape = c.Plan.Output.Spec.OutputShape;
        string empty = $"global::System.Span<{c.T}>.Empty";
        if (shape.LossRows == 1)
        {
            w.Line($"return {LossCall(c, logits, predictions, target, empty, c.One)};");
            return;
        }
        string k = Int(shape.LossRowSize);
        w.Line($"// A sequence output: each step's loss as a vector's, then their mean over the {Int(shape.LossRows)} steps.");
        w.Line($"{c.T} sequenceLoss = {c.Zero};");
        using (w.Block($"for (int step = 0; step < {Int(shape.LossRows)}; step++)"))
        {
            string Row(string span) => $"{span}.Slice(step * {k}, {k})";
            w.Line($"sequenceLoss += {LossCall(c, Row(logits), Row(predictions), Row(target), empty, c.One)};");
        }
        w.Line($"return sequenceLoss * {c.Lit(1.0 / shape.LossRows)};");
    }

    private static string LossComment(LossFunction loss, int outputs)
    {
        string mean = outputs > 1 ? $"mean over {Int(outputs)} outputs" : "of the single output";
        return loss switch
        {
            LossFunction.BinaryCrossEntropy => $"Loss: BinaryCrossEntropy from the logits z (stable), {mean}; fused with Sigmoid: dL/dz = (a - t){(outputs > 1 ? " / " + Int(outputs) : "")}.",
            LossFunction.CategoricalCrossEntropy => "Loss: CategoricalCrossEntropy from the logits by log-sum-exp, summed over classes; fused with Softmax: dL/dz = a·Σt - t.",
            LossFunction.SparseCategoricalCrossEntropy => "Loss: SparseCategoricalCrossEntropy from the logits by log-sum-exp at the target's class index i; fused with Softmax: dL/dz = a - onehot(i).",
            LossFunction.MeanSquaredError => $"Loss: MeanSquaredError, (a - t)², {mean}; dOut first holds dL/da.",
            LossFunction.MeanAbsoluteError => $"Loss: MeanAbsoluteError, |a - t|, {mean}; dOut first holds dL/da.",
            _ => $"Loss: {loss}, {mean}; dOut first holds dL/da.",
        };
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
