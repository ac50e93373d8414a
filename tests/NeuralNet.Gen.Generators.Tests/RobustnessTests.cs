using System.Linq;
using Xunit;

namespace NeuralNet.Gen.Generators.Tests;

/// <summary>
/// The generator never throws on incomplete or wrong code, and emits nothing for such a class: the compiler or the
/// analyzers explain the problem. A valid network next to the broken one is still generated.
/// </summary>
public class RobustnessTests
{
    private const string Usings = "using NeuralNet.Gen;\nusing static NeuralNet.Gen.Activation;\n";

    public static TheoryData<string, string> BrokenSources => new()
    {
        { "unfinished attribute argument", Usings + "[Network]\n[Input(2)]\n[Dense(\npublic partial class Broken { }" },
        { "unfinished attribute list", Usings + "[Network]\n[Input(2)]\n[Dense(4, Relu\npublic partial class Broken { }" },
        { "unfinished named argument", Usings + "[Network(Seed = )]\n[Input(2)]\n[Dense(1)]\npublic partial class Broken { }" },
        { "non-constant argument", Usings + "[Network]\n[Input(2)]\n[Dense(Units)]\npublic partial class Broken { static int Units = 3; }" },
        { "non-constant named argument", Usings + "[Network]\n[Input(2)]\n[Dense(1)]\n[Optimizer(OptimizerKind.Sgd, LearningRate = Rate)]\n[Loss(LossFunction.MeanSquaredError)]\npublic partial class Broken { static float Rate = 0.1f; }" },
        { "argument of the wrong type", Usings + "[Network]\n[Input(\"two\")]\n[Dense(1)]\npublic partial class Broken { }" },
        { "missing using", "[Network]\n[Input(2)]\n[Dense(1)]\npublic partial class Broken { }" },
        { "missing using of the activation", "using NeuralNet.Gen;\n[Network]\n[Input(2)]\n[Dense(1, Relu)]\npublic partial class Broken { }" },
        { "on a struct", Usings + "[Network]\n[Input(2)]\n[Dense(1)]\npublic partial struct Broken { }" },
        { "on a record", Usings + "[Network]\n[Input(2)]\n[Dense(1)]\npublic partial record Broken { }" },
        { "not partial", Usings + "[Network]\n[Input(2)]\n[Dense(1)]\npublic class Broken { }" },
        { "generic", Usings + "[Network]\n[Input(2)]\n[Dense(1)]\npublic partial class Broken<T> { }" },
        { "nested in a generic type", Usings + "public partial class Outer<T> { [Network]\n[Input(2)]\n[Dense(1)]\npublic partial class Broken { } }" },
        { "no input", Usings + "[Network]\n[Dense(1)]\npublic partial class Broken { }" },
        { "no layer", Usings + "[Network]\n[Input(2)]\npublic partial class Broken { }" },
        { "input not first", Usings + "[Network]\n[Dense(1)]\n[Input(2)]\npublic partial class Broken { }" },
        { "zero units", Usings + "[Network]\n[Input(2)]\n[Dense(0)]\npublic partial class Broken { }" },
        { "negative input", Usings + "[Network]\n[Input(-2)]\n[Dense(1)]\npublic partial class Broken { }" },
        { "undefined activation", Usings + "[Network]\n[Input(2)]\n[Dense(1, (Activation)42)]\npublic partial class Broken { }" },
        { "undefined loss", Usings + "[Network]\n[Input(2)]\n[Dense(1)]\n[Loss((LossFunction)99)]\npublic partial class Broken { }" },
        { "undefined optimizer", Usings + "[Network]\n[Input(2)]\n[Dense(1)]\n[Loss(LossFunction.MeanSquaredError)]\n[Optimizer((OptimizerKind)77)]\npublic partial class Broken { }" },
        { "undefined precision", Usings + "[Network(Precision = (Precision)5)]\n[Input(2)]\n[Dense(1)]\npublic partial class Broken { }" },
        { "undefined weight init", Usings + "[Network]\n[Input(2)]\n[Dense(1, WeightInit = (WeightInit)9)]\npublic partial class Broken { }" },
        { "loss that does not fit the output", Usings + "[Network]\n[Input(2)]\n[Dense(3)]\n[Loss(LossFunction.BinaryCrossEntropy)]\npublic partial class Broken { }" },
        { "negative learning rate", Usings + "[Network]\n[Input(2)]\n[Dense(1)]\n[Loss(LossFunction.MeanSquaredError)]\n[Optimizer(OptimizerKind.Sgd, LearningRate = -1f)]\npublic partial class Broken { }" },
        { "convolution on a vector", Usings + "[Network]\n[Input(8)]\n[Conv2D(2, 3)]\npublic partial class Broken { }" },
        { "kernel larger than the image", Usings + "[Network]\n[Input(4, 4, 1)]\n[Conv2D(2, 5)]\npublic partial class Broken { }" },
        { "zero stride", Usings + "[Network]\n[Input(8, 8, 1)]\n[Conv2D(2, 3, Stride = 0)]\npublic partial class Broken { }" },
        { "pool larger than the image", Usings + "[Network]\n[Input(3, 3, 1)]\n[MaxPool2D(4)]\npublic partial class Broken { }" },
        { "flatten on a vector", Usings + "[Network]\n[Input(8)]\n[Flatten]\npublic partial class Broken { }" },
        { "dropout rate of one", Usings + "[Network]\n[Input(8)]\n[Dropout(1f)]\npublic partial class Broken { }" },
        { "softmax on a convolution", Usings + "[Network]\n[Input(4, 4, 1)]\n[Conv2D(2, 3, Softmax)]\npublic partial class Broken { }" },
        { "dense on an image", Usings + "[Network]\n[Input(8, 8, 1)]\n[Dense(1)]\npublic partial class Broken { }" },
        { "layers on two declarations", Usings + "[Network]\n[Input(2)]\npublic partial class Broken { }\n[Dense(1)]\npublic partial class Broken { }" },
        { "garbage in the attributes", Usings + "[Network] [Input(2] [Dense(1,,)] ((( public partial class Broken { void F( { int = ; } } } [[[ ))) class" },
        { "garbage after an attribute", Usings + "[Network]\n[Input(2)]\n[Dense(1)] %%\npublic partial class Broken { }" },
        { "garbage before the class", Usings + "#if\n@@@ [Network]\n[Input(2)]\n[Dense(1)]\npublic partial class Broken :: { }" },
    };

    [Theory]
    [MemberData(nameof(BrokenSources))]
    public void Emits_only_the_throwing_surface_for_a_broken_network_and_does_not_throw(string name, string source)
    {
        var (_, result, _) = GeneratorHarness.Run(source, TestSources.InferenceOnly);
        // The valid network next to it is generated; the broken one gets at most its public surface, whose members throw.
        Assert.Contains(result.GeneratedSources, g => g.HintName == "Samples.Edge.SensorNet.g.cs");
        Assert.All(result.GeneratedSources.Where(g => g.HintName != "Samples.Edge.SensorNet.g.cs"),
            g => Assert.True(g.SourceText.ToString().Contains("has an architecture error and was not generated"), $"{name}: generated {g.HintName}"));
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void A_syntax_error_in_a_method_body_does_not_stop_generation()
    {
        // Complete attributes, unfinished member: the user is typing inside the class, and the generated members
        // (InputSize, Forward, ...) stay available meanwhile, so the rest of the code does not light up with errors.
        var (_, result, _) = GeneratorHarness.Run(Usings + "[Network]\n[Input(2)]\n[Dense(1)]\npublic partial class Typing { void F() { int x = ; } }");
        Assert.Equal("Typing.g.cs", Assert.Single(result.GeneratedSources).HintName);
    }

    [Fact]
    public void Convolution_layers_are_emitted()
    {
        var (_, result, compilation) = GeneratorHarness.Run(Usings + "[Network]\n[Input(8, 8, 1)]\n[Conv2D(2, 3)]\n[MaxPool2D(2)]\n[Flatten]\n[Dropout(0.5f)]\n[Dense(1)]\npublic partial class Conv { }");
        Assert.Equal("Conv.g.cs", Assert.Single(result.GeneratedSources).HintName);
        Assert.Empty(GeneratorHarness.Problems(compilation));
    }

    public static TheoryData<string, string> EdgeCaseImageNetworks => new()
    {
        { "flatten only", "[Network]\n[Input(2, 3, 2)]\n[Flatten]\n[Loss(LossFunction.MeanSquaredError)]\npublic partial class Edge { }" },
        { "dropout only", "[Network]\n[Input(2, 3, 2)]\n[Dropout(0.5f)]\n[Loss(LossFunction.MeanSquaredError)]\npublic partial class Edge { }" },
        { "dropout only, inference", "[Network]\n[Input(5)]\n[Dropout(0.5f)]\npublic partial class Edge { }" },
        { "pool on the input as output", "[Network]\n[Input(4, 4, 3)]\n[MaxPool2D(4)]\n[Loss(LossFunction.MeanAbsoluteError)]\npublic partial class Edge { }" },
        { "kernel as large as the input", "[Network]\n[Input(3, 3, 2)]\n[Conv2D(1, 3, Sigmoid)]\n[Loss(LossFunction.Huber)]\npublic partial class Edge { }" },
        { "stride larger than the kernel, same padding", "[Network]\n[Input(7, 5, 1)]\n[Conv2D(9, 2, Relu, Stride = 3, Padding = Padding.Same)]\n[Flatten]\n[Dense(2, Softmax)]\n[Loss(LossFunction.CategoricalCrossEntropy)]\npublic partial class Edge { }" },
        { "dropout after the softmax output", "[Network]\n[Input(6)]\n[Dense(3, Softmax)]\n[Dropout(0.2f)]\n[Loss(LossFunction.MeanSquaredError)]\npublic partial class Edge { }" },
        { "1x1 convolutions, double", "[Network(Precision = Precision.Double)]\n[Input(1, 1, 300)]\n[Conv2D(70, 1, Gelu)]\n[Conv2D(5, 1, Swish)]\n[Flatten]\n[Loss(LossFunction.MeanSquaredError)]\npublic partial class Edge { }" },
    };

    [Theory]
    [MemberData(nameof(EdgeCaseImageNetworks))]
    public void Every_valid_image_network_generates_and_compiles(string name, string declaration)
    {
        var (_, result, compilation) = GeneratorHarness.Run(Usings + declaration);
        Assert.True(result.GeneratedSources.Length == 1, $"{name}: {result.GeneratedSources.Length} sources");
        Assert.Null(result.Exception);
        var problems = GeneratorHarness.Problems(compilation);
        Assert.True(problems.IsEmpty, name + ": " + string.Join("\n", problems));
    }

    [Fact]
    public void Every_prefix_of_a_network_file_is_handled_without_an_exception()
    {
        // What an editor sends while the user types the file from top to bottom.
        string source = TestSources.Nested;
        var driver = GeneratorHarness.CreateDriver();
        for (int length = 0; length <= source.Length; length += 7)
        {
            var compilation = GeneratorHarness.Compile(source.Substring(0, length));
            driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out _, out var diagnostics);
            var result = driver.GetRunResult().Results.Single();
            Assert.Null(result.Exception);
            Assert.DoesNotContain(diagnostics, d => d.Id == "CS8785");
        }
        var complete = driver.RunGenerators(GeneratorHarness.Compile(source)).GetRunResult().Results.Single();
        Assert.Single(complete.GeneratedSources);
    }
}
