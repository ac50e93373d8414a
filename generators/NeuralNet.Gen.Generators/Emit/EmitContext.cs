using System.Globalization;
using NeuralNet.Gen.Generators.Model;

namespace NeuralNet.Gen.Generators.Emit;

/// <summary>What every emitter needs: the plan, and the element type's C# name, literals and math class.</summary>
internal sealed class EmitContext
{
    public EmitContext(NetworkSpec spec)
    {
        Spec = spec;
        Plan = new NetworkPlan(spec);
        T = spec.Precision == Precision.Double ? "double" : "float";
        Math = spec.Precision == Precision.Double ? "global::System.Math" : "global::System.MathF";
        ElementSize = spec.Precision == Precision.Double ? 8 : 4;
    }

    public NetworkSpec Spec { get; }

    /// <summary>Every decision about the network, made once.</summary>
    public NetworkPlan Plan { get; }

    /// <summary>"float" or "double".</summary>
    public string T { get; }

    /// <summary>MathF for float, Math for double (Max, Abs, Sqrt: exact or correctly rounded on every platform).</summary>
    public string Math { get; }

    /// <summary>exp, log and tanh of the product's own, so every platform computes the same bits (DESIGN.md "Reproducible bits").</summary>
    public string OwnMath => "global::NeuralNet.Gen.NeuralMath";

    public int ElementSize { get; }

    /// <summary>
    /// The constant naming the target values per sample: OutputSize, or TargetSize (one class index) for
    /// SparseCategoricalCrossEntropy.
    /// </summary>
    public string TargetSize => Spec.Loss == LossFunction.SparseCategoricalCrossEntropy ? "TargetSize" : "OutputSize";

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
}
