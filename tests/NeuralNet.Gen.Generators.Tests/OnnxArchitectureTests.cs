using System;
using System.IO;
using System.Linq;
using System.Runtime.Loader;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Generators.Tests;

/// <summary>
/// <c>[Network][Weights("x.onnx")]</c> with no layer attributes: the generator reads the layers from the file. The
/// network is the one its written-out attribute stack declares (same generated code, to the character) and computes
/// what PyTorch computed for the model (tests/TestData/onnx, written by make_models.py).
/// </summary>
public sealed class OnnxArchitectureTests(ITestOutputHelper output)
{
    private static string ModelPath(string name) => Path.Combine(AppContext.BaseDirectory, "onnx", name + ".onnx");

    private static string FromFile(string name, string attributes = "") => $$"""
        using NeuralNet.Gen;

        [Network]
        [Weights("{{name}}.onnx")]
        {{attributes}}
        public partial class Policy { }
        """;

    private static (GeneratorRunResult Result, Compilation Output) Generate(string source, string model)
    {
        var driver = RoslynHarness.CreateDriver(new AdditionalText[] { new AdditionalFile(ModelPath(model)) })
            .RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compile(source), out var compilation, out _);
        return (driver.GetRunResult().Results.Single(), compilation);
    }

    private static string Source(GeneratorRunResult result, string hint) =>
        result.GeneratedSources.Single(s => s.HintName == hint).SourceText.ToString();

    /// <summary>The constant the generator emits with the stack, read back from its literal.</summary>
    private static string Stack(GeneratorRunResult result)
    {
        string text = Source(result, "Policy.Architecture.g.cs");
        string line = text.Split('\n').Single(l => l.Contains("public const string WeightsArchitecture", StringComparison.Ordinal));
        string literal = line.Substring(line.IndexOf('"', StringComparison.Ordinal)).TrimEnd().TrimEnd(';');
        return JsonSerializer.Deserialize<string>(literal)!;
    }

    public static TheoryData<string, string> Models => new()
    {
        { "mlp", "[Input(4)]\n[Dense(8, Activation.Relu)]\n[Dense(6, Activation.Sigmoid)]\n[Dense(3, Activation.Softmax)]" },
        { "cnn", "[Input(6, 6, 2)]\n[Conv2D(4, 3, Activation.Relu, Padding = Padding.Same)]\n[MaxPool2D(2)]\n[Flatten]\n[Dense(5)]" },
        { "cnn_view", "[Input(5, 5, 2)]\n[Conv2D(3, 3, Activation.Relu)]\n[Flatten]\n[Dense(2)]" },
        { "cnn_view.opset11", "[Input(5, 5, 2)]\n[Conv2D(3, 3, Activation.Relu)]\n[Flatten]\n[Dense(2)]" },
        { "batchnorm2d_folded", "[Input(5, 5, 2)]\n[Conv2D(3, 3, Activation.Relu)]" },
        { "keras_dense", null! },
        { "act_relu6", "[Input(4)]\n[Dense(5, Activation.Relu6)]" },
        { "act_hardsigmoid", "[Input(4)]\n[Dense(5, Activation.HardSigmoid)]" },
        { "act_hardswish", "[Input(4)]\n[Dense(5, Activation.HardSwish)]" },
        { "act_hardswish.opset11", "[Input(4)]\n[Dense(5, Activation.HardSwish)]" },
        { "act_mish", "[Input(4)]\n[Dense(5, Activation.Mish)]" },
        { "act_selu", "[Input(4)]\n[Dense(5, Activation.Selu)]" },
        { "act_gelu_tanh", "[Input(4)]\n[Dense(5, Activation.Gelu)]" },
        { "act_elu", "[Input(4)]\n[Dense(5, Activation.Elu)]" },
        { "act_softplus", "[Input(4)]\n[Dense(5, Activation.Softplus)]" },
        { "act_leakyrelu", "[Input(4)]\n[Dense(5, Activation.LeakyRelu)]" },
        { "rnn_seq", null! },
        { "rnn_seq.opset11", null! },
        { "rnn_last", null! },
        { "rnn_last.opset11", null! },
        { "gru_seq", null! },
        { "gru_seq.opset11", null! },
        { "gru_last", null! },
        { "gru_last.opset11", null! },
        { "lstm_seq", null! },
        { "lstm_seq.opset11", null! },
        { "lstm_last", null! },
        { "lstm_last.opset11", null! },
        { "tf2onnx_lstm", null! },
        { "batchnorm2d", "[Input(5, 5, 2)]\n[Conv2D(3, 3, Activation.Relu)]\n[BatchNorm]" },
        { "conv1d_valid", "[Input(9, 3)]\n[Conv1D(4, 3, Activation.Relu, Stride = 2)]" },
        { "conv1d_same", "[Input(8, 3)]\n[Conv1D(4, 3, Activation.Tanh, Padding = Padding.Same)]" },
        { "conv1d_causal", "[Input(10, 2)]\n[Conv1D(3, 3, Activation.Relu, Padding = Padding.Causal, Dilation = 2)]" },
        { "residual_skip", "[Input(4)]\n[Dense(4, Activation.Relu, Name = \"fc1\")]\n[Dense(4, Activation.Tanh)]\n[Add(\"fc1\")]\n[Dense(2)]" },
        { "concat_input", "[Input(4)]\n[Dense(3, Activation.Tanh)]\n[Concatenate(\"input\")]\n[Dense(2)]" },
        { "conv1d_nobias", "[Input(8, 3)]\n[Conv1D(4, 3, Activation.Relu, UseBias = false)]" },
        { "conv2d_nobias", "[Input(5, 5, 2)]\n[Conv2D(3, 3, Activation.Tanh, UseBias = false)]" },
        { "linear_nobias", "[Input(5)]\n[Dense(3, Activation.Tanh, UseBias = false)]" },
        { "seq_linear_nobias", "[Input(5, 3)]\n[Dense(4, Activation.Tanh, UseBias = false)]" },
        { "conv2d_nobias_bn", "[Input(5, 5, 2)]\n[Conv2D(4, 3, Activation.Relu)]\n[Flatten]\n[Dense(2)]" },
        { "conv1d_lstm", "[Input(7, 2)]\n[Conv1D(4, 3, Activation.Relu, Padding = Padding.Same)]\n[LSTM(5)]\n[Dense(2)]" },
        { "conv1d_lstm.opset11", null! },
        { "layernorm", "[Input(4)]\n[Dense(6)]\n[LayerNorm]\n[Activation(Activation.Relu)]" },
        { "layernorm.opset11", null! },
        { "layernorm.opset13", null! },
        { "seq_layernorm", "[Input(5, 3)]\n[Dense(6)]\n[LayerNorm]\n[Activation(Activation.Tanh)]" },
        { "seq_layernorm.opset13", null! },
        { "batchnorm1d", "[Input(4)]\n[Dense(5)]\n[BatchNorm]\n[Activation(Activation.Relu)]" },
        { "linear_batchnorm", null! },
        { "residual", "[Input(4)]\n[Dense(4, Activation.Relu)]\n[Dense(4)]\n[Add(\"input\")]\n[Activation(Activation.Relu)]\n[Dense(2)]" },
        { "residual_cnn", "[Input(6, 6, 2)]\n[Conv2D(3, 3, Activation.Relu, Padding = Padding.Same, Name = \"conv1\")]\n[Conv2D(3, 3, Padding = Padding.Same)]\n[Add(\"conv1\")]\n[Activation(Activation.Relu)]\n[GlobalAveragePool]\n[Dense(2)]" },
        { "avgpool1d", "[Input(9, 2)]\n[Conv1D(3, 2)]\n[AveragePool1D(2)]" },
        { "avgpool2d", "[Input(4, 4, 2)]\n[AveragePool2D(2, Stride = 1)]" },
        { "maxpool1d", "[Input(11, 2)]\n[Conv1D(4, 3, Activation.Relu)]\n[MaxPool1D(2)]" },
        { "global_avgpool2d", "[Input(5, 5, 2)]\n[Conv2D(3, 3, Activation.Relu)]\n[GlobalAveragePool]\n[Dense(2)]" },
        { "global_maxpool1d", "[Input(7, 2)]\n[Conv1D(3, 3)]\n[MaxPool1D(5)]\n[Flatten]" },
        { "global_mean", "[Input(5, 5, 2)]\n[Conv2D(3, 3, Activation.Relu)]\n[GlobalAveragePool]\n[Dense(2)]" },
        { "tf2onnx_conv", "[Input(6, 6, 2)]\n[Conv2D(3, 3, Activation.Relu)]\n[Flatten]\n[Dense(2)]" },
        { "conv1d_flatten", "[Input(8, 2)]\n[Conv1D(3, 3, Activation.Tanh)]\n[Flatten]\n[Dense(2)]" },
        { "conv1d_pool_flatten", "[Input(8, 2)]\n[Conv1D(3, 3, Activation.Relu)]\n[MaxPool1D(2)]\n[Flatten]\n[Dense(2)]" },
        { "seq_linear_flatten", "[Input(5, 2)]\n[Dense(3, Activation.Tanh)]\n[Flatten]\n[Dense(2)]" },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void The_file_declares_the_stack_and_the_network_is_its_written_out_twin(string model, string? expected)
    {
        var (result, compilation) = Generate(FromFile(model), model);
        Assert.Null(result.Exception);
        Assert.Empty(GeneratorHarness.Problems(compilation));
        string stack = Stack(result);
        if (expected is not null) Assert.Equal(expected, stack);

        // The code fix's output: the same attributes written after [Weights], which then checks the file against them.
        var (twin, twinCompilation) = Generate(FromFile(model, stack), model);
        Assert.Empty(GeneratorHarness.Problems(twinCompilation));
        Assert.Equal(Source(twin, "Policy.g.cs"), Source(result, "Policy.g.cs"));
        Assert.DoesNotContain(twin.GeneratedSources, s => s.HintName == "Policy.Architecture.g.cs");
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("cnn")]
    [InlineData("cnn_view")]
    [InlineData("batchnorm2d_folded")]
    [InlineData("keras_dense")]
    [InlineData("act_mish")]
    [InlineData("act_gelu_tanh")]
    [InlineData("act_selu")]
    [InlineData("rnn_seq")]
    [InlineData("rnn_last")]
    [InlineData("gru_seq")]
    [InlineData("gru_last.opset11")]
    [InlineData("lstm_seq")]
    [InlineData("lstm_last")]
    [InlineData("tf2onnx_lstm")]
    [InlineData("batchnorm2d")]
    [InlineData("conv1d_valid")]
    [InlineData("conv1d_same")]
    [InlineData("conv1d_causal")]
    [InlineData("residual_skip")]
    [InlineData("concat_input")]
    [InlineData("conv1d_nobias")]
    [InlineData("conv2d_nobias")]
    [InlineData("linear_nobias")]
    [InlineData("seq_linear_nobias")]
    [InlineData("conv2d_nobias_bn")]
    [InlineData("conv1d_lstm")]
    [InlineData("layernorm")]
    [InlineData("layernorm.opset13")]
    [InlineData("seq_layernorm.opset11")]
    [InlineData("batchnorm1d")]
    [InlineData("linear_batchnorm")]
    [InlineData("residual")]
    [InlineData("residual_cnn")]
    [InlineData("avgpool1d")]
    [InlineData("avgpool2d")]
    [InlineData("maxpool1d")]
    [InlineData("global_avgpool2d")]
    [InlineData("global_maxpool1d")]
    [InlineData("global_mean")]
    [InlineData("tf2onnx_conv")]
    [InlineData("conv1d_flatten")]
    [InlineData("conv1d_pool_flatten")]
    [InlineData("seq_linear_flatten")]
    public void The_network_computes_what_PyTorch_computed(string model)
    {
        var (_, compilation) = Generate(FromFile(model), model);
        using var image = new MemoryStream();
        var emit = compilation.Emit(image);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Take(5)));
        var context = new AssemblyLoadContext(model, isCollectible: true);
        try
        {
            image.Position = 0;
            var net = (INetwork<float>)Activator.CreateInstance(context.LoadFromStream(image).GetType("Policy")!)!;
            using var io = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "onnx", model.Split('.')[0] + ".io.json")));
            var (input, inputShape) = Read(io.RootElement.GetProperty("input"));
            var (expected, outputShape) = Read(io.RootElement.GetProperty("output"));
            int batch = inputShape[0];
            // ONNX images and Conv1d's sequences are channels-first; ours channels-last.
            bool convSequence = ChannelsFirstSequences.Any(p => model.StartsWith(p, StringComparison.Ordinal));
            var ours = new float[expected.Length];
            // tf2onnx's image is channels-last already, as ours.
            net.Forward(model == "tf2onnx_conv" ? input : ChannelsLast(input, inputShape, convSequence), ours, batch);
            var reference = ChannelsLast(expected, outputShape, convSequence);
            double worst = reference.Zip(ours, (a, b) => Math.Abs((double)a - b)).Max();
            output.WriteLine($"{model}: {reference.Length} outputs, worst difference {worst:G3}");
            Assert.True(worst < 2e-5, $"worst difference {worst}");
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>
    /// What every committed model declares, or why it cannot (reviewed once and kept): a change in the stack reader
    /// shows here, and each refusal names its node.
    /// </summary>
    [Fact]
    public void Every_reference_model_declares_its_stack_or_names_what_it_cannot_declare()
    {
        var text = new System.Text.StringBuilder();
        foreach (string path in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "onnx"), "*.onnx").Order(StringComparer.Ordinal))
        {
            var architecture = NeuralNet.Gen.Weights.OnnxArchitecture.Infer(File.ReadAllBytes(path), out string? problem);
            text.AppendLine(Path.GetFileName(path) + ":");
            text.AppendLine(architecture is null ? "  refused: " + problem : "  " + string.Join(" ", architecture.Texts.Select(t => "[" + t + "]")));
        }
        SnapshotAssert.Matches("OnnxStacks", text.ToString());
    }

    [Fact]
    public void With_an_ONNX_file_present_an_unrelated_edit_keeps_every_output_cached()
    {
        var compilation = GeneratorHarness.Compile(FromFile("cnn"));
        var driver = RoslynHarness.CreateDriver(new AdditionalText[] { new AdditionalFile(ModelPath("cnn")) }).RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        Assert.Equal(new[] { "Policy.Architecture.g.cs", "Policy.g.cs" }, first.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));

        var changed = compilation.AddSyntaxTrees(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(TestSources.Unrelated, GeneratorHarness.ParseOptions, path: "Unrelated.cs"));
        var second = driver.RunGenerators(changed).GetRunResult().Results.Single();
        Assert.Null(second.Exception);
        RoslynHarness.AssertAllCached(second, TrackingNames.ParseNetwork, TrackingNames.EmittableNetworks, TrackingNames.ReadWeightsFiles,
            TrackingNames.BindWeights);
        Assert.Equal(
            first.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())),
            second.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())));
    }

    private static (float[] Data, int[] Shape) Read(JsonElement tensor) =>
        (tensor.GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray(),
         tensor.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray());

    /// <summary>Models whose sequences are torch's Conv1d [batch, channels, steps] (the recurrent ones are batch-first [batch, steps, features]).</summary>
    private static readonly string[] ChannelsFirstSequences = { "conv1d", "avgpool1d", "global_maxpool1d", "maxpool1d", "causal" };

    /// <summary>[batch, C, H, W] to [batch, H, W, C], and [batch, C, L] to [batch, L, C] for a Conv1d's sequence; other shapes as they are.</summary>
    private static float[] ChannelsLast(float[] data, int[] shape, bool channelsFirstSequence = false)
    {
        if (shape.Length == 3 && channelsFirstSequence) return ChannelsLast(data, new[] { shape[0], shape[1], shape[2], 1 });
        if (shape.Length != 4) return data;
        int n = shape[0], c = shape[1], h = shape[2], w = shape[3];
        var result = new float[data.Length];
        for (int b = 0; b < n; b++)
            for (int k = 0; k < c; k++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        result[((b * h + y) * w + x) * c + k] = data[((b * c + k) * h + y) * w + x];
        return result;
    }
}
