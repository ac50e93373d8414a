using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using NeuralNet.Gen.Tests.Recurrent;
using NeuralNet.Gen.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Tests;

/// <summary>
/// SimpleRNN, GRU and LSTM: back-propagation through every step against 4th-order central differences in double,
/// forward against PyTorch's outputs and against the equations written out by hand, streaming (<c>Step</c>) against
/// <c>Forward</c>, and no allocation after warm-up.
/// </summary>
public class RecurrentTests(ITestOutputHelper output)
{
    private const double Step = 1e-4;
    private const double Tolerance = 1e-6;

    [Fact] public void SimpleRnn_last_state_gradients() => CheckGradients(new SimpleRnnLastCheckNet());
    [Fact] public void SimpleRnn_every_state_gradients() => CheckGradients(new SimpleRnnSequenceCheckNet());
    [Fact] public void Gru_last_state_gradients() => CheckGradients(new GruLastCheckNet());
    [Fact] public void Gru_every_state_gradients() => CheckGradients(new GruSequenceCheckNet());
    [Fact] public void Lstm_last_state_gradients() => CheckGradients(new LstmLastCheckNet());
    [Fact] public void Lstm_every_state_gradients() => CheckGradients(new LstmSequenceCheckNet());
    [Fact] public void Stacked_last_state_gradients() => CheckGradients(new StackedLastCheckNet());
    [Fact] public void Stacked_every_state_gradients() => CheckGradients(new StackedSequenceCheckNet());

    /// <summary>Parameters, inputs and targets from a fixed seed; every parameter perturbed in turn, the batch's loss differenced.</summary>
    private void CheckGradients(ITrainableNetwork<double> net, int batch = 3)
    {
        var (inputs, targets) = FiniteDifferences.Draw(net, batch, seed: 12, parameterScale: 0.6);
        FiniteDifferences.AssertMatches(net, inputs, targets, batch, output, Step, Tolerance, smallest: 1e-4, lossIsComputeLoss: true);
    }

    /// <summary>The gradient reaching the input too: a recurrent layer in front of the parameters it feeds (stacked) already checks it; here directly.</summary>
    [Fact]
    public void Input_gradient_flows_through_every_step()
    {
        // The stacked networks' first layer's weights only get a gradient through the second layer's input gradient,
        // so a wrong dx would fail Stacked_*; this checks that the first step's input matters to the loss at all.
        var net = new StackedLastCheckNet();
        var x = new double[StackedLastCheckNet.InputSize];
        var random = new DeterministicRandom(5);
        for (int i = 0; i < x.Length; i++) x[i] = random.NextDouble(-1, 1);
        var y1 = new double[1];
        var y2 = new double[1];
        net.Forward(x, y1);
        x[0] += 0.5;
        net.Forward(x, y2);
        Assert.NotEqual(y1[0], y2[0]);
    }

    [Theory]
    [InlineData("rnn_seq")]
    [InlineData("gru_seq")]
    [InlineData("lstm_seq")]
    [InlineData("rnn_last")]
    [InlineData("gru_last")]
    [InlineData("lstm_last")]
    public void Forward_matches_PyTorch(string model)
    {
        INetwork<float> net = model switch
        {
            "rnn_seq" => new TorchRnnSeqNet(),
            "gru_seq" => new TorchGruSeqNet(),
            "lstm_seq" => new TorchLstmSeqNet(),
            "rnn_last" => new TorchRnnLastNet(),
            "gru_last" => new TorchGruLastNet(),
            _ => new TorchLstmLastNet(),
        };
        float[] state = ReadSafetensors(Path.Combine(AppContext.BaseDirectory, "recurrent", model + ".safetensors"));
        Assert.Equal(net.ParameterCount, state.Length);
        state.CopyTo(net.Parameters);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "recurrent", model + ".io.json")));
        float[] x = json.RootElement.GetProperty("input").GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        float[] expected = json.RootElement.GetProperty("output").GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        int batch = x.Length / net.InputSize;
        var y = new float[expected.Length];
        net.Forward(x, y, batch);
        double worst = 0;
        for (int i = 0; i < y.Length; i++) worst = Math.Max(worst, Math.Abs(y[i] - expected[i]));
        output.WriteLine($"{model}: worst difference from PyTorch {worst:E3}");
        Assert.True(worst < 2e-6, $"worst difference {worst:E3}");
    }

    /// <summary>A safetensors file's tensors, all F32, in file order (the state_dict's order, which is Parameters' order here).</summary>
    private static float[] ReadSafetensors(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        long headerLength = BitConverter.ToInt64(bytes, 0);
        using var header = JsonDocument.Parse(new ReadOnlyMemory<byte>(bytes, 8, (int)headerLength));
        var tensors = header.RootElement.EnumerateObject().Where(t => t.Name != "__metadata__")
            .Select(t => (Start: t.Value.GetProperty("data_offsets")[0].GetInt64(), End: t.Value.GetProperty("data_offsets")[1].GetInt64(), Type: t.Value.GetProperty("dtype").GetString()))
            .OrderBy(t => t.Start).ToArray();
        Assert.All(tensors, t => Assert.Equal("F32", t.Type));
        int dataStart = 8 + (int)headerLength;
        var values = new float[(tensors[^1].End) / 4];
        Buffer.BlockCopy(bytes, dataStart, values, 0, values.Length * 4);
        return values;
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>
    /// GRU, one unit, one feature, two steps, weights chosen by hand; the expected states and gradients are the
    /// equations written out (PyTorch's: r, z, n, with r applied to W_hn·h + b_hn).
    /// </summary>
    [Fact]
    public void Tiny_gru_forward_and_gradients_by_hand()
    {
        var net = new TinyGruNet();
        // weight_ih [r, z, n], weight_hh [r, z, n], bias_ih, bias_hh
        double[] wi = { 0.5, -0.3, 0.8 }, wh = { 0.2, 0.4, -0.6 }, bi = { 0.1, 0.05, -0.1 }, bh = { -0.2, 0.3, 0.25 };
        wi.Concat(wh).Concat(bi).Concat(bh).ToArray().CopyTo(net.Parameters);
        double[] x = { 1.0, -0.5 }, target = { 0.2, -0.1 };

        double h = 0;
        var hs = new double[2];
        var r = new double[2]; var z = new double[2]; var n = new double[2]; var hn = new double[2]; var hp = new double[2];
        for (int t = 0; t < 2; t++)
        {
            hp[t] = h;
            r[t] = Sigmoid(wi[0] * x[t] + bi[0] + wh[0] * h + bh[0]);
            z[t] = Sigmoid(wi[1] * x[t] + bi[1] + wh[1] * h + bh[1]);
            hn[t] = wh[2] * h + bh[2];
            n[t] = Math.Tanh(wi[2] * x[t] + bi[2] + r[t] * hn[t]);
            h = (1 - z[t]) * n[t] + z[t] * h;
            hs[t] = h;
        }
        // The numbers, so the test states them: h_0 = 0.14437..., h_1 = -0.25226... (from the lines above).
        var y = new double[2];
        net.Forward(x, y);
        Assert.Equal(hs[0], y[0], 1e-14);
        Assert.Equal(hs[1], y[1], 1e-14);

        // MSE over the two steps: dL/dh_t = (h_t - target_t); backward through time by hand.
        double loss = net.ComputeGradients(x, target, 1);
        Assert.Equal(((hs[0] - target[0]) * (hs[0] - target[0]) + (hs[1] - target[1]) * (hs[1] - target[1])) / 2, loss, 1e-14);
        var g = new double[12];
        double dh = 0;
        for (int t = 1; t >= 0; t--)
        {
            dh += hs[t] - target[t];
            double dn = dh * (1 - z[t]) * (1 - n[t] * n[t]);
            double dz = dh * (hp[t] - n[t]) * z[t] * (1 - z[t]);
            double dr = dn * hn[t] * r[t] * (1 - r[t]);
            g[0] += dr * x[t]; g[1] += dz * x[t]; g[2] += dn * x[t];
            g[3] += dr * hp[t]; g[4] += dz * hp[t]; g[5] += dn * r[t] * hp[t];
            g[6] += dr; g[7] += dz; g[8] += dn;
            g[9] += dr; g[10] += dz; g[11] += dn * r[t];
            dh = dh * z[t] + dr * wh[0] + dz * wh[1] + dn * r[t] * wh[2];
        }
        for (int i = 0; i < 12; i++) Assert.Equal(g[i], net.Gradients[i], 1e-14);
    }

    /// <summary>LSTM, one unit, one feature, two steps: i, f, g, o; c' = f·c + i·g; h' = o·tanh(c'), written out.</summary>
    [Fact]
    public void Tiny_lstm_forward_and_gradients_by_hand()
    {
        var net = new TinyLstmNet();
        double[] wi = { 0.5, -0.3, 0.8, 0.1 }, wh = { 0.2, 0.4, -0.6, 0.7 }, bi = { 0.1, 0.05, -0.1, 0.2 }, bh = { -0.2, 0.3, 0.25, -0.15 };
        wi.Concat(wh).Concat(bi).Concat(bh).ToArray().CopyTo(net.Parameters);
        double[] x = { 1.0, -0.5 }, target = { 0.2, -0.1 };
        double h = 0, c = 0;
        var hs = new double[2]; var cs = new double[2]; var hp = new double[2]; var cp = new double[2];
        var ig = new double[2]; var fg = new double[2]; var gg = new double[2]; var og = new double[2];
        for (int t = 0; t < 2; t++)
        {
            hp[t] = h; cp[t] = c;
            ig[t] = Sigmoid(wi[0] * x[t] + bi[0] + wh[0] * h + bh[0]);
            fg[t] = Sigmoid(wi[1] * x[t] + bi[1] + wh[1] * h + bh[1]);
            gg[t] = Math.Tanh(wi[2] * x[t] + bi[2] + wh[2] * h + bh[2]);
            og[t] = Sigmoid(wi[3] * x[t] + bi[3] + wh[3] * h + bh[3]);
            c = fg[t] * c + ig[t] * gg[t];
            h = og[t] * Math.Tanh(c);
            hs[t] = h; cs[t] = c;
        }
        var y = new double[2];
        net.Forward(x, y);
        Assert.Equal(hs[0], y[0], 1e-14);
        Assert.Equal(hs[1], y[1], 1e-14);

        net.ComputeGradients(x, target, 1);
        var g = new double[16];
        double dh = 0, dc = 0;
        for (int t = 1; t >= 0; t--)
        {
            dh += hs[t] - target[t];
            double tc = Math.Tanh(cs[t]);
            dc += dh * og[t] * (1 - tc * tc);
            double[] d =
            {
                dc * gg[t] * ig[t] * (1 - ig[t]), dc * cp[t] * fg[t] * (1 - fg[t]), dc * ig[t] * (1 - gg[t] * gg[t]), dh * tc * og[t] * (1 - og[t]),
            };
            for (int k = 0; k < 4; k++)
            {
                g[k] += d[k] * x[t];
                g[4 + k] += d[k] * hp[t];
                g[8 + k] += d[k];
                g[12 + k] += d[k];
            }
            dc *= fg[t];
            dh = d[0] * wh[0] + d[1] * wh[1] + d[2] * wh[2] + d[3] * wh[3];
        }
        for (int i = 0; i < 16; i++) Assert.Equal(g[i], net.Gradients[i], 1e-14);
    }

    [Fact]
    public void Initialisation_is_uniform_within_one_over_root_units()
    {
        var net = new GruLastCheckNet();
        double bound = 1 / Math.Sqrt(5);
        var recurrent = net.Parameters.Slice(0, 3 * 5 * (3 + 5 + 2)).ToArray();
        Assert.All(recurrent, v => Assert.InRange(Math.Abs(v), 0, bound));
        Assert.True(recurrent.Max(Math.Abs) > 0.8 * bound, "the values should spread over the interval");
        Assert.Contains(recurrent, v => v < 0);
    }

    [Fact]
    public void Step_row_by_row_equals_Forward_for_sequences()
    {
        var net = new StreamSequenceNet();
        const int steps = 6, features = 2, units = 3;
        var random = new DeterministicRandom(3);
        var x = new float[steps * features];
        for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble(-1, 1);
        var expected = new float[steps * units];
        net.Forward(x, expected);
        var row = new float[units];
        for (int round = 0; round < 2; round++)
        {
            // The second round after ResetState: the stream restarts.
            net.ResetState();
            for (int t = 0; t < steps; t++)
            {
                net.Step(x.AsSpan(t * features, features), row);
                Assert.Equal(expected.AsSpan(t * units, units).ToArray(), row);
            }
        }
        // Past the declared steps the stream goes on, equal to Forward over the last six rows only if... it does not restart:
        // keep streaming the same rows and check it runs and moves.
        net.Step(x.AsSpan(0, features), row);
        Assert.NotEqual(expected.AsSpan(0, units).ToArray(), row);
        Assert.All(row, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Step_after_every_row_equals_Forward_for_a_vector_output()
    {
        var net = new StreamLastNet();
        var random = new DeterministicRandom(4);
        var x = new float[StreamLastNet.InputSize];
        for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble(-1, 1);
        var expected = new float[2];
        net.Forward(x, expected);
        var y = new float[2];
        net.ResetState();
        for (int t = 0; t < 6; t++) net.Step(x.AsSpan(t * 2, 2), y);
        Assert.Equal(expected, y);

        // Running past the declared steps equals Forward over a longer sequence would need another network: check
        // instead that a stream of 12 rows, after ResetState, ends where Forward of its last 6 does not (the state carries).
        for (int t = 0; t < 6; t++) net.Step(x.AsSpan(t * 2, 2), y);
        Assert.NotEqual(expected, y);
    }

    [Fact]
    public void Step_in_double_equals_Forward()
    {
        var net = new StreamDoubleNet();
        var random = new DeterministicRandom(9);
        var x = new double[StreamDoubleNet.InputSize];
        for (int i = 0; i < x.Length; i++) x[i] = random.NextDouble(-1, 1);
        var expected = new double[StreamDoubleNet.OutputSize];
        net.Forward(x, expected);
        var row = new double[3];
        for (int t = 0; t < 6; t++)
        {
            net.Step(x.AsSpan(t * 2, 2), row);
            Assert.Equal(expected.AsSpan(t * 3, 3).ToArray(), row);
        }
    }

    [Fact]
    public void Step_checks_its_arguments_before_touching_the_state()
    {
        var net = new StreamSequenceNet();
        var row = new float[3];
        net.Step(new float[] { 0.5f, -0.5f }, row);
        var before = row.ToArray();
        var error = Assert.Throws<ArgumentException>(() => net.Step(new float[3], row));
        Assert.Contains("2", error.Message);
        Assert.Contains("StepInputSize", error.Message);
        Assert.Throws<ArgumentException>(() => net.Step(new float[2], new float[4]));
        // The failed calls left the state alone: the next step equals a stream that never saw them.
        var reference = new StreamSequenceNet();
        var y1 = new float[3];
        var y2 = new float[3];
        reference.Step(new float[] { 0.5f, -0.5f }, y1);
        reference.Step(new float[] { 0.25f, 0.1f }, y1);
        net.Step(new float[] { 0.25f, 0.1f }, y2);
        Assert.Equal(y1, y2);
        Assert.Equal(2, StreamSequenceNet.StepInputSize);
        Assert.Equal(3, StreamSequenceNet.StepOutputSize);
    }

    [Fact]
    public void Only_causal_networks_stream()
    {
        Assert.NotNull(typeof(StreamLastNet).GetMethod("Step"));
        Assert.NotNull(typeof(StreamSequenceNet).GetMethod("ResetState"));
        Assert.Null(typeof(FlattenedGruNet).GetMethod("Step"));
        Assert.Null(typeof(FlattenedGruNet).GetMethod("ResetState"));
    }

    [Fact]
    public void Step_Forward_and_training_allocate_nothing_after_warm_up()
    {
        var net = new StreamSequenceNet();
        var x = new float[StreamSequenceNet.InputSize];
        var y = new float[StreamSequenceNet.OutputSize];
        var row = new float[3];
        var xs = new float[4 * StreamSequenceNet.InputSize];
        var ts = new float[4 * StreamSequenceNet.OutputSize];
        Assert.Equal(0, Allocations.Steady(() => net.Step(x.AsSpan(0, 2), row), calls: 10));
        Assert.Equal(0, Allocations.Steady(() => net.Forward(x, y)));
        Assert.Equal(0, Allocations.Steady(() => net.Forward(xs, ts, 4)));
        Assert.Equal(0, Allocations.Steady(() => net.TrainStep(xs, ts, 4)));
        var last = new StreamLastNet();
        var xl = new float[4 * StreamLastNet.InputSize];
        var tl = new float[4 * StreamLastNet.OutputSize];
        Assert.Equal(0, Allocations.Steady(() => last.TrainStep(xl, tl, 4)));
        Assert.Equal(0, Allocations.Steady(() => last.Step(xl.AsSpan(0, 2), tl.AsSpan(0, 2))));
    }

    [Fact]
    public void Training_lowers_the_loss_of_a_sequence_task()
    {
        // Each output step is the running mean of the inputs so far: the state must carry it.
        var net = new StreamSequenceNet();
        var random = new DeterministicRandom(21);
        const int batch = 16;
        var x = new float[batch * 12];
        var t = new float[batch * 18];
        for (int b = 0; b < batch; b++)
        {
            float sum = 0;
            for (int s = 0; s < 6; s++)
            {
                float v = (float)random.NextDouble(-1, 1);
                x[b * 12 + s * 2] = v;
                x[b * 12 + s * 2 + 1] = 1;
                sum += v;
                for (int u = 0; u < 3; u++) t[b * 18 + s * 3 + u] = 0.5f * sum / (s + 1);
            }
        }
        float first = net.ComputeLoss(x, t, batch), loss = first;
        for (int i = 0; i < 300; i++) loss = net.TrainStep(x, t, batch);
        output.WriteLine($"loss {first} -> {loss}");
        Assert.True(loss < 0.2f * first, $"loss {first} -> {loss}");
    }
}
