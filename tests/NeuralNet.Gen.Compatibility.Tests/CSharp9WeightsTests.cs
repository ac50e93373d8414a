using Xunit;

namespace NeuralNet.Gen.Compatibility.Tests;

/// <summary>A network with [Weights] baked in compiles as C# 9 against the runtime's netstandard2.1 build (Unity).</summary>
public class CSharp9WeightsTests
{
    [Theory]
    [InlineData("Single")]
    [InlineData("Double")]
    public void A_baked_network_compiles_as_CSharp9_against_netstandard21(string precision)
    {
        var source = $$"""
            using NeuralNet.Gen;
            namespace Game
            {
                [Network(Precision = Precision.{{precision}})]
                [Input(2)] [Dense(2, Activation.Tanh)] [Dense(1)]
                [Loss(LossFunction.MeanSquaredError)]
                [Weights("xor.json")]
                public partial class Net { }
            }
            """;
        const string json = """{"layers": [{"type": "dense", "activation": "tanh", "weights": [[[2.5, -2.5], [2.5, -2.5]], [-1.0, 3.5]]}, {"type": "dense", "weights": [[[1.0], [1.0]], [-1.5]]}]}""";
        var run = NetStandard21.Generate("Baked" + precision, source, new AdditionalFile("/game/xor.json", json));
        Assert.Empty(run.Diagnostics);
        var generated = Assert.Single(run.Driver.GetRunResult().GeneratedTrees);
        Assert.Contains("TrainedParameterData", generated.ToString());
        RoslynHarness.AssertNoProblems(run.Output);
    }
}
