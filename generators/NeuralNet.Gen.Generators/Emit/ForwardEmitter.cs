using System.Collections.Generic;
using System.Linq;
using System.Text;
using NeuralNet.Gen.Generators.Model;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Emit;

/// <summary>
/// Emits the forward pass of one sample. Small layers become straight-line code over locals; large ones a
/// register-blocked kernel call (<c>DenseKernels.Forward</c>) with constant sizes, then the activation in a
/// loop with a constant trip count.
/// </summary>
internal static class ForwardEmitter
{
    /// <summary>The inference pass: <c>ForwardSample(p, x, y)</c>, writing only to the stack (or thread-static scratch).</summary>
    public static void EmitForwardSample(SourceWriter w, EmitContext c)
    {
        var layers = c.Spec.Layers;
        var scratch = new ScratchLayout();
        var names = new List<string>();
        for (int l = 0; l < layers.Count - 1; l++)
        {
            bool needsSpan = !IsUnrolled(layers[l]) || !IsUnrolled(layers[l + 1]);
            names.Add(needsSpan ? scratch.Add($"a{Int(layers[l].Index)}", layers[l].OutputSize) : "");
        }

        w.Line("/// <summary>One sample through every layer. Pure: reads <paramref name=\"p\"/> and <paramref name=\"x\"/>, writes <paramref name=\"y\"/> and its own scratch.</summary>");
        using (w.Block($"private static void ForwardSample(global::System.ReadOnlySpan<{c.T}> p, global::System.ReadOnlySpan<{c.T}> x, global::System.Span<{c.T}> y)"))
        {
            if (scratch.Size > 0)
            {
                if (scratch.Size * c.ElementSize <= MaxStackBytes)
                {
                    w.Line($"global::System.Span<{c.T}> h = stackalloc {c.T}[{Int(scratch.Size)}];");
                }
                else
                {
                    w.Line("// Too large for the stack: one buffer per thread keeps Forward thread-safe and allocation-free after the first call.");
                    w.Line($"global::System.Span<{c.T}> h = t_inferenceScratch ??= new {c.T}[{Int(scratch.Size)}];");
                }
                scratch.Declare(w, c, "h");
            }
            var input = Values.Span("x");
            for (int l = 0; l < layers.Count; l++)
            {
                var layer = layers[l];
                bool last = l == layers.Count - 1;
                if (l > 0 || scratch.Size > 0) w.Line();
                LayerComment(w, layer);
                string? outSpan = last ? "y" : names[l].Length > 0 ? names[l] : null;
                var a = EmitDense(w, c, layer, input, zSpan: null, outSpan);
                // A loop layer reads the span the previous layer copied into, not its locals (a Linear layer's are z).
                input = outSpan is not null ? Values.Span(outSpan) : a;
            }
        }
    }

    /// <summary>Values of one sample's intermediate activations that <see cref="EmitForwardSample"/> keeps in a span (the rest live in registers).</summary>
    public static int ScratchSize(EmitContext c)
    {
        var layers = c.Spec.Layers;
        int size = 0;
        for (int l = 0; l < layers.Count - 1; l++)
        {
            if (!IsUnrolled(layers[l]) || !IsUnrolled(layers[l + 1])) size += layers[l].OutputSize;
        }
        return size;
    }

    /// <summary>Scratch (thread-static) needed by <see cref="EmitForwardSample"/>, 0 when it fits on the stack.</summary>
    public static int ThreadStaticScratchSize(EmitContext c) => ScratchSize(c) * c.ElementSize > MaxStackBytes ? ScratchSize(c) : 0;

    public static void LayerComment(SourceWriter w, LayerSpec layer)
    {
        w.Line($"// Layer {Int(layer.Index)}: Dense {Int(layer.InputSize)} -> {Int(layer.OutputSize)}, {layer.Activation} " +
               $"(weights [{Int(layer.Units)}x{Int(layer.InputSize)}] at {Int(layer.ParameterOffset)}, bias [{Int(layer.Units)}] at {Int(layer.BiasOffset)})" +
               (IsUnrolled(layer) ? ", unrolled" : ""));
    }

    /// <summary>
    /// Emits one Dense layer. Returns where its activations are. <paramref name="zSpan"/>, when given, receives the
    /// pre-activations (training keeps them for the backward pass); <paramref name="outSpan"/>, when given, receives
    /// the activations (for a loop layer it is where they live; for an unrolled layer a copy for the next layer).
    /// </summary>
    public static Values EmitDense(SourceWriter w, EmitContext c, LayerSpec layer, Values input, string? zSpan, string? outSpan)
    {
        int n = layer.Units, m = layer.InputSize, wOff = layer.ParameterOffset, bOff = layer.BiasOffset;
        string l = Int(layer.Index), T = c.T, M = c.Math;
        if (IsUnrolled(layer))
        {
            for (int o = 0; o < n; o++)
            {
                var sum = new StringBuilder();
                for (int i = 0; i < m; i++) sum.Append($"p[{Int(wOff + o * m + i)}] * {input.At(i)} + ");
                sum.Append($"p[{Int(bOff + o)}]");
                w.Line($"{T} z{l}_{Int(o)} = {sum};");
            }
            Values a;
            if (layer.Activation == Activation.Softmax)
            {
                w.Line($"{T} max{l} = z{l}_0;");
                for (int o = 1; o < n; o++) w.Line($"max{l} = {M}.Max(max{l}, z{l}_{Int(o)});");
                for (int o = 0; o < n; o++) w.Line($"{T} e{l}_{Int(o)} = {M}.Exp(z{l}_{Int(o)} - max{l});");
                w.Line($"{T} inverseSum{l} = {c.One} / ({string.Join(" + ", Enumerable.Range(0, n).Select(o => $"e{l}_{Int(o)}"))});");
                for (int o = 0; o < n; o++) w.Line($"{T} a{l}_{Int(o)} = e{l}_{Int(o)} * inverseSum{l};");
                a = Values.Locals($"a{l}");
            }
            else if (layer.Activation == Activation.Linear)
            {
                a = Values.Locals($"z{l}");
            }
            else
            {
                for (int o = 0; o < n; o++) w.Line($"{T} a{l}_{Int(o)} = {ActivationEmitter.Apply(layer.Activation, $"z{l}_{Int(o)}")};");
                a = Values.Locals($"a{l}");
            }
            if (zSpan is not null)
            {
                for (int o = 0; o < n; o++) w.Line($"{zSpan}[{Int(o)}] = z{l}_{Int(o)};");
            }
            if (outSpan is not null)
            {
                for (int o = 0; o < n; o++) w.Line($"{outSpan}[{Int(o)}] = {a.At(o)};");
            }
            return a;
        }

        // A loop layer reads a span: the previous layer wrote one for it. The kernel sums each output exactly as
        // the batch path does, so one sample gives the same bits alone as inside a batch.
        string output = outSpan!;
        string target = zSpan ?? output;
        w.Line($"global::NeuralNet.Gen.DenseKernels.Forward<{T}>({input.Name}, p.Slice({Int(wOff)}, {Int(n * m)}), p.Slice({Int(bOff)}, {Int(n)}), {target}, 1, {Int(m)}, {Int(n)});");
        if (layer.Activation is not (Activation.Linear or Activation.Softmax))
        {
            using (w.Block($"for (int o = 0; o < {Int(n)}; o++)"))
            {
                w.Line($"{output}[o] = {ActivationEmitter.Apply(layer.Activation, $"{target}[o]")};");
            }
        }
        else if (zSpan is not null)
        {
            w.Line($"{zSpan}.CopyTo({output});");
        }
        if (layer.Activation == Activation.Softmax)
        {
            EmitSoftmaxLoop(w, c, n, output);
        }
        return Values.Span(output);
    }

    /// <summary>In-place softmax over a span of <paramref name="n"/> values, shifted by the maximum so exp cannot overflow.</summary>
    internal static void EmitSoftmaxLoop(SourceWriter w, EmitContext c, int n, string span)
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
                w.Line($"{T} e = {M}.Exp({span}[o] - max);");
                w.Line($"{span}[o] = e;");
                w.Line("sum += e;");
            }
            w.Line($"{T} inverseSum = {c.One} / sum;");
            using (w.Block($"for (int o = 0; o < {Int(n)}; o++)")) w.Line($"{span}[o] *= inverseSum;");
        }
    }
}
