using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace NeuralNet.Gen.Compatibility.Tests;

/// <summary>
/// Unity compiles C# 9 against netstandard2.1. The generator's output for a range of networks must compile there,
/// against the runtime's netstandard2.1 build, with no error and no warning.
/// </summary>
public class CSharp9NetStandardTests
{
    public static TheoryData<string, string> Networks => new()
    {
        { "SmallUnrolled", """
            [Network(Seed = 1)]
            [Input(2)] [Dense(4, Activation.Relu)] [Dense(6, Activation.Relu)] [Dense(1, Activation.Sigmoid)]
            [Loss(LossFunction.BinaryCrossEntropy)] [Optimizer(OptimizerKind.Adam, LearningRate = 0.01f)]
            public partial class Net { }
            """ },
        { "LargeBatchPath", """
            [Network]
            [Input(784)] [Dense(50, Activation.Sigmoid)] [Dense(10, Activation.Softmax)]
            [Loss(LossFunction.CategoricalCrossEntropy)] [Optimizer(OptimizerKind.Sgd, LearningRate = 0.1f)]
            public partial class Net { }
            """ },
        { "DoubleEveryActivation", """
            [Network(Precision = Precision.Double)]
            [Input(3)] [Dense(5, Activation.LeakyRelu)] [Dense(5, Activation.Tanh)] [Dense(5, Activation.Elu)] [Dense(70, Activation.Gelu)]
            [Dense(5, Activation.Swish)] [Dense(5, Activation.Softplus)] [Dense(4, Activation.Softmax)] [Dense(2)]
            [Loss(LossFunction.Huber)] [Optimizer(OptimizerKind.RmsProp)]
            public partial class Net { }
            """ },
        { "InferenceOnlyNested", """
            public partial class Outer
            {
                [Network]
                [Input(3)] [Dense(300, Activation.Relu)] [Dense(2)]
                public partial class Net { }
            }
            """ },
        { "EveryOptimizer", """
            [Network] [Input(1)] [Dense(1)] [Loss(LossFunction.MeanAbsoluteError)] [Optimizer(OptimizerKind.Momentum)] public partial class A { }
            [Network] [Input(1)] [Dense(1)] [Loss(LossFunction.MeanSquaredError)] [Optimizer(OptimizerKind.Nesterov)] public partial class B { }
            [Network] [Input(1)] [Dense(1)] [Loss(LossFunction.MeanSquaredError)] [Optimizer(OptimizerKind.Adagrad)] public partial class C { }
            [Network] [Input(1)] [Dense(1)] [Loss(LossFunction.MeanSquaredError)] [Optimizer(OptimizerKind.AdamW)] public partial class D { }
            """ },
        { "Convolutional", """
            [Network(Seed = 1)] [Input(12, 12, 1)] [Conv2D(8, 3, Activation.Relu, Padding = Padding.Same)] [MaxPool2D(2)] [Conv2D(4, 3, Activation.Relu)]
            [MaxPool2D(2)] [Flatten] [Dropout(0.25f)] [Dense(10, Activation.Softmax)] [Loss(LossFunction.CategoricalCrossEntropy)]
            public partial class Net { }
            """ },
        { "BatchNorm", """
            [Network(Seed = 1)] [Input(8, 8, 1)] [Conv2D(4, 3)] [BatchNorm] [Flatten] [Dense(6)] [BatchNorm(Momentum = 0.01)]
            [Dense(3, Activation.Softmax)] [Loss(LossFunction.CategoricalCrossEntropy)]
            public partial class Net { }
            """ },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Generated_code_compiles_as_CSharp9_against_netstandard21(string name, string declarations)
    {
        var source = "using NeuralNet.Gen;\nnamespace Game\n{\n" + declarations + "\n}\n";
        var references = NetStandard21.References;
        Assert.Contains(references, r => Path.GetFileName(r.Display) == "netstandard.dll");
        Assert.Contains(references, r => Path.GetFileName(r.Display) == "NeuralNet.Gen.dll");

        var run = NetStandard21.Generate(name, source);
        Assert.Empty(run.Diagnostics);
        var generated = run.Driver.GetRunResult().GeneratedTrees;
        Assert.NotEmpty(generated);
        Assert.All(generated, tree => Assert.Equal(LanguageVersion.CSharp9, ((CSharpParseOptions)tree.Options).LanguageVersion));
        RoslynHarness.AssertNoProblems(run.Output);
    }

    [Fact]
    public void The_runtime_reference_is_the_netstandard21_build()
    {
        var runtime = Path.Combine(NetStandard21.ReferenceFolder, "NeuralNet.Gen.dll");
        using var stream = File.OpenRead(runtime);
        using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(reader);
        var references = metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).ToArray();
        Assert.Contains("netstandard", references);
        Assert.DoesNotContain("System.Runtime", references);
    }
}
