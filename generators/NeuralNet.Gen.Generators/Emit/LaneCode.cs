using System;
using System.Collections.Generic;
using NeuralNet.Gen.Generators.Layers;
using NeuralNet.Gen.Generators.Model;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Emit;

/// <summary>
/// The pieces of a straight-line step (<see cref="Layer.EmitStepLanes"/>): sums of vector lanes through
/// <c>StepKernels.MultiplyAdd</c> (fused; <c>MultiplyThenAdd</c> for a Dense layer Forward writes straight-line) from zero in input order, the bias last (Forward's order and rounding, so the same bits), on
/// the ref locals <c>weights</c> (packed), <c>stream</c> (state), <c>work</c> (scratch) at constant offsets.
/// </summary>
internal static class LaneCode
{
    public const string Kernels = "global::NeuralNet.Gen.StepKernels";

    /// <summary>
    /// Sums <paramref name="sums"/>[s] = Σ_k x_k·weights[packed + k·stride + columns[s]] + weights[packed + inputs·stride +
    /// columns[s]], input by input (each input's terms together, so one broadcast value feeds every sum).
    /// </summary>
    public static void Project(SourceWriter w, EmitContext c, IReadOnlyList<string> sums, IReadOnlyList<int> columns, int inputs, int stride, int packed, Func<int, string> input, bool fused = true)
    {
        // Fused everywhere but in a Dense layer Forward writes as straight-line code (multiply then add there).
        string multiplyAdd = fused ? "MultiplyAdd" : "MultiplyThenAdd";
        foreach (var sum in sums) w.Line($"var {sum} = global::System.Numerics.Vector<{c.T}>.Zero;");
        for (int k = 0; k < inputs; k++)
        {
            for (int s = 0; s < sums.Count; s++) w.Line($"{sums[s]} = {Kernels}.{multiplyAdd}({sums[s]}, {input(k)}, ref weights, {Int(packed + k * stride + columns[s])});");
        }
        for (int s = 0; s < sums.Count; s++) w.Line($"{sums[s]} += {Load("weights", packed + inputs * stride + columns[s])};");
    }

    public static string Load(string array, int offset) => $"{Kernels}.Load(ref {array}, {Int(offset)})";

    /// <summary>
    /// The activation of a vector, as the kernels apply it (Linear, Tanh or Sigmoid).
    /// </summary>
    private static string Activate(Activation activation, string vector) => activation switch
    {
        Activation.Linear => vector,
        Activation.Tanh => $"{Kernels}.Tanh({vector})",
        Activation.Sigmoid => $"{Kernels}.Sigmoid({vector})",
        _ => throw new InvalidOperationException(activation + " is not applied in lanes."),
    };

    /// <summary>Sums of a row, a vector each, activated and stored one after the other in <paramref name="row"/>.</summary>
    public static void StoreActivated(SourceWriter w, Activation activation, IReadOnlyList<string> sums, LaneRow row, int lanes)
    {
        for (int v = 0; v < sums.Count; v++) Store(w, Activate(activation, sums[v]), row.Array, Int(row.Offset + v * lanes));
    }

    public static void Store(SourceWriter w, string vector, string array, string offset) => w.Line($"{Kernels}.Store({vector}, ref {array}, {offset});");

    /// <summary>
    /// Copies <paramref name="count"/> values of a row (whole vectors, then value by value: never a lane past the
    /// count, which may belong to the next row) to <paramref name="array"/> at <paramref name="offset"/> + i.
    /// </summary>
    public static void Copy(SourceWriter w, LaneRow from, string array, string offset, int count, int lanes)
    {
        int i = 0;
        for (; i + lanes <= count; i += lanes) Store(w, Load(from.Array, from.Offset + i), array, Plus(offset, i));
        if (i < count) w.Line($"{Kernels}.Copy(ref {from.Array}, {Int(from.Offset + i)}, ref {array}, {Plus(offset, i)}, {Int(count - i)});");
    }

    /// <summary><paramref name="offset"/> + <paramref name="i"/> as short as it can be written.</summary>
    public static string Plus(string offset, int i) => i == 0 ? offset : int.TryParse(offset, out int o) ? Int(o + i) : $"{offset} + {Int(i)}";
}
