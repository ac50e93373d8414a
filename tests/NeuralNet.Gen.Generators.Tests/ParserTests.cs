using System.Linq;
using Microsoft.CodeAnalysis;
using NeuralNet.Gen.Generators.Parsing;
using Xunit;

namespace NeuralNet.Gen.Generators.Tests;

/// <summary>What the shared parser tells the analyzers about code the generator skips.</summary>
public class ParserTests
{
    private static ParseResult Parse(string source, string typeName)
    {
        var compilation = GeneratorHarness.Compile(source);
        var type = compilation.GetTypeByMetadataName(typeName);
        Assert.NotNull(type);
        return NetworkParser.Parse(type!, default);
    }

    [Fact]
    public void An_undefined_activation_is_reported_at_its_argument()
    {
        var result = Parse("using NeuralNet.Gen;\n[Network]\n[Input(2)]\n[Dense(1, (Activation)42)]\npublic partial class N { }", "N");
        Assert.Null(result.Spec);
        var finding = Assert.Single(result.Diagnostics);
        Assert.Equal("NNG0004", finding.Id);
        Assert.True(finding.IsError);
        Assert.Equal(DiagnosticTarget.Argument, finding.Target);
        Assert.Equal(2, finding.AttributeIndex);
        Assert.Equal(1, finding.ArgumentPosition);
        Assert.Contains("42 is not a defined Activation", finding.Message);
        Assert.Contains("Softplus", finding.Message);
    }

    [Fact]
    public void An_undefined_named_enum_value_is_reported_at_the_named_argument()
    {
        var result = Parse("using NeuralNet.Gen;\n[Network(Precision = (Precision)5)]\n[Input(2)]\n[Dense(1)]\npublic partial class N { }", "N");
        Assert.Null(result.Spec);
        var finding = Assert.Single(result.Diagnostics);
        Assert.Equal("NNG0004", finding.Id);
        Assert.Equal("Precision", finding.ArgumentName);
        Assert.Equal(0, finding.AttributeIndex);
    }

    [Fact]
    public void An_unfinished_attribute_gives_neither_spec_nor_finding()
    {
        // The compiler reports the syntax error; the parser adds nothing and the generator emits nothing.
        var result = Parse("using NeuralNet.Gen;\n[Network]\n[Input(2)]\n[Dense(4, Activation.Relu\npublic partial class N { }", "N");
        Assert.Null(result.Spec);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void A_valid_network_parses_to_a_spec_with_its_layout()
    {
        var result = Parse(TestSources.Circles, "Circles.CirclesNet");
        Assert.Empty(result.Diagnostics);
        var spec = result.Spec!;
        Assert.Equal(new[] { 4, 6, 6, 4, 1 }, spec.Layers.Select(l => l.Units));
        Assert.Equal(new[] { 0, 12, 42, 84, 112 }, spec.Layers.Select(l => l.ParameterOffset));
        Assert.Equal(117, spec.ParameterCount);
        Assert.Equal(0.01f, (float)spec.Optimizer.LearningRate);
    }
}
