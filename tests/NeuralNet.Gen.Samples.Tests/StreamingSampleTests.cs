using System;
using System.Linq;
using Streaming;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Samples.Tests;

/// <summary>
/// The Streaming sample in a small configuration: RTNeural's model (Dense, causal dilated Conv1D, GRU, Dense) learns the
/// low-pass-then-soft-clip effect from 256 windows in 8 epochs far below predicting zero (MSE 0.2), and Step, one sample
/// per call, gives Forward's outputs bit for bit and follows the effect on a stream 750 times longer than a window.
/// </summary>
public class StreamingSampleTests(ITestOutputHelper output)
{
    [Fact]
    public void The_model_learns_the_effect_and_streams_it_sample_by_sample()
    {
        var random = new DeterministicRandom(2);
        var (inputs, targets) = SignalTask.Windows(256, ref random);
        var net = new StreamingNet();
        var losses = SignalTask.Train(net, inputs, targets, epochs: 8, batchSize: 32, seed: 3);
        output.WriteLine($"losses {string.Join(", ", losses)}");
        Assert.True(losses[^1] < losses[0] / 20, "the loss falls");
        Assert.True(losses[^1] < 0.003f, $"final loss {losses[^1]}");

        var window = inputs.AsSpan(0, SignalTask.Window).ToArray();
        var forward = new float[SignalTask.Window];
        net.Forward(window, forward);
        Assert.Equal(forward, SignalTask.Stream(net, window));

        var signal = SignalTask.Signal(SignalTask.SampleRate, ref random);
        double error = SignalTask.MeanSquaredError(SignalTask.Stream(net, signal), SignalTask.Effect(signal));
        output.WriteLine($"stream MSE over one second at 48 kHz: {error}");
        Assert.True(error < 0.005, $"stream MSE {error}");
    }
}
