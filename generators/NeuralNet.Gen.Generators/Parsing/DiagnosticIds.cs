namespace NeuralNet.Gen.Generators.Parsing;

/// <summary>
/// Every diagnostic id, once: the parser's findings, the analyzers' descriptors and the code fixes use these
/// constants, and a test checks AnalyzerReleases.*.md against them.
/// </summary>
internal static class DiagnosticIds
{
    public const string NotPartial = "NNG0001";
    public const string InputPlacement = "NNG0002";
    public const string NoLayers = "NNG0003";
    public const string InvalidArgument = "NNG0004";
    public const string ShapeMismatch = "NNG0005";
    public const string LossMismatch = "NNG0006";
    public const string SoftmaxPlacement = "NNG0007";
    public const string SplitDeclaration = "NNG0008";
    public const string BufferLength = "NNG0009";
    public const string UnsupportedType = "NNG0010";
    public const string InvalidOptimizer = "NNG0011";
    public const string WeightsMismatch = "NNG0012";
    public const string NameReference = "NNG0013";
    public const string LayersFromWeights = "NNG0014";
    public const string UnusedOptimizerSetting = "NNG0015";
    public const string NetworkUsage = "NNG0016";

    // Teaching hints: the network builds, but its setup works against training.
    public const string LinearDenseStack = "NNG0020";
    public const string SoftmaxWithRegressionLoss = "NNG0021";
    public const string LearningRateTooHigh = "NNG0022";
    public const string SaturatingStack = "NNG0023";
    public const string DropoutOnOutput = "NNG0024";
    public const string ScalerFittedBeforeSplit = "NNG0025";
    public const string OptimizerWithoutLoss = "NNG0026";
    public const string TargetEncoding = "NNG0027";
}
