using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using NeuralNet.Gen.CodeFixes;
using Xunit;
using static NeuralNet.Gen.Analyzers.Tests.Harness;

namespace NeuralNet.Gen.Analyzers.Tests;

/// <summary>Issue 18: NNG0015, NNG0001 on a containing type, NNG0006's advice, MaxBatchSize and double-typed arguments.</summary>
public sealed class NewcomerDiagnosticsTests
{
    private static AnalysisRun Net(string attributes, string declaration = "public partial class Net { }") =>
        Run(Usings + attributes + "\n" + declaration);

    [Theory]
    [InlineData("Sgd", "Beta1 = 0.9", "Sgd does not use Beta1")]
    [InlineData("Sgd", "Epsilon = 1e-7", "Sgd does not use Epsilon")]
    [InlineData("Adam", "Momentum = 0.9f", "Adam does not use Momentum")]
    [InlineData("Momentum", "Beta2 = 0.99", "Momentum does not use Beta2")]
    [InlineData("Adagrad", "Beta1 = 0.5", "Adagrad does not use Beta1")]
    [InlineData("RmsProp", "Momentum = 0.5", "RmsProp does not use Momentum")]
    public void A_setting_the_optimizer_ignores_is_a_warning_at_the_argument(string kind, string argument, string message)
    {
        var run = Net($"[Network, Input(2), Dense(1), Loss(LossFunction.MeanSquaredError), Optimizer(OptimizerKind.{kind}, LearningRate = 0.01, {argument})]");
        var d = Single(run, "NNG0015");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal(argument, TextAt(d));
        Assert.Contains(message, d.GetMessage());
        Assert.Equal(1, run.GeneratedFiles); // a warning: the network is still generated
        Assert.Empty(run.CompilerErrors);
    }

    [Theory]
    [InlineData("Sgd, LearningRate = 0.1, Momentum = 0.9, WeightDecay = 1e-4")]
    [InlineData("Nesterov, Momentum = 0.8")]
    [InlineData("RmsProp, Beta2 = 0.9, Epsilon = 1e-6")]
    [InlineData("Adagrad, Epsilon = 1e-8")]
    [InlineData("AdamW, Beta1 = 0.8, Beta2 = 0.99, Epsilon = 1e-7, WeightDecay = 0.05")]
    public void Settings_the_optimizer_uses_get_no_warning(string optimizer)
    {
        var run = Net($"[Network, Input(2), Dense(1), Loss(LossFunction.MeanSquaredError), Optimizer(OptimizerKind.{optimizer})]");
        Assert.Empty(run.Nng);
        Assert.Empty(run.CompilerErrors);
    }

    [Fact]
    public void Double_literals_compile_where_floats_did()
    {
        // [Dropout(0.5)] used to be CS1503 and LearningRate = 0.001 CS0664.
        var run = Net("[Network, Input(4), Dense(8, Relu), Dropout(0.5), Dense(1), Loss(LossFunction.MeanSquaredError), Optimizer(OptimizerKind.Adam, LearningRate = 0.001)]");
        Assert.Empty(run.CompilerErrors);
        Assert.Empty(run.Nng);
        Assert.Equal("NNG0004", Single(Net("[Network, Input(4), Dropout(1.5), Dense(1)]"), "NNG0004").Id);
    }

    [Fact]
    public void A_non_partial_containing_type_is_NNG0001_at_that_type_instead_of_CS0260_in_generated_code()
    {
        var run = Run(Usings + "public class Holder\n{\n    [Network, Input(2), Dense(1)]\n    public partial class Net { }\n}\n");
        var d = Single(run, "NNG0001");
        Assert.Equal("Holder", TextAt(d));
        Assert.Contains("'Holder' contains network class 'Net'", d.GetMessage());
        Assert.DoesNotContain(run.CompilerErrors, e => e.Id == "CS0260");
        Assert.Equal(0, run.GeneratedFiles);
    }

    [Fact]
    public async Task The_code_fix_makes_the_containing_type_partial()
    {
        string before = "public class Holder\n{\n    [Network, Input(2), Dense(1)]\n    public partial class Net { }\n}\n";
        var fixedText = await ApplyFixAsync(new AddPartialCodeFix(), "NNG0001", Usings + before);
        Assert.Equal(Usings + "public partial class Holder\n{\n    [Network, Input(2), Dense(1)]\n    public partial class Net { }\n}\n", fixedText.Replace("\r\n", "\n"));
        var run = Run(fixedText);
        Assert.Empty(run.Nng);
        Assert.Empty(run.CompilerErrors);
        Assert.Equal(1, run.GeneratedFiles);
    }

    [Fact]
    public void Binary_cross_entropy_on_a_multi_unit_Softmax_suggests_categorical_cross_entropy()
    {
        var d = Single(Net("[Network, Input(4), Dense(3, Softmax), Loss(LossFunction.BinaryCrossEntropy)]"), "NNG0006");
        Assert.Contains("for one class out of 3 use LossFunction.CategoricalCrossEntropy with this Softmax", d.GetMessage());
        Assert.Contains("Activation.Sigmoid for 3 independent yes/no outputs", d.GetMessage());
        // A single unit keeps the plain advice.
        Assert.Contains("use Activation.Sigmoid on it", Single(Net("[Network, Input(4), Dense(1, Relu), Loss(LossFunction.BinaryCrossEntropy)]"), "NNG0006").GetMessage());
    }

    [Fact]
    public void MaxBatchSize_must_be_positive_and_sizes_the_buffer_at_construction()
    {
        var d = Single(Net("[Network(MaxBatchSize = -1), Input(100), Dense(100), Dense(1)]"), "NNG0004");
        Assert.Equal("MaxBatchSize = -1", TextAt(d));
        var run = Net("[Network(MaxBatchSize = 32), Input(100), Dense(100, Relu), Dense(1)]");
        Assert.Empty(run.Nng);
        Assert.Empty(run.CompilerErrors);
        string generated = run.Output.SyntaxTrees.Last().ToString();
        Assert.Contains("private int _batchCapacity = 32;", generated);
        Assert.Contains("public void EnsureBatchCapacity(int batchSize)", generated);
    }
}
