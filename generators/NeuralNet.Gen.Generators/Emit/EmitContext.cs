using System.Globalization;
using NeuralNet.Gen.Generators.Model;

namespace NeuralNet.Gen.Generators.Emit;

/// <summary>What every emitter needs to know about the element type: its C# name, literals and math class.</summary>
internal sealed class EmitContext
{
    /// <summary>Layers with at most this many weights (and at most <see cref="UnrollMaxInputs"/> inputs) are emitted as straight-line code.</summary>
    public const int UnrollMaxWeights = 256;

    /// <summary>Beyond this fan-in one unrolled expression would get too long to read.</summary>
    public const int UnrollMaxInputs = 64;

    /// <summary>Inference scratch above this many bytes goes to a thread-static array instead of the stack.</summary>
    public const int MaxStackBytes = 16 * 1024;

    public EmitContext(NetworkSpec spec)
    {
        Spec = spec;
        T = spec.Precision == Precision.Double ? "double" : "float";
        Math = spec.Precision == Precision.Double ? "global::System.Math" : "global::System.MathF";
        ElementSize = spec.Precision == Precision.Double ? 8 : 4;
    }

    public NetworkSpec Spec { get; }

    /// <summary>"float" or "double".</summary>
    public string T { get; }

    /// <summary>MathF for float, Math for double.</summary>
    public string Math { get; }

    public int ElementSize { get; }

    public string Zero => Lit(0);

    public string One => Lit(1);

    /// <summary>A culture-invariant literal of the element type: 0.01f or 0.01d.</summary>
    public string Lit(double value)
    {
        if (T == "float")
        {
            return ((float)value).ToString("R", CultureInfo.InvariantCulture) + "f";
        }
        return value.ToString("R", CultureInfo.InvariantCulture) + "d";
    }

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static bool IsUnrolled(LayerSpec layer) =>
        layer.Kind == LayerKind.Dense && layer.WeightCount <= UnrollMaxWeights && layer.InputSize <= UnrollMaxInputs;
}
