using NeuralNet.Gen.Generators.Model;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Emit;

/// <summary>
/// Bakes a network's [Weights] into its code as one string literal: constant data in the assembly's metadata (on .NET 8
/// a literal lives on the frozen heap, outside the GC), viewed as a <c>ReadOnlySpan&lt;char&gt;</c> and copied into the
/// instance's own buffer by the constructor. Not a <c>new byte[] { ... }</c> span: for a 1 MB file the compiler binds
/// a million-element initializer in about 3 s (43 s with nullable analysis on), a string literal in about 0.1 s.
/// </summary>
internal static class WeightsEmitter
{
    public static void EmitTrainedParameters(SourceWriter w, EmitContext c)
    {
        var spec = c.Spec;
        string path = spec.Weights?.Path ?? "";
        if (!spec.HasUserConstructor)
        {
            w.Line($"/// <summary>Creates the network with the trained parameters of <c>{Xml(path)}</c> (<c>[Weights]</c>), baked in at build time.</summary>");
            w.Line($"public {spec.ClassName}() => RestoreTrainedParameters();");
            w.Line();
        }
        w.Line($"/// <summary>Copies the trained parameters of <c>{Xml(path)}</c> back into <see cref=\"Parameters\"/>{(c.Plan.HasBuffers ? " (and its running statistics into <see cref=\"Buffers\"/>)" : "")}, undoing any training since.</summary>");
        using (w.Block("public void RestoreTrainedParameters()"))
        {
            if (c.Plan.HasBuffers)
            {
                // The running statistics follow the parameters in the data.
                int chars = spec.Precision == Precision.Double ? 4 : 2;
                w.Line($"global::NeuralNet.Gen.BakedParameters.CopyTo(TrainedParameterData.Slice(0, ParameterCount * {Int(chars)}), _parameters);");
                w.Line($"global::NeuralNet.Gen.BakedParameters.CopyTo(TrainedParameterData.Slice(ParameterCount * {Int(chars)}), _buffers);");
            }
            else
            {
                w.Line("global::NeuralNet.Gen.BakedParameters.CopyTo(TrainedParameterData, _parameters);");
            }
            if (spec.IsTrainable) w.Line("ResetOptimizerState();");
            StepEmitter.EmitStepWeightsStale(w, c);
        }
        w.Line();
        w.Line($"/// <summary>The parameters of <c>{Xml(path)}</c>: little-endian {(spec.Precision == Precision.Double ? "float64" : "float32")} bytes in <see cref=\"Parameters\"/> order{(c.Plan.HasBuffers ? ", then the buffers" : "")}, two per char (low byte first); constant data.</summary>");
        // Six characters (\uXXXX) per two bytes, written straight into the source: no copy of a megabyte literal.
        var bytes = spec.TrainedParameters;
        const string Declaration = "private static global::System.ReadOnlySpan<char> TrainedParameterData => \"";
        w.Reserve(w.Indentation * 4 + Declaration.Length + bytes.Count * 3 + 3);
        w.Line(text =>
        {
            text.Append(Declaration);
            for (int i = 0; i + 1 < bytes.Count; i += 2)
            {
                int unit = bytes[i] | bytes[i + 1] << 8;
                text.Append('\\').Append('u').Append(Hex[unit >> 12]).Append(Hex[(unit >> 8) & 15]).Append(Hex[(unit >> 4) & 15]).Append(Hex[unit & 15]);
            }
            text.Append("\";");
        });
        w.Line();
    }

    private const string Hex = "0123456789ABCDEF";

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
