using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Xunit;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Interop.Tests;

/// <summary>Networks exported with <see cref="OnnxExport"/> and run by ONNX Runtime give our outputs to 1e-5.</summary>
public class OnnxExportTests
{
    private const double Tolerance = 1e-5;

    public static NetworkDescription ClassifierDescription => NetworkDescription.DenseStack(Precision.Single, 5, (8, Relu), (7, LeakyRelu), (6, Sigmoid), (4, Softmax));
    public static NetworkDescription SmoothDescription => NetworkDescription.DenseStack(Precision.Single, 4, (9, Tanh), (8, Elu), (7, Gelu), (6, Swish), (5, Softplus), (3, Linear));
    public static NetworkDescription WideDescription => NetworkDescription.DenseStack(Precision.Single, 40, (64, Relu), (32, Gelu), (10, Softmax));
    public static NetworkDescription LogisticDescription => NetworkDescription.DenseStack(Precision.Single, 3, (1, Sigmoid));
    private static readonly (int, Activation)[] AllActivations = [(6, Relu), (6, LeakyRelu), (5, Sigmoid), (5, Tanh), (5, Elu), (5, Gelu), (5, Swish), (5, Softplus), (3, Softmax)];

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    public void ClassifierMatchesOnnxRuntime(int batchSize) => AssertMatches(new ClassifierNet(), ClassifierDescription, batchSize, seed: 11);

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    public void SmoothActivationsMatchOnnxRuntime(int batchSize) => AssertMatches(new SmoothNet(), SmoothDescription, batchSize, seed: 12);

    [Fact]
    public void WideNetworkMatchesOnnxRuntime() => AssertMatches(new WideNet(), WideDescription, batchSize: 33, seed: 13);

    [Fact]
    public void SingleOutputNetworkMatchesOnnxRuntime() => AssertMatches(new LogisticNet(), LogisticDescription, batchSize: 5, seed: 14);

    [Fact]
    public void EveryActivationInFloatMatchesOnnxRuntime() =>
        AssertMatches(new AllActivationsNet(), NetworkDescription.DenseStack(Precision.Single, 4, AllActivations), batchSize: 17, seed: 15);

    [Fact]
    public void EveryActivationInDoubleMatchesOnnxRuntime() =>
        AssertMatches(new AllActivationsDoubleNet(), NetworkDescription.DenseStack(Precision.Double, 4, AllActivations), batchSize: 17, seed: 16);

    [Fact]
    public void TrainedParametersAreExported()
    {
        var net = new ClassifierNet();
        var random = new Random(21);
        float[] inputs = RandomValues<float>(random, 16 * ClassifierNet.InputSize);
        float[] targets = new float[16 * ClassifierNet.OutputSize];
        for (int i = 0; i < 16; i++) targets[i * ClassifierNet.OutputSize + random.Next(ClassifierNet.OutputSize)] = 1;
        float[] initial = net.Parameters.ToArray();
        for (int step = 0; step < 20; step++) net.TrainStep(inputs, targets, 16);
        Assert.NotEqual(initial, net.Parameters.ToArray());
        AssertMatches(net, ClassifierDescription, batchSize: 16, seed: 22);
    }

    [Fact]
    public void DescribedNetworkExportsToAFile()
    {
        var net = new DescribedNetwork<float>(new SmoothNet(), SmoothDescription);
        string path = Path.Combine(Path.GetTempPath(), $"nng-{Guid.NewGuid():N}.onnx");
        try
        {
            net.ExportOnnx(path);
            byte[] model = File.ReadAllBytes(path);
            var random = new Random(31);
            float[] inputs = RandomValues<float>(random, 4 * SmoothNet.InputSize);
            float[] ours = new float[4 * SmoothNet.OutputSize];
            net.Forward(inputs, ours, 4);
            AssertClose(ours, Run(model, inputs, 4, [SmoothNet.InputSize], [SmoothNet.OutputSize]));

            using var stream = new MemoryStream();
            net.ExportOnnx(stream);
            Assert.Equal(model, stream.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ModelDeclaresBatchDimensionAndProducer()
    {
        using var stream = new MemoryStream();
        new WideNet().ExportOnnx(WideDescription, stream);
        using var session = new InferenceSession(stream.ToArray());
        var input = session.InputMetadata[OnnxExport.InputName];
        Assert.Equal(new[] { -1, WideNet.InputSize }, input.Dimensions);
        Assert.Equal("N", input.SymbolicDimensions[0]);
        Assert.Equal(typeof(float), input.ElementType);
        var output = session.OutputMetadata[OnnxExport.OutputName];
        Assert.Equal(new[] { -1, WideNet.OutputSize }, output.Dimensions);
        Assert.Equal("NeuralNet.Gen", session.ModelMetadata.ProducerName);
        Assert.Contains(nameof(WideNet), session.ModelMetadata.Description);
    }

    [Fact]
    public void NetworkWithoutDescriptionIsRefused()
    {
        INetwork<float> net = new HandWrittenNetwork();
        var error = Assert.Throws<NotSupportedException>(() => net.ExportOnnx(new MemoryStream()));
        Assert.Contains(nameof(IDescribedNetwork), error.Message);
        Assert.Contains(nameof(HandWrittenNetwork), error.Message);
    }

    [Fact]
    public void GeneratedNetworksDescribeThemselves()
    {
        var net = new SmoothNet();
        var description = ((IDescribedNetwork)net).Description;
        Assert.Equal(SmoothDescription.Layers.Count, description.Layers.Count);
        for (int i = 0; i < description.Layers.Count; i++)
        {
            Assert.Equal(SmoothDescription.Layers[i].ToString(), description.Layers[i].ToString());
        }
        using var withDescription = new MemoryStream();
        using var selfDescribed = new MemoryStream();
        net.ExportOnnx(SmoothDescription, withDescription);
        ((INetwork<float>)net).ExportOnnx(selfDescribed);
        Assert.Equal(withDescription.ToArray(), selfDescribed.ToArray());
    }

    /// <summary>An INetwork written by hand, without a description: a 1 -> 1 identity.</summary>
    private sealed class HandWrittenNetwork : INetwork<float>
    {
        private readonly float[] _parameters = new float[1];
        public int InputSize => 1;
        public int OutputSize => 1;
        public int ParameterCount => 1;
        public string ArchitectureFingerprint => "hand-written";
        public Span<float> Parameters => _parameters;
        public int BufferCount => 0;
        public Span<float> Buffers => Span<float>.Empty;
        public void InitializeParameters(int seed) => _parameters[0] = 1;
        public void Forward(ReadOnlySpan<float> input, Span<float> output) => output[0] = input[0] * _parameters[0];
        public void Forward(ReadOnlySpan<float> inputs, Span<float> outputs, int batchSize)
        {
            for (int b = 0; b < batchSize; b++) outputs[b] = inputs[b] * _parameters[0];
        }
        public string Summary() => "hand-written";
    }

    [Fact]
    public void DescriptionOfAnotherShapeIsRefused()
    {
        var net = new SmoothNet();
        var error = Assert.Throws<ArgumentException>(() => net.ExportOnnx(ClassifierDescription, new MemoryStream()));
        Assert.Contains("does not fit the network", error.Message);
        var precision = Assert.Throws<ArgumentException>(() => net.ExportOnnx(NetworkDescription.DenseStack(Precision.Double, 4, (9, Tanh), (8, Elu), (7, Gelu), (6, Swish), (5, Softplus), (3, Linear)), new MemoryStream()));
        Assert.Contains("precision", precision.Message);
    }

    [Fact]
    public void LayersThatDoNotChainAreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new NetworkDescription(Precision.Single, 4, 100,
            [LayerDescription.Dense(4, 3, Relu, 0), LayerDescription.Dense(5, 2, Linear, 15)]));
        Assert.Contains("reads [5] but layer 0 writes [3]", error.Message);
        var overlap = Assert.Throws<ArgumentException>(() => new NetworkDescription(Precision.Single, 4, 100,
            [LayerDescription.Dense(4, 3, Relu, 0), LayerDescription.Dense(3, 2, Linear, 10)]));
        Assert.Contains("overlap", overlap.Message);
        var past = Assert.Throws<ArgumentException>(() => new NetworkDescription(Precision.Single, 4, 14, [LayerDescription.Dense(4, 3, Relu, 0)]));
        Assert.Contains("up to index 15", past.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public void ConvolutionalNetworkMatchesOnnxRuntime(int batchSize) => AssertMatches(new CnnNet(), DescriptionOf(new CnnNet()), batchSize, seed: 41);

    [Fact]
    public void ConvolutionalNetworkInDoubleMatchesOnnxRuntime() => AssertMatches(new CnnDoubleNet(), DescriptionOf(new CnnDoubleNet()), batchSize: 5, seed: 42);

    [Fact]
    public void StridedConvolutionThatLeavesEdgesUnreadMatchesOnnxRuntime() => AssertMatches(new LeftoverEdgeNet(), DescriptionOf(new LeftoverEdgeNet()), batchSize: 3, seed: 43);

    [Fact]
    public void ImageOutputKeepsTheChannelsLastLayout() => AssertMatches(new ImageOutputNet(), DescriptionOf(new ImageOutputNet()), batchSize: 2, seed: 44);

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Conv1DMatchesOnnxRuntime(int batchSize) => AssertMatches(new Conv1DExportNet(), DescriptionOf(new Conv1DExportNet()), batchSize, seed: 45);

    [Fact]
    public void Conv1DInDoubleMatchesOnnxRuntime() => AssertMatches(new Conv1DExportDoubleNet(), DescriptionOf(new Conv1DExportDoubleNet()), batchSize: 4, seed: 46);

    [Fact]
    public void StreamingModelWithConv1DAndGruMatchesOnnxRuntime() => AssertMatches(new StreamingConvExportNet(), DescriptionOf(new StreamingConvExportNet()), batchSize: 3, seed: 47);

    [Fact]
    public void Conv1DIsExportedAsAOneDimensionalConv()
    {
        var net = new Conv1DExportNet();
        var description = DescriptionOf(net);
        Assert.Equal([LayerKind.Conv1D, LayerKind.Conv1D, LayerKind.Conv1D, LayerKind.Flatten, LayerKind.Dense], description.Layers.Select(l => l.Kind));
        var same = description.Layers[0];
        // Same over 11 steps, stride 2, dilation 2, kernel 3 (span 5): 6 steps, total padding (6 - 1)·2 + 5 - 11 = 4, 2 before.
        Assert.Equal((2, 2, 2, 6), (same.Dilation, same.PadTop, same.PadBottom, same.OutputShape[0]));
        var causal = description.Layers[1];
        Assert.Equal((3, 0, 6), (causal.PadTop, causal.PadBottom, causal.OutputShape[0])); // dilation·(k − 1) = 3·1 zero steps before, none after
        Assert.False(description.Layers[2].UseBias);
        using var stream = new MemoryStream();
        net.ExportOnnx(stream);
        string text = System.Text.Encoding.Latin1.GetString(stream.ToArray());
        Assert.Contains("dilations", text);
        Assert.Contains("Conv", text);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void LayersWithoutBiasMatchOnnxRuntime(int batchSize)
    {
        var description = DescriptionOf(new NoBiasExportNet());
        Assert.Equal([false, false, true, false, true], description.Layers.Select(l => l.UseBias));
        AssertMatches(new NoBiasExportNet(), description, batchSize, seed: 48);
    }

    [Fact]
    public void ExportedLayersWithoutBiasLoadBackIntoTheSameParameters()
    {
        var net = new NoBiasExportNet();
        using var stream = new MemoryStream();
        net.ExportOnnx(stream);
        float[] exported = net.Parameters.ToArray();
        net.InitializeParameters(seed: 1234);
        Assert.NotEqual(exported, net.Parameters.ToArray());
        net.LoadOnnx(new MemoryStream(stream.ToArray()));
        Assert.Equal(exported, net.Parameters.ToArray());
        var sequence = new NoBiasSequenceExportDoubleNet();
        using var second = new MemoryStream();
        sequence.ExportOnnx(second);
        double[] exportedSequence = sequence.Parameters.ToArray();
        sequence.InitializeParameters(seed: 1234);
        sequence.LoadOnnx(new MemoryStream(second.ToArray()));
        Assert.Equal(exportedSequence, sequence.Parameters.ToArray());
    }

    [Fact]
    public void PerStepDenseWithoutBiasInDoubleMatchesOnnxRuntime() => AssertMatches(new NoBiasSequenceExportDoubleNet(), DescriptionOf(new NoBiasSequenceExportDoubleNet()), batchSize: 3, seed: 49);

    [Fact]
    public void ConvolutionWithoutBiasBeforeBatchNormMatchesOnnxRuntime() => AssertMatches(WithRunningStatistics(new NoBiasBatchNormExportNet()), DescriptionOf(new NoBiasBatchNormExportNet()), batchSize: 3, seed: 50);

    [Fact] public void BatchNormOnVectorsMatchesOnnxRuntime() => AssertMatches(WithRunningStatistics(new BatchNormVectorNet()), DescriptionOf(new BatchNormVectorNet()), batchSize: 4, seed: 51);

    [Fact] public void BatchNormOnSequencesMatchesOnnxRuntime() => AssertMatches(WithRunningStatistics(new BatchNormSequenceNet()), DescriptionOf(new BatchNormSequenceNet()), batchSize: 3, seed: 52);

    [Fact] public void BatchNormOnImagesMatchesOnnxRuntime() => AssertMatches(WithRunningStatistics(new BatchNormImageNet()), DescriptionOf(new BatchNormImageNet()), batchSize: 3, seed: 53);

    [Fact] public void BatchNormOnImagesInDoubleMatchesOnnxRuntime() => AssertMatches(WithRunningStatistics(new BatchNormImageDoubleNet()), DescriptionOf(new BatchNormImageDoubleNet()), batchSize: 2, seed: 54);

    [Fact]
    public void BatchNormIsExportedAsBatchNormalizationWithTheRunningStatistics()
    {
        var net = WithRunningStatistics(new BatchNormVectorNet());
        using var stream = new MemoryStream();
        net.ExportOnnx(stream);
        var description = DescriptionOf(net);
        Assert.Equal([LayerKind.Dense, LayerKind.BatchNorm, LayerKind.Dense], description.Layers.Select(l => l.Kind));
        Assert.Equal((1e-5, 0), (description.Layers[1].Epsilon, description.Layers[1].BufferOffset));
        using var session = new InferenceSession(stream.ToArray());
        Assert.Equal(OnnxExport.InputName, session.InputMetadata.Keys.Single());
        // A description whose BatchNorm reads past the network's buffers is refused before anything is written.
        var wrong = new NetworkDescription(Precision.Single, 6, BatchNormVectorNet.ParameterCount,
            [LayerDescription.Dense(6, 8, Linear, 0), LayerDescription.BatchNorm(1e-5, 56, 4, 8), LayerDescription.Dense(8, 3, Softmax, 72)]);
        Assert.Contains("needs buffers up to index 20", Assert.Throws<ArgumentException>(() => net.ExportOnnx(wrong, new MemoryStream())).Message);
    }

    /// <summary>Running statistics away from their initial 0 and 1, and BatchNorm weights and biases away from 1 and 0.</summary>
    private static TNet WithRunningStatistics<TNet>(TNet net) where TNet : INetwork<float>
    {
        var random = new Random(7);
        var buffers = net.Buffers;
        // Means and variances alike in [0.5, 1.5): a variance must stay positive.
        for (int i = 0; i < buffers.Length; i++) buffers[i] = (float)(random.NextDouble() + 0.5);
        var p = net.Parameters;
        for (int i = 0; i < p.Length; i++) p[i] += (float)(random.NextDouble() * 0.4 - 0.2);
        return net;
    }

    private static BatchNormImageDoubleNet WithRunningStatistics(BatchNormImageDoubleNet net)
    {
        var random = new Random(8);
        var buffers = net.Buffers;
        for (int i = 0; i < buffers.Length; i++) buffers[i] = random.NextDouble() + 0.5;
        var p = net.Parameters;
        for (int i = 0; i < p.Length; i++) p[i] += random.NextDouble() * 0.4 - 0.2;
        return net;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void ResidualImageNetworkMatchesOnnxRuntime(int batchSize) => AssertMatches(new ResidualExportNet(), DescriptionOf(new ResidualExportNet()), batchSize, seed: 45);

    [Fact]
    public void ResidualVectorNetworkInDoubleMatchesOnnxRuntime() => AssertMatches(new ResidualVectorExportNet(), DescriptionOf(new ResidualVectorExportNet()), batchSize: 4, seed: 46);

    [Fact]
    public void MergesDescribeTheirSecondOperand()
    {
        var layers = DescriptionOf(new ResidualExportNet()).Layers;
        Assert.Equal([LayerKind.Add, LayerKind.Concatenate], new[] { layers[3].Kind, layers[4].Kind });
        Assert.Equal(0, layers[3].SecondInput);
        Assert.Equal(-1, layers[4].SecondInput);
        Assert.Equal([6, 6, 5], layers[4].OutputShape);
        Assert.Null(layers[0].SecondInput);
    }

    [Fact]
    public void MergeWithASecondOperandOfAnotherShapeIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new NetworkDescription(Precision.Single, [4], 0,
            [LayerDescription.Dropout(4), LayerDescription.Concatenate(-1, 3, 4)]));
        Assert.Contains("needs [3] as its second operand but the network's input is [4]", e.Message);
    }

    [Fact]
    public void ConvolutionalNetworkDescribesItsLayers()
    {
        var description = DescriptionOf(new CnnNet());
        Assert.Equal([9, 9, 2], description.InputShape);
        Assert.Equal(
            [LayerKind.Conv2D, LayerKind.MaxPool2D, LayerKind.Conv2D, LayerKind.Dropout, LayerKind.Flatten, LayerKind.Dense],
            description.Layers.Select(l => l.Kind));
        var same = description.Layers[0];
        Assert.Equal((1, 1, 1, 1), (same.PadTop, same.PadLeft, same.PadBottom, same.PadRight));
        Assert.Equal([9, 9, 4], same.OutputShape);
        Assert.Equal([24], description.Layers[4].OutputShape);
        Assert.Equal(CnnNet.ParameterCount, description.ParameterCount);
    }

    [Fact]
    public void ExportedConvolutionalModelDeclaresChannelsLastShapes()
    {
        using var stream = new MemoryStream();
        ((INetwork<double>)new CnnDoubleNet()).ExportOnnx(stream);
        using var session = new InferenceSession(stream.ToArray());
        Assert.Equal(new[] { -1, 8, 8, 3 }, session.InputMetadata[OnnxExport.InputName].Dimensions);
        Assert.Equal(typeof(double), session.InputMetadata[OnnxExport.InputName].ElementType);
        Assert.Equal(new[] { -1, 3 }, session.OutputMetadata[OnnxExport.OutputName].Dimensions);
    }

    [Fact]
    public void LayerReadingAnEarlierOutputIsExported()
    {
        // Layer 2 reads the network's input again: the graph must wire it to "input", not to layer 1.
        var description = new NetworkDescription(Precision.Single, [3], 3 * 2 + 2 + 4 * 3 + 4, [
            LayerDescription.Dense(3, 2, Relu, 0),
            LayerDescription.ActivationLayer(Tanh, 2),
            LayerDescription.Dense(3, 4, Linear, 8).ReadingFrom(-1),
        ]);
        float[] parameters = RandomValues<float>(new Random(45), description.ParameterCount);
        using var stream = new MemoryStream();
        new ParameterOnlyNetwork<float>(parameters, 3, 4).ExportOnnx(description, stream);
        float[] input = RandomValues<float>(new Random(46), 3);
        float[] expected = new float[4];
        for (int o = 0; o < 4; o++)
        {
            double sum = parameters[8 + 12 + o];
            for (int i = 0; i < 3; i++) sum += parameters[8 + o * 3 + i] * input[i];
            expected[o] = (float)sum;
        }
        AssertClose(expected, Run(stream.ToArray(), input, 1, [3], [4]));
    }

    [Fact]
    public void LayerReadingALaterOutputIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new NetworkDescription(Precision.Single, [3], 8,
            [LayerDescription.Dense(3, 2, Relu, 0).ReadingFrom(0)]));
        Assert.Contains("not before it", error.Message);
    }

    [Fact]
    public void DenseWithoutBiasExportsGemmWithoutBias()
    {
        var description = new NetworkDescription(Precision.Double, [2], 6, [LayerDescription.Dense(2, 3, Sigmoid, 0, useBias: false)]);
        Assert.Equal(0, description.Layers[0].BiasCount);
        double[] parameters = [0.5, -1, 2, 0.25, -0.75, 1.5];
        using var stream = new MemoryStream();
        new ParameterOnlyNetwork<double>(parameters, 2, 3).ExportOnnx(description, stream);
        double[] input = [0.3, -0.6];
        double[] expected = new double[3];
        for (int o = 0; o < 3; o++) expected[o] = 1 / (1 + Math.Exp(-(parameters[o * 2] * input[0] + parameters[o * 2 + 1] * input[1])));
        AssertClose(expected, Run(stream.ToArray(), input, 1, [2], [3]));
    }

    private static NetworkDescription DescriptionOf(IDescribedNetwork net) => net.Description;

    /// <summary>Only parameters and sizes: for descriptions built by hand, whose truth the test computes itself.</summary>
    private sealed class ParameterOnlyNetwork<T>(T[] parameters, int inputSize, int outputSize) : INetwork<T> where T : unmanaged
    {
        public int InputSize => inputSize;
        public int OutputSize => outputSize;
        public int ParameterCount => parameters.Length;
        public string ArchitectureFingerprint => "parameters only";
        public Span<T> Parameters => parameters;
        public int BufferCount => 0;
        public Span<T> Buffers => Span<T>.Empty;
        public void InitializeParameters(int seed) => throw new NotSupportedException();
        public void Forward(ReadOnlySpan<T> input, Span<T> output) => throw new NotSupportedException();
        public void Forward(ReadOnlySpan<T> inputs, Span<T> outputs, int batchSize) => throw new NotSupportedException();
        public string Summary() => "parameters only";
    }

    [Fact]
    public void DenseStackLaysParametersOutAsGeneratedNetworks()
    {
        var description = ClassifierDescription;
        Assert.Equal(ClassifierNet.ParameterCount, description.ParameterCount);
        Assert.Equal([0, 48, 111, 159], description.Layers.Select(l => l.ParameterOffset));
        Assert.Equal(ClassifierNet.OutputSize, description.OutputSize);
    }

    private static void AssertMatches<T>(INetwork<T> net, NetworkDescription description, int batchSize, int seed) where T : unmanaged
    {
        using var stream = new MemoryStream();
        net.ExportOnnx(description, stream);
        byte[] model = stream.ToArray();
        T[] inputs = RandomValues<T>(new Random(seed), batchSize * net.InputSize);
        T[] batch = new T[batchSize * net.OutputSize];
        net.Forward(inputs, batch, batchSize);
        T[] onnx = Run(model, inputs, batchSize, description.InputShape, description.OutputShape);
        AssertClose(batch, onnx);

        // The one-sample path, too: it is what users call most.
        T[] single = new T[net.OutputSize];
        for (int s = 0; s < batchSize; s++)
        {
            net.Forward(inputs.AsSpan(s * net.InputSize, net.InputSize), single);
            AssertClose(single, onnx.AsSpan(s * net.OutputSize, net.OutputSize).ToArray());
        }
    }

    /// <summary>Runs the model on [batch, …inputShape], the arrays that feed our Forward, and checks the output is [batch, …outputShape].</summary>
    internal static T[] Run<T>(byte[] model, T[] inputs, int batchSize, IReadOnlyList<int> inputShape, IReadOnlyList<int> outputShape) where T : unmanaged
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        Assert.Equal(OnnxExport.InputName, session.InputMetadata.Keys.Single());
        Assert.Equal(OnnxExport.OutputName, session.OutputMetadata.Keys.Single());
        using var input = OrtValue.CreateTensorValueFromMemory(inputs, [batchSize, .. inputShape.Select(d => (long)d)]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [OnnxExport.InputName], [input], [OnnxExport.OutputName]);
        var output = results[0];
        Assert.Equal([batchSize, .. outputShape.Select(d => (long)d)], output.GetTensorTypeAndShape().Shape);
        return output.GetTensorDataAsSpan<T>().ToArray();
    }

    /// <summary>Values in [-3, 3], so every activation's negative branch is exercised.</summary>
    internal static T[] RandomValues<T>(Random random, int count) where T : unmanaged
    {
        var values = new T[count];
        for (int i = 0; i < count; i++)
        {
            double value = random.NextDouble() * 6 - 3;
            values[i] = typeof(T) == typeof(float) ? (T)(object)(float)value : (T)(object)value;
        }
        return values;
    }

    private static void AssertClose<T>(T[] expected, T[] actual) where T : unmanaged
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = Convert.ToDouble(expected[i]), a = Convert.ToDouble(actual[i]);
            Assert.True(double.IsFinite(e) && Math.Abs(e - a) <= Tolerance, $"Output {i}: ours {e:R}, ONNX Runtime {a:R} (difference {Math.Abs(e - a):E2}, tolerance {Tolerance:E0}).");
        }
    }
}

/// <summary>A network that describes itself, as generated networks will: wraps a generated one with its description.</summary>
internal sealed class DescribedNetwork<T>(INetwork<T> inner, NetworkDescription description) : INetwork<T>, IDescribedNetwork where T : unmanaged
{
    public NetworkDescription Description => description;
    public int InputSize => inner.InputSize;
    public int OutputSize => inner.OutputSize;
    public int ParameterCount => inner.ParameterCount;
    public string ArchitectureFingerprint => inner.ArchitectureFingerprint;
    public Span<T> Parameters => inner.Parameters;
    public int BufferCount => inner.BufferCount;
    public Span<T> Buffers => inner.Buffers;
    public void InitializeParameters(int seed) => inner.InitializeParameters(seed);
    public void Forward(ReadOnlySpan<T> input, Span<T> output) => inner.Forward(input, output);
    public void Forward(ReadOnlySpan<T> inputs, Span<T> outputs, int batchSize) => inner.Forward(inputs, outputs, batchSize);
    public string Summary() => inner.Summary();
}
