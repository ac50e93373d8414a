using System.Collections.Generic;
using System.Linq;
using NeuralNet.Gen.Generators.Model;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Emit;

/// <summary>
/// The batch path of networks with at least one layer too large to unroll: the batch goes through the network
/// layer by layer, each loop layer as one register-blocked matrix kernel (<c>DenseKernels</c>) over the whole
/// batch, so a weight row loaded once serves several samples. Unrolled layers still run their straight-line
/// code, sample by sample. Values live in one instance buffer that grows on the first call at a larger batch.
/// </summary>
internal static class BatchEmitter
{
    public static bool UsesBatchPath(NetworkSpec spec) => spec.Layers.Any(l => !IsUnrolled(l));

    /// <summary>Values per sample in the batch buffer: z and a per layer, and d (the gradient) when training.</summary>
    public static int ValuesPerSample(NetworkSpec spec) => spec.Layers.Sum(l => l.OutputSize) * (spec.IsTrainable ? 3 : 2);

    public static void EmitFields(SourceWriter w, EmitContext c)
    {
        w.Line($"private {c.T}[] _batchBuffer = global::System.Array.Empty<{c.T}>();");
        w.Line("private int _batchCapacity;");
    }

    public static void EmitEnsureCapacity(SourceWriter w, EmitContext c)
    {
        w.Line("/// <summary>Grows the batch buffer on the first call at a larger batch size; later calls allocate nothing.</summary>");
        using (w.Block("private void EnsureBatchCapacity(int batchSize)"))
        {
            w.Line("if (batchSize <= _batchCapacity) return;");
            w.Line($"_batchBuffer = new {c.T}[(long)batchSize * {Int(ValuesPerSample(c.Spec))} > int.MaxValue ? throw new global::System.ArgumentOutOfRangeException(nameof(batchSize), batchSize, \"The batch is too large for one buffer.\") : batchSize * {Int(ValuesPerSample(c.Spec))}];");
            w.Line("_batchCapacity = batchSize;");
        }
    }

    /// <summary>Declares the [batch, size] spans z{l}, a{l} (and d{l}) of every layer.</summary>
    private static void DeclareBuffers(SourceWriter w, EmitContext c, bool withGradients)
    {
        w.Line($"global::System.Span<{c.T}> buffer = _batchBuffer;");
        w.Line("int capacity = _batchCapacity;");
        int offset = 0;
        foreach (var layer in c.Spec.Layers)
        {
            string l = Int(layer.Index), n = Int(layer.OutputSize);
            foreach (var name in withGradients ? new[] { "z", "a", "d" } : new[] { "z", "a" })
            {
                w.Line($"global::System.Span<{c.T}> {name}{l} = buffer.Slice({Int(offset)} * capacity, batchSize * {n});");
                offset += layer.OutputSize;
            }
            if (!withGradients && c.Spec.IsTrainable) offset += layer.OutputSize;
        }
    }

    /// <summary>The body of the batch <c>Forward</c>: every layer over the batch, the last layer's activations copied to <c>outputs</c>.</summary>
    public static void EmitBatchForwardBody(SourceWriter w, EmitContext c)
    {
        w.Line("EnsureBatchCapacity(batchSize);");
        w.Line($"global::System.ReadOnlySpan<{c.T}> p = _parameters;");
        DeclareBuffers(w, c, withGradients: false);
        EmitForwardLayers(w, c);
        w.Line($"a{Int(c.Spec.Layers[c.Spec.Layers.Count - 1].Index)}.CopyTo(outputs);");
    }

    /// <summary>The body of <c>ComputeGradients</c> on the batch path.</summary>
    public static void EmitComputeGradientsBody(SourceWriter w, EmitContext c)
    {
        var layers = c.Spec.Layers;
        string T = c.T;
        w.Line("EnsureBatchCapacity(batchSize);");
        w.Line($"global::System.ReadOnlySpan<{T}> p = _parameters;");
        w.Line($"global::System.Span<{T}> g = _gradients;");
        w.Line("g.Clear();");
        DeclareBuffers(w, c, withGradients: true);
        w.Line($"{T} scale = {c.One} / batchSize;");
        EmitForwardLayers(w, c);

        var output = layers[layers.Count - 1];
        string last = Int(output.Index), k = Int(output.OutputSize);
        w.Line();
        w.Line($"{T} loss = {c.Zero};");
        using (w.Block("for (int b = 0; b < batchSize; b++)"))
        {
            w.Line($"global::System.Span<{T}> zOut = z{last}.Slice(b * {k}, {k});");
            w.Line($"global::System.Span<{T}> aOut = a{last}.Slice(b * {k}, {k});");
            w.Line($"global::System.Span<{T}> dOut = d{last}.Slice(b * {k}, {k});");
            w.Line($"global::System.ReadOnlySpan<{T}> t = targets.Slice(b * {k}, {k});");
            BackwardEmitter.EmitLoss(w, c, output, "sampleLoss");
            w.Line("loss += sampleLoss;");
        }

        for (int l = layers.Count - 1; l >= 0; l--)
        {
            var layer = layers[l];
            string i = Int(layer.Index), n = Int(layer.OutputSize), m = Int(layer.InputSize);
            string input = l == 0 ? "inputs" : $"a{Int(layers[l - 1].Index)}";
            string? downstream = l == 0 ? null : $"d{Int(layers[l - 1].Index)}";
            w.Line();
            w.Line($"// Backward through layer {i}: Dense {m} -> {n}, {layer.Activation}{(IsUnrolled(layer) ? ", unrolled per sample" : ", batched")}");
            if (l < layers.Count - 1) EmitActivationBackward(w, c, layer);
            if (IsUnrolled(layer))
            {
                using (w.Block("for (int b = 0; b < batchSize; b++)"))
                {
                    w.Line($"global::System.ReadOnlySpan<{T}> xb = {input}.Slice(b * {m}, {m});");
                    w.Line($"global::System.ReadOnlySpan<{T}> dzb = d{i}.Slice(b * {n}, {n});");
                    if (downstream is not null) w.Line($"global::System.Span<{T}> dxb = {downstream}.Slice(b * {m}, {m});");
                    BackwardEmitter.EmitDenseBackward(w, c, layer, Values.Span("dzb"), Values.Span("xb"), downstream is null ? null : Values.Span("dxb"));
                }
            }
            else
            {
                w.Line($"global::NeuralNet.Gen.DenseKernels.Backward<{T}>({input}, d{i}, p.Slice({Int(layer.ParameterOffset)}, {Int(layer.WeightCount)}), " +
                       $"g.Slice({Int(layer.ParameterOffset)}, {Int(layer.WeightCount)}), g.Slice({Int(layer.BiasOffset)}, {n}), " +
                       $"{(downstream is null ? $"global::System.Span<{T}>.Empty" : downstream)}, batchSize, {m}, {n});");
            }
        }
        w.Line();
        w.Line("// Gradients were scaled by 1/batchSize at the output, so they are batch means.");
        w.Line("return loss * scale;");
    }

    private static void EmitForwardLayers(SourceWriter w, EmitContext c)
    {
        var layers = c.Spec.Layers;
        string T = c.T;
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            string i = Int(layer.Index), n = Int(layer.OutputSize), m = Int(layer.InputSize);
            string input = l == 0 ? "inputs" : $"a{Int(layers[l - 1].Index)}";
            w.Line();
            ForwardEmitter.LayerComment(w, layer);
            if (IsUnrolled(layer))
            {
                using (w.Block("for (int b = 0; b < batchSize; b++)"))
                {
                    w.Line($"global::System.ReadOnlySpan<{T}> xb = {input}.Slice(b * {m}, {m});");
                    w.Line($"global::System.Span<{T}> zb = z{i}.Slice(b * {n}, {n});");
                    w.Line($"global::System.Span<{T}> ab = a{i}.Slice(b * {n}, {n});");
                    ForwardEmitter.EmitDense(w, c, layer, Values.Span("xb"), "zb", "ab");
                }
                continue;
            }
            w.Line($"global::NeuralNet.Gen.DenseKernels.Forward<{T}>({input}, p.Slice({Int(layer.ParameterOffset)}, {Int(layer.WeightCount)}), p.Slice({Int(layer.BiasOffset)}, {n}), z{i}, batchSize, {m}, {n});");
            switch (layer.Activation)
            {
                case Activation.Linear:
                    w.Line($"z{i}.CopyTo(a{i});");
                    break;
                case Activation.Softmax:
                    w.Line($"z{i}.CopyTo(a{i});");
                    using (w.Block("for (int b = 0; b < batchSize; b++)"))
                    {
                        w.Line($"global::System.Span<{T}> row = a{i}.Slice(b * {n}, {n});");
                        ForwardEmitter.EmitSoftmaxLoop(w, c, layer.OutputSize, "row");
                    }
                    break;
                default:
                    using (w.Block($"for (int j = 0; j < batchSize * {n}; j++)"))
                    {
                        w.Line($"a{i}[j] = {ActivationEmitter.Apply(layer.Activation, $"z{i}[j]")};");
                    }
                    break;
            }
        }
    }

    /// <summary>Turns d{l} from dL/da into dL/dz, in place, over the whole batch.</summary>
    private static void EmitActivationBackward(SourceWriter w, EmitContext c, LayerSpec layer)
    {
        string i = Int(layer.Index), n = Int(layer.OutputSize);
        switch (layer.Activation)
        {
            case Activation.Linear:
                return;
            case Activation.Softmax:
                using (w.Block("for (int b = 0; b < batchSize; b++)"))
                {
                    w.Line($"global::System.Span<{c.T}> dRow = d{i}.Slice(b * {n}, {n});");
                    w.Line($"global::System.Span<{c.T}> aRow = a{i}.Slice(b * {n}, {n});");
                    BackwardEmitter.EmitSoftmaxBackwardLoop(w, c, layer.OutputSize, "dRow", "aRow");
                }
                return;
            default:
                using (w.Block($"for (int j = 0; j < batchSize * {n}; j++)"))
                {
                    w.Line($"d{i}[j] = {ActivationEmitter.Gradient(layer.Activation, $"d{i}[j]", $"z{i}[j]", $"a{i}[j]")};");
                }
                return;
        }
    }
}
