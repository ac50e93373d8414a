using NeuralNet.Gen.Generators.Emit;
using NeuralNet.Gen.Generators.Model;

namespace NeuralNet.Gen.Generators.Layers;

/// <summary>
/// <c>[LSTM(units)]</c>, as <c>nn.LSTM</c>: gates i, f, o = σ(…), g = tanh(…), c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c').
/// </summary>
internal sealed class LstmLayer : RecurrentLayer
{
    public override LayerKind Kind => LayerKind.LSTM;

    protected override int Gates => 4;

    /// <summary>i, f, g, o.</summary>
    protected override int Saved => 4;

    protected override bool HasCell => true;

    protected override string StepCell => "LstmCell";

    protected override void EmitCell(SourceWriter w, EmitContext c, LayerSpec l, string x, string r, string hp, string h, string? cp, string? cell, string? saved)
    {
        string T = c.T;
        w.Line($"{T} ig = {Sigmoid(c, $"{Gate(x, 0, l)} + {Gate(r, 0, l)}")};");
        w.Line($"{T} fg = {Sigmoid(c, $"{Gate(x, 1, l)} + {Gate(r, 1, l)}")};");
        w.Line($"{T} gg = {Tanh(c, $"{Gate(x, 2, l)} + {Gate(r, 2, l)}")};");
        w.Line($"{T} og = {Sigmoid(c, $"{Gate(x, 3, l)} + {Gate(r, 3, l)}")};");
        w.Line($"{T} cn = fg * {cp} + ig * gg;");
        w.Line($"{cell} = cn;");
        w.Line($"{h} = og * {Tanh(c, "cn")};");
        if (saved is null) return;
        w.Line($"{Gate(saved, 0, l)} = ig;");
        w.Line($"{Gate(saved, 1, l)} = fg;");
        w.Line($"{Gate(saved, 2, l)} = gg;");
        w.Line($"{Gate(saved, 3, l)} = og;");
    }

    protected override void EmitCellBackward(SourceWriter w, EmitContext c, LayerSpec l, string dh, string dc)
    {
        string T = c.T, one = c.One;
        w.Line($"{T} ig = {Gate("st", 0, l)}, fg = {Gate("st", 1, l)}, gg = {Gate("st", 2, l)}, og = {Gate("st", 3, l)};");
        w.Line($"{T} tc = {Tanh(c, "ct")};");
        w.Line($"{T} dcu = {dc}[u] + {dh}[u] * og * ({one} - tc * tc);");
        w.Line($"{Gate("dxt", 0, l)} = dcu * gg * ig * ({one} - ig);");
        w.Line($"{Gate("dxt", 1, l)} = dcu * cp * fg * ({one} - fg);");
        w.Line($"{Gate("dxt", 2, l)} = dcu * ig * ({one} - gg * gg);");
        w.Line($"{Gate("dxt", 3, l)} = {dh}[u] * tc * og * ({one} - og);");
        w.Line($"{Gate("drb", 0, l)} = {Gate("dxt", 0, l)};");
        w.Line($"{Gate("drb", 1, l)} = {Gate("dxt", 1, l)};");
        w.Line($"{Gate("drb", 2, l)} = {Gate("dxt", 2, l)};");
        w.Line($"{Gate("drb", 3, l)} = {Gate("dxt", 3, l)};");
        w.Line($"{dc}[u] = dcu * fg;");
        w.Line($"{dh}[u] = {c.Zero};");
    }
}
