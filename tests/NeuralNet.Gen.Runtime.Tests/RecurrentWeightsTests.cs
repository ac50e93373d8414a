using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Runtime.Tests;

/// <summary>
/// PyTorch's nn.RNN/GRU/LSTM state_dicts (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, and _l1 of a stacked
/// module) read by <c>[Weights]</c> at build time and <c>LoadSafetensors</c> at run time, checked against PyTorch's outputs.
/// </summary>
public class RecurrentWeightsTests(ITestOutputHelper output)
{
    private static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "onnx", name);

    internal static INetwork<float> NetworkFor(string model) => model switch
    {
        "rnn_seq" => new TorchRnnSeqWeightsNet(),
        "rnn_last" => new TorchRnnLastWeightsNet(),
        "gru_seq" => new TorchGruSeqWeightsNet(),
        "gru_last" => new TorchGruLastWeightsNet(),
        "lstm_seq" => new TorchLstmSeqWeightsNet(),
        _ => new TorchLstmLastWeightsNet(),
    };

    /// <summary>The worst difference between our batch Forward and PyTorch's output for the model's input ([batch, steps, features] in both).</summary>
    internal static double WorstDifference(INetwork<float> net, string model)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(DataFile(model + ".io.json")));
        float[] x = json.RootElement.GetProperty("input").GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        float[] expected = json.RootElement.GetProperty("output").GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        int batch = x.Length / net.InputSize;
        Assert.Equal(expected.Length, batch * net.OutputSize);
        var y = new float[expected.Length];
        net.Forward(x, y, batch);
        return expected.Select((e, i) => (double)Math.Abs(e - y[i])).Max();
    }

    [Theory]
    [InlineData("rnn_seq", "rnn")]
    [InlineData("rnn_last", "rnn, rnn, head")]
    [InlineData("gru_seq", "rnn")]
    [InlineData("gru_last", "rnn, rnn, head")]
    [InlineData("lstm_seq", "rnn")]
    [InlineData("lstm_last", "rnn, rnn, head")]
    public void LoadSafetensors_reads_torch_recurrent_state_dicts(string model, string names)
    {
        var net = NetworkFor(model);
        net.LoadSafetensors(DataFile(model + ".safetensors"), names);
        double worst = WorstDifference(net, model);
        output.WriteLine($"{model}.safetensors: worst difference from PyTorch {worst:E2}");
        Assert.True(worst <= 2e-6, $"worst difference {worst:E2}");
    }

    [Fact]
    public void Weights_attribute_bakes_torch_recurrent_state_dicts_in_at_build_time()
    {
        foreach (var (net, model) in new (INetwork<float>, string)[] { (new BakedTorchRnnLastNet(), "rnn_last"), (new BakedTorchGruLastNet(), "gru_last"), (new BakedTorchLstmSeqNet(), "lstm_seq") })
        {
            double worst = WorstDifference(net, model);
            output.WriteLine($"[Weights] {model}.safetensors: worst difference from PyTorch {worst:E2}");
            Assert.True(worst <= 2e-6, $"{model}: worst difference {worst:E2}");
        }
    }

    [Fact]
    public void Numeric_module_prefixes_count_a_stacked_module_once_per_layer()
    {
        // The same tensors renamed as an nn.Sequential-style "0" module (num_layers = 2) and "1" head.
        byte[] renamed = RenameTensors(File.ReadAllBytes(DataFile("gru_last.safetensors")), "\"rnn.", "\"0.", "\"head.", "\"1.");
        var net = new TorchGruLastWeightsNet();
        net.LoadSafetensors(new MemoryStream(renamed));
        Assert.True(WorstDifference(net, "gru_last") <= 2e-6);
    }

    [Fact]
    public void A_recurrent_tensor_that_does_not_fit_is_named_and_the_network_is_unchanged()
    {
        var net = new TorchLstmLastWeightsNet();
        float[] before = net.Parameters.ToArray();
        var shape = Assert.Throws<InvalidDataException>(() => net.LoadSafetensors(DataFile("gru_last.safetensors"), "rnn, rnn, head"));
        Assert.Contains("tensor 'rnn.weight_ih_l0' has shape [12, 3]; expected [16, 3] for layer 1 (LSTM 3 -> 4)", shape.Message);
        Assert.Contains("tensor 'rnn.bias_hh_l1' has shape [12]; expected [16] for layer 2 (LSTM 4 -> 4)", shape.Message);
        Assert.Equal(before, net.Parameters.ToArray());

        var missing = Assert.Throws<InvalidDataException>(() => new TorchLstmLastWeightsNet().LoadSafetensors(DataFile("lstm_seq.safetensors"), "rnn, rnn, head"));
        Assert.Contains("tensor 'rnn.weight_ih_l1' is missing: expected shape [16, 4] for layer 2 (LSTM 4 -> 4)", missing.Message);
        Assert.Contains("tensor 'head.weight' is missing", missing.Message);

        var extra = Assert.Throws<InvalidDataException>(() => new TorchLstmSeqWeightsNet().LoadSafetensors(DataFile("lstm_last.safetensors"), "rnn"));
        Assert.Contains("tensor 'rnn.weight_ih_l1' is extra: no layer of the network takes it (expected only 'rnn.weight_ih_l0', 'rnn.weight_hh_l0', 'rnn.bias_ih_l0', 'rnn.bias_hh_l0')", extra.Message);

        var unnamed = Assert.Throws<InvalidDataException>(() => new TorchGruSeqWeightsNet().LoadSafetensors(DataFile("gru_seq.safetensors")));
        Assert.Contains("tensor '0.weight_ih_l0' is missing", unnamed.Message);
        Assert.Contains("give the module prefixes with Names", unnamed.Message);
    }

    [Theory]
    [InlineData("rnn_seq.onnx")]
    [InlineData("rnn_seq.opset11.onnx")]
    [InlineData("rnn_last.onnx")]
    [InlineData("rnn_last.opset11.onnx")]
    [InlineData("gru_seq.onnx")]
    [InlineData("gru_seq.opset11.onnx")]
    [InlineData("gru_last.onnx")]
    [InlineData("gru_last.opset11.onnx")]
    [InlineData("lstm_seq.onnx")]
    [InlineData("lstm_seq.opset11.onnx")]
    [InlineData("lstm_last.onnx")]
    [InlineData("lstm_last.opset11.onnx")]
    public void LoadOnnx_reads_torch_exported_recurrent_layers(string file)
    {
        string model = file.Substring(0, file.IndexOf('.'));
        var net = NetworkFor(model);
        net.LoadOnnx(DataFile(file));
        double worst = WorstDifference(net, model);
        output.WriteLine($"{file}: worst difference from PyTorch {worst:E2}");
        Assert.True(worst <= 2e-6, $"worst difference {worst:E2}");
    }

    [Fact]
    public void LoadOnnx_reorders_a_tf2onnx_lstm_from_onnx_gate_order()
    {
        var net = new KerasLstmNet();
        net.LoadOnnx(DataFile("tf2onnx_lstm.onnx"));
        double worst = WorstDifference(net, "tf2onnx_lstm");
        output.WriteLine($"tf2onnx_lstm.onnx: worst difference from PyTorch {worst:E2}");
        Assert.True(worst <= 2e-6, $"worst difference {worst:E2}");
    }

    [Fact]
    public void Weights_attribute_bakes_onnx_recurrent_models_in_at_build_time()
    {
        foreach (var (net, model) in new (INetwork<float>, string)[]
        {
            (new OnnxBakedLstmLastNet(), "lstm_last"), (new OnnxBakedGruSeqNet(), "gru_seq"), (new OnnxBakedRnnLastNet(), "rnn_last"), (new OnnxBakedKerasLstmNet(), "tf2onnx_lstm"),
        })
        {
            double worst = WorstDifference(net, model);
            output.WriteLine($"[Weights] {model}: worst difference from PyTorch {worst:E2}");
            Assert.True(worst <= 2e-6, $"{model}: worst difference {worst:E2}");
        }
    }

    [Fact]
    public void An_onnx_recurrent_layer_that_does_not_fit_is_named_and_the_network_is_unchanged()
    {
        var lstm = new TorchLstmLastWeightsNet();
        float[] before = lstm.Parameters.ToArray();
        var kind = Assert.Throws<InvalidDataException>(() => lstm.LoadOnnx(DataFile("gru_last.onnx")));
        Assert.Contains("node '/rnn/GRU' is an ONNX GRU (PyTorch's nn.GRU, our GRU); expected an ONNX LSTM for layer 1 (LSTM 3 -> 4)", kind.Message);
        Assert.Equal(before, lstm.Parameters.ToArray());

        var steps = Assert.Throws<InvalidDataException>(() => new TorchLstmSeqWeightsNet().LoadOnnx(DataFile("tf2onnx_lstm.onnx")));
        Assert.Contains("node 'lstm/LSTM' gives the last step's state; expected every step's (ReturnSequences = true) for layer 1 (LSTM 3 -> 4)", steps.Message);

        var extra = Assert.Throws<InvalidDataException>(() => new TorchGruSeqWeightsNet().LoadOnnx(DataFile("gru_last.onnx")));
        Assert.Contains("(GRU) is extra: the network has 1 layers with parameters", extra.Message);

        var dense = Assert.Throws<InvalidDataException>(() => new TorchGruSeqWeightsNet().LoadOnnx(DataFile("mlp.onnx")));
        Assert.Contains("is a Gemm/MatMul; expected an ONNX GRU for layer 1 (GRU 3 -> 4)", dense.Message);
    }

    /// <summary>The file with each <paramref name="pairs"/>[2k] in its header replaced by [2k + 1] (same length, so the offsets hold).</summary>
    private static byte[] RenameTensors(byte[] file, params string[] pairs)
    {
        long headerLength = BitConverter.ToInt64(file, 0);
        string header = System.Text.Encoding.UTF8.GetString(file, 8, (int)headerLength);
        for (int i = 0; i < pairs.Length; i += 2) header = header.Replace(pairs[i], pairs[i + 1]);
        byte[] text = System.Text.Encoding.UTF8.GetBytes(header.PadRight((int)headerLength));
        Assert.Equal(headerLength, text.Length);
        return [.. BitConverter.GetBytes(headerLength), .. text, .. file.AsSpan(8 + (int)headerLength)];
    }
}
