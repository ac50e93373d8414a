using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using NeuralNet.Gen.CodeFixes;
using Xunit;
using static NeuralNet.Gen.Analyzers.Tests.Harness;

namespace NeuralNet.Gen.Analyzers.Tests;

/// <summary>NNG0016: what the user sees for a forgotten [Network] or [Loss], next to the C# error it explains.</summary>
public sealed class NetworkUsageAnalyzerTests
{
    private const string InferenceOnly = "[Network, Input(3), Dense(4, Relu), Dense(1)]\npublic partial class PriceNet { }\n";

    [Fact]
    public void Layer_attributes_without_Network_are_reported_on_the_first_one()
    {
        var run = Run(Usings + "[Input(2)]\n[Dense(1, Sigmoid)]\npublic partial class Forgotten { }\n"
            + "public static class Use { public static string Show() => new Forgotten().Summary(); }\n");
        var d = Single(run, "NNG0016");
        Assert.Equal("Input(2)", TextAt(d));
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains("'Forgotten' has [Input] but no [Network]", d.GetMessage());
        Assert.Contains("add [Network]", d.GetMessage());
        Assert.Contains(run.CompilerErrors, e => e.Id == "CS1061"); // still there: errors cannot be suppressed
        Assert.Equal(0, run.GeneratedFiles);
    }

    [Theory]
    [InlineData("[Loss(LossFunction.MeanSquaredError)]", "Loss")]
    [InlineData("[Optimizer(OptimizerKind.Sgd)]", "Optimizer")]
    [InlineData("[System.Serializable, Dense(4)]", "Dense")]
    public void Any_network_attribute_without_Network_is_reported(string attributes, string first)
    {
        var d = Single(Run(Usings + attributes + "\npublic partial class Net { }\n"), "NNG0016");
        Assert.Contains($"has [{first}] but no [Network]", d.GetMessage());
    }

    [Fact]
    public void Classes_with_Network_or_without_our_attributes_are_not_reported()
    {
        Assert.Empty(Run(Usings + "[Network, Input(2), Dense(1)]\npublic partial class Net { }\n[System.Serializable]\npublic class Plain { }\n").Nng);
    }

    [Theory]
    [InlineData("net.TrainStep(new float[3], new float[1], 1);", "TrainStep", "CS1061")]
    [InlineData("net.ComputeGradients(new float[3], new float[1], 1);", "ComputeGradients", "CS1061")]
    [InlineData("net.LearningRate = 0.01f;", "LearningRate", "CS1061")]
    [InlineData("net.ResetOptimizerState();", "ResetOptimizerState", "CS1061")]
    [InlineData("net.Fit(new float[3], new float[1]);", "Fit", "CS1061")]
    [InlineData("net.Evaluate(new float[3], new float[1]);", "Evaluate", null)]
    public void A_training_member_on_a_network_without_Loss_is_reported_at_the_member(string statement, string member, string? compilerError)
    {
        var run = Run(Usings + "public static class Use { public static void Train(PriceNet net) { " + statement + " } }\n" + InferenceOnly);
        var d = Single(run, "NNG0016");
        Assert.Equal(member, TextAt(d));
        Assert.Contains("'PriceNet' has no [Loss], so it is inference-only", d.GetMessage());
        Assert.Contains("[Loss(LossFunction.MeanSquaredError)]", d.GetMessage());
        if (member == "Evaluate") Assert.Contains("Evaluate(inputs, targets, LossFunction.MeanSquaredError)", d.GetMessage());
        Assert.NotEmpty(run.CompilerErrors);
        if (compilerError is not null) Assert.Contains(run.CompilerErrors, e => e.Id == compilerError && e.Location.SourceSpan.IntersectsWith(d.Location.SourceSpan));
    }

    [Fact]
    public void Members_that_bind_are_never_reported()
    {
        // With a loss; Evaluate with an explicit loss on an inference-only network; Forward; a user's own member of that name.
        var run = Run(Usings + "public static class Use { public static void Go(PriceNet net, Trained t, float[] x, float[] y) {\n"
            + "  t.TrainStep(x, y, 1); t.Fit(x, y); net.Evaluate(x, y, LossFunction.MeanSquaredError); net.Forward(x, y); net.LearningRate = 1; } }\n"
            + "[Network, Input(3), Dense(1), Loss(LossFunction.MeanSquaredError)]\npublic partial class Trained { }\n"
            + "[Network, Input(3), Dense(1)]\npublic partial class PriceNet { public float LearningRate { get; set; } }\n");
        Assert.Empty(run.Nng);
        Assert.Empty(run.CompilerErrors);
    }

    [Theory]
    [InlineData("net.TrainStep(")]
    [InlineData("net.")]
    [InlineData("net.Fit(x, ")]
    [InlineData("undefined.TrainStep(x, y, 1);")]
    public void Incomplete_code_never_throws(string statement)
    {
        // The harness fails the test if an analyzer throws.
        var run = Run(Usings + "public static class Use { public static void Go(PriceNet net, float[] x, float[] y) { " + statement + " } }\n" + InferenceOnly);
        Assert.NotEmpty(run.CompilerErrors);
        Assert.All(run.Nng, d => Assert.Equal("NNG0016", d.Id));
    }

    private static async Task AssertFixAsync(string before, string after)
    {
        var fixedText = await ApplyFixAsync(new AddNetworkAttributeCodeFix(), "NNG0016", Usings + before);
        Assert.Equal(Usings + after, fixedText.Replace("\r\n", "\n"));
        var run = Run(fixedText);
        Assert.Empty(run.Nng);
        Assert.Empty(run.CompilerErrors);
        Assert.Equal(1, run.GeneratedFiles);
    }

    [Fact]
    public Task Fix_adds_Network_on_its_own_line() => AssertFixAsync(
        "/// <summary>A forgotten network.</summary>\n[Input(2)]\n[Dense(1, Sigmoid)]\npublic partial class Net { }\n",
        "/// <summary>A forgotten network.</summary>\n[Network]\n[Input(2)]\n[Dense(1, Sigmoid)]\npublic partial class Net { }\n");

    [Fact]
    public Task Fix_keeps_the_indentation() => AssertFixAsync(
        "namespace App\n{\n    [Input(2), Dense(1)]\n    public partial class Net { }\n}\n",
        "namespace App\n{\n    [Network]\n    [Input(2), Dense(1)]\n    public partial class Net { }\n}\n");

    [Fact]
    public Task Fix_qualifies_Network_as_the_attribute_it_joins() => AssertFixAsync(
        "[System.Serializable]\n[NeuralNet.Gen.Input(2)]\n[NeuralNet.Gen.Dense(1)]\npublic partial class Net { }\n",
        "[System.Serializable]\n[NeuralNet.Gen.Network]\n[NeuralNet.Gen.Input(2)]\n[NeuralNet.Gen.Dense(1)]\npublic partial class Net { }\n");

    [Fact]
    public async Task No_fix_is_offered_for_a_missing_loss()
    {
        var source = Usings + "public static class Use { public static void Go(PriceNet net) { net.ResetOptimizerState(); } }\n" + InferenceOnly;
        Assert.Equal(0, await CountFixesAsync(new AddNetworkAttributeCodeFix(), "NNG0016", source));
    }
}
