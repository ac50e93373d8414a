using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Xunit;
using static NeuralNet.Gen.Analyzers.Tests.Harness;

namespace NeuralNet.Gen.Analyzers.Tests;

/// <summary>
/// [Weights] at build time: every way a file can fail is one NNG0012 on the path argument, naming the tensor, and the
/// generator emits nothing for it; a file that fits is baked in and the network starts with its values.
/// </summary>
public sealed class WeightsAnalyzerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "nng-weights-" + Guid.NewGuid().ToString("N"));

    public WeightsAnalyzerTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private static string Network(string weights, string precision = "") => Usings + $$"""
        [Network{{precision}}]
        [Input(2)]
        [Dense(8, Tanh)]
        [Dense(3, Softmax)]
        [Weights({{weights}})]
        public partial class Net { }
        """;

    /// <summary>The tensors of nn.Sequential(Linear(2, 8), Tanh(), Linear(8, 3), Softmax()).</summary>
    private static List<(string Name, string DType, int[] Shape, byte[] Data)> Tensors()
    {
        static byte[] F32(int count, float scale) => Enumerable.Range(0, count).SelectMany(i => BitConverter.GetBytes((i + 1) * scale)).ToArray();
        return new()
        {
            ("0.weight", "F32", new[] { 8, 2 }, F32(16, 0.01f)),
            ("0.bias", "F32", new[] { 8 }, F32(8, -0.1f)),
            ("2.weight", "F32", new[] { 3, 8 }, F32(24, 0.02f)),
            ("2.bias", "F32", new[] { 3 }, F32(3, 0.5f)),
        };
    }

    internal static byte[] Safetensors(IEnumerable<(string Name, string DType, int[] Shape, byte[] Data)> tensors)
    {
        var header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        var data = new MemoryStream();
        foreach (var t in tensors)
        {
            header.Append($",\"{t.Name}\":{{\"dtype\":\"{t.DType}\",\"shape\":[{string.Join(",", t.Shape)}],\"data_offsets\":[{data.Length},{data.Length + t.Data.Length}]}}");
            data.Write(t.Data);
        }
        header.Append('}');
        while (header.Length % 8 != 0) header.Append(' ');
        var output = new MemoryStream();
        output.Write(BitConverter.GetBytes((ulong)header.Length));
        output.Write(Encoding.UTF8.GetBytes(header.ToString()));
        output.Write(data.ToArray());
        return output.ToArray();
    }

    /// <summary>A NeuralNet.Gen parameter file, written from its documented layout (ParameterSerializer).</summary>
    private static byte[] ParameterFile(string fingerprint, float[] parameters, int elementSize = 4)
    {
        var output = new MemoryStream();
        output.Write("NNGP"u8);
        output.Write(BitConverter.GetBytes((ushort)1));
        output.WriteByte((byte)elementSize);
        output.WriteByte(0);
        var text = Encoding.UTF8.GetBytes(fingerprint);
        output.Write(BitConverter.GetBytes(text.Length));
        output.Write(text);
        output.Write(BitConverter.GetBytes((long)parameters.Length));
        foreach (var p in parameters) output.Write(elementSize == 4 ? BitConverter.GetBytes(p) : BitConverter.GetBytes((double)p));
        var bytes = output.ToArray();
        output.Write(BitConverter.GetBytes(Crc32(bytes)));
        return output.ToArray();
    }

    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    private static float[] Values(IEnumerable<(string Name, string DType, int[] Shape, byte[] Data)> tensors) =>
        tensors.SelectMany(t => Enumerable.Range(0, t.Data.Length / 4).Select(i => BitConverter.ToSingle(t.Data, i * 4))).ToArray();

    private AdditionalText File(string name, byte[] content)
    {
        var path = Path.Combine(_folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, content);
        return new AdditionalFile(path);
    }

    private static AnalysisRun Run(string source, params AdditionalText[] files) =>
        Harness.Run(new[] { ("Net.cs", source) }, OutputKind.DynamicallyLinkedLibrary, files.ToImmutableArray());

    /// <summary>One NNG0012 on the path argument containing <paramref name="expected"/>; only the throwing surface generated.</summary>
    private static void AssertMismatch(AnalysisRun run, string expected, string argument)
    {
        var diagnostics = run.Nng.ToList();
        Assert.True(diagnostics.Count > 0 && diagnostics.All(d => d.Id == "NNG0012"), string.Join("; ", diagnostics));
        Assert.Contains(diagnostics, d => d.GetMessage().Contains(expected, StringComparison.Ordinal));
        Assert.All(diagnostics, d => Assert.Equal(argument, TextAt(d)));
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        var generated = Assert.Single(run.Output.SyntaxTrees, t => run.GeneratedPaths.Contains(t.FilePath));
        Assert.Contains("has an architecture error and was not generated:\n//   NNG0012", generated.ToString().Replace("\r\n", "\n"));
        Assert.Empty(run.CompilerErrors);
    }

    /// <summary>Loads the compiled test assembly and returns a new Net's parameters.</summary>
    private static T[] ParametersOfNewNet<T>(AnalysisRun run) where T : unmanaged
    {
        Assert.Empty(run.CompilerErrors);
        using var image = new MemoryStream();
        var emit = run.Output.Emit(image);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        var context = new AssemblyLoadContext("weights-test", isCollectible: true);
        try
        {
            image.Position = 0;
            var assembly = context.LoadFromStream(image);
            var net = (INetwork<T>)Activator.CreateInstance(assembly.GetType("Net")!)!;
            return net.Parameters.ToArray();
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void A_fitting_safetensors_file_is_baked_in_and_the_network_starts_with_it()
    {
        var tensors = Tensors();
        var run = Run(Network("\"w.safetensors\""), File("w.safetensors", Safetensors(tensors)));
        Assert.Empty(run.Nng);
        Assert.Equal(1, run.GeneratedFiles);
        Assert.Equal(Values(tensors), ParametersOfNewNet<float>(run));
    }

    [Fact]
    public void A_name_map_picks_the_tensors()
    {
        var tensors = Tensors().Select(t => (t.Name.Replace("0.", "encoder.").Replace("2.", "head."), t.DType, t.Shape, t.Data)).ToList();
        var run = Run(Network("\"w.safetensors\", Names = \"encoder, head\""), File("w.safetensors", Safetensors(tensors)));
        Assert.Empty(run.Nng);
        Assert.Equal(Values(tensors), ParametersOfNewNet<float>(run));
    }

    [Fact]
    public void A_double_network_takes_float32_tensors_widened()
    {
        var tensors = Tensors();
        var run = Run(Network("\"w.safetensors\"", "(Precision = Precision.Double)"), File("w.safetensors", Safetensors(tensors)));
        Assert.Empty(run.Nng);
        Assert.Equal(Values(tensors).Select(v => (double)v), ParametersOfNewNet<double>(run));
    }

    [Fact]
    public void A_missing_file_is_NNG0012_on_the_path()
    {
        var run = Run(Network("\"weights/w.safetensors\""));
        AssertMismatch(run, "the file is missing: no AdditionalFiles item ends with 'weights/w.safetensors'", "\"weights/w.safetensors\"");
    }

    [Fact]
    public void The_path_matches_at_a_folder_boundary_only()
    {
        var run = Run(Network("\"w.safetensors\""), File("new.safetensors", Safetensors(Tensors())));
        AssertMismatch(run, "the file is missing", "\"w.safetensors\"");
    }

    [Fact]
    public void Two_files_ending_with_the_path_are_ambiguous()
    {
        var run = Run(Network("\"w.safetensors\""), File("a/w.safetensors", Safetensors(Tensors())), File("b/w.safetensors", Safetensors(Tensors())));
        AssertMismatch(run, "the path is ambiguous: 2 AdditionalFiles items end with it", "\"w.safetensors\"");
    }

    [Fact]
    public void An_unknown_extension_is_NNG0012()
    {
        var run = Run(Network("\"w.bin\""), File("w.bin", Safetensors(Tensors())));
        AssertMismatch(run, "expected .nng (parameter file), .safetensors (PyTorch), .onnx or .json (Keras)", "\"w.bin\"");
    }

    [Theory]
    [InlineData(new byte[0], "the file is not a readable ONNX model")]
    [InlineData(new byte[] { 0x08 }, "the file is not a readable ONNX model")]
    [InlineData(new byte[] { 0x08, 0x07, 0x3A, 0x7F, 0x0A }, "the file is not a readable ONNX model")]
    public void A_damaged_onnx_file_is_NNG0012_and_nothing_throws(byte[] content, string expected)
    {
        var run = Run(Network("\"w.onnx\""), File("w.onnx", content));
        AssertMismatch(run, expected, "\"w.onnx\"");
    }

    public static TheoryData<string, string> SafetensorsMismatches => new()
    {
        { "missing", "tensor '2.bias' is missing: expected shape [3] for layer 2 (Dense 8 -> 3, Softmax)" },
        { "extra", "tensor 'classifier.scale' is extra: no layer of the network takes it" },
        { "shape", "tensor '0.weight' has shape [2, 8]; expected [8, 2] for layer 1 (Dense 2 -> 8, Tanh)" },
        { "f16", "tensor '2.weight' has element type F16; expected F32 (the network's precision)" },
        { "i32", "tensor '0.bias' has element type I32; expected F32 (the network's precision)" },
        { "truncated", "tensor '2.bias' is truncated: its data_offsets [192, 204] run past the 196 bytes of data in the file" },
        { "header", "the safetensors file is truncated or is not safetensors: its header length is" },
        { "json", "the safetensors header is not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(SafetensorsMismatches))]
    public void A_safetensors_file_that_does_not_fit_is_NNG0012_naming_the_tensor(string kind, string expected)
    {
        var tensors = Tensors();
        switch (kind)
        {
            case "missing": tensors.RemoveAt(3); break;
            case "extra": tensors.Add(("classifier.scale", "F32", new[] { 1 }, new byte[4])); break;
            case "shape": tensors[0] = ("0.weight", "F32", new[] { 2, 8 }, tensors[0].Data); break;
            case "f16": tensors[2] = ("2.weight", "F16", new[] { 3, 8 }, new byte[48]); break;
            case "i32": tensors[1] = ("0.bias", "I32", new[] { 8 }, new byte[32]); break;
        }
        var bytes = Safetensors(tensors);
        if (kind == "truncated") bytes = bytes.Take(bytes.Length - 8).ToArray();
        if (kind == "header") bytes = bytes.Take(40).ToArray();
        if (kind == "json") bytes[9] = (byte)'#';
        AssertMismatch(Run(Network("\"w.safetensors\""), File("w.safetensors", bytes)), expected, "\"w.safetensors\"");
    }

    [Fact]
    public void Every_problem_of_a_file_is_reported()
    {
        var tensors = Tensors();
        tensors.RemoveAt(3);
        tensors[0] = ("0.weight", "F16", new[] { 8, 2 }, new byte[32]);
        var run = Run(Network("\"w.safetensors\""), File("w.safetensors", Safetensors(tensors)));
        Assert.Equal(2, run.Nng.Count());
    }

    [Fact]
    public void Parameters_too_large_to_bake_in_are_NNG0012_pointing_to_the_run_time_loaders()
    {
        // 2048 x 1025 + 1025 float parameters: 8.4 MB, over the 8 MB that may go into the assembly's string heap.
        var source = Usings + """
            [Network, Input(2048), Dense(1025)]
            [Weights("big.safetensors")]
            public partial class Net { }
            """;
        var tensors = new List<(string, string, int[], byte[])>
        {
            ("0.weight", "F32", new[] { 1025, 2048 }, new byte[1025 * 2048 * 4]),
            ("0.bias", "F32", new[] { 1025 }, new byte[1025 * 4]),
        };
        AssertMismatch(Run(source, File("big.safetensors", Safetensors(tensors))),
            "parameters take 8400900 bytes, more than the 8388608 that can be baked into an assembly; load the file at run time instead", "\"big.safetensors\"");
    }

    private const string Fingerprint = "float:Input(2)>Dense(8,Tanh)>Dense(3,Softmax)";

    [Fact]
    public void The_projects_own_parameter_file_is_baked_in()
    {
        var values = Enumerable.Range(0, 51).Select(i => i * 0.125f - 3).ToArray();
        // Halves that are lone UTF-16 surrogates survive the string literal the parameters are baked into.
        values[7] = BitConverter.Int32BitsToSingle(unchecked((int)0xDABCDCDE));
        values[8] = BitConverter.Int32BitsToSingle(unchecked((int)0x0000D800));
        values[9] = float.NaN;
        var run = Run(Network("\"net.nng\""), File("net.nng", ParameterFile(Fingerprint, values)));
        Assert.Empty(run.Nng);
        Assert.Equal(values, ParametersOfNewNet<float>(run));
    }

    public static TheoryData<string, string> ParameterFileMismatches => new()
    {
        { "architecture", "the parameter file was saved from another architecture: expected \"float:Input(2)>Dense(8,Tanh)>Dense(3,Softmax)\" with 51 parameters, found \"float:Input(2)>Dense(8,Relu)>Dense(3,Softmax)\" with 51" },
        { "precision", "the parameter file holds float64 parameters; expected float32, the network's precision" },
        { "crc", "the file is damaged: its CRC-32 is" },
        { "truncated", "the file is truncated: it announces 51 parameters" },
        { "magic", "does not start with the magic \"NNGP\"" },
    };

    [Theory]
    [MemberData(nameof(ParameterFileMismatches))]
    public void A_parameter_file_that_does_not_fit_is_NNG0012(string kind, string expected)
    {
        var values = new float[51];
        var bytes = kind switch
        {
            "architecture" => ParameterFile(Fingerprint.Replace("Tanh", "Relu"), values),
            "precision" => ParameterFile(Fingerprint, values, elementSize: 8),
            _ => ParameterFile(Fingerprint, values),
        };
        if (kind == "crc") bytes[bytes.Length - 10] ^= 1;
        if (kind == "truncated") bytes = bytes.Take(bytes.Length - 6).ToArray();
        if (kind == "magic") bytes[0] = (byte)'X';
        AssertMismatch(Run(Network("\"net.nng\""), File("net.nng", bytes)), expected, "\"net.nng\"");
    }

    private const string Keras = """
        {"layers": [
          {"type": "dense", "activation": "tanh", "weights": [[[1,2,3,4,5,6,7,8],[8,7,6,5,4,3,2,1]], [0,0,0,0,0,0,0,1]]},
          {"type": "dense", "activation": "", "weights": [[[1,0,0],[0,1,0],[0,0,1],[1,0,0],[0,1,0],[0,0,1],[1,0,0],[0,1,0]]]},
          {"type": "activation", "activation": "softmax", "weights": []}
        ]}
        """;

    [Fact]
    public void Keras_json_is_baked_in_transposed_with_zero_bias_for_use_bias_false()
    {
        var run = Run(Network("\"keras.json\""), new AdditionalFile("/project/keras.json", Keras));
        Assert.Empty(run.Nng);
        var p = ParametersOfNewNet<float>(run);
        // Layer 1 weight [out=1, in=0] is the kernel's [in=0][out=1] = 2, [out=0, in=1] is [1][0] = 8.
        Assert.Equal(2f, p[1 * 2 + 0]);
        Assert.Equal(8f, p[0 * 2 + 1]);
        Assert.Equal(1f, p[16 + 7]);
        // Layer 2 has no bias in the file: zeros.
        Assert.Equal(new float[3], p[48..51]);
    }

    /// <summary><see cref="Network"/> with its output layer declared without a bias (PyTorch's <c>bias=False</c>).</summary>
    private static string NoBiasNetwork(string weights) => Network(weights).Replace("[Dense(3, Softmax)]", "[Dense(3, Softmax, UseBias = false)]");

    private static List<(string Name, string DType, int[] Shape, byte[] Data)> TensorsWithoutOutputBias() => Tensors().Where(t => t.Name != "2.bias").ToList();

    [Fact]
    public void A_safetensors_file_without_a_bias_fills_a_layer_declared_without_one()
    {
        var tensors = TensorsWithoutOutputBias();
        var run = Run(NoBiasNetwork("\"w.safetensors\""), File("w.safetensors", Safetensors(tensors)));
        Assert.Empty(run.Nng);
        Assert.Equal(Values(tensors), ParametersOfNewNet<float>(run));
    }

    [Fact]
    public void A_bias_for_a_layer_declared_without_one_is_NNG0012() =>
        AssertMismatch(Run(NoBiasNetwork("\"w.safetensors\""), File("w.safetensors", Safetensors(Tensors()))), "tensor '2.bias' is extra", "\"w.safetensors\"");

    [Fact]
    public void No_bias_for_a_layer_declared_with_one_is_NNG0012() =>
        AssertMismatch(Run(Network("\"w.safetensors\""), File("w.safetensors", Safetensors(TensorsWithoutOutputBias()))), "tensor '2.bias' is missing", "\"w.safetensors\"");

    [Fact]
    public void Keras_json_fills_a_Dense_declared_without_bias_from_a_layer_without_one()
    {
        var run = Run(NoBiasNetwork("\"keras.json\""), new AdditionalFile("/project/keras.json", Keras));
        Assert.Empty(run.Nng);
        var p = ParametersOfNewNet<float>(run);
        Assert.Equal(16 + 8 + 24, p.Length);
        // Layer 2's weight [out, in] at 24 is the kernel [in][out] transposed: [0, 0] = 1, [1, 0] = kernel[0][1] = 0, [1, 1] = 1.
        Assert.Equal((1f, 0f, 1f), (p[24], p[24 + 8], p[24 + 8 + 1]));
    }

    [Fact]
    public void Keras_json_with_a_bias_for_a_Dense_declared_without_one_is_NNG0012() =>
        AssertMismatch(Run(Network("\"keras.json\"").Replace("[Dense(8, Tanh)]", "[Dense(8, Tanh, UseBias = false)]"), new AdditionalFile("/project/keras.json", Keras)),
            "Keras layer 0 (dense) for layer 1 (Dense 2 -> 8, Tanh, no bias) has a bias [8]; expected none (the layer is declared UseBias = false)", "\"keras.json\"");

    public static TheoryData<string, string, string> KerasMismatches => new()
    {
        { "\"tanh\"", "\"relu\"", "Keras layer 0 (dense) for layer 1 (Dense 2 -> 8, Tanh) has activation 'relu'; expected 'tanh', the network's activation" },
        { "[8,7,6,5,4,3,2,1]]", "[8,7,6,5,4,3,2]]", "Keras layer 0 (dense) for layer 1 (Dense 2 -> 8, Tanh): kernel has shape [2][ragged]; expected [2][8]" },
        { "[0,0,0,0,0,0,0,1]", "[0,0,0,1]", "bias has shape [4]; expected [8]" },
        { "[1,2,3,4,5,6,7,8]", "[1,2,3,\"x\",5,6,7,8]", "kernel[0][3] is a string; expected a number" },
        { "{\"type\": \"activation\"", "{\"type\": \"dense\", \"weights\": [[[1]]]}, {\"type\": \"activation\"", "Keras layer 2 (dense, kernel [1][1]) is extra: the network has only 2 Dense layers" },
        { "]]}", "]]", "the Keras JSON file is not valid JSON: expected a member name in quotes at character" },
    };

    [Theory]
    [MemberData(nameof(KerasMismatches))]
    public void Keras_json_that_does_not_fit_is_NNG0012(string find, string replace, string expected)
    {
        var json = Keras.Replace(find, replace);
        Assert.NotEqual(Keras, json);
        AssertMismatch(Run(Network("\"keras.json\""), new AdditionalFile("/project/keras.json", json)), expected, "\"keras.json\"");
    }

    [Fact]
    public void A_missing_keras_layer_is_NNG0012()
    {
        var json = """{"layers": [{"type": "dense", "activation": "tanh", "weights": [[[1,2,3,4,5,6,7,8],[8,7,6,5,4,3,2,1]]]}]}""";
        AssertMismatch(Run(Network("\"keras.json\""), new AdditionalFile("/project/keras.json", json)),
            "the dense layer for layer 2 (Dense 8 -> 3, Softmax) is missing: expected kernel [8][3]", "\"keras.json\"");
    }

    [Fact]
    public void The_keras_dense_reference_fits_its_network()
    {
        var source = Usings + """
            [Network, Input(1), Dense(8, Tanh), Dense(8, Relu), Dense(8, Elu), Dense(8, Softmax), Dense(1), Dense(8), Dense(8), Dense(1)]
            [Weights("keras-dense/dense.json")]
            public partial class Net { }
            """;
        var path = Path.Combine(NetworkAnalyzerTests.RepositoryRoot(), "tests", "TestData", "keras-dense", "dense.json");
        var run = Run(source, new AdditionalFile(path));
        Assert.All(run.Nng, d => Assert.Equal("NNG0007", d.Id)); // Softmax on a hidden layer: a warning, as the model has it
        Assert.Equal(1, run.GeneratedFiles);
        Assert.Empty(run.CompilerErrors);
    }

    private static string GruNetwork(string weights) => Usings + $$"""
        [Network]
        [Input(4, 2)]
        [GRU(3)]
        [Weights({{weights}})]
        public partial class Net { }
        """;

    /// <summary>nn.GRU(2, 3)'s state_dict as a module named "gru": weight_ih_l0 [9, 2], weight_hh_l0 [9, 3], bias_ih_l0, bias_hh_l0 [9].</summary>
    private static List<(string Name, string DType, int[] Shape, byte[] Data)> GruTensors(int hiddenColumns = 3)
    {
        static byte[] F32(int count, float scale) => Enumerable.Range(0, count).SelectMany(i => BitConverter.GetBytes((i + 1) * scale)).ToArray();
        return new()
        {
            ("gru.weight_ih_l0", "F32", new[] { 9, 2 }, F32(18, 0.01f)),
            ("gru.weight_hh_l0", "F32", new[] { 9, hiddenColumns }, F32(9 * hiddenColumns, -0.02f)),
            ("gru.bias_ih_l0", "F32", new[] { 9 }, F32(9, 0.03f)),
            ("gru.bias_hh_l0", "F32", new[] { 9 }, F32(9, -0.04f)),
        };
    }

    [Fact]
    public void A_torch_gru_state_dict_is_baked_in_in_parameter_order()
    {
        var tensors = GruTensors();
        var run = Run(GruNetwork("\"g.safetensors\", Names = \"gru\""), File("g.safetensors", Safetensors(tensors)));
        Assert.Empty(run.Nng);
        Assert.Equal(Values(tensors), ParametersOfNewNet<float>(run));
    }

    [Fact]
    public void A_recurrent_tensor_of_another_shape_is_NNG0012_naming_it() =>
        AssertMismatch(Run(GruNetwork("\"g.safetensors\", Names = \"gru\""), File("g.safetensors", Safetensors(GruTensors(hiddenColumns: 4)))),
            "tensor 'gru.weight_hh_l0' has shape [9, 4]; expected [9, 3] for layer 1 (GRU 2 -> 3)", "\"g.safetensors\"");

    [Fact]
    public void A_batchnorm_state_dict_without_running_var_is_NNG0012_naming_it()
    {
        static byte[] F32(int count) => Enumerable.Range(0, count).SelectMany(i => BitConverter.GetBytes(1f + i)).ToArray();
        var source = Usings + """
            [Network]
            [Input(3)]
            [BatchNorm]
            [Weights("bn.safetensors")]
            public partial class Net { }
            """;
        var tensors = new List<(string Name, string DType, int[] Shape, byte[] Data)>
        {
            ("0.weight", "F32", new[] { 3 }, F32(3)), ("0.bias", "F32", new[] { 3 }, F32(3)), ("0.running_mean", "F32", new[] { 3 }, F32(3)),
            ("0.num_batches_tracked", "I64", new int[0], BitConverter.GetBytes(100L)),
        };
        AssertMismatch(Run(source, File("bn.safetensors", Safetensors(tensors))),
            "tensor '0.running_var' is missing: expected shape [3] for layer 1 (BatchNorm over 3 channels)", "\"bn.safetensors\"");
        tensors.Add(("0.running_var", "F32", new[] { 3 }, F32(3)));
        var run = Run(source, File("bn.safetensors", Safetensors(tensors)));
        Assert.Empty(run.Nng);
        Assert.Equal(new float[] { 1, 2, 3, 1, 2, 3 }, ParametersOfNewNet<float>(run));
    }
}
