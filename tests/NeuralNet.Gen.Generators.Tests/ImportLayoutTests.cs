using System.Linq;
using NeuralNet.Gen.Generators.Parsing;
using NeuralNet.Gen.Weights;
using Xunit;

namespace NeuralNet.Gen.Generators.Tests;

/// <summary>
/// What each layer kind tells the importers (<see cref="ImportedLayer"/>, from its <c>Layers/*Import.cs</c>): its
/// tensors land on every parameter and buffer exactly once, in the kind's order, and formats that cannot fill a
/// kind refuse it by name.
/// </summary>
public class ImportLayoutTests
{
    /// <summary>Every kind with parameters, BatchNorm's buffers twice, a Dense after an image's Flatten, a stacked LSTM, a layer without bias.</summary>
    private const string EveryKind = """
        using NeuralNet.Gen;
        using static NeuralNet.Gen.Activation;

        [Network, Input(6, 6, 2)]
        [Conv2D(3, 3, Relu), BatchNorm, Flatten, Dense(4, Tanh), Dense(3)]
        public partial class Image { }

        [Network, Input(8, 3)]
        [Conv1D(4, 3, Tanh, Padding = Padding.Causal, UseBias = false), LayerNorm, BatchNorm, SimpleRNN(3, ReturnSequences = true), GRU(2, ReturnSequences = true)]
        [LSTM(3, ReturnSequences = true), LSTM(2), Dense(1)]
        public partial class Sequence { }
        """;

    private static WeightsLayout Layout(string typeName)
    {
        var type = GeneratorHarness.Compile(EveryKind).GetTypeByMetadataName(typeName);
        var spec = NetworkParser.Parse(type!, default).Spec;
        Assert.NotNull(spec);
        var layout = WeightsBinding.Layout(spec!, out string? problem);
        Assert.Null(problem);
        return layout!;
    }

    [Theory]
    [InlineData("Image", new[] { "Conv2D", "BatchNorm", "Dense", "Dense" })]
    [InlineData("Sequence", new[] { "Conv1D", "LayerNorm", "BatchNorm", "SimpleRNN", "GRU", "LSTM", "LSTM", "Dense" })]
    public void Every_parameter_and_buffer_is_one_tensor_s_exactly_once(string network, string[] kinds)
    {
        var layout = Layout(network);
        Assert.Equal(kinds, layout.Layers.Select(l => l.Describe().Split('(')[1].Split(' ')[0]));
        var parameterHits = new int[layout.ParameterCount];
        var bufferHits = new int[layout.BufferCount];
        foreach (var layer in layout.Layers)
        {
            foreach (var tensor in layer.Tensors(0))
            {
                long size = tensor.Shape.Aggregate(1L, (a, b) => a * b);
                var hits = tensor.InBuffers ? bufferHits : parameterHits;
                for (long i = tensor.Offset; i < tensor.Offset + size; i++) hits[i]++;
            }
        }
        Assert.All(parameterHits, h => Assert.Equal(1, h));
        Assert.All(bufferHits, h => Assert.Equal(1, h));
        Assert.True(layout.BufferCount > 0);
    }

    [Fact]
    public void Layers_under_one_prefix_are_numbered_as_one_module_s_num_layers()
    {
        var lstms = Layout("Sequence").Layers.Where(l => l.StacksUnderOnePrefix && l.Describe().Contains("LSTM")).ToList();
        Assert.Equal(2, lstms.Count);
        Assert.Equal(new[] { "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1" }, lstms[1].Tensors(1).Select(t => t.Name));
        Assert.DoesNotContain(Layout("Image").Layers, l => l.StacksUnderOnePrefix);
    }

    [Fact]
    public void A_dense_after_an_image_s_flatten_permutes_PyTorch_s_channels_first_columns()
    {
        // Flatten of 4x4x3: PyTorch's column (c, h, w) = c·16 + h·4 + w is our column (h·4 + w)·3 + c.
        var dense = Assert.IsType<DenseImport>(Layout("Image").Layers[2]);
        var parameters = new double[dense.ParameterOffset + dense.WeightCount];
        for (int column = 0; column < 48; column++) parameters[dense.ParameterOffset + column] = column;
        dense.AfterImport(parameters);
        Assert.Equal(1 * 16 + 2 * 4 + 3, parameters[dense.ParameterOffset + (2 * 4 + 3) * 3 + 1]);
        Assert.Equal(0, parameters[dense.ParameterOffset]);
        // The next row is permuted by itself.
        Assert.Equal(0, parameters[dense.ParameterOffset + 48]);
    }

    [Fact]
    public void Keras_json_refuses_every_kind_but_a_dense_with_a_bias()
    {
        var layout = Layout("Sequence");
        var import = WeightsImporter.ImportKerasJson("""{"layers": []}""", layout);
        Assert.False(import.Succeeded);
        Assert.Contains("layer 1 (Conv1D 4 filters of 3 on 3 channels, Tanh, no bias) is not one", Assert.Single(import.Problems));
        // The LayerNorm after it too (its weight and bias are no Keras dense layer's kernel and bias).
        var layerNorm = WeightsImporter.ImportKerasJson("""{"layers": []}""", layout with { Layers = layout.Layers.Skip(1).ToList() });
        Assert.Contains("layer 2 (LayerNorm over 4 values) is not one", Assert.Single(layerNorm.Problems));
    }

    [Fact]
    public void Safetensors_names_a_missing_layer_s_first_tensor_by_its_kind()
    {
        var layout = Layout("Sequence");
        // An empty safetensors file: the header "{}" and nothing after it.
        var data = new byte[] { 2, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}' };
        var import = WeightsImporter.ImportSafetensors(data, layout, names: null);
        Assert.Contains(import.Problems, p => p.StartsWith("tensor '0.weight' is missing: expected shape [4, 3, 3] for layer 1 (Conv1D"));
        Assert.Contains(import.Problems, p => p.StartsWith("tensor '6.weight_ih_l0' is missing: expected shape [3, 4] for layer 4 (SimpleRNN 4 -> 3, Tanh)"));
    }
}
