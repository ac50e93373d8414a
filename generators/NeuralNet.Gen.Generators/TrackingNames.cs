namespace NeuralNet.Gen.Generators;

/// <summary>Names of the pipeline's steps, used by the incremental-caching tests.</summary>
internal static class TrackingNames
{
    public const string ParseNetwork = nameof(ParseNetwork);
    public const string EmittableNetworks = nameof(EmittableNetworks);
    public const string ReadWeightsFiles = nameof(ReadWeightsFiles);
    public const string BindWeights = nameof(BindWeights);
    public const string BrokenNetworks = nameof(BrokenNetworks);
    public const string MismatchedWeights = nameof(MismatchedWeights);
}
