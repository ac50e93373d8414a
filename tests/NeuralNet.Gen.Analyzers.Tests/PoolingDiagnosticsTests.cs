using Microsoft.CodeAnalysis;
using Xunit;
using static NeuralNet.Gen.Analyzers.Tests.Harness;

namespace NeuralNet.Gen.Analyzers.Tests;

/// <summary>MaxPool1D, AveragePool1D, AveragePool2D, GlobalAveragePool, GlobalMaxPool: NNG0004 and NNG0005 at the argument at fault, with what was expected and found.</summary>
public sealed class PoolingDiagnosticsTests
{
    private static AnalysisRun Net(string attributes) => Run(Usings + attributes + "\npublic partial class Net { }");

    [Fact]
    public void ValidPooledNetworksHaveNoDiagnosticAndAreGenerated()
    {
        var run = Net("[Network, Input(12, 3), Dense(4, Relu), MaxPool1D(3, Stride = 2), AveragePool1D(2), GlobalMaxPool, Dense(2, Softmax), Loss(LossFunction.CategoricalCrossEntropy)]");
        Assert.Empty(run.Nng);
        Assert.Empty(run.CompilerErrors);
        Assert.Equal(1, run.GeneratedFiles);
        run = Net("[Network, Input(8, 8, 1), Conv2D(4, 3, Relu), AveragePool2D(2, Stride = 1), GlobalAveragePool, Dense(1), Loss(LossFunction.MeanSquaredError)]");
        Assert.Empty(run.Nng);
        Assert.Empty(run.CompilerErrors);
        Assert.Equal(1, run.GeneratedFiles);
    }

    [Fact]
    public void AWindowAsLongAsTheInput_IsAccepted()
    {
        var run = Net("[Network, Input(4, 2), MaxPool1D(4), Flatten, Dense(1)]");
        Assert.Empty(run.Nng);
        run = Net("[Network, Input(3, 5, 2), AveragePool2D(3, Stride = 9), Flatten, Dense(1)]");
        Assert.Empty(run.Nng);
    }

    [Theory]
    [InlineData("[Network, Input(6, 2), MaxPool1D(0), Flatten, Dense(1)]", "0", "MaxPool1D pool size must be positive, but it is 0")]
    [InlineData("[Network, Input(6, 2), AveragePool1D(2, Stride = 0), Flatten, Dense(1)]", "Stride = 0", "AveragePool1D stride must be positive, but it is 0")]
    [InlineData("[Network, Input(4, 4, 1), AveragePool2D(-2), Flatten, Dense(1)]", "-2", "AveragePool2D pool size must be positive, but it is -2")]
    [InlineData("[Network, Input(4, 4, 1), AveragePool2D(2, Stride = -1), Flatten, Dense(1)]", "Stride = -1", "AveragePool2D stride must be positive, but it is -1")]
    public void OutOfRange_IsReportedAtTheArgument(string attributes, string argument, string message)
    {
        var d = Single(Net(attributes), "NNG0004");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(argument, TextAt(d));
        Assert.Equal(message, d.GetMessage());
    }

    [Theory]
    [InlineData("[Network, Input(5, 3), Dense(4), MaxPool1D(6), Flatten, Dense(1)]", "6",
        "MaxPool1D pool 6 steps is larger than its input a sequence of 5 steps x 4 from 'Dense(4)'; use a pool of at most 5")]
    [InlineData("[Network, Input(6, 6, 2), Conv2D(3, 3), AveragePool2D(5), Flatten, Dense(1)]", "5",
        "AveragePool2D pool 5x5 is larger than its input an image of 4x4x3 from 'Conv2D(3, 3)'; use a pool of at most 4")]
    [InlineData("[Network, Input(8), AveragePool1D(2), Dense(1)]", "AveragePool1D(2)",
        "AveragePool1D expects a sequence (steps x features) input but the previous layer 'Input(8)' outputs a vector of 8; declare [Input(steps, features)]")]
    [InlineData("[Network, Input(6, 6, 1), MaxPool1D(2), Flatten, Dense(1)]", "MaxPool1D(2)",
        "MaxPool1D expects a sequence (steps x features) input but the previous layer 'Input(6, 6, 1)' outputs an image of 6x6x1; use AveragePool2D or MaxPool2D on an image")]
    [InlineData("[Network, Input(6, 3), AveragePool2D(2), Flatten, Dense(1)]", "AveragePool2D(2)",
        "AveragePool2D expects a height x width x channels image input but the previous layer 'Input(6, 3)' outputs a sequence of 6 steps x 3; use AveragePool1D on a sequence")]
    [InlineData("[Network, Input(6, 3), Flatten, GlobalAveragePool, Dense(1)]", "GlobalAveragePool",
        "GlobalAveragePool expects a sequence (steps x features) or a height x width x channels input but the previous layer 'Flatten' outputs a vector of 18; remove [GlobalAveragePool] or place it before the [Flatten]")]
    [InlineData("[Network, Input(4), GlobalMaxPool, Dense(1)]", "GlobalMaxPool",
        "GlobalMaxPool expects a sequence (steps x features) or a height x width x channels input but the previous layer 'Input(4)' outputs a vector of 4; remove [GlobalMaxPool] or place it before the [Flatten]")]
    public void ShapeMismatch_IsReportedWithBothShapes(string attributes, string at, string message)
    {
        var d = Single(Net(attributes), "NNG0005");
        Assert.Equal(at, TextAt(d));
        Assert.Equal(message, d.GetMessage());
    }

    // Output sides by Keras's formula, worked by hand: floor((n - p) / s) + 1; global pools keep the channels.
    [Theory]
    [InlineData("Input(9, 3), MaxPool1D(3, Stride = 2), Conv2D(1, 1)", "MaxPool1D(3, Stride = 2)", "4 steps x 3")]
    [InlineData("Input(7, 2), AveragePool1D(2), Conv2D(1, 1)", "AveragePool1D(2)", "3 steps x 2")]
    [InlineData("Input(7, 8, 2), AveragePool2D(3, Stride = 2), GRU(2)", "AveragePool2D(3, Stride = 2)", "3x3x2")]
    public void OutputShapes_FollowTheWindows(string layers, string previous, string shape)
    {
        var d = Single(Net($"[Network, {layers}]"), "NNG0005");
        Assert.Contains($"the previous layer '{previous}' outputs", d.GetMessage());
        Assert.Contains(shape, d.GetMessage());
    }

    [Fact]
    public void GlobalPools_OutputOneValuePerChannel()
    {
        var d = Single(Net("[Network, Input(5, 5, 7), GlobalAveragePool, Flatten]"), "NNG0005");
        Assert.Contains("'GlobalAveragePool' already outputs a vector of 7", d.GetMessage());
    }
}
