using System;
using System.Collections.Generic;
using NeuralNet.Gen;

namespace Streaming;

/// <summary>
/// The effect the network learns, a small amp-like chain: a one-pole low-pass filter (it needs memory: the output
/// depends on earlier samples) followed by tanh soft clipping, y_t = tanh(Drive · l_t), l_t = a·l_(t−1) + (1 − a)·x_t.
/// The input is a noisy sum of sines.
/// </summary>
public static class SignalTask
{
    /// <summary>Samples per training window.</summary>
    public const int Window = 64;

    /// <summary>The filter's pole: a time constant of about 1/(1 − a) = 5 samples.</summary>
    public const double Pole = 0.8;

    public const double Drive = 2.5;

    /// <summary>The sample rate the real-time factor is measured against.</summary>
    public const int SampleRate = 48000;

    /// <summary>A noisy sum of three sines of random pitch, level and phase, peaking near ±1, <paramref name="length"/> samples.</summary>
    public static float[] Signal(int length, ref DeterministicRandom random)
    {
        var x = new float[length];
        Span<double> frequency = stackalloc double[3], level = stackalloc double[3], phase = stackalloc double[3];
        for (int k = 0; k < 3; k++)
        {
            frequency[k] = random.NextDouble(0.002, 0.08) * 2 * Math.PI; // radians per sample: 15 Hz to 3.8 kHz at 48 kHz
            level[k] = random.NextDouble(0.1, 0.4);
            phase[k] = random.NextDouble(0, 2 * Math.PI);
        }
        for (int t = 0; t < length; t++)
        {
            double v = 0.05 * random.NextNormal();
            for (int k = 0; k < 3; k++) v += level[k] * Math.Sin(frequency[k] * t + phase[k]);
            x[t] = (float)v;
        }
        return x;
    }

    /// <summary>The effect applied to <paramref name="x"/>, the filter at rest before the first sample.</summary>
    public static float[] Effect(ReadOnlySpan<float> x)
    {
        var y = new float[x.Length];
        double low = 0;
        for (int t = 0; t < x.Length; t++)
        {
            low = Pole * low + (1 - Pole) * x[t];
            y[t] = (float)Math.Tanh(Drive * low);
        }
        return y;
    }

    /// <summary><paramref name="count"/> windows of input and target, back to back.</summary>
    public static (float[] Inputs, float[] Targets) Windows(int count, ref DeterministicRandom random)
    {
        var inputs = new float[count * Window];
        var targets = new float[count * Window];
        for (int i = 0; i < count; i++)
        {
            var x = Signal(Window, ref random);
            x.CopyTo(inputs, i * Window);
            Effect(x).CopyTo(targets, i * Window);
        }
        return (inputs, targets);
    }

    /// <summary>Epochs of shuffled minibatches of TrainStep; the mean training loss of each epoch.</summary>
    public static List<float> Train(StreamingNet net, float[] inputs, float[] targets, int epochs, int batchSize, long seed, Action<int, float>? report = null)
    {
        int windows = inputs.Length / Window;
        var order = new int[windows];
        for (int i = 0; i < windows; i++) order[i] = i;
        var batchInputs = new float[batchSize * Window];
        var batchTargets = new float[batchSize * Window];
        var random = new DeterministicRandom(seed);
        var losses = new List<float>();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            random.Shuffle(order.AsSpan());
            double sum = 0;
            int batches = 0;
            for (int start = 0; start + batchSize <= windows; start += batchSize)
            {
                for (int b = 0; b < batchSize; b++)
                {
                    inputs.AsSpan(order[start + b] * Window, Window).CopyTo(batchInputs.AsSpan(b * Window));
                    targets.AsSpan(order[start + b] * Window, Window).CopyTo(batchTargets.AsSpan(b * Window));
                }
                sum += net.TrainStep(batchInputs, batchTargets, batchSize);
                batches++;
            }
            losses.Add((float)(sum / batches));
            report?.Invoke(epoch, losses[^1]);
        }
        return losses;
    }

    /// <summary>The mean squared error of <paramref name="prediction"/> against <paramref name="target"/>.</summary>
    public static double MeanSquaredError(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target)
    {
        double sum = 0;
        for (int i = 0; i < target.Length; i++) sum += (prediction[i] - target[i]) * (double)(prediction[i] - target[i]);
        return sum / target.Length;
    }

    /// <summary>Streams <paramref name="x"/> through Step from a fresh state, one sample per call.</summary>
    public static float[] Stream(StreamingNet net, ReadOnlySpan<float> x)
    {
        var y = new float[x.Length];
        net.ResetState();
        for (int t = 0; t < x.Length; t++) net.Step(x.Slice(t, 1), y.AsSpan(t, 1));
        return y;
    }
}
