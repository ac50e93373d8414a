namespace NeuralNet.Gen.Generators.Model;

/// <summary>The optimizer's constants, defaults already filled in from torch.optim's.</summary>
internal sealed record OptimizerSpec(
    OptimizerKind Kind,
    double LearningRate,
    double Momentum,
    double Beta1,
    double Beta2,
    double Epsilon,
    double WeightDecay)
{
    /// <summary>Keeps a velocity per parameter: Momentum, Nesterov, and Sgd with Momentum > 0 (torch.optim.SGD(momentum=…)).</summary>
    public bool HasVelocity => Kind is OptimizerKind.Momentum or OptimizerKind.Nesterov || (Kind == OptimizerKind.Sgd && Momentum > 0);
}

/// <summary>The <c>[Weights]</c> attribute as data: which file, which tensor names, and where to point NNG0012.</summary>
/// <param name="Names">Safetensors name prefixes, one per Dense layer, comma-separated; or null.</param>
internal sealed record WeightsSpec(string Path, string? Names, int AttributeIndex);

/// <summary>
/// A whole network as data: what the generator emits and the analyzers check. It holds no ISymbol,
/// Compilation, SyntaxNode or Location, only strings and numbers, so the incremental pipeline can compare
/// it with the previous run's and skip emitting when nothing changed.
/// </summary>
/// <param name="Namespace">Containing namespace, empty for the global namespace.</param>
/// <param name="ContainingTypes">Declarations of enclosing types, outermost first, e.g. <c>partial class Outer</c>.</param>
/// <param name="Layers">Every layer after the input, in source order.</param>
/// <param name="Loss">The loss, or null for an inference-only network.</param>
/// <param name="Weights">The <c>[Weights]</c> file, or null.</param>
/// <param name="TrainedParameters">The file's parameters as little-endian bytes of the precision, filled in by the
/// generator once the file is read and checked; empty otherwise (the parser never reads files).</param>
internal sealed record NetworkSpec(
    string Namespace,
    EquatableArray<string> ContainingTypes,
    string ClassName,
    Precision Precision,
    int Seed,
    bool HasUserConstructor,
    Shape InputShape,
    EquatableArray<LayerSpec> Layers,
    LossFunction? Loss,
    OptimizerSpec Optimizer,
    WeightsSpec? Weights = null,
    EquatableArray<byte> TrainedParameters = default)
{
    /// <summary><c>[Network(MaxBatchSize)]</c>: batch buffers sized at construction for this many samples; 0 when absent.</summary>
    public int MaxBatchSize { get; init; }

    /// <summary>
    /// <c>[Network][Weights("x.onnx")]</c> with no layer attributes: the layers come from the file. The parser gives such a
    /// spec with no layers; <see cref="Weights.OnnxArchitecture.Resolve"/> fills them in from the file.
    /// </summary>
    public bool LayersFromWeights { get; init; }

    /// <summary>The attribute stack the weights file declares, one attribute list per line, once resolved; null otherwise.</summary>
    public string? WeightsArchitecture { get; init; }

    public int InputSize => InputShape.Size;

    public int OutputSize => Layers[Layers.Count - 1].OutputSize;

    public Shape OutputShape => Layers[Layers.Count - 1].OutputShape;

    public int ParameterCount
    {
        get
        {
            var last = Layers[Layers.Count - 1];
            return last.ParameterOffset + last.ParameterCount;
        }
    }

    public bool IsTrainable => Loss is not null;

    /// <summary>
    /// Identifies the parameter layout: the generated <c>ArchitectureFingerprint</c>, written into parameter files,
    /// which another architecture refuses (at run time, and at build time for [Weights]).
    /// </summary>
    public string ArchitectureFingerprint =>
        (Precision == Precision.Double ? "double" : "float") + ":Input(" + InputShape + ")>" +
        string.Join(">", System.Linq.Enumerable.Select(Layers, l => global::NeuralNet.Gen.Generators.Layers.LayerRegistry.For(l.Kind).Fingerprint(l)));

    /// <summary>Fully qualified name, used for the hint name of the generated file.</summary>
    public string FullName => QualifiedName(Namespace, ContainingTypes, ClassName);

    public static string QualifiedName(string ns, EquatableArray<string> containingTypes, string className)
    {
        var prefix = ns.Length == 0 ? "" : ns + ".";
        foreach (var containing in containingTypes)
        {
            prefix += containing.Substring(containing.LastIndexOf(' ') + 1) + ".";
        }
        return prefix + className;
    }
}
