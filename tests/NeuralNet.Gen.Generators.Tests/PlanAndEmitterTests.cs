using System.Linq;
using NeuralNet.Gen.Generators.Emit;
using NeuralNet.Gen.Generators.Layers;
using NeuralNet.Gen.Generators.Model;
using Xunit;

namespace NeuralNet.Gen.Generators.Tests;

// The generator's model types, not the runtime's of the same names in the enclosing namespace.
using Activation = NeuralNet.Gen.Generators.Model.Activation;
using LayerKind = NeuralNet.Gen.Generators.Model.LayerKind;
using LossFunction = NeuralNet.Gen.Generators.Model.LossFunction;
using OptimizerKind = NeuralNet.Gen.Generators.Model.OptimizerKind;
using Padding = NeuralNet.Gen.Generators.Model.Padding;
using Precision = NeuralNet.Gen.Generators.Model.Precision;
using WeightInit = NeuralNet.Gen.Generators.Model.WeightInit;

/// <summary>The plan and the emitters from hand-built specs: no Roslyn, no source text.</summary>
public sealed class PlanAndEmitterTests
{
    private static readonly OptimizerSpec Adam = new(OptimizerKind.Adam, 0.001, 0.9, 0.9, 0.999, 1e-8, 0);

    private static LayerSpec Dense(int index, int inputs, int units, Activation activation, int offset) =>
        new(LayerKind.Dense, index, index, units, 0, 1, Padding.Valid, 0, activation, WeightInit.GlorotUniform,
            Shape.Vector(inputs), Shape.Vector(units), offset);

    private static LayerSpec Dropout(int index, int size, double rate) =>
        new(LayerKind.Dropout, index, index, 0, 0, 1, Padding.Valid, rate, Activation.Linear, WeightInit.Zeros,
            Shape.Vector(size), Shape.Vector(size), 0);

    private static NetworkSpec Network(LossFunction? loss, params LayerSpec[] layers) =>
        new("Demo", EquatableArray<string>.Empty, "Net", Precision.Single, 0, false, layers[0].InputShape,
            new EquatableArray<LayerSpec>(layers), loss, Adam);

    [Fact]
    public void StepSumsOnPackedWeightsOnlyRowsTheDenseKernelSumsInOneChain()
    {
        // Step's packed kernels sum each output in one chain in input order; the Dense kernel does so only up to
        // MaxSequentialInputs inputs (wider rows go in sixteen partials), so Step gives Forward's bits only below it.
        Assert.True(StepEmitter.UnrollMaxInputs <= global::NeuralNet.Gen.DenseKernels.MaxSequentialInputs);
    }

    [Fact]
    public void Small_dense_network_is_unrolled_and_trains_sample_by_sample()
    {
        var plan = new NetworkPlan(Network(LossFunction.BinaryCrossEntropy, Dense(1, 2, 3, Activation.Relu, 0), Dense(2, 3, 1, Activation.Sigmoid, 9)));

        Assert.All(plan.Layers, l => Assert.True(l.Unrolled));
        Assert.False(plan.UsesBatchPath);
        Assert.True(plan.ForwardsSampleUnrolled);
        Assert.True(plan.TrainsSampleUnrolled);
        Assert.True(plan.IsDescribed);
        Assert.Equal(new[] { "zOut", "aOut", "dOut" }, plan.TrainingScratch.Select(s => s.Name));
        Assert.Equal(0, plan.InferenceScratchSize);
        // Sigmoid feeds the fused BinaryCrossEntropy from the logits, so only Relu is differentiated.
        Assert.Equal(new[] { Activation.Relu }, plan.DifferentiatedActivations);
        Assert.Equal(13 * 4, plan.MemoryBudget.Single(b => b.Name == "ParameterBytes").Bytes);
    }

    [Fact]
    public void Dense_with_dropout_takes_the_batch_path_and_is_not_an_image_network()
    {
        var spec = Network(LossFunction.MeanSquaredError, Dense(1, 2, 4, Activation.Tanh, 0), Dropout(2, 4, 0.25), Dense(3, 4, 1, Activation.Linear, 12));
        var plan = new NetworkPlan(spec);

        Assert.False(plan.ForwardsSampleUnrolled);
        Assert.False(plan.HasImages);
        Assert.True(plan.UsesRandomStream);
        Assert.True(plan.IsDescribed); // every kind in it exports to ONNX
        // Dropout is the identity at inference (its input's span) and has a mask of its own in training.
        Assert.Equal("a1", plan.OutputOf(1, training: false));
        Assert.Equal("a2", plan.OutputOf(1, training: true));
        Assert.Contains(plan.Layers[1].SampleSlots, s => s.Name == "mask2" && s.TrainingOnly);
        Assert.Equal("d2", plan.GradientOf(1));
        Assert.Null(plan.GradientOf(-1));

        var code = NetworkEmitter.Emit(spec);
        Assert.Contains("as PyTorch's <c>nn.Linear</c>:", code);
        Assert.DoesNotContain("nn.Conv2d", code);
        Assert.DoesNotContain("channels last", code);
        Assert.Contains("ConvolutionKernels.DropoutMask<float>(mask2, 0.25, ref _dropoutRandom);", code);
    }

    [Fact]
    public void Layer_kinds_give_descriptions_fingerprints_and_parameter_counts()
    {
        var dense = Dense(1, 3, 2, Activation.Relu, 0);
        Assert.Equal("Dense(2, Relu)", dense.Description);
        Assert.Equal("Dense(2,Relu)", LayerRegistry.For(LayerKind.Dense).Fingerprint(dense));
        Assert.Equal(8, dense.ParameterCount);
        Assert.Equal("Dropout(0.5)", Dropout(2, 2, 0.5).Description);
        Assert.Equal(0, Dropout(2, 2, 0.5).ParameterCount);
        Assert.Equal("float:Input(3)>Dense(2,Relu)>Dropout(0.5)", Network(null, dense, Dropout(2, 2, 0.5)).ArchitectureFingerprint);
        Assert.All(new[] { LayerKind.Dense, LayerKind.Conv2D, LayerKind.MaxPool2D, LayerKind.Flatten, LayerKind.Dropout },
            kind => Assert.Equal(kind + "Attribute", LayerRegistry.For(kind).AttributeName));
        Assert.False(LayerRegistry.Knows(LayerKind.Input));
    }

    [Fact]
    public void Convolution_plan_holds_geometry_kernel_choice_and_workspace()
    {
        var conv = new LayerSpec(LayerKind.Conv2D, 1, 1, 4, 3, 2, Padding.Same, 0, Activation.Relu, WeightInit.HeUniform,
            Shape.Image(5, 5, 1), Shape.Image(3, 3, 4), 0);
        var flatten = new LayerSpec(LayerKind.Flatten, 2, 2, 0, 0, 1, Padding.Valid, 0, Activation.Linear, WeightInit.Zeros,
            Shape.Image(3, 3, 4), Shape.Vector(36), 40);
        var plan = new NetworkPlan(Network(null, conv, flatten));
        var layer = plan.Layers[0];

        // Same padding of a 5-wide input by a 3-kernel at stride 2: 3 outputs, 1 pad before (TensorFlow's rule).
        Assert.Equal(new ConvolutionGeometry(5, 5, 1, 4, 3, 2, 1, 1, 3, 3), layer.Geometry);
        Assert.Equal(49, layer.Geometry!.PaddedSize);
        // A 9-value window is shorter than four vectors, and 4 filters fewer than 8 lanes: by window rows.
        Assert.Equal(ConvolutionStrategy.ByWindowRows, layer.Strategy);
        Assert.Equal((9, 36), (layer.FanIn, layer.FanOut));
        Assert.Equal(new[] { "packed1", "padded1" }, plan.WorkspaceSlots.Select(s => s.Name));
        Assert.Equal("a1", plan.OutputOf(1, training: false));
        Assert.True(plan.HasImages);
    }
}
