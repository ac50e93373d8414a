using Xunit;
using static NeuralNet.Gen.Analyzers.Tests.Harness;

namespace NeuralNet.Gen.Analyzers.Tests;

/// <summary>[Activation] and [LayerNorm]: valid on every shape, NNG0004 and NNG0006 at the argument at fault.</summary>
public sealed class NormalizationDiagnosticsTests
{
    private static AnalysisRun Net(string attributes) => Run(Usings + attributes + "\npublic partial class Net { }");

    [Theory]
    [InlineData("[Network, Input(8, 8, 2), Conv2D(4, 3), BatchNorm, Activation(Relu), Flatten, Dense(3), Activation(Softmax), Loss(LossFunction.CategoricalCrossEntropy)]")]
    [InlineData("[Network, Input(5, 3), GRU(4, ReturnSequences = true), Activation(Gelu), Dense(2), Activation(Sigmoid), Loss(LossFunction.BinaryCrossEntropy)]")]
    [InlineData("[Network, Input(3), Activation(HardSwish), Dense(2), Activation(Linear), Loss(LossFunction.MeanSquaredError)]")]
    public void ActivationLayersOnEveryShapeAreClean(string attributes)
    {
        var run = Net(attributes);
        Assert.Empty(run.Nng);
        Assert.Empty(run.CompilerErrors);
        Assert.Equal(1, run.GeneratedFiles);
    }

    [Fact]
    public void UndefinedActivation_IsNng0004AtTheArgument()
    {
        var d = Single(Net("[Network, Input(3), Dense(2), Activation((Activation)42)]"), "NNG0004");
        Assert.Equal("(Activation)42", TextAt(d));
        Assert.Contains("42 is not a defined Activation value", d.GetMessage());
    }

    [Fact]
    public void HiddenSoftmaxActivation_IsNng0007AtItsArgument()
    {
        var d = Single(Net("[Network, Input(3), Dense(4), Activation(Softmax), Dense(2)]"), "NNG0007");
        Assert.Equal("Softmax", TextAt(d));
    }

    [Fact]
    public void CategoricalCrossEntropyOnAnImageSoftmax_IsNng0006()
    {
        var d = Single(Net("[Network, Input(4, 4, 1), Conv2D(3, 3), Activation(Softmax), Loss(LossFunction.CategoricalCrossEntropy)]"), "NNG0006");
        Assert.Contains("expects a Softmax output layer of 2 or more units", d.GetMessage());
    }
}
