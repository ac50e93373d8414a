namespace NeuralNet.Gen.Generators.Model;

/// <summary>
/// A network with an architecture error, as data: enough to write its public surface (<c>Emit.SurfaceEmitter</c>), so
/// that code using the network compiles and the build shows the NNG error alone, not a CS1061 per call site.
/// </summary>
/// <param name="IsTrainable">It has a [Loss], so the training members belong to its surface.</param>
/// <param name="UsesDropout">It has a [Dropout], so <c>SeedDropout</c> belongs to its surface.</param>
/// <param name="HasWeights">It has [Weights], so <c>RestoreTrainedParameters</c> belongs to its surface.</param>
/// <param name="Error">The first error, e.g. "NNG0005: Dense expects a vector input ...".</param>
internal sealed record BrokenNetwork(
    string Namespace,
    EquatableArray<string> ContainingTypes,
    string ClassName,
    Precision Precision,
    bool IsTrainable,
    bool UsesDropout,
    bool HasWeights,
    bool HasUserConstructor,
    string Error)
{
    /// <summary>Fully qualified name, used for the hint name of the generated file (the same as a generated network's).</summary>
    public string FullName => NetworkSpec.QualifiedName(Namespace, ContainingTypes, ClassName);

    /// <summary>A network the parser accepted whose [Weights] file does not fit it (NNG0012).</summary>
    public static BrokenNetwork WeightsMismatch(NetworkSpec spec, string message) => new(
        spec.Namespace, spec.ContainingTypes, spec.ClassName, spec.Precision, spec.IsTrainable,
        System.Linq.Enumerable.Any(spec.Layers, l => l.Kind == LayerKind.Dropout), HasWeights: true, spec.HasUserConstructor,
        Parsing.DiagnosticIds.WeightsMismatch + ": " + Printable(message));

    /// <summary>The message with control characters (a damaged file's names may hold any byte) as '?', so it fits a comment line.</summary>
    private static string Printable(string message)
    {
        var chars = message.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]) || chars[i] is '\u2028' or '\u2029' or '\u0085') chars[i] = '?';
        }
        return new string(chars);
    }
}
