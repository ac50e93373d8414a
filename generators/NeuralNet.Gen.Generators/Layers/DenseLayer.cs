using System.Collections.Generic;
using System.Linq;
using System.Text;
using NeuralNet.Gen.Generators.Emit;
using NeuralNet.Gen.Generators.Model;
using NeuralNet.Gen.Generators.Parsing;
using NeuralNet.Gen.Weights;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Layers;

/// <summary>
/// <c>[Dense(units, activation)]</c>: y = activation(W·x + b), W [units, inputs] row-major as PyTorch's <c>nn.Linear</c>.
/// Small layers are unrolled into straight-line code over locals; large ones call the register-blocked
/// <c>DenseKernels</c> with constant sizes. On a sequence it applies to each step with the same weights (as Keras and
/// PyTorch do): the kernels then see batch × steps rows.
/// </summary>
internal sealed class DenseLayer : Layer, IUnrollableLayer
{
    /// <summary>Layers with at most this many weights (and at most <see cref="UnrollMaxInputs"/> inputs) are emitted as straight-line code.</summary>
    public const int UnrollMaxWeights = 256;

    /// <summary>Beyond this fan-in one unrolled expression would get too long to read.</summary>
    public const int UnrollMaxInputs = 64;

    public override LayerKind Kind => LayerKind.Dense;

    public override LayerSpec? Read(LayerReader r)
    {
        int units = r.Positive(0, "Dense units");
        var activation = r.Enum(1, Activation.Linear);
        var init = r.NamedEnum("WeightInit", DefaultInit(activation));
        bool useBias = r.NamedBool("UseBias", true);
        if (!r.Valid || !r.InputKnown) return null;
        var input = r.Input;
        if (input.IsImage)
        {
            r.Error(DiagnosticIds.ShapeMismatch, $"Dense expects a vector input but the previous layer '{r.Previous}' outputs {input}; add [Flatten] before it", fix: FixKinds.InsertFlatten);
            return null;
        }
        if ((long)units * input.Channels + units + r.ParameterOffset > AttributeArguments.MaxSize)
        {
            r.ArgumentError(DiagnosticIds.InvalidArgument, 0, $"Dense({units}) on {input.Channels} inputs brings the network to more than {AttributeArguments.MaxSize} parameters; use fewer units");
            return null;
        }
        var output = input.IsSequence ? Shape.Sequence(input.Steps, units) : Shape.Vector(units);
        return r.Create(LayerKind.Dense, output, units: units, activation: activation, weightInit: init) with { UseBias = useBias };
    }

    /// <summary>He for the ReLU family, Glorot otherwise (as Keras' advice).</summary>
    internal static WeightInit DefaultInit(Activation activation) =>
        activation is Activation.Relu or Activation.LeakyRelu or Activation.Elu or Activation.Relu6 ? WeightInit.HeUniform : WeightInit.GlorotUniform;

    /// <summary>Inputs of one step: the whole input for a vector, one step's features for a sequence.</summary>
    private static int Features(LayerSpec layer) => layer.InputShape.Channels;

    /// <summary>Rows the layer applies to per sample: 1 for a vector, the steps of a sequence.</summary>
    private static int Rows(LayerSpec layer) => layer.InputShape.Positions;

    public override int WeightCount(LayerSpec layer) => layer.Units * Features(layer);

    public override int BiasCount(LayerSpec layer) => layer.UseBias ? layer.Units : 0;

    public override (int In, int Out) Fans(LayerSpec layer) => (Features(layer), layer.Units);

    public override Activation? ActivationOf(LayerSpec layer) => layer.Activation;

    public override string Description(LayerSpec layer) =>
        $"Dense({Int(layer.Units)}{(layer.Activation == Activation.Linear ? "" : ", " + layer.Activation)}{(layer.UseBias ? "" : ", UseBias = false")})";

    public override string Fingerprint(LayerSpec layer) => $"Dense({Int(layer.Units)},{layer.Activation}{(layer.UseBias ? "" : ",nobias")})";

    /// <summary>The layer's bias in the generated code's terms, or where it is said there is none.</summary>
    private static string BiasText(LayerSpec layer) => layer.UseBias ? $"bias [{Int(layer.Units)}] at {Int(layer.BiasOffset)}" : "no bias";

    public override string Describe(LayerPlan plan)
    {
        var layer = plan.Spec;
        string steps = layer.InputShape.IsSequence ? $" per step of {Int(layer.InputShape.Steps)}" : "";
        return $"Layer {Int(layer.Index)}: Dense {Int(Features(layer))} -> {Int(layer.Units)}{steps}, {layer.Activation} " +
               $"(weights [{Int(layer.Units)}x{Int(Features(layer))}] at {Int(layer.ParameterOffset)}, {BiasText(layer)})";
    }

    public override string SummaryName(LayerSpec layer, int ordinal) => $"dense_{Int(ordinal)} (Dense, {layer.Activation})";

    public override string TorchModule => "nn.Linear";

    public override string ParameterDocumentation(LayerPlan plan)
    {
        var layer = plan.Spec;
        return $"Layer {Int(layer.Index)} (Dense {Int(Features(layer))} -&gt; {Int(layer.Units)}): weight [{Int(layer.Units)}, {Int(Features(layer))}] row-major at {Int(layer.ParameterOffset)}, {BiasText(layer)}";
    }

    public override void EmitInitialization(SourceWriter w, EmitContext c, LayerPlan plan)
    {
        var layer = plan.Spec;
        w.Line($"// Layer {Int(layer.Index)}: Dense {Int(Features(layer))} -> {Int(layer.Units)}, {layer.WeightInit} weights");
        w.Line($"global::NeuralNet.Gen.WeightInitializer.Fill(p.Slice({Int(layer.ParameterOffset)}, {Int(layer.WeightCount)}), global::NeuralNet.Gen.WeightInit.{layer.WeightInit}, {Int(plan.FanIn)}, {Int(plan.FanOut)}, ref random);");
        if (layer.UseBias) w.Line($"p.Slice({Int(layer.BiasOffset)}, {Int(layer.BiasCount)}).Clear();");
    }

    public override string OnnxDescription(LayerPlan plan)
    {
        var l = plan.Spec;
        string bias = l.UseBias ? "" : ", useBias: false";
        return l.InputShape.IsSequence
            ? $"global::NeuralNet.Gen.LayerDescription.DensePerStep({Int(l.InputShape.Steps)}, {Int(Features(l))}, {Int(l.Units)}, global::NeuralNet.Gen.Activation.{l.Activation}, {Int(l.ParameterOffset)}{bias})"
            : $"global::NeuralNet.Gen.LayerDescription.Dense({Int(l.InputSize)}, {Int(l.Units)}, global::NeuralNet.Gen.Activation.{l.Activation}, {Int(l.ParameterOffset)}{bias})";
    }

    public override ImportedLayer ImportLayout(LayerSpec layer, int bufferOffset, Shape? flattenedImage) =>
        new DenseImport(layer.Index, Features(layer), layer.Units, layer.Activation.ToString(), layer.ParameterOffset, layer.UseBias, flattenedImage?.Height ?? 0, flattenedImage?.Width ?? 0);

    /// <summary>nn.Linear works on the last axis: PyTorch's per-step output is channels-last, as ours.</summary>
    public override bool ChannelsFirstInTorch(LayerSpec layer, bool inputChannelsFirst) => false;

    /// <summary>Unrolled only on a vector: a per-step layer loops over the steps through the kernels.</summary>
    public override LayerChoices Choose(NetworkSpec spec, LayerSpec layer) =>
        new(layer.InputShape.IsVector && layer.WeightCount <= UnrollMaxWeights && layer.InputSize <= UnrollMaxInputs, null, null);

    public override IEnumerable<BufferSlot> SampleSlots(LayerPlan layer, bool training)
    {
        int n = layer.Spec.OutputSize;
        yield return ValueSlot("z" + layer.Name, n);
        yield return ValueSlot("a" + layer.Name, n);
        if (training) yield return ValueSlot("d" + layer.Name, n, trainingOnly: true);
    }

    /// <summary>Without a bias the kernels add zeros from this row (and put their bias gradients there, unread).</summary>
    public override IEnumerable<BufferSlot> WorkspaceSlots(LayerPlan layer, bool training)
    {
        if (!layer.Spec.UseBias && !layer.Unrolled) yield return ZeroBiasSlot(layer);
    }

    /// <summary>The one-sample pass of a loop layer without a bias calls the kernel too: it needs the zero row.</summary>
    public IEnumerable<BufferSlot> SampleForwardSlots(LayerPlan layer)
    {
        if (!layer.Spec.UseBias && !layer.Unrolled) yield return ZeroBiasSlot(layer);
    }

    private static BufferSlot ZeroBiasSlot(LayerPlan layer) => ValueSlot("zeroBias" + layer.Name, layer.Spec.Units);

    /// <summary>The bias span a kernel reads (from <c>p</c>) or adds gradients to (in <c>g</c>): the layer's own, or its zero row.</summary>
    private static string Bias(LayerSpec layer, string parameters, string name) =>
        layer.UseBias ? $"{parameters}.Slice({Int(layer.BiasOffset)}, {Int(layer.Units)})" : "zeroBias" + name;

    public override string PreActivation(LayerPlan layer) => "z" + layer.Name;

    public override void EmitBatchForward(SourceWriter w, EmitContext c, BatchStep step)
    {
        var plan = step.Layer;
        var layer = plan.Spec;
        string i = plan.Name, n = Int(layer.OutputSize), m = Int(layer.InputSize), T = c.T;
        if (plan.Unrolled)
        {
            using (w.Block("for (int b = 0; b < batchSize; b++)"))
            {
                w.Line($"global::System.ReadOnlySpan<{T}> xb = {step.Input}.Slice(b * {m}, {m});");
                w.Line($"global::System.Span<{T}> zb = z{i}.Slice(b * {n}, {n});");
                w.Line($"global::System.Span<{T}> ab = a{i}.Slice(b * {n}, {n});");
                EmitSampleForward(w, c, plan, Values.Span("xb"), "zb", "ab");
            }
            return;
        }
        if (!layer.UseBias) w.Line($"zeroBias{i}.Clear(); // no bias: the kernel adds zeros (the backward pass leaves its bias gradients here)");
        w.Line($"global::NeuralNet.Gen.DenseKernels.Forward<{T}>({step.Input}, p.Slice({Int(layer.ParameterOffset)}, {Int(layer.WeightCount)}), {Bias(layer, "p", i)}, z{i}, {BatchRows(layer)}, {Int(Features(layer))}, {Int(layer.Units)});");
        ActivationEmitter.EmitBatchActivation(w, c, plan);
    }

    public override void EmitBatchBackward(SourceWriter w, EmitContext c, BatchStep step)
    {
        var plan = step.Layer;
        var layer = plan.Spec;
        string i = plan.Name, n = Int(layer.OutputSize), m = Int(layer.InputSize), T = c.T;
        var downstream = step.InputGradient;
        w.Line($"// Backward through layer {i}: Dense {Int(Features(layer))} -> {Int(layer.Units)}{(Rows(layer) > 1 ? $" per step of {Int(Rows(layer))}" : "")}, {layer.Activation}{(plan.Unrolled ? ", unrolled per sample" : ", batched")}");
        if (!plan.IsLast) ActivationEmitter.EmitBatchActivationBackward(w, c, plan);
        if (plan.Unrolled)
        {
            using (w.Block("for (int b = 0; b < batchSize; b++)"))
            {
                w.Line($"global::System.ReadOnlySpan<{T}> xb = {step.Input}.Slice(b * {m}, {m});");
                w.Line($"global::System.ReadOnlySpan<{T}> dzb = d{i}.Slice(b * {n}, {n});");
                if (downstream is not null) w.Line($"global::System.Span<{T}> dxb = {downstream}.Slice(b * {m}, {m});");
                EmitSampleBackward(w, c, plan, Values.Span("dzb"), Values.Span("xb"), downstream is null ? null : Values.Span("dxb"));
            }
            return;
        }
        w.Line($"global::NeuralNet.Gen.DenseKernels.Backward<{T}>({step.Input}, d{i}, p.Slice({Int(layer.ParameterOffset)}, {Int(layer.WeightCount)}), " +
               $"g.Slice({Int(layer.ParameterOffset)}, {Int(layer.WeightCount)}), {Bias(layer, "g", i)}, " +
               $"{downstream ?? $"global::System.Span<{T}>.Empty"}, {BatchRows(layer)}, {Int(Features(layer))}, {Int(layer.Units)});");
    }

    /// <summary>The kernels' row count over the batch: every step of every sample is a row of its own.</summary>
    private static string BatchRows(LayerSpec layer) => Rows(layer) == 1 ? "batchSize" : $"batchSize * {Int(Rows(layer))}";

    /// <summary>On a vector it reads only what it is given; on a sequence it runs each step alone: either way it can stream.</summary>
    public override bool IsCausal(LayerSpec layer) => true;

    /// <summary>
    /// Small layers step on packed weights (fused multiply-adds, as the Dense kernel sums); larger ones call the Dense
    /// kernel. A layer Forward writes as straight-line code (multiply then add) steps the same way: through its
    /// straight-line row, or on the straight-line vector path through <c>StepKernels.MultiplyThenAdd</c>.
    /// </summary>
    public override bool UnrollsStep(LayerPlan plan) =>
        plan.Spec.WeightCount <= StepEmitter.UnrollMaxWeights && Features(plan.Spec) <= StepEmitter.UnrollMaxInputs;

    /// <summary>A layer Forward writes straight-line steps through that row, on the parameters themselves (off the vector path).</summary>
    public override bool StepReadsParameters(LayerPlan plan) => !UnrollsStep(plan) || plan.Unrolled;

    /// <summary>The output row, padded for whole vectors.</summary>
    public override IEnumerable<BufferSlot> UnrolledStepSlots(LayerPlan plan)
    {
        yield return ValueSlot("s" + plan.Name, PaddedRow(plan.Spec.Units));
    }

    public override int StepWeightCount(LayerPlan plan) => PackedLength(Features(plan.Spec), plan.Spec.Units);

    public override void EmitStepWeightPacking(SourceWriter w, EmitContext c, LayerPlan plan, int offset)
    {
        var l = plan.Spec;
        string bias = l.UseBias ? $"p.Slice({Int(l.BiasOffset)}, {Int(l.Units)})" : $"global::System.ReadOnlySpan<{c.T}>.Empty";
        w.Line($"// Layer {Int(l.Index)}: Dense {Int(Features(l))} -> {Int(l.Units)}{(l.UseBias ? "" : ", no bias (packed as zeros)")}");
        w.Line($"global::NeuralNet.Gen.StepKernels.Pack<{c.T}>(p.Slice({Int(l.ParameterOffset)}, {Int(l.WeightCount)}), {bias}, packed.Slice({Int(offset)}, {Int(StepWeightCount(plan))}), {Int(Features(l))}, {Int(l.Units)});");
    }

    /// <summary>The row through the packed weights (each output a lane, summed in input order, the bias last: the kernels' bits), then the activation.</summary>
    public override Values EmitUnrolledStep(SourceWriter w, EmitContext c, StreamStep step, Values input)
    {
        var l = step.Layer.Spec;
        string s = "s" + step.Layer.Name;
        if (step.Layer.Unrolled)
        {
            // Forward's own straight-line row (multiply then add), activation included, on the parameters themselves.
            using (w.Scope()) EmitSampleForward(w, c, step.Layer, Values.Span(step.Input), null, s);
            return Values.PaddedSpan(s);
        }
        w.Line($"global::NeuralNet.Gen.StepKernels.Project<{c.T}>({step.Packed(0, StepWeightCount(step.Layer))}, {step.Input}, {s}, {Int(Features(l))}, {Int(l.Units)}, {StepKernelActivation(l.Activation)});");
        if (!FusesStepActivation(l.Activation)) EmitStepActivation(w, c, l.Activation, s, l.Units);
        return Values.PaddedSpan(s);
    }

    /// <summary>Small rows with an activation the kernels apply are written as straight-line vector code.</summary>
    public override bool WritesStepLanes(LayerPlan plan) => UnrollsStep(plan) && FusesStepActivation(plan.Spec.Activation);

    /// <summary>Each vector of outputs summed input by input through the packed weights, the bias last, then the activation; stored in the padded row.</summary>
    public override LaneRow EmitStepLanes(SourceWriter w, EmitContext c, LaneStep step)
    {
        var l = step.Layer.Spec;
        string i = step.Layer.Name;
        int inputs = Features(l), stride = PaddedRow(l.Units), vectors = step.Vectors(l.Units);
        var sums = Enumerable.Range(0, vectors).Select(v => $"z{i}_{Int(v)}").ToList();
        LaneCode.Project(w, c, sums, sums.Select((_, v) => v * step.Lanes).ToList(), inputs, stride, step.PackedOffset, k => step.Input.At(k), fused: !step.Layer.Unrolled);
        var output = new LaneRow("work", step.Slots["s" + i]);
        LaneCode.StoreActivated(w, l.Activation, sums, output, step.Lanes);
        return output;
    }

    /// <summary>Whether the step kernels apply the activation to each vector before storing it (Tanh and Sigmoid; Linear is none).</summary>
    internal static bool FusesStepActivation(Activation activation) => activation is Activation.Linear or Activation.Tanh or Activation.Sigmoid;

    /// <summary>The activation argument of a step kernel: the layer's when the kernel applies it, else Linear (applied after the call).</summary>
    internal static string StepKernelActivation(Activation activation) =>
        "global::NeuralNet.Gen.Activation." + (FusesStepActivation(activation) ? activation : Activation.Linear);

    /// <summary>An activation over the first <paramref name="count"/> values of a padded step row, vectorised for Tanh and Sigmoid.</summary>
    internal static void EmitStepActivation(SourceWriter w, EmitContext c, Activation activation, string row, int count)
    {
        if (activation == Activation.Linear) return;
        if (activation is Activation.Tanh or Activation.Sigmoid)
        {
            w.Line($"global::NeuralNet.Gen.StepKernels.{activation}<{c.T}>({row}, {Int(count)});");
        }
        else if (activation == Activation.Softmax)
        {
            // The kernel sums as Forward's unrolled softmax does (max, exponentials, one reciprocal): the same bits.
            ActivationEmitter.EmitSoftmax(w, c, $"{row}.Slice(0, {Int(count)})");
        }
        else
        {
            using (w.Block($"for (int o = 0; o < {Int(count)}; o++)")) w.Line($"{row}[o] = {ActivationEmitter.Apply(activation, $"{row}[o]")};");
        }
    }

    /// <summary>
    /// One row as straight-line code into locals <c>z{name}_o</c> (and <c>a{name}_o</c>): each output summed in input
    /// order, the bias (if any) added last, as the kernels sum (same bits). Returns the activations.
    /// </summary>
    private static Values EmitRow(SourceWriter w, EmitContext c, LayerPlan plan, Values input)
    {
        var layer = plan.Spec;
        int n = layer.Units, m = Features(layer), wOff = layer.ParameterOffset, bOff = layer.BiasOffset;
        string l = plan.Name, T = c.T, M = c.Math;
        for (int o = 0; o < n; o++)
        {
            var sum = new StringBuilder();
            for (int i = 0; i < m; i++) sum.Append(i == 0 ? "" : " + ").Append($"p[{Int(wOff + o * m + i)}] * {input.At(i)}");
            if (layer.UseBias) sum.Append($" + p[{Int(bOff + o)}]");
            w.Line($"{T} z{l}_{Int(o)} = {sum};");
        }
        if (layer.Activation == Activation.Softmax)
        {
            w.Line($"{T} max{l} = z{l}_0;");
            for (int o = 1; o < n; o++) w.Line($"max{l} = {M}.Max(max{l}, z{l}_{Int(o)});");
            for (int o = 0; o < n; o++) w.Line($"{T} e{l}_{Int(o)} = {c.OwnMath}.Exp(z{l}_{Int(o)} - max{l});");
            w.Line($"{T} inverseSum{l} = {c.One} / ({string.Join(" + ", Enumerable.Range(0, n).Select(o => $"e{l}_{Int(o)}"))});");
            for (int o = 0; o < n; o++) w.Line($"{T} a{l}_{Int(o)} = e{l}_{Int(o)} * inverseSum{l};");
            return Values.Locals($"a{l}");
        }
        if (layer.Activation == Activation.Linear) return Values.Locals($"z{l}");
        for (int o = 0; o < n; o++) w.Line($"{T} a{l}_{Int(o)} = {ActivationEmitter.Apply(layer.Activation, $"z{l}_{Int(o)}")};");
        return Values.Locals($"a{l}");
    }

    /// <summary>The output row, and without a bias a row of zeros for the kernel (the step scratch starts zero and it is never written).</summary>
    public override IEnumerable<BufferSlot> StepSlots(LayerPlan plan)
    {
        yield return ValueSlot("s" + plan.Name, plan.Spec.Units);
        if (!plan.Spec.UseBias) yield return ZeroBiasSlot(plan);
    }

    /// <summary>One row (a vector, or one step of a sequence) through the layer, summed as the batch path sums it.</summary>
    public override void EmitStep(SourceWriter w, EmitContext c, StreamStep step)
    {
        var layer = step.Layer.Spec;
        string i = step.Layer.Name, m = Int(layer.InputShape.Channels), n = Int(layer.OutputShape.Channels);
        if (step.Layer.Unrolled)
        {
            // Forward's own straight-line row, activation included.
            EmitSampleForward(w, c, step.Layer, Values.Span(step.Input), null, "s" + i);
            return;
        }
        w.Line($"global::NeuralNet.Gen.DenseKernels.Forward<{c.T}>({step.Input}, p.Slice({Int(layer.ParameterOffset)}, {Int(layer.WeightCount)}), {Bias(layer, "p", i)}, s{i}, 1, {m}, {n});");
        if (layer.Activation == Activation.Softmax)
        {
            ActivationEmitter.EmitSoftmax(w, c, "s" + i);
        }
        else if (layer.Activation != Activation.Linear)
        {
            using (w.Block($"for (int o = 0; o < {n}; o++)")) w.Line($"s{i}[o] = {ActivationEmitter.Apply(layer.Activation, $"s{i}[o]")};");
        }
    }

    /// <summary>
    /// One sample through the layer. Returns where its activations are. <paramref name="zSpan"/>, when given, receives the
    /// pre-activations (training keeps them for the backward pass); <paramref name="outSpan"/>, when given, receives
    /// the activations (for a loop layer it is where they live; for an unrolled layer a copy for the next layer).
    /// </summary>
    public Values EmitSampleForward(SourceWriter w, EmitContext c, LayerPlan plan, Values input, string? zSpan, string? outSpan)
    {
        var layer = plan.Spec;
        int n = layer.Units, wOff = layer.ParameterOffset, bOff = layer.BiasOffset;
        string l = plan.Name, T = c.T;
        if (plan.Unrolled)
        {
            var a = EmitRow(w, c, plan, input);
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
        int rows = Rows(layer), features = Features(layer);
        if (!layer.UseBias) w.Line($"zeroBias{l}.Clear(); // no bias: the kernel adds zeros");
        w.Line($"global::NeuralNet.Gen.DenseKernels.Forward<{T}>({input.Name}, p.Slice({Int(wOff)}, {Int(n * features)}), {Bias(layer, "p", l)}, {target}, {Int(rows)}, {Int(features)}, {Int(n)});");
        if (layer.Activation is not (Activation.Linear or Activation.Softmax))
        {
            if (!ActivationEmitter.EmitVectorActivation(w, c, layer.Activation, target, output, Int(n * rows)))
            {
                using (w.Block($"for (int o = 0; o < {Int(n * rows)}; o++)"))
                {
                    w.Line($"{output}[o] = {ActivationEmitter.Apply(layer.Activation, $"{target}[o]")};");
                }
            }
        }
        else if (zSpan is not null)
        {
            w.Line($"{zSpan}.CopyTo({output});");
        }
        if (layer.Activation == Activation.Softmax && rows == 1)
        {
            ActivationEmitter.EmitSoftmax(w, c, output);
        }
        else if (layer.Activation == Activation.Softmax)
        {
            using (w.Block($"for (int s = 0; s < {Int(rows)}; s++)"))
            {
                w.Line($"global::System.Span<{T}> row = {output}.Slice(s * {Int(n)}, {Int(n)});");
                ActivationEmitter.EmitSoftmax(w, c, "row");
            }
        }
        return Values.Span(output);
    }

    /// <summary>dL/dz of a hidden layer from dL/da, for one sample.</summary>
    public Values EmitSampleActivationBackward(SourceWriter w, EmitContext c, LayerPlan plan, Values upstream, Values z, Values a)
    {
        var layer = plan.Spec;
        string i = plan.Name, T = c.T;
        int n = layer.OutputSize;
        if (!plan.Unrolled)
        {
            string d = upstream.Name;
            if (layer.Activation == Activation.Softmax)
            {
                ActivationEmitter.EmitSoftmaxBackward(w, c, d, a.Name);
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

    /// <summary>Weight and bias gradients (dW += dz·xᵀ, db += dz, when the layer has a bias) and, when a layer precedes, dL/dx = Wᵀ·dz, for one sample.</summary>
    public void EmitSampleBackward(SourceWriter w, EmitContext c, LayerPlan plan, Values dz, Values input, Values? downstream)
    {
        var layer = plan.Spec;
        int n = layer.Units, m = layer.InputSize, wOff = layer.ParameterOffset, bOff = layer.BiasOffset;
        string T = c.T;
        if (plan.Unrolled)
        {
            for (int o = 0; o < n; o++)
            {
                if (layer.UseBias) w.Line($"g[{Int(bOff + o)}] += {dz.At(o)};");
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
            if (layer.UseBias) w.Line($"g[{Int(bOff)} + o] += dz;");
            w.Line($"global::NeuralNet.Gen.Kernels.MultiplyAdd(dz, {input.Name}, g.Slice({Int(wOff)} + o * {Int(m)}, {Int(m)}));");
            if (downstream is not null)
            {
                w.Line($"global::NeuralNet.Gen.Kernels.MultiplyAdd(dz, p.Slice({Int(wOff)} + o * {Int(m)}, {Int(m)}), {downstream.Name});");
            }
        }
    }
}
