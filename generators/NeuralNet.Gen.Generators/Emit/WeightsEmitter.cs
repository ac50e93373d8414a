using System.Text;
using NeuralNet.Gen.Generators.Model;
using static NeuralNet.Gen.Generators.Emit.EmitContext;

namespace NeuralNet.Gen.Generators.Emit;

/// <summary>
/// Bakes a network's [Weights] into its code: the parameters as a <c>ReadOnlySpan&lt;byte&gt;</c> over constant data
/// (the compiler puts a constant byte array behind such a property in the assembly's data, no allocation), copied into
/// the instance's own buffer by the constructor.
/// </summary>
internal static class WeightsEmitter
{
    /// <summary>Bytes per source line: long lines keep the generated file small and fast to parse.</summary>
    private const int BytesPerLine = 64;

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
        w.Line($"/// <summary>Copies the trained parameters of <c>{Xml(path)}</c> back into <see cref=\"Parameters\"/>, undoing any training since.</summary>");
        using (w.Block("public void RestoreTrainedParameters()"))
        {
            w.Line("global::NeuralNet.Gen.BakedParameters.CopyTo(TrainedParameterBytes, _parameters);");
            if (spec.IsTrainable) w.Line("ResetOptimizerState();");
        }
        w.Line();
        w.Line($"/// <summary>The parameters of <c>{Xml(path)}</c> as little-endian {(spec.Precision == Precision.Double ? "float64" : "float32")}, in <see cref=\"Parameters\"/> order; constant data, no allocation.</summary>");
        w.Line("private static global::System.ReadOnlySpan<byte> TrainedParameterBytes => new byte[]");
        w.Line("{");
        var line = new StringBuilder();
        var bytes = spec.TrainedParameters;
        for (int i = 0; i < bytes.Count; i++)
        {
            line.Append(Int(bytes[i])).Append(',');
            if ((i + 1) % BytesPerLine == 0 || i == bytes.Count - 1)
            {
                w.Line("    " + line);
                line.Clear();
            }
        }
        w.Line("};");
        w.Line();
    }

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
