using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;
using static NeuralNet.Gen.Analyzers.Tests.Harness;

namespace NeuralNet.Gen.Analyzers.Tests;

/// <summary>Each architecture diagnostic: where it points, what it says, and the valid network next to it that gets none.</summary>
public sealed class NetworkAnalyzerTests
{
    private static AnalysisRun Net(string attributes, string declaration = "public partial class Net { }") =>
        Run(Usings + attributes + "\n" + declaration);

    private static void AssertClean(AnalysisRun run)
    {
        Assert.Empty(run.Nng);
        Assert.Empty(run.CompilerErrors);
    }

    [Fact]
    public void ValidDenseNetworkHasNoDiagnosticAndIsGenerated()
    {
        var run = Net("[Network, Input(2), Dense(4, Relu), Dense(1, Sigmoid), Loss(LossFunction.BinaryCrossEntropy), Optimizer(OptimizerKind.Adam, LearningRate = 0.01f)]");
        AssertClean(run);
        Assert.Equal(1, run.GeneratedFiles);
    }

    [Fact]
    public void ValidConvolutionNetworkHasNoDiagnostic()
    {
        AssertClean(Net("[Network, Input(28, 28, 1), Conv2D(8, 3, Relu), MaxPool2D(2), Conv2D(4, 3, Relu, Padding = Padding.Same, Stride = 2), Flatten, Dropout(0.25f), Dense(10, Softmax), Loss(LossFunction.CategoricalCrossEntropy)]"));
    }

    [Fact]
    public void NotPartial_IsReportedAtTheClassName()
    {
        var d = Single(Net("[Network, Input(2), Dense(1)]", "public class Net { }"), "NNG0001");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("Net", TextAt(d));
        Assert.Contains("must be declared partial", d.GetMessage());
        Assert.EndsWith("docs/diagnostics/NNG0001.md", d.Descriptor.HelpLinkUri);
    }

    [Fact]
    public void MissingInput_IsReportedAtTheClassName()
    {
        var d = Single(Net("[Network, Dense(1)]"), "NNG0002");
        Assert.Equal("Net", TextAt(d));
        Assert.Contains("has no [Input]", d.GetMessage());
    }

    [Fact]
    public void InputAfterALayer_IsReportedAtTheInputAttribute()
    {
        var run = Net("[Network]\n[Dense(3, Relu)]\n[Input(2)]\n[Dense(1)]");
        var d = Single(run, "NNG0002");
        Assert.Equal("Input(2)", TextAt(d));
        Assert.Equal("[Input] must be the first layer, but it comes after 'Dense(3, Relu)'; move it before every other layer", d.GetMessage());
        Assert.Equal("Dense(3, Relu)", d.AdditionalLocations.Single().SourceTree!.GetText().ToString(d.AdditionalLocations.Single().SourceSpan));
        Assert.Single(run.Nng);
        Assert.Equal(1, run.GeneratedFiles); // only the public surface, whose members throw naming NNG0002
    }

    [Fact]
    public void TwoInputs_AreReportedAtTheSecond()
    {
        var d = Single(Net("[Network, Input(2), Input(3), Dense(1)]"), "NNG0002");
        Assert.Equal("Input(3)", TextAt(d));
        Assert.Contains("two [Input]", d.GetMessage());
    }

    [Fact]
    public void NoLayerAfterInput_IsReportedAtTheInput()
    {
        var d = Single(Net("[Network, Input(2), Loss(LossFunction.MeanSquaredError)]"), "NNG0003");
        Assert.Equal("Input(2)", TextAt(d));
        AssertClean(Net("[Network, Input(2), Dense(1), Loss(LossFunction.MeanSquaredError)]"));
    }

    [Theory]
    [InlineData("[Network, Input(2), Dense(0)]", "0", "Dense units must be positive, but it is 0")]
    [InlineData("[Network, Input(2), Dense(units: -3, activation: Relu)]", "units: -3", "Dense units must be positive, but it is -3")]
    [InlineData("[Network, Input(0)]\n[Dense(1)]", "0", "Input sizes must be positive, but the size is 0")]
    [InlineData("[Network, Input(4, -4, 1), Conv2D(2, 2), Flatten, Dense(1)]", "-4", "Input sizes must be positive, but the width is -4")]
    [InlineData("[Network, Input(4, 4, 1), Conv2D(2, 0), Flatten, Dense(1)]", "0", "Conv2D kernel size must be positive, but it is 0")]
    [InlineData("[Network, Input(4, 4, 1), Conv2D(2, 2, Stride = 0), Flatten, Dense(1)]", "Stride = 0", "Conv2D stride must be positive, but it is 0")]
    [InlineData("[Network, Input(4, 4, 1), MaxPool2D(-1), Flatten, Dense(1)]", "-1", "MaxPool2D pool size must be positive, but it is -1")]
    [InlineData("[Network, Input(4, 4, 1), MaxPool2D(2, Stride = -2), Flatten, Dense(1)]", "Stride = -2", "MaxPool2D stride must be positive, but it is -2")]
    [InlineData("[Network, Input(2), Dropout(1f), Dense(1)]", "1f", "Dropout rate must be in [0, 1), but it is 1")]
    [InlineData("[Network, Input(2), Dropout(-0.5f), Dense(1)]", "-0.5f", "Dropout rate must be in [0, 1), but it is -0.5")]
    [InlineData("[Network, Input(2), Dense(1, (Activation)42)]", "(Activation)42", "42 is not a defined Activation value; use one of Linear, Relu, LeakyRelu, Sigmoid, Tanh, Softmax, Elu, Gelu, Swish, Softplus, Relu6, HardSigmoid, HardSwish, Mish, Selu")]
    [InlineData("[Network, Input(2), Dense(1), Loss((LossFunction)9)]", "(LossFunction)9", "9 is not a defined LossFunction value; use one of MeanSquaredError, MeanAbsoluteError, Huber, BinaryCrossEntropy, CategoricalCrossEntropy, SparseCategoricalCrossEntropy")]
    [InlineData("[Network, Input(2), Dense(1, WeightInit = (WeightInit)7)]", "WeightInit = (WeightInit)7", "7 is not a defined WeightInit value; use one of GlorotUniform, GlorotNormal, HeUniform, HeNormal, Normal, Zeros")]
    [InlineData("[Network, Input(2), BatchNorm(Momentum = 1.5), Dense(1)]", "Momentum = 1.5", "BatchNorm Momentum must be in [0, 1], but it is 1.5")]
    [InlineData("[Network, Input(4, 4, 1), BatchNorm(Epsilon = 0), Flatten, Dense(1)]", "Epsilon = 0", "BatchNorm Epsilon must be positive, but it is 0")]
    [InlineData("[Network, Input(4, 2), GRU(0), Dense(1)]", "0", "GRU units must be positive, but it is 0")]
    [InlineData("[Network, Input(4, 2), LSTM(-3), Dense(1)]", "-3", "LSTM units must be positive, but it is -3")]
    [InlineData("[Network, Input(4, 2), SimpleRNN(0, Tanh), Dense(1)]", "0", "SimpleRNN units must be positive, but it is 0")]
    [InlineData("[Network, Input(4, 2), SimpleRNN(3, Softmax), Dense(1)]", "Softmax", "SimpleRNN applies its activation to each unit of its state: Softmax is not one; use Tanh or another element-wise activation")]
    [InlineData("[Network, Input(50000), Dense(50000)]", "50000", "Dense(50000) on 50000 inputs brings the network to more than 2147483647 parameters; use fewer units")]
    [InlineData("[Network, Input(8, 2), Conv1D(0, 3), Flatten, Dense(1)]", "0", "Conv1D filters must be positive, but it is 0")]
    [InlineData("[Network, Input(8, 2), Conv1D(4, -1), Flatten, Dense(1)]", "-1", "Conv1D kernel size must be positive, but it is -1")]
    [InlineData("[Network, Input(8, 2), Conv1D(4, 3, Stride = 0), Flatten, Dense(1)]", "Stride = 0", "Conv1D stride must be positive, but it is 0")]
    [InlineData("[Network, Input(8, 2), Conv1D(4, 3, Dilation = -2), Flatten, Dense(1)]", "Dilation = -2", "Conv1D dilation must be positive, but it is -2")]
    [InlineData("[Network, Input(4, 4, 1), Conv2D(2, 3, Padding = Padding.Causal), Flatten, Dense(1)]", "Padding = Padding.Causal", "Conv2D padding must be Valid or Same, but it is Causal (Causal is for Conv1D over a sequence)")]
    public void OutOfRange_IsReportedAtTheArgument(string attributes, string argument, string message)
    {
        var d = Single(Net(attributes), "NNG0004");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(argument, TextAt(d).Split('\n')[0]);
        Assert.Equal(message, d.GetMessage());
    }

    [Fact]
    public void InRangeEdgeValues_AreAccepted()
    {
        AssertClean(Net("[Network, Input(4, 4, 1), Conv2D(1, 4), MaxPool2D(1, Stride = 1), Flatten, Dropout(0f), Dense(1)]"));
        AssertClean(Net("[Network, Input(1), Dropout(0.999f), Dense(1, WeightInit = WeightInit.Zeros)]"));
        AssertClean(Net("[Network, Input(3, 2), BatchNorm(Momentum = 0, Epsilon = 1e-12), Flatten, Dense(1)]"));
        AssertClean(Net("[Network, Input(4, 4, 1), BatchNorm(Momentum = 1f), Flatten, BatchNorm, Dense(1)]"));
    }

    [Fact]
    public void Conv1D_OnASequence_IsAcceptedWithEveryPadding()
    {
        AssertClean(Net("[Network, Input(6, 2), Conv1D(4, 3, Dilation = 2, Padding = Padding.Valid), Flatten, Dense(1)]")); // spans 5 of 6 steps
        AssertClean(Net("[Network, Input(2, 2), Conv1D(4, 5, Stride = 3, Padding = Padding.Same), Flatten, Dense(1)]"));
        AssertClean(Net("[Network, Input(2, 1), Conv1D(4, 3, Tanh, Padding = Padding.Causal, Dilation = 4, UseBias = false), GRU(3), Dense(1)]"));
    }

    [Fact]
    public void PerStepDenseAndDropout_OnASequence_AreAccepted()
    {
        AssertClean(Net("[Network, Input(4, 3), Dense(5, Tanh), Dropout(0.5f), Dense(2, Softmax), Loss(LossFunction.CategoricalCrossEntropy)]"));
        AssertClean(Net("[Network, Input(4, 3), Dense(5), Flatten, Dense(1)]"));
    }

    [Theory]
    [InlineData("[Network]\n[Input(28, 28, 1)]\n[Conv2D(8, 3)]\n[Dense(10)]", "Dense(10)",
        "Dense expects a vector input but the previous layer 'Conv2D(8, 3)' outputs 26x26x8; add [Flatten] before it")]
    [InlineData("[Network]\n[Input(4, 4, 1)]\n[Conv2D(8, 5)]", "5",
        "Conv2D kernel 5x5 is larger than its input 4x4x1 from 'Input(4, 4, 1)'; use a kernel of at most 4 or Padding = Padding.Same")]
    [InlineData("[Network]\n[Input(8)]\n[Conv2D(8, 3, Relu)]", "Conv2D(8, 3, Relu)",
        "Conv2D expects a height x width x channels input but the previous layer 'Input(8)' outputs a vector of 8; use [Input(height, width, channels)]")]
    [InlineData("[Network]\n[Input(8)]\n[Dense(4)]\n[MaxPool2D(2)]", "MaxPool2D(2)",
        "MaxPool2D expects a height x width x channels input but the previous layer 'Dense(4)' outputs a vector of 4")]
    [InlineData("[Network]\n[Input(6, 6, 2)]\n[Conv2D(4, 3, Stride = 2)]\n[MaxPool2D(3)]", "3",
        "MaxPool2D pool 3x3 is larger than its input 2x2x4 from 'Conv2D(4, 3)'; use a pool of at most 2")]
    [InlineData("[Network]\n[Input(8)]\n[Flatten]\n[Dense(1)]", "Flatten",
        "Flatten expects a sequence or a height x width x channels input but the previous layer 'Input(8)' already outputs a vector of 8; remove [Flatten]")]
    [InlineData("[Network]\n[Input(5, 5, 1)]\n[Conv2D(2, 3)]\n[Dropout(0.5f)]\n[Dense(1)]", "Dense(1)",
        "Dense expects a vector input but the previous layer 'Dropout(0.5)' outputs 3x3x2; add [Flatten] before it")]
    [InlineData("[Network]\n[Input(8)]\n[GRU(4)]\n[Dense(1)]", "GRU(4)",
        "GRU expects a sequence (steps x features) input but the previous layer 'Input(8)' outputs a vector of 8; declare [Input(steps, features)] or give the recurrent layer before it ReturnSequences = true")]
    [InlineData("[Network]\n[Input(5, 3)]\n[LSTM(4)]\n[SimpleRNN(2)]", "SimpleRNN(2)",
        "SimpleRNN expects a sequence (steps x features) input but the previous layer 'LSTM(4)' outputs a vector of 4; declare [Input(steps, features)] or give the recurrent layer before it ReturnSequences = true")]
    [InlineData("[Network]\n[Input(4, 4, 1)]\n[LSTM(3)]\n[Dense(1)]", "LSTM(3)",
        "LSTM expects a sequence (steps x features) input but the previous layer 'Input(4, 4, 1)' outputs 4x4x1; declare [Input(steps, features)] or give the recurrent layer before it ReturnSequences = true")]
    [InlineData("[Network]\n[Input(8)]\n[Conv1D(4, 3)]\n[Flatten]\n[Dense(1)]", "Conv1D(4, 3)",
        "Conv1D expects a sequence (steps x features) input but the previous layer 'Input(8)' outputs a vector of 8; declare [Input(steps, features)] (or use Conv2D on an image)")]
    [InlineData("[Network]\n[Input(6, 6, 1)]\n[Conv1D(4, 3, Relu)]\n[Flatten]\n[Dense(1)]", "Conv1D(4, 3, Relu)",
        "Conv1D expects a sequence (steps x features) input but the previous layer 'Input(6, 6, 1)' outputs an image 6x6x1; declare [Input(steps, features)] (or use Conv2D on an image)")]
    [InlineData("[Network]\n[Input(4, 2)]\n[Conv1D(4, 5)]\n[Flatten]\n[Dense(1)]", "5",
        "Conv1D kernel 5 is longer than its input of 4 steps from 'Input(4, 2)'; use a kernel spanning at most 4 steps, or Padding = Padding.Same or Padding.Causal")]
    [InlineData("[Network]\n[Input(6, 2)]\n[Conv1D(4, 3, Dilation = 3)]\n[Flatten]\n[Dense(1)]", "3",
        "Conv1D kernel 3 with dilation 3 spans 7 steps, which is longer than its input of 6 steps from 'Input(6, 2)'; use a kernel spanning at most 6 steps, or Padding = Padding.Same or Padding.Causal")]
    [InlineData("[Network]\n[Input(9, 2)]\n[Conv1D(4, 3, Stride = 2)]\n[Flatten]\n[Conv1D(2, 2)]", "Conv1D(2, 2)",
        "Conv1D expects a sequence (steps x features) input but the previous layer 'Flatten' outputs a vector of 16; declare [Input(steps, features)] (or use Conv2D on an image)")]
    public void ShapeMismatch_IsReportedWithBothShapes(string attributes, string at, string message)
    {
        var d = Single(Net(attributes), "NNG0005");
        Assert.Equal(at, TextAt(d));
        Assert.Equal(message, d.GetMessage());
    }

    // Output shapes by Keras's formulas, worked by hand: valid floor((n - k) / s) + 1, same ceil(n / s), pool floor((n - p) / s) + 1.
    [Theory]
    [InlineData("Input(28, 28, 1), Conv2D(8, 3, Stride = 2), MaxPool2D(2)", "MaxPool2D(2)", "6x6x8")]             // 13 -> 6
    [InlineData("Input(28, 28, 1), Conv2D(8, 3, Stride = 2, Padding = Padding.Same)", "Conv2D(8, 3)", "14x14x8")] // ceil(28 / 2)
    [InlineData("Input(7, 9, 3), Conv2D(4, 2, Relu, Stride = 3)", "Conv2D(4, 2, Relu)", "2x3x4")]                 // 5/3+1 = 2, 7/3+1 = 3
    [InlineData("Input(10, 10, 2), MaxPool2D(3, Stride = 1), Conv2D(5, 4)", "Conv2D(5, 4)", "5x5x5")]           // 8, then 5
    [InlineData("Input(5, 5, 3), Conv2D(2, 3, Padding = Padding.Same), Dropout(0.2f)", "Dropout(0.2)", "5x5x2")]
    public void ShapesAreInferredThroughEveryLayer(string layers, string previous, string shape)
    {
        var d = Single(Net($"[Network, {layers}, Dense(3)]"), "NNG0005");
        Assert.Equal($"Dense expects a vector input but the previous layer '{previous}' outputs {shape}; add [Flatten] before it", d.GetMessage());
    }

    [Fact]
    public void FlattenGivesTheProductOfTheShape()
    {
        // 5x5x2 flattened is 50 inputs for the Dense layer: 50*3 + 3 = 153 parameters, but the generator does not emit
        // convolution networks yet, so the check is that a later rank-1 mistake names the flattened vector.
        var d = Single(Net("[Network, Input(5, 5, 3), Conv2D(2, 3, Padding = Padding.Same), Flatten, MaxPool2D(2)]"), "NNG0005");
        Assert.Equal("MaxPool2D expects a height x width x channels input but the previous layer 'Flatten' outputs a vector of 50", d.GetMessage());
    }

    [Fact]
    public void SamePaddingAllowsAKernelLargerThanTheInput()
    {
        AssertClean(Net("[Network, Input(4, 4, 1), Conv2D(8, 5, Padding = Padding.Same), Flatten, Dense(2)]"));
    }

    [Theory]
    [InlineData("[Network, Input(2), Dense(1, Relu), Loss(LossFunction.BinaryCrossEntropy)]",
        "BinaryCrossEntropy expects a Sigmoid output layer, but the output layer is 'Dense(1, Relu)'; use Activation.Sigmoid on it")]
    [InlineData("[Network, Input(2), Dense(3), Loss(LossFunction.CategoricalCrossEntropy)]",
        "CategoricalCrossEntropy expects a Softmax output layer of 2 or more units, but the output layer is 'Dense(3)'; use Activation.Softmax on it")]
    [InlineData("[Network, Input(2), Dense(1, Softmax), Loss(LossFunction.CategoricalCrossEntropy)]",
        "CategoricalCrossEntropy expects a Softmax output layer of 2 or more units, but the output layer is 'Dense(1, Softmax)'; give it 2 or more units and Activation.Softmax")]
    [InlineData("[Network, Input(2), Dense(4, Sigmoid), Loss(LossFunction.SparseCategoricalCrossEntropy)]",
        "SparseCategoricalCrossEntropy expects a Softmax output layer of 2 or more units, but the output layer is 'Dense(4, Sigmoid)'; use Activation.Softmax on it")]
    [InlineData("[Network, Input(5, 2), Dense(3, Softmax), Loss(LossFunction.SparseCategoricalCrossEntropy)]",
        "SparseCategoricalCrossEntropy takes one class index per sample, but the output is a sequence (5 steps of 3 classes); use CategoricalCrossEntropy with one-hot targets for each step, or end the network with one vector output")]
    public void LossMismatch_IsReportedAtTheLossArgument(string attributes, string message)
    {
        var run = Net(attributes);
        var d = Single(run, "NNG0006");
        Assert.StartsWith("LossFunction.", TextAt(d));
        Assert.Equal(message, d.GetMessage());
        Assert.StartsWith("Dense(", d.AdditionalLocations.Single().SourceTree!.GetText().ToString(d.AdditionalLocations.Single().SourceSpan));
    }

    [Fact]
    public void MatchingLosses_AreAccepted()
    {
        AssertClean(Net("[Network, Input(2), Dense(3, Softmax), Loss(LossFunction.SparseCategoricalCrossEntropy)]"));
        AssertClean(Net("[Network, Input(2), Dense(1, Sigmoid), Loss(LossFunction.BinaryCrossEntropy)]"));
        AssertClean(Net("[Network, Input(2), Dense(3, Softmax), Loss(LossFunction.CategoricalCrossEntropy)]"));
        AssertClean(Net("[Network, Input(2), Dense(3, Tanh), Loss(LossFunction.Huber)]"));
    }

    [Fact]
    public void SoftmaxOnAHiddenLayer_IsAWarningAtTheActivation()
    {
        var run = Net("[Network, Input(2), Dense(4, Softmax), Dense(2)]");
        var d = Single(run, "NNG0007");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal("Softmax", TextAt(d));
        Assert.Contains("hidden layer 'Dense(4, Softmax)'", d.GetMessage());
        Assert.Equal(1, run.GeneratedFiles); // a warning does not stop generation
        Assert.Empty(run.CompilerErrors);
    }

    [Fact]
    public void SoftmaxOnOneUnit_IsAWarning()
    {
        var d = Single(Net("[Network, Input(2), Dense(1, Softmax)]"), "NNG0007");
        Assert.Contains("single unit always outputs 1", d.GetMessage());
        // Softmax followed by Dropout is still the output layer for NNG0007 (the Dropout itself is hint NNG0024).
        var dropoutAfter = Net("[Network, Input(2), Dense(2, Softmax), Dropout(0.1f)]");
        Assert.Equal(new[] { "NNG0024" }, dropoutAfter.Nng.Select(d => d.Id));
        Assert.Empty(dropoutAfter.CompilerErrors);
    }

    [Fact]
    public void LayersOnTwoPartialDeclarations_AreReportedAtTheFirstForeignAttribute()
    {
        var run = Run(Usings + "[Network, Input(2), Dense(3)] public partial class Net { }",
            Usings + "[Dense(1)] public partial class Net { }");
        var d = Single(run, "NNG0008");
        Assert.Equal("Dense(1)", TextAt(d));
        Assert.Equal("Test1.cs", d.Location.SourceTree!.FilePath);
        Assert.Equal(0, run.GeneratedFiles);
    }

    [Fact]
    public void OtherPartialDeclarationsWithoutLayers_AreFine()
    {
        var run = Run(Usings + "[Network, Input(2), Dense(1)] public partial class Net { }",
            Usings + "[System.Obsolete] public partial class Net { public int Extra => InputSize; }");
        Assert.Empty(run.Nng);
        Assert.DoesNotContain(run.CompilerErrors, _ => true);
    }

    [Theory]
    [InlineData("public partial class Net<T> { }", "Network class 'Net' is generic")]
    [InlineData("public partial class Outer<T> { [Network, Input(2), Dense(1)] public partial class Net { } }", "nested in generic type 'Outer'")]
    public void GenericNetworks_AreReportedAtTheClassName(string declaration, string message)
    {
        var run = declaration.Contains("Outer") ? Run(Usings + declaration) : Net("[Network, Input(2), Dense(1)]", declaration);
        var d = Single(run, "NNG0010");
        Assert.Equal("Net", TextAt(d));
        Assert.Contains(message, d.GetMessage());
        Assert.Equal(0, run.GeneratedFiles);
    }

    [Theory]
    [InlineData("public static partial class Net { }", "Network class 'Net' is static, but a network has instance members (parameters, Forward); remove 'static'")]
    [InlineData("public partial record Net { }", "Network 'Net' is a record; the generator writes a partial class, so declare it as 'partial class Net'")]
    public void StaticAndRecordNetworks_AreReportedAtTheName(string declaration, string message)
    {
        var run = Net("[Network, Input(2), Dense(1)]", declaration);
        var d = Single(run, "NNG0010");
        Assert.Equal("Net", TextAt(d));
        Assert.Equal(message, d.GetMessage());
        Assert.Equal(0, run.GeneratedFiles);
        Assert.Empty(run.CompilerErrors);
    }

    [Fact]
    public void NestedInANonGenericType_IsGenerated()
    {
        var run = Run(Usings + "public partial class Outer { [Network, Input(2), Dense(1)] public partial class Net { } }");
        Assert.Empty(run.Nng);
        Assert.Empty(run.CompilerErrors);
        Assert.Equal(1, run.GeneratedFiles);
    }

    [Theory]
    [InlineData("LearningRate = 0f", "LearningRate must be positive and finite, but it is 0")]
    [InlineData("LearningRate = -0.1f", "LearningRate must be positive and finite, but it is -0.1")]
    [InlineData("Beta1 = 1f", "Beta1 must be in [0, 1), but it is 1")]
    [InlineData("Beta2 = -0.5f", "Beta2 must be in [0, 1), but it is -0.5")]
    [InlineData("Momentum = 1.5f", "Momentum must be in [0, 1), but it is 1.5")]
    [InlineData("Epsilon = 0f", "Epsilon must be positive and finite, but it is 0")]
    [InlineData("WeightDecay = -1f", "WeightDecay must be zero or positive and finite, but it is -1")]
    [InlineData("LearningRate = float.PositiveInfinity", "LearningRate must be positive and finite, but it is Infinity")]
    public void OptimizerOutOfRange_IsReportedAtTheNamedArgument(string argument, string message)
    {
        var d = Single(Net($"[Network, Input(2), Dense(1), Loss(LossFunction.MeanSquaredError), Optimizer(OptimizerKind.Adam, {argument})]"), "NNG0011");
        Assert.Equal(argument, TextAt(d));
        Assert.Equal(message, d.GetMessage());
    }

    [Fact]
    public void OptimizerInRange_IsAccepted()
    {
        AssertClean(Net("[Network, Input(2), Dense(1), Loss(LossFunction.MeanSquaredError), Optimizer(OptimizerKind.Nesterov, LearningRate = 0.5f, Momentum = 0f, WeightDecay = 0f)]"));
    }

    [Fact]
    public void SeveralFindings_AreAllReported()
    {
        var run = Net("[Network, Input(2), Dense(0), Dropout(2f), Optimizer(OptimizerKind.Sgd, LearningRate = -1f)]", "public class Net { }");
        Assert.Equal(new[] { "NNG0001", "NNG0004", "NNG0004", "NNG0011" }, run.Nng.Select(d => d.Id).OrderBy(id => id));
    }

    [Fact]
    public void IncompleteCode_GetsCompilerErrorsOnly()
    {
        var run = Net("[Network, Input(2), Dense(UnknownConstant)]");
        Assert.Empty(run.Nng);
        Assert.Contains(run.CompilerErrors, d => d.Id == "CS0103");
        Assert.Equal(0, run.GeneratedFiles);
    }

    [Fact]
    public void ClassesWithoutNetworkAttribute_AreNotParsed_OnlyToldToAddIt()
    {
        // No architecture finding (Dense(0) is not NNG0004 here): only NNG0016 saying [Network] is missing.
        var run = Net("[Input(2), Dense(0)]", "public class NotANetwork { }");
        Assert.Equal(new[] { "NNG0016" }, run.Nng.Select(d => d.Id));
    }

    [Fact]
    public void EveryDescriptorHasAHelpPageThatExists()
    {
        var docs = System.IO.Path.Combine(RepositoryRoot(), "docs", "diagnostics");
        foreach (var descriptor in Harness.Analyzers.SelectMany(a => a.SupportedDiagnostics))
        {
            Assert.Equal(DiagnosticDescriptors.HelpLinkBase + descriptor.Id + ".md", descriptor.HelpLinkUri);
            var page = System.IO.File.ReadAllText(System.IO.Path.Combine(docs, descriptor.Id + ".md"));
            Assert.StartsWith("# " + descriptor.Id, page);
            Assert.Contains("```csharp", page);
        }
    }

    internal static string RepositoryRoot()
    {
        var directory = System.AppContext.BaseDirectory;
        while (!System.IO.File.Exists(System.IO.Path.Combine(directory, "NeuralNet.Gen.sln"))) directory = System.IO.Path.GetDirectoryName(directory)!;
        return directory;
    }
}
