using NeuralNet.Gen.Generators.Model;

namespace NeuralNet.Gen.Generators.Parsing;

/// <summary>Where a finding points: the class name, a whole attribute, or one argument of it.</summary>
internal enum DiagnosticTarget { ClassName, Attribute, Argument }

/// <summary>
/// A finding of the parser as plain data. The analyzers turn it into a Diagnostic at the attribute or
/// argument it names; the generator only needs to know that there is one.
/// </summary>
/// <param name="Id">NNG0001 ... NNG0012.</param>
/// <param name="AttributeIndex">Index into the class's attribute list, or -1 for the class name.</param>
/// <param name="ArgumentPosition">Constructor argument position, or -1.</param>
/// <param name="ArgumentName">Named argument, or null.</param>
/// <param name="Message">The full message: what was expected and what was found.</param>
/// <param name="IsError">False for warnings (NNG0007).</param>
/// <param name="RelatedAttributeIndex">Another attribute a code fix needs (the output layer for NNG0006, the first layer for NNG0002), or -1.</param>
/// <param name="Fix">What a code fix can do about it (see <see cref="FixKinds"/>), or null when there is no mechanical fix.</param>
internal sealed record ParseDiagnostic(
    string Id,
    DiagnosticTarget Target,
    int AttributeIndex,
    int ArgumentPosition,
    string? ArgumentName,
    string Message,
    bool IsError,
    int RelatedAttributeIndex = -1,
    string? Fix = null);

/// <summary>The mechanical fixes a finding can carry to the code fixes (as diagnostic properties).</summary>
internal static class FixKinds
{
    public const string PropertyName = "Fix";
    public const string AddPartial = "AddPartial";
    public const string AddNetwork = "AddNetwork";
    public const string InsertFlatten = "InsertFlatten";
    public const string MoveInputFirst = "MoveInputFirst";
    public const string UseSigmoid = "UseSigmoid";
    public const string UseSoftmax = "UseSoftmax";

    /// <summary>Replace argument 0 with the closest earlier name: the fix is <c>RenameReference:name</c>.</summary>
    public const string RenameReference = "RenameReference";
}

/// <summary>The parser's answer: a spec when the network can be emitted, and every finding.</summary>
/// <param name="Spec">Null when there is an error, or when the code is incomplete (then the compiler reports it).</param>
/// <param name="Broken">With an error in a declaration that can take members: what its public surface needs.</param>
/// <param name="FromWeights">A network that takes its layers from its ONNX weights file, without them yet (<see cref="NetworkSpec.LayersFromWeights"/>).</param>
internal sealed record ParseResult(NetworkSpec? Spec, EquatableArray<ParseDiagnostic> Diagnostics, BrokenNetwork? Broken = null, NetworkSpec? FromWeights = null);
