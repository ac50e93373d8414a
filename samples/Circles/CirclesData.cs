using System;
using NeuralNet.Gen;

namespace Circles;

/// <summary>
/// Two concentric noisy circles, as scikit-learn's make_circles: half the points on the unit circle (label 0),
/// half on a circle of radius <c>factor</c> (label 1), each coordinate with Gaussian noise of standard deviation
/// <c>noise</c>, in a seeded random order.
/// </summary>
public static class CirclesData
{
    public readonly record struct SplitData(float[] TrainInputs, float[] TrainLabels, float[] TestInputs, float[] TestLabels);

    public static (float[] Inputs, float[] Labels) Generate(int samples, double noise, double factor, int seed)
    {
        if (samples < 2) throw new ArgumentOutOfRangeException(nameof(samples), samples, "Need at least two samples.");
        if (factor <= 0 || factor >= 1) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The inner circle's radius factor must be in (0, 1).");
        var random = new DeterministicRandom(seed);
        var inputs = new float[samples * 2];
        var labels = new float[samples];
        var order = new int[samples];
        for (int i = 0; i < samples; i++) order[i] = i;
        random.Shuffle<int>(order);
        int outer = samples / 2;
        for (int i = 0; i < samples; i++)
        {
            bool inner = i >= outer;
            double radius = inner ? factor : 1.0;
            double angle = inner ? 2 * Math.PI * (i - outer) / (samples - outer) : 2 * Math.PI * i / outer;
            int slot = order[i];
            inputs[2 * slot] = (float)(radius * Math.Cos(angle) + noise * random.NextNormal());
            inputs[2 * slot + 1] = (float)(radius * Math.Sin(angle) + noise * random.NextNormal());
            labels[slot] = inner ? 1f : 0f;
        }
        return (inputs, labels);
    }

    /// <summary>The first <paramref name="trainFraction"/> of the (already shuffled) samples for training, the rest held out.</summary>
    public static SplitData Split(float[] inputs, float[] labels, double trainFraction)
    {
        int train = (int)Math.Round(labels.Length * trainFraction);
        return new SplitData(inputs[..(2 * train)], labels[..train], inputs[(2 * train)..], labels[train..]);
    }
}
