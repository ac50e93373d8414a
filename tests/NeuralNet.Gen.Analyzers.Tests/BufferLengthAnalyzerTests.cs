using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;
using static NeuralNet.Gen.Analyzers.Tests.Harness;

namespace NeuralNet.Gen.Analyzers.Tests;

/// <summary>NNG0009 at call sites of generated methods; the generated code is part of each compilation.</summary>
public sealed class BufferLengthAnalyzerTests
{
    // InputSize 2, OutputSize 3, ParameterCount 2*4+4 + 4*3+3 = 27.
    private const string Network = """
        [Network, Input(2), Dense(4, Relu), Dense(3, Softmax), Loss(LossFunction.CategoricalCrossEntropy)]
        public partial class Net { }
        """;

    private static AnalysisRun Call(string body) =>
        Run(Usings + Network + "\npublic static class Use\n{\n    public static void M(Net net, float[] unknown, int n)\n    {\n" + body + "\n    }\n}\n");

    private static Diagnostic[] Nng0009(AnalysisRun run)
    {
        Assert.Empty(run.CompilerErrors);
        Assert.Equal(1, run.GeneratedFiles);
        return run.Nng.Where(d => d.Id == "NNG0009").ToArray();
    }

    [Theory]
    [InlineData("net.Forward(new float[3], new float[3]);", "new float[3]", "'input' of Net.Forward needs InputSize = 2 elements, but this buffer has 3; the call would throw ArgumentException")]
    [InlineData("net.Forward(new float[2], new float[] { 1, 2 });", "new float[] { 1, 2 }", "'output' of Net.Forward needs OutputSize = 3 elements, but this buffer has 2; the call would throw ArgumentException")]
    [InlineData("net.Forward(stackalloc float[5], new float[3]);", "stackalloc float[5]", "'input' of Net.Forward needs InputSize = 2 elements, but this buffer has 5; the call would throw ArgumentException")]
    [InlineData("net.Forward(stackalloc float[] { 1, 2, 3, 4 }, new float[3]);", "stackalloc float[] { 1, 2, 3, 4 }", null)]
    [InlineData("net.Forward(stackalloc[] { 1f }, new float[3]);", "stackalloc[] { 1f }", null)]
    [InlineData("net.Forward([1f, 2f, 3f], new float[3]);", "[1f, 2f, 3f]", null)]
    [InlineData("net.Forward(new float[] { 1, 2 }, new Span<float>(new float[4]));", "new Span<float>(new float[4])", null)]
    [InlineData("net.Forward(new float[] { 1, 2 }, new float[4].AsSpan());", "new float[4].AsSpan()", null)]
    [InlineData("Span<float> x = stackalloc float[7];\nnet.Forward(x, new float[3]);", "x", "'input' of Net.Forward needs InputSize = 2 elements, but this buffer has 7; the call would throw ArgumentException")]
    [InlineData("var y = new float[1];\nnet.Forward(new float[2], y);", "y", null)]
    [InlineData("ReadOnlySpan<float> x = new float[] { 1, 2, 3 };\nnet.Forward(x, new float[3]);", "x", null)]
    [InlineData("Net.Forward(new float[26], new float[2], new float[3]);", "new float[26]", "'parameters' of Net.Forward needs ParameterCount = 27 elements, but this buffer has 26; the call would throw ArgumentException")]
    [InlineData("net.Forward(new float[8], new float[3], 4);", "new float[3]", "'outputs' of Net.Forward needs batchSize * OutputSize = 4 * 3 = 12 elements, but this buffer has 3; the call would throw ArgumentException")]
    [InlineData("net.TrainStep(new float[6], new float[12], 4);", "new float[6]", "'inputs' of Net.TrainStep needs batchSize * InputSize = 4 * 2 = 8 elements, but this buffer has 6; the call would throw ArgumentException")]
    [InlineData("net.ComputeLoss(new float[8], new float[3], 4);", "new float[3]", null)]
    [InlineData("net.ComputeGradients(inputs: new float[4], targets: new float[5], batchSize: 2);", "targets: new float[5]", null)]
    public void MismatchedConstantLength_IsAWarningAtTheArgument(string body, string argument, string? message)
    {
        var d = Assert.Single(Nng0009(Call(body)));
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal(argument, TextAt(d));
        if (message is not null) Assert.Equal(message, d.GetMessage());
    }

    [Theory]
    [InlineData("net.Forward(new float[2], new float[3]);")]
    [InlineData("net.Forward(stackalloc float[Net.InputSize], stackalloc float[Net.OutputSize]);")]
    [InlineData("net.Forward([1f, 2f], new float[] { 0, 0, 0 });")]
    [InlineData("Net.Forward(new float[Net.ParameterCount], new float[2], new float[3]);")]
    [InlineData("net.TrainStep(new float[8], new float[12], 4);")]
    [InlineData("net.Forward(unknown, new float[3]);")]                        // length unknown at compile time
    [InlineData("net.Forward(new float[n], new float[3]);")]                   // length unknown at compile time
    [InlineData("net.TrainStep(new float[6], new float[12], n);")]             // batch size unknown
    [InlineData("net.TrainStep(new float[6], new float[12], 0);")]             // the method itself refuses a batch of 0
    [InlineData("var x = new float[5];\nx = new float[2];\nnet.Forward(x, new float[3]);")] // reassigned: not followed
    [InlineData("float[] a = [1f, 2f];\nnet.Forward([.. a, 3f], new float[3]);")]         // a spread: length not constant
    [InlineData("net.Forward(new float[4].AsSpan(0, 2), new float[3]);")]       // a slice: not followed
    public void MatchingOrUnknownLength_IsNotReported(string body)
    {
        Assert.Empty(Nng0009(Call(body)));
    }

    [Fact]
    public void MethodsOfOtherTypes_AreIgnored()
    {
        var run = Run(Usings + """
            public sealed class Other { public void Forward(ReadOnlySpan<float> input, Span<float> output) { } }
            public static class Use { public static void M(Other o) => o.Forward(new float[3], new float[3]); }
            """);
        Assert.Empty(run.Nng);
    }

    [Fact]
    public void BufferInAnotherMethod_IsNotFollowed()
    {
        // A field or a parameter may be reassigned anywhere; only locals of the calling method count.
        var run = Run(Usings + Network + """
            public sealed class Use
            {
                private float[] _x = new float[5];
                public void M(Net net) => net.Forward(_x, new float[3]);
            }
            """);
        Assert.Empty(run.Nng);
        Assert.Empty(run.CompilerErrors);
    }

    [Fact]
    public void LocalWithABareArrayInitializer_IsFollowed()
    {
        var run = Run(Usings + Network + """
            public static class Use { public static void M(Net net) { float[] x = { 1, 2, 3, 4, 5 }; net.Forward(x, new float[3]); } }
            """);
        Assert.Equal("x", TextAt(Single(run, "NNG0009")));
    }

    [Fact]
    public void DoublePrecisionNetworks_AreChecked()
    {
        var run = Run(Usings + """
            [Network(Precision = Precision.Double), Input(3), Dense(1)]
            public partial class DNet { }
            public static class Use { public static void M(DNet net) => net.Forward(new double[2], new double[1]); }
            """);
        var d = Assert.Single(run.Nng);
        Assert.Equal("NNG0009", d.Id);
        Assert.Equal("new double[2]", TextAt(d));
        Assert.Empty(run.CompilerErrors);
    }

    [Fact]
    public void ShippedInTheSameCatalogue()
    {
        var descriptor = Assert.Single(new BufferLengthAnalyzer().SupportedDiagnostics);
        Assert.Same(DiagnosticDescriptors.BufferLength, descriptor);
        Assert.Equal(DiagnosticSeverity.Warning, descriptor.DefaultSeverity);
    }
}
