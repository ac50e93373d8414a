using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Xunit;
using static NeuralNet.Gen.Analyzers.Tests.Harness;

namespace NeuralNet.Gen.Analyzers.Tests;

/// <summary>
/// A network with an architecture error still gets its public surface (bodies that throw), so code that uses it shows
/// the NNG errors and nothing else: no CS1061 per call site, no analyzer noise.
/// </summary>
public sealed class NoCascadeTests
{
    /// <summary>Every generated member of a trainable network, and the runtime's extensions over its interface.</summary>
    private const string EveryMember = """
        public static class Use
        {
            public static void M()
            {
                var net = new Net();
                float[] x = new float[Net.InputSize], y = new float[Net.OutputSize];
                net.Forward(x, y);
                Net.Forward(net.Parameters, x, y);
                net.Forward(x, y, 1);
                net.InitializeParameters(1);
                net.Gradients.Clear();
                net.LearningRate = net.LearningRate / 2;
                float loss = net.ComputeLoss(x, y, 1) + net.ComputeGradients(x, y, 1) + net.TrainStep(x, y, 1);
                net.ResetOptimizerState();
                string summary = net.Summary();
                Console.WriteLine(Net.ParameterCount + Net.ParameterBytes + Net.GradientBytes + Net.OptimizerStateBytes + Net.TrainingScratchBytes
                    + Net.ActivationBytesPerSample + Net.BatchBytesPerSample + Net.InstanceBytes);
                var history = net.Fit(x, y, new FitOptions { Epochs = 1 });
                var evaluation = net.Evaluate(x, y);
                INetwork<float> general = net;
                ITrainableNetwork<float> trainable = net;
            }
        }
        """;

    [Theory]
    [InlineData("[Network, Input(28, 28, 1), Conv2D(8, 3, Relu), Dense(10, Softmax), Loss(LossFunction.CategoricalCrossEntropy)]", "NNG0005")] // the missing [Flatten]
    [InlineData("[Network, Input(2), Dense(0), Dense(1, Sigmoid), Loss(LossFunction.BinaryCrossEntropy)]", "NNG0004")]
    [InlineData("[Network, Input(2), Dense(4, Relu), Dense(1, Relu), Loss(LossFunction.BinaryCrossEntropy)]", "NNG0006")]
    [InlineData("[Network, Dense(4, Relu), Dense(1, Sigmoid), Loss(LossFunction.BinaryCrossEntropy)]", "NNG0002")]
    [InlineData("[Network, Input(2), Dense(1, Sigmoid), Loss(LossFunction.BinaryCrossEntropy), Optimizer(OptimizerKind.Adam, LearningRate = -1f)]", "NNG0011")]
    public void BrokenNetwork_CalledThroughEveryMember_GivesOnlyTheNngErrors(string attributes, string id)
    {
        var run = Run(Usings + attributes + "\npublic partial class Net { }\n" + EveryMember);
        Assert.Empty(run.CompilerDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Assert.NotEmpty(run.Nng);
        Assert.All(run.Nng, d => Assert.Equal(id, d.Id));
        Assert.All(run.Nng, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        Assert.Equal(1, run.GeneratedFiles);
    }

    [Fact]
    public void BrokenNetwork_MembersThrowNamingTheError()
    {
        var run = Run(Usings + "[Network, Input(28, 28, 1), Conv2D(8, 3, Relu), Dense(10, Softmax)]\npublic partial class Net { }\n");
        using var image = new MemoryStream();
        Assert.True(run.Output.Emit(image).Success);
        var net = Assembly.Load(image.ToArray()).GetType("Net")!;
        var thrown = Assert.Throws<TargetInvocationException>(() => Activator.CreateInstance(net));
        var error = Assert.IsType<InvalidOperationException>(thrown.InnerException);
        Assert.StartsWith("Net was not generated because of build error NNG0005: ", error.Message);
        Assert.Equal(0, net.GetField("InputSize")!.GetValue(null));
    }

    [Fact]
    public void BrokenDeclarations_GetNoSurface()
    {
        // Not partial, generic, static: a surface would add compiler errors of its own, so there is none.
        Assert.Equal(0, Run(Usings + "[Network, Input(2), Dense(1)]\npublic class Net { }\n").GeneratedFiles);
        Assert.Equal(0, Run(Usings + "[Network, Input(2), Dense(1)]\npublic partial class Net<T> { }\n").GeneratedFiles);
        Assert.Equal(0, Run(Usings + "[Network, Input(2), Dense(1)]\npublic static partial class Net { }\n").GeneratedFiles);
    }

    [Fact]
    public void MismatchedWeightsFile_GetsTheSurfaceToo()
    {
        var json = File.ReadAllText(Path.Combine(NetworkAnalyzerTests.RepositoryRoot(), "tests", "TestData", "keras-dense", "dense.json"));
        var source = Usings + "[Network, Input(1), Dense(3, Tanh), Dense(1), Weights(\"dense.json\")]\npublic partial class Net { }\n"
            + "public static class Use { public static void M() { var net = new Net(); net.RestoreTrainedParameters(); net.Forward(new float[1], new float[1]); } }\n";
        var run = Run(new[] { ("Test0.cs", source) }, additionalFiles: System.Collections.Immutable.ImmutableArray.Create<AdditionalText>(new AdditionalFile("/project/dense.json", json)));
        Assert.Empty(run.CompilerDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Assert.NotEmpty(run.Nng);
        Assert.All(run.Nng, d => Assert.Equal("NNG0012", d.Id));
        Assert.Equal(1, run.GeneratedFiles);
    }
}
