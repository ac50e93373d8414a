using System.Linq;
using Xunit;

namespace NeuralNet.Gen.Generators.Tests;

/// <summary>BatchNorm in the generated code: when inference folds it (and says so), and the static Forward that needs buffers.</summary>
public class BatchNormGeneratorTests
{
    private static string Generate(string layers)
    {
        string source = "using NeuralNet.Gen;\nusing static NeuralNet.Gen.Activation;\nnamespace Demo;\n[Network]\n" + layers + "\npublic partial class Net { }\n";
        var (_, result, compilation) = GeneratorHarness.Run(source);
        Assert.Empty(GeneratorHarness.Problems(compilation));
        return GeneratorHarness.SingleSource(result);
    }

    [Theory]
    [InlineData("[Input(8, 8, 1)] [Conv2D(4, 3)] [BatchNorm] [Flatten] [Dense(2)]", true)]
    // An activation between: the BatchNorm normalises the activation's output, which no weight can absorb.
    [InlineData("[Input(8, 8, 1)] [Conv2D(4, 3, Relu)] [BatchNorm] [Flatten] [Dense(2)]", false)]
    // Folding 64 filters of 5x5x16 per call would cost more than normalising one sample's 2x2x64 outputs.
    [InlineData("[Input(6, 6, 16)] [Conv2D(64, 5)] [BatchNorm] [Flatten] [Dense(2)]", false)]
    // A Dense layer's weights outnumber its outputs: folding per call never pays.
    [InlineData("[Input(512)] [Dense(100)] [BatchNorm] [Dense(2)]", false)]
    public void Inference_folds_a_BatchNorm_into_the_Linear_convolution_before_it_when_that_pays(string layers, bool folded)
    {
        string code = Generate(layers);
        Assert.Equal(folded, code.Contains("folded into layer 1 at inference"));
        Assert.Equal(folded, code.Contains("// BatchNorm layer 2 is folded into this layer's weights and bias at inference"));
    }

    [Fact]
    public void The_static_Forward_without_buffers_is_a_build_error_that_says_what_to_call()
    {
        string source = "using NeuralNet.Gen;\nnamespace Demo;\n[Network] [Input(3)] [BatchNorm] [Dense(1)]\npublic partial class Net { }\n" +
                        "public static class Use { public static void Run(float[] p, float[] x, float[] y) => Net.Forward(p, x, y); }\n";
        var (_, _, compilation) = GeneratorHarness.Run(source);
        var error = Assert.Single(compilation.GetDiagnostics(), d => d.Id == "CS0619");
        Assert.Contains("call Forward(parameters, buffers, input, output)", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain(compilation.GetDiagnostics(), d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error && d.Id != "CS0619");
    }
}
