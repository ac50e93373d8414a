using System.Linq;
using Xunit;
using static NeuralNet.Gen.Analyzers.Tests.Harness;

namespace NeuralNet.Gen.Analyzers.Tests;

/// <summary>Names, Add and Concatenate: NNG0013 and NNG0005 at the argument at fault, with what was expected and found.</summary>
public sealed class MergeDiagnosticsTests
{
    private static AnalysisRun Net(string attributes) => Run(Usings + attributes + "\npublic partial class Net { }");

    [Fact]
    public void ValidResidualNetworksHaveNoDiagnosticAndAreGenerated()
    {
        var run = Net("[Network, Input(8, 8, 2), Conv2D(4, 3, Relu, Padding = Padding.Same, Name = \"stem\"), Conv2D(4, 3, Padding = Padding.Same), BatchNorm(Name = \"bn\"), Add(\"stem\"), Concatenate(\"input\"), Flatten, Dense(3, Softmax), Loss(LossFunction.CategoricalCrossEntropy)]");
        Assert.Empty(run.Nng);
        Assert.Empty(run.CompilerErrors);
        Assert.Equal(1, run.GeneratedFiles);
    }

    [Fact]
    public void DuplicateName_IsReportedAtTheSecondName()
    {
        var d = Single(Net("[Network, Input(2), Dense(4, Name = \"h\"), Dense(4, Name = \"h\"), Dense(1)]"), "NNG0013");
        Assert.Equal("Name = \"h\"", TextAt(d));
        Assert.Contains("already used by layer 1 (Dense(4))", d.GetMessage());
    }

    [Fact]
    public void InputIsAReservedName()
    {
        var d = Single(Net("[Network, Input(2), Dense(4, Name = \"input\"), Dense(1)]"), "NNG0013");
        Assert.Equal("Name = \"input\"", TextAt(d));
        Assert.Contains("reserved", d.GetMessage());
    }

    [Theory]
    [InlineData("[Network, Input(4), Dense(4, Name = \"a\"), Add(\"b\"), Dense(4, Name = \"b\")]", "a forward reference")]
    [InlineData("[Network, Input(4), Dense(4), Add(\"self\", Name = \"self\"), Dense(1)]", "(a cycle)")]
    [InlineData("[Network, Input(4), Dense(4), Concatenate(\"nowhere\"), Dense(1)]", "which no layer is named")]
    public void ReferenceToNoEarlierLayer_IsReportedAtTheArgument(string attributes, string found)
    {
        var d = Single(Net(attributes), "NNG0013");
        Assert.StartsWith("\"", TextAt(d));
        Assert.Contains("expected one of \"input\"", d.GetMessage());
        Assert.Contains(found, d.GetMessage());
    }

    [Fact]
    public void AddOfUnequalShapes_IsNng0005AtTheArgument()
    {
        var d = Single(Net("[Network, Input(4), Dense(3, Name = \"h\"), Dense(5), Add(\"h\"), Dense(1)]"), "NNG0005");
        Assert.Equal("\"h\"", TextAt(d));
        Assert.Contains("to give 5 as Dense(5) does, found 3", d.GetMessage());
    }

    [Fact]
    public void ConcatenateOfOtherPositions_IsNng0005AtTheArgument()
    {
        var d = Single(Net("[Network, Input(6, 6, 1), Conv2D(2, 3, Name = \"c\"), Conv2D(2, 3), Concatenate(\"c\"), Flatten, Dense(1)]"), "NNG0005");
        Assert.Equal("\"c\"", TextAt(d));
        Assert.Contains("expected \"c\" (Conv2D(2, 3)) to give 2x2x2 (any last axis)", d.GetMessage());
        Assert.Contains("found 4x4x2", d.GetMessage());
    }

    [Fact]
    public void ConcatenateOfVectorAndImage_IsNng0005()
    {
        var d = Single(Net("[Network, Input(3, 3, 1), Flatten, Concatenate(\"input\"), Dense(1)]"), "NNG0005");
        Assert.Contains("found 3x3x1", d.GetMessage());
    }

    [Fact]
    public void ALayerAfterABrokenNamedLayerGetsNoSecondFinding()
    {
        var run = Net("[Network, Input(4), Dense(0, Name = \"h\"), Add(\"h\"), Dense(1)]");
        Assert.Equal(new[] { "NNG0004" }, run.Nng.Select(d => d.Id).ToArray());
    }
}
