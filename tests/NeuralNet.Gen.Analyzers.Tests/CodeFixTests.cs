using System.Threading.Tasks;
using NeuralNet.Gen.CodeFixes;
using Xunit;
using static NeuralNet.Gen.Analyzers.Tests.Harness;

namespace NeuralNet.Gen.Analyzers.Tests;

/// <summary>Each code fix on before/after source, and that the fixed source has no finding left.</summary>
public sealed class CodeFixTests
{
    private static async Task AssertFixAsync(Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider provider, string id, string before, string after)
    {
        var fixedText = await ApplyFixAsync(provider, id, Usings + before);
        Assert.Equal(Usings + after, fixedText.Replace("\r\n", "\n"));
        var run = Run(fixedText);
        Assert.Empty(run.Nng);
        Assert.Empty(run.CompilerErrors);
    }

    [Fact]
    public Task AddPartial_WithAccessModifier() => AssertFixAsync(new AddPartialCodeFix(), "NNG0001",
        "[Network, Input(2), Dense(1)]\npublic sealed class Net { }\n",
        "[Network, Input(2), Dense(1)]\npublic sealed partial class Net { }\n");

    [Fact]
    public Task AddPartial_WithoutModifiers() => AssertFixAsync(new AddPartialCodeFix(), "NNG0001",
        "namespace App\n{\n    [Network, Input(2), Dense(1)]\n    class Net { }\n}\n",
        "namespace App\n{\n    [Network, Input(2), Dense(1)]\n    partial class Net { }\n}\n");

    [Fact]
    public Task InsertFlatten_OnItsOwnLine() => AssertFixAsync(new InsertFlattenCodeFix(), "NNG0005",
        "[Network]\n[Input(28, 28, 1)]\n[Conv2D(8, 3)]\n[Dense(10)]\npublic partial class Net { }\n",
        "[Network]\n[Input(28, 28, 1)]\n[Conv2D(8, 3)]\n[Flatten]\n[Dense(10)]\npublic partial class Net { }\n");

    [Fact]
    public Task InsertFlatten_Indented() => AssertFixAsync(new InsertFlattenCodeFix(), "NNG0005",
        "namespace App\n{\n    [Network]\n    [Input(6, 6, 2)]\n    [MaxPool2D(2)]\n    [Dense(2, Softmax)]\n    public partial class Net { }\n}\n",
        "namespace App\n{\n    [Network]\n    [Input(6, 6, 2)]\n    [MaxPool2D(2)]\n    [Flatten]\n    [Dense(2, Softmax)]\n    public partial class Net { }\n}\n");

    [Fact]
    public Task InsertFlatten_InASharedList() => AssertFixAsync(new InsertFlattenCodeFix(), "NNG0005",
        "[Network, Input(5, 5, 1), Conv2D(2, 3), Dense(1)]\npublic partial class Net { }\n",
        "[Network, Input(5, 5, 1), Conv2D(2, 3), Flatten, Dense(1)]\npublic partial class Net { }\n");

    [Fact]
    public async Task InsertFlatten_IsNotOfferedForOtherShapeErrors()
    {
        Assert.Equal(0, await CountFixesAsync(new InsertFlattenCodeFix(), "NNG0005", Usings + "[Network, Input(4, 4, 1), Conv2D(8, 5)]\npublic partial class Net { }\n"));
        Assert.Equal(0, await CountFixesAsync(new InsertFlattenCodeFix(), "NNG0005", Usings + "[Network, Input(4), Flatten, Dense(1)]\npublic partial class Net { }\n"));
    }

    [Fact]
    public Task UseSigmoid_ReplacesTheActivation() => AssertFixAsync(new UseOutputActivationCodeFix(), "NNG0006",
        "[Network, Input(2), Dense(4, Relu), Dense(1, Relu), Loss(LossFunction.BinaryCrossEntropy)]\npublic partial class Net { }\n",
        "[Network, Input(2), Dense(4, Relu), Dense(1, Sigmoid), Loss(LossFunction.BinaryCrossEntropy)]\npublic partial class Net { }\n");

    [Fact]
    public Task UseSoftmax_KeepsTheQualification() => AssertFixAsync(new UseOutputActivationCodeFix(), "NNG0006",
        "[Network, Input(2), Dense(3, Activation.Tanh, WeightInit = WeightInit.GlorotNormal), Loss(LossFunction.CategoricalCrossEntropy)]\npublic partial class Net { }\n",
        "[Network, Input(2), Dense(3, Activation.Softmax, WeightInit = WeightInit.GlorotNormal), Loss(LossFunction.CategoricalCrossEntropy)]\npublic partial class Net { }\n");

    [Fact]
    public Task UseSigmoid_AddsAMissingActivation() => AssertFixAsync(new UseOutputActivationCodeFix(), "NNG0006",
        "[Network]\n[Input(2)]\n[Dense(1, Tanh, WeightInit = WeightInit.Zeros)]\n[Dropout(0.1f)]\n[Dense(1)]\n[Loss(LossFunction.BinaryCrossEntropy)]\npublic partial class Net { }\n",
        "[Network]\n[Input(2)]\n[Dense(1, Tanh, WeightInit = WeightInit.Zeros)]\n[Dropout(0.1f)]\n[Dense(1, Activation.Sigmoid)]\n[Loss(LossFunction.BinaryCrossEntropy)]\npublic partial class Net { }\n");

    [Fact]
    public async Task UseSoftmax_IsNotOfferedForASingleUnit()
    {
        Assert.Equal(0, await CountFixesAsync(new UseOutputActivationCodeFix(), "NNG0006",
            Usings + "[Network, Input(2), Dense(1), Loss(LossFunction.CategoricalCrossEntropy)]\npublic partial class Net { }\n"));
    }

    [Fact]
    public Task UseEarlierName_FixesAMisspeltReference() => AssertFixAsync(new UseEarlierNameCodeFix(), "NNG0013",
        "[Network, Input(4), Dense(4, Relu, Name = \"block1\"), Dense(4), Add(\"blok1\"), Dense(1)]\npublic partial class Net { }\n",
        "[Network, Input(4), Dense(4, Relu, Name = \"block1\"), Dense(4), Add(\"block1\"), Dense(1)]\npublic partial class Net { }\n");

    [Fact]
    public async Task UseEarlierName_IsNotOfferedForAForwardReferenceFarFromEveryName()
    {
        Assert.Equal(0, await CountFixesAsync(new UseEarlierNameCodeFix(), "NNG0013",
            Usings + "[Network, Input(4), Dense(4, Name = \"a\"), Add(\"residual\"), Dense(4, Name = \"residual\")]\npublic partial class Net { }\n"));
    }

    [Fact]
    public Task MoveInputFirst_WholeLines() => AssertFixAsync(new MoveInputFirstCodeFix(), "NNG0002",
        "/// <summary>XOR.</summary>\n[Network]\n[Dense(4, Relu)]\n[Dense(2, Relu)]\n[Input(2)]\n[Dense(1)]\npublic partial class Net { }\n",
        "/// <summary>XOR.</summary>\n[Network]\n[Input(2)]\n[Dense(4, Relu)]\n[Dense(2, Relu)]\n[Dense(1)]\npublic partial class Net { }\n");

    [Fact]
    public Task MoveInputFirst_InOneList() => AssertFixAsync(new MoveInputFirstCodeFix(), "NNG0002",
        "[Network, Dense(3, Relu), Input(2), Dense(1)]\npublic partial class Net { }\n",
        "[Network, Input(2), Dense(3, Relu), Dense(1)]\npublic partial class Net { }\n");

    [Fact]
    public Task MoveInputFirst_AcrossLists() => AssertFixAsync(new MoveInputFirstCodeFix(), "NNG0002",
        "[Network, Dense(3, Relu)]\n[Dense(1), Input(2)]\npublic partial class Net { }\n",
        "[Network, Input(2), Dense(3, Relu)]\n[Dense(1)]\npublic partial class Net { }\n");

    [Fact]
    public async Task MoveInputFirst_IsNotOfferedForATwiceDeclaredInput()
    {
        Assert.Equal(0, await CountFixesAsync(new MoveInputFirstCodeFix(), "NNG0002", Usings + "[Network, Input(2), Input(3), Dense(1)]\npublic partial class Net { }\n"));
    }
}
