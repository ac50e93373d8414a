using NeuralNet.Gen.Generators.Emit;
using NeuralNet.Gen.Generators.Model;
using NeuralNet.Gen.Generators.Parsing;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Layers;

/// <summary><c>[SimpleRNN(units, activation = Tanh)]</c>: h_t = activation(W_ih·x_t + b_ih + W_hh·h_(t-1) + b_hh), as <c>nn.RNN</c>.</summary>
internal sealed class SimpleRnnLayer : RecurrentLayer
{
    public override LayerKind Kind => LayerKind.SimpleRNN;

    protected override int Gates => 1;

    /// <summary>The pre-activation of every step.</summary>
    protected override int Saved => 1;

    protected override bool ReadsPreviousState => false;

    protected override Activation ReadActivation(LayerReader r)
    {
        var activation = r.Enum(1, Activation.Tanh);
        if (activation == Activation.Softmax) r.ArgumentError(DiagnosticIds.InvalidArgument, 1, "SimpleRNN applies its activation to each unit of its state: Softmax is not one; use Tanh or another element-wise activation");
        return activation;
    }

    protected override string DescribeActivation(LayerSpec l) => l.CellActivation == Activation.Tanh ? "" : ", " + l.CellActivation;

    public override Activation? ActivationOf(LayerSpec layer) => layer.CellActivation;

    protected override void EmitCell(SourceWriter w, EmitContext c, LayerSpec l, string x, string r, string hp, string h, string? cp, string? cell, string? saved)
    {
        w.Line($"{c.T} z = {x}[u] + {r}[u];");
        if (saved is not null) w.Line($"{saved}[u] = z;");
        w.Line($"{h} = {ActivationEmitter.Apply(l.CellActivation, "z") ?? "z"};");
    }

    protected override void EmitCellBackward(SourceWriter w, EmitContext c, LayerSpec l, string dh, string dc)
    {
        w.Line($"{c.T} dz = {ActivationEmitter.Gradient(l.CellActivation, $"{dh}[u]", "st[u]", $"hb[t * {Int(l.Units)} + u]")};");
        w.Line("dxt[u] = dz;");
        w.Line("drb[u] = dz;");
        w.Line($"{dh}[u] = {c.Zero};");
    }
}
