using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace NeuralNet.Gen.Runtime.Tests;

/// <summary>Weights trained elsewhere: Keras JSON and PyTorch safetensors at run time, and [Weights] at build time.</summary>
public sealed class WeightsLoaderTests
{
    private static string KerasFile(string name) => Path.Combine(AppContext.BaseDirectory, "keras-dense", name);

    private static float[] ReadColumn(string name) =>
        File.ReadAllLines(KerasFile(name)).Where(l => l.Trim().Length > 0).Select(l => float.Parse(l, CultureInfo.InvariantCulture)).ToArray();

    private static void AssertReproducesTensorFlow(INetwork<float> net)
    {
        var x = ReadColumn("x.csv");
        var y = ReadColumn("y.csv");
        Assert.Equal(100, x.Length);
        var output = new float[1];
        for (int i = 0; i < x.Length; i++)
        {
            net.Forward(new[] { x[i] }, output);
            Assert.True(Math.Abs(output[0] - y[i]) <= 2e-6, $"sample {i}: x = {x[i]}, TensorFlow {y[i]}, ours {output[0]}");
        }
    }

    [Fact]
    public void LoadKerasJson_reproduces_the_outputs_TensorFlow_computed()
    {
        var net = new KerasDenseNet();
        net.LoadKerasJson(KerasFile("dense.json"));
        AssertReproducesTensorFlow(net);
    }

    [Fact]
    public void LoadKerasJson_from_a_stream_gives_the_same_parameters()
    {
        var fromPath = new KerasDenseNet();
        fromPath.LoadKerasJson(KerasFile("dense.json"));
        var fromStream = new KerasDenseNet();
        using (var stream = File.OpenRead(KerasFile("dense.json"))) fromStream.LoadKerasJson(stream);
        Assert.Equal(fromPath.Parameters.ToArray(), fromStream.Parameters.ToArray());
    }

    [Fact]
    public void Keras_layers_without_bias_get_zero_biases_and_kernels_are_transposed()
    {
        var net = new KerasDenseNet();
        net.LoadKerasJson(KerasFile("dense.json"));
        var layers = ((IDescribedNetwork)net).Description.Layers;
        // The last three dense layers of the file have no bias (use_bias=False).
        foreach (var layer in layers.Skip(5))
        {
            var bias = net.Parameters.Slice(layer.ParameterOffset + layer.Units * layer.InputSize, layer.Units).ToArray();
            Assert.All(bias, b => Assert.Equal(0f, b));
        }
        // Layer 2 kernel [in=8][out=8]: the file's kernel[0][1] is -0.34485363960266113, our weight [out=1, in=0].
        Assert.Equal(-0.34485363960266113f, net.Parameters[layers[1].ParameterOffset + 1 * 8 + 0]);
    }

    [Fact]
    public void Weights_attribute_bakes_the_same_file_in_at_build_time()
    {
        var baked = new BakedKerasDenseNet();
        AssertReproducesTensorFlow(baked);
        var loaded = new KerasDenseNet();
        loaded.LoadKerasJson(KerasFile("dense.json"));
        Assert.Equal(loaded.Parameters.ToArray(), baked.Parameters.ToArray());
    }

    [Fact]
    public void A_baked_network_can_be_fine_tuned_and_restored()
    {
        var net = new TrainableBakedKerasDenseNet();
        var trained = net.Parameters.ToArray();
        var x = ReadColumn("x.csv").Take(8).Select(v => v / 1000f).ToArray();
        var y = new float[8];
        net.TrainStep(x, y, 8);
        Assert.NotEqual(trained, net.Parameters.ToArray());
        net.RestoreTrainedParameters();
        Assert.Equal(trained, net.Parameters.ToArray());
        AssertReproducesTensorFlow(net);
    }

    [Fact]
    public void Construction_allocates_only_the_instance_buffer()
    {
        long allocated = Allocations.Steady(() => GC.KeepAlive(new BakedKerasDenseNet()));
        var net = new BakedKerasDenseNet();
        // The object and its parameter buffer (an AlignedBuffer: its object, the array's header, ParameterCount floats and
        // up to 64 bytes to reach a cache line); the baked data is not copied to the heap.
        Assert.True(allocated <= BakedKerasDenseNet.ParameterBytes + 128 + 96, $"allocated {allocated} bytes for {BakedKerasDenseNet.ParameterBytes} bytes of parameters");
        Assert.NotEqual(0f, net.Parameters[0]);
    }

    [Fact]
    public void A_keras_activation_that_differs_is_refused_and_the_network_is_unchanged()
    {
        var net = new KerasDenseReluFirstNet();
        var before = net.Parameters.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => net.LoadKerasJson(KerasFile("dense.json")));
        Assert.Contains("activation 'tanh'; expected 'relu'", e.Message);
        Assert.Contains("layer 1 (Dense 1 -> 8, Relu)", e.Message);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Fact]
    public void A_keras_file_with_more_layers_than_the_network_is_refused()
    {
        var net = new ThreeClassNet();
        var before = net.Parameters.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => net.LoadKerasJson(KerasFile("dense.json")));
        Assert.Contains("kernel has shape [1][8]; expected [2][8]", e.Message);
        Assert.Contains("is extra", e.Message);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Theory]
    [InlineData("{\"layers\": [", "not valid JSON")]
    [InlineData("{\"model\": []}", "no \"layers\" array")]
    [InlineData("{\"layers\": [{\"type\": \"dense\", \"weights\": [[[1]], [\"a\"]]}]}", "bias[0] is a string; expected a number")]
    [InlineData("{\"layers\": [{\"type\": \"conv1d\", \"weights\": []}]}", "has type 'conv1d'")]
    [InlineData("{\"layers\": [{\"type\": \"dense\", \"weights\": [[[1e39]], [0]]}]}", "kernel[0][0] is out of float32 range")]
    [InlineData("{\"layers\": [{\"type\": \"dense\", \"weights\": [[[1e400]], [0]]}]}", "kernel[0][0] is out of float32 range")]
    [InlineData("{\"layers\": [{\"type\": \"dense\", \"weights\": [[[1]], [0]]}, {\"type\": \"activation\", \"activation\": \"gelu\"}]}", "has activation 'gelu'; expected 'linear'")]
    [InlineData("{\"layers\": [{\"type\": \"dense\", \"weights\": [[[1]], [0]]}, {\"type\": \"dense\", \"weights\": [[[1]]]}]}", "is extra: the network has only 1 Dense layers")]
    public void Malformed_keras_json_is_refused_with_the_reason(string json, string expected)
    {
        var net = new LineNet();
        var before = net.Parameters.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => net.LoadKerasJson(new MemoryStream(Encoding.UTF8.GetBytes(json))));
        Assert.Contains(expected, e.Message);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    // ---- safetensors ----

    /// <summary>ThreeClassNet's tensors as PyTorch writes nn.Sequential(Linear(2, 8), Tanh(), Linear(8, 3), Softmax()).</summary>
    private static List<Safetensors.Tensor> ThreeClassTensors(string first = "0", string second = "2")
    {
        float[] Values(int count, float scale) => Enumerable.Range(0, count).Select(i => (i + 1) * scale).ToArray();
        return new List<Safetensors.Tensor>
        {
            Safetensors.F32(first + ".weight", new[] { 8, 2 }, Values(16, 0.01f)),
            Safetensors.F32(first + ".bias", new[] { 8 }, Values(8, -0.1f)),
            Safetensors.F32(second + ".weight", new[] { 3, 8 }, Values(24, 0.02f)),
            Safetensors.F32(second + ".bias", new[] { 3 }, Values(3, 0.5f)),
        };
    }

    private static float[] Flatten(IEnumerable<Safetensors.Tensor> tensors) =>
        tensors.SelectMany(t => Enumerable.Range(0, t.Data.Length / 4).Select(i => BitConverter.ToSingle(t.Data, i * 4))).ToArray();

    [Fact]
    public void LoadSafetensors_reads_pytorch_sequential_names_in_the_network_layout()
    {
        using var folder = new TempFolder();
        var tensors = ThreeClassTensors();
        File.WriteAllBytes(folder.File("net.safetensors"), Safetensors.Write(tensors));
        var net = new ThreeClassNet();
        net.LoadSafetensors(folder.File("net.safetensors"));
        // PyTorch's weight [out, in] is our layout already: the file's values in order.
        Assert.Equal(Flatten(tensors), net.Parameters.ToArray());
    }

    [Fact]
    public void LoadSafetensors_takes_a_name_map_and_ignores_header_order()
    {
        var tensors = ThreeClassTensors("encoder.0", "head");
        tensors.Reverse();
        var net = new ThreeClassNet();
        net.LoadSafetensors(new MemoryStream(Safetensors.Write(tensors)), names: "encoder.0, head");
        tensors.Reverse();
        Assert.Equal(Flatten(tensors), net.Parameters.ToArray());
    }

    [Fact]
    public void A_double_network_widens_float32_tensors_exactly()
    {
        var tensors = ThreeClassTensors();
        var net = new ThreeClassDoubleNet();
        net.LoadSafetensors(new MemoryStream(Safetensors.Write(tensors)));
        Assert.Equal(Flatten(tensors).Select(f => (double)f), net.Parameters.ToArray());
    }

    public static TheoryData<string, string> Mismatches => new()
    {
        { "missing", "tensor '2.bias' is missing: expected shape [3] for layer 2 (Dense 8 -> 3, Softmax)" },
        { "missing-layer", "tensor '2.weight' is missing: expected shape [3, 8]" },
        { "extra", "tensor '4.weight' is extra" },
        { "shape", "tensor '2.weight' has shape [8, 3]; expected [3, 8] for layer 2 (Dense 8 -> 3, Softmax)" },
        { "f16", "tensor '0.weight' has element type F16; expected F32" },
        { "i32", "tensor '0.bias' has element type I32; expected F32" },
        { "f64", "tensor '0.bias' has element type F64; expected F32" },
        { "truncated", "is truncated: its data_offsets" },
        { "short", "truncated or is not safetensors" },
        { "names", "Names lists 1 tensor name prefixes" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void A_safetensors_file_that_does_not_fit_is_refused_naming_the_tensor(string kind, string expected)
    {
        var tensors = ThreeClassTensors();
        string? names = null;
        switch (kind)
        {
            case "missing": tensors.RemoveAt(3); break;
            case "missing-layer": tensors.RemoveRange(2, 2); break;
            case "extra": tensors.Add(Safetensors.F32("4.weight", new[] { 1, 3 }, new float[3])); break;
            case "shape": tensors[2] = Safetensors.F32("2.weight", new[] { 8, 3 }, new float[24]); break;
            case "f16": tensors[0] = new Safetensors.Tensor("0.weight", "F16", new[] { 8, 2 }, new byte[32]); break;
            case "i32": tensors[1] = new Safetensors.Tensor("0.bias", "I32", new[] { 8 }, new byte[32]); break;
            case "f64": tensors[1] = new Safetensors.Tensor("0.bias", "F64", new[] { 8 }, new byte[64]); break;
            case "names": names = "encoder"; break;
        }
        var bytes = Safetensors.Write(tensors);
        if (kind == "truncated") bytes = bytes.Take(bytes.Length - 5).ToArray();
        if (kind == "short") bytes = bytes.Take(20).ToArray();

        var net = new ThreeClassNet();
        var before = net.Parameters.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => net.LoadSafetensors(new MemoryStream(bytes), names));
        Assert.Contains(expected, e.Message);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    /// <summary>Damaged files of either format (bytes flipped, cut short) are refused as InvalidDataException, never another exception.</summary>
    [Fact]
    public void Damaged_files_are_refused_with_InvalidDataException_only()
    {
        var random = new Random(12);
        var safetensors = Safetensors.Write(ThreeClassTensors());
        var keras = File.ReadAllBytes(KerasFile("dense.json"));
        int refused = 0;
        for (int trial = 0; trial < 600; trial++)
        {
            bool isKeras = trial % 2 == 1;
            var bytes = (byte[])(isKeras ? keras : safetensors).Clone();
            // Damage the header region more often: that is where the structure is.
            int limit = isKeras ? bytes.Length : Math.Min(bytes.Length, 400);
            for (int flips = random.Next(1, 4); flips > 0; flips--) bytes[random.Next(limit)] = (byte)random.Next(256);
            if (trial % 5 == 0) bytes = bytes.Take(random.Next(bytes.Length)).ToArray();
            INetwork<float> net = isKeras ? new KerasDenseNet() : new ThreeClassNet();
            var before = net.Parameters.ToArray();
            try
            {
                if (isKeras) net.LoadKerasJson(new MemoryStream(bytes));
                else net.LoadSafetensors(new MemoryStream(bytes));
            }
            catch (InvalidDataException)
            {
                refused++;
                Assert.Equal(before, net.Parameters.ToArray());
            }
        }
        Assert.True(refused > 300, $"{refused} of 600 damaged files refused");
    }

    [Fact]
    public void A_missing_file_throws_FileNotFoundException()
    {
        using var folder = new TempFolder();
        Assert.Throws<FileNotFoundException>(() => new ThreeClassNet().LoadSafetensors(folder.File("none.safetensors")));
    }
}

/// <summary>Writes safetensors as the Python library does: u64 header length, JSON header padded with spaces to 8 bytes, data.</summary>
internal static class Safetensors
{
    public sealed record Tensor(string Name, string DType, int[] Shape, byte[] Data);

    public static Tensor F32(string name, int[] shape, float[] values) =>
        new(name, "F32", shape, values.SelectMany(BitConverter.GetBytes).ToArray());

    public static byte[] Write(IEnumerable<Tensor> tensors)
    {
        var header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        var data = new MemoryStream();
        foreach (var t in tensors)
        {
            header.Append($",\"{t.Name}\":{{\"dtype\":\"{t.DType}\",\"shape\":[{string.Join(",", t.Shape)}],\"data_offsets\":[{offset},{offset + t.Data.Length}]}}");
            data.Write(t.Data);
            offset += t.Data.Length;
        }
        header.Append('}');
        while ((header.Length + 8) % 8 != 0) header.Append(' ');
        var headerBytes = Encoding.UTF8.GetBytes(header.ToString());
        var output = new MemoryStream();
        output.Write(BitConverter.GetBytes((ulong)headerBytes.Length));
        output.Write(headerBytes);
        data.Position = 0;
        data.CopyTo(output);
        return output.ToArray();
    }
}
