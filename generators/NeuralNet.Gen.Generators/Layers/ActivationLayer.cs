using System.Collections.Generic;
using System.Linq;
using NeuralNet.Gen.Generators.Emit;
using NeuralNet.Gen.Generators.Model;
using NeuralNet.Gen.Generators.Parsing;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Layers;

/// <summary>
/// <c>[Activation(activation)]</c>: an activation on its own, on any shape (Keras's <c>Activation</c> layer): element-wise,
/// or Softmax over the last axis (each step of a sequence, each position of an image). It calls the same helpers as a
/// layer's fused activation, so <c>Dense(n, act)</c> and <c>Dense(n)</c> + <c>Activation(act)</c> give the same bits.
/// As the output layer it keeps a copy of its input, the logits that a fused loss (CategoricalCrossEntropy with Softmax,
/// BinaryCrossEntropy with Sigmoid) reads.
/// </summary>
internal sealed class ActivationLayer : Layer, IUnrollableLayer
{
    public override LayerKind Kind => LayerKind.Activation;

    public override LayerSpec? Read(LayerReader r)
    {
        var activation = r.Enum(0, Activation.Linear);
        if (!r.Valid || !r.InputKnown) return null;
        return r.Create(LayerKind.Activation, r.Input, units: r.Input.Channels, activation: activation);
    }

    public override Activation? ActivationOf(LayerSpec layer) => layer.Activation;

    public override string Description(LayerSpec layer) => $"Activation({layer.Activation})";

    public override string Fingerprint(LayerSpec layer) => $"Activation({layer.Activation})";

    public override string Describe(LayerPlan plan)
    {
        var l = plan.Spec;
        string over = l.Activation == Activation.Softmax && !l.OutputShape.IsVector ? $", over the last axis ({Int(l.OutputShape.Channels)})" : "";
        return $"Layer {Int(l.Index)}: Activation {l.Activation} over {l.OutputShape}{over}";
    }

    public override string SummaryName(LayerSpec layer, int ordinal) => $"activation_{Int(ordinal)} (Activation, {layer.Activation})";

    public override string OnnxDescription(LayerPlan plan) =>
        $"global::NeuralNet.Gen.LayerDescription.ActivationLayer(global::NeuralNet.Gen.Activation.{plan.Spec.Activation}, {OnnxDimensions(plan.Spec.InputShape)})";

    /// <summary>Straight-line code on a small vector, as a Dense layer of that fan-in would be.</summary>
    public override LayerChoices Choose(NetworkSpec spec, LayerSpec layer) =>
        new(layer.InputShape.IsVector && layer.InputSize <= DenseLayer.UnrollMaxInputs, null, null);

    public override IEnumerable<BufferSlot> SampleSlots(LayerPlan layer, bool training)
    {
        int n = layer.Spec.OutputSize;
        if (layer.IsLast) yield return ValueSlot("z" + layer.Name, n);
        yield return ValueSlot("a" + layer.Name, n);
        if (training) yield return ValueSlot("d" + layer.Name, n, trainingOnly: true);
    }

    public override string? PreActivation(LayerPlan layer) => layer.IsLast ? "z" + layer.Name : null;

    /// <summary>Softmax rows: one per sample of a vector, per step of a sequence, per position of an image.</summary>
    private static string Rows(LayerSpec layer) => layer.OutputShape.Positions == 1 ? "batchSize" : $"batchSize * {Int(layer.OutputShape.Positions)}";

    public override void EmitBatchForward(SourceWriter w, EmitContext c, BatchStep step)
    {
        var plan = step.Layer;
        var l = plan.Spec;
        string i = plan.Name, x = step.Input;
        if (plan.IsLast)
        {
            w.Line($"{x}.CopyTo(z{i}); // the logits a fused loss reads");
            x = "z" + i;
        }
        EmitApply(w, c, l, x, "a" + i, Rows(l), $"batchSize * {Int(l.OutputSize)}");
    }

    /// <summary><paramref name="output"/> = activation(<paramref name="input"/>) over <paramref name="count"/> values (<paramref name="rows"/> softmax rows).</summary>
    private static void EmitApply(SourceWriter w, EmitContext c, LayerSpec l, string input, string output, string rows, string count)
    {
        switch (l.Activation)
        {
            case Activation.Linear:
                w.Line($"{input}.CopyTo({output});");
                break;
            case Activation.Softmax:
                w.Line($"{input}.CopyTo({output});");
                EmitPerRow(w, c, l, rows, output, span => ActivationEmitter.EmitSoftmax(w, c, span));
                break;
            default:
                using (w.Block($"for (int j = 0; j < {count}; j++)")) w.Line($"{output}[j] = {ActivationEmitter.Apply(l.Activation, $"{input}[j]")};");
                break;
        }
    }

    /// <summary>Runs <paramref name="body"/> on each row of the last axis of <paramref name="span"/> (the span itself when there is one row).</summary>
    private static void EmitPerRow(SourceWriter w, EmitContext c, LayerSpec l, string rows, string span, System.Action<string> body)
    {
        if (rows == "1")
        {
            body(span);
            return;
        }
        string size = Int(l.OutputShape.Channels);
        using (w.Block($"for (int row = 0; row < {rows}; row++)"))
        {
            w.Line($"global::System.Span<{c.T}> values = {span}.Slice(row * {size}, {size});");
            body("values");
        }
    }

    public override void EmitBatchBackward(SourceWriter w, EmitContext c, BatchStep step)
    {
        var plan = step.Layer;
        var l = plan.Spec;
        string i = plan.Name;
        w.Line($"// Backward through layer {i}: Activation {l.Activation}");
        if (step.InputGradient is not { } dx)
        {
            w.Line("// (no gradient to pass back to the input)");
            return;
        }
        if (plan.IsLast || l.Activation == Activation.Linear)
        {
            // The loss already took the output's gradient through the activation (fused or by the chain rule).
            w.Line($"d{i}.CopyTo({dx});");
            return;
        }
        if (l.Activation == Activation.Softmax)
        {
            string size = Int(l.OutputShape.Channels);
            using (w.Block($"for (int row = 0; row < {Rows(l)}; row++)"))
            {
                w.Line($"global::System.Span<{c.T}> dRow = d{i}.Slice(row * {size}, {size});");
                w.Line($"global::System.Span<{c.T}> aRow = a{i}.Slice(row * {size}, {size});");
                ActivationEmitter.EmitSoftmaxBackward(w, c, "dRow", "aRow");
            }
            w.Line($"d{i}.CopyTo({dx});");
            return;
        }
        using (w.Block($"for (int j = 0; j < batchSize * {Int(l.OutputSize)}; j++)"))
        {
            w.Line($"{dx}[j] = {ActivationEmitter.Gradient(l.Activation, $"d{i}[j]", $"{step.Input}[j]", $"a{i}[j]")};");
        }
    }

    /// <summary>Element-wise, or Softmax within one step's row: it sees only the current step.</summary>
    public override bool IsCausal(LayerSpec layer) => true;

    public override void EmitStep(SourceWriter w, EmitContext c, StreamStep step)
    {
        var l = step.Layer.Spec;
        EmitApply(w, c, l, step.Input, "s" + step.Layer.Name, "1", Int(l.OutputShape.Channels));
    }

    public Values EmitSampleForward(SourceWriter w, EmitContext c, LayerPlan plan, Values input, string? zSpan, string? outSpan)
    {
        var l = plan.Spec;
        string i = plan.Name, T = c.T, M = c.Math;
        int n = l.OutputSize;
        if (!plan.Unrolled)
        {
            string output = outSpan!;
            if (zSpan is not null) w.Line($"{input.Name}.CopyTo({zSpan});");
            EmitApply(w, c, l, input.Name, output, l.OutputShape.Positions == 1 ? "1" : Int(l.OutputShape.Positions), Int(n));
            return Values.Span(output);
        }
        // The input's values under this layer's name, so the backward pass finds them as z (the JIT drops the copies).
        for (int o = 0; o < n; o++) w.Line($"{T} z{i}_{Int(o)} = {input.At(o)};");
        Values a;
        if (l.Activation == Activation.Softmax)
        {
            // As an unrolled Dense layer's Softmax, term for term.
            w.Line($"{T} max{i} = z{i}_0;");
            for (int o = 1; o < n; o++) w.Line($"max{i} = {M}.Max(max{i}, z{i}_{Int(o)});");
            for (int o = 0; o < n; o++) w.Line($"{T} e{i}_{Int(o)} = {c.OwnMath}.Exp(z{i}_{Int(o)} - max{i});");
            w.Line($"{T} inverseSum{i} = {c.One} / ({string.Join(" + ", Enumerable.Range(0, n).Select(o => $"e{i}_{Int(o)}"))});");
            for (int o = 0; o < n; o++) w.Line($"{T} a{i}_{Int(o)} = e{i}_{Int(o)} * inverseSum{i};");
            a = Values.Locals("a" + i);
        }
        else if (l.Activation == Activation.Linear)
        {
            a = Values.Locals("z" + i);
        }
        else
        {
            for (int o = 0; o < n; o++) w.Line($"{T} a{i}_{Int(o)} = {ActivationEmitter.Apply(l.Activation, $"z{i}_{Int(o)}")};");
            a = Values.Locals("a" + i);
        }
        if (zSpan is not null)
        {
            for (int o = 0; o < n; o++) w.Line($"{zSpan}[{Int(o)}] = z{i}_{Int(o)};");
        }
        if (outSpan is not null)
        {
            for (int o = 0; o < n; o++) w.Line($"{outSpan}[{Int(o)}] = {a.At(o)};");
        }
        return a;
    }

    public Values EmitSampleActivationBackward(SourceWriter w, EmitContext c, LayerPlan plan, Values upstream, Values z, Values a)
    {
        var l = plan.Spec;
        string i = plan.Name, T = c.T;
        int n = l.OutputSize;
        if (!plan.Unrolled)
        {
            string d = upstream.Name;
            if (l.Activation == Activation.Softmax)
            {
                string size = Int(l.OutputShape.Channels);
                using (w.Block($"for (int row = 0; row < {Int(l.OutputShape.Positions)}; row++)"))
                {
                    w.Line($"global::System.Span<{T}> dRow = {d}.Slice(row * {size}, {size});");
                    w.Line($"global::System.Span<{T}> aRow = {a.Name}.Slice(row * {size}, {size});");
                    ActivationEmitter.EmitSoftmaxBackward(w, c, "dRow", "aRow");
                }
            }
            else if (l.Activation != Activation.Linear)
            {
                using (w.Block($"for (int o = 0; o < {Int(n)}; o++)"))
                {
                    w.Line($"{d}[o] = {ActivationEmitter.Gradient(l.Activation, $"{d}[o]", $"{z.Name}[o]", $"{a.Name}[o]")};");
                }
            }
            return upstream;
        }
        if (l.Activation == Activation.Softmax)
        {
            // Softmax Jacobian-vector product: dz_k = a_k (da_k - Σ_j da_j a_j).
            w.Line($"{T} dot{i} = {string.Join(" + ", Enumerable.Range(0, n).Select(o => $"{upstream.At(o)} * {a.At(o)}"))};");
            for (int o = 0; o < n; o++) w.Line($"{T} dz{i}_{Int(o)} = {a.At(o)} * ({upstream.At(o)} - dot{i});");
        }
        else
        {
            for (int o = 0; o < n; o++) w.Line($"{T} dz{i}_{Int(o)} = {ActivationEmitter.Gradient(l.Activation, upstream.At(o), z.At(o), a.At(o))};");
        }
        return Values.Locals("dz" + i);
    }

    /// <summary>No parameters: dL/dx is dL/dz, handed on.</summary>
    public IEnumerable<BufferSlot> SampleForwardSlots(LayerPlan plan) => Enumerable.Empty<BufferSlot>();

    public void EmitSampleBackward(SourceWriter w, EmitContext c, LayerPlan plan, Values dz, Values input, Values? downstream)
    {
        if (downstream is null) return;
        if (!plan.Unrolled)
        {
            w.Line($"{dz.Name}.CopyTo({downstream.Name});");
            return;
        }
        for (int o = 0; o < plan.Spec.OutputSize; o++)
        {
            w.Line(downstream.IsSpan ? $"{downstream.At(o)} = {dz.At(o)};" : $"{c.T} {downstream.At(o)} = {dz.At(o)};");
        }
    }
}
