using System;
using Circles;
using Xunit;

namespace NeuralNet.Gen.Samples.Tests;

/// <summary>The Circles sample's data and result: the Keras tutorial's network reaches at least 97% held-out accuracy.</summary>
public class CirclesSampleTests
{
    [Fact]
    public void Data_is_two_balanced_noisy_rings()
    {
        var (inputs, labels) = CirclesData.Generate(1000, noise: 0.05, factor: 0.5, seed: 1);
        Assert.Equal(2000, inputs.Length);
        int inner = 0;
        double innerRadius = 0, outerRadius = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            double r = Math.Sqrt(inputs[2 * i] * inputs[2 * i] + inputs[2 * i + 1] * inputs[2 * i + 1]);
            if (labels[i] == 1) { inner++; innerRadius += r; } else { outerRadius += r; }
        }
        Assert.Equal(500, inner);
        Assert.InRange(innerRadius / 500, 0.48, 0.53);
        Assert.InRange(outerRadius / 500, 0.98, 1.02);
        // Seeded: the same seed gives the same points, another seed other points.
        Assert.Equal(inputs, CirclesData.Generate(1000, 0.05, 0.5, seed: 1).Inputs);
        Assert.NotEqual(inputs, CirclesData.Generate(1000, 0.05, 0.5, seed: 2).Inputs);
    }

    [Fact]
    public void The_sample_configuration_reaches_97_percent_held_out()
    {
        var (inputs, labels) = CirclesData.Generate(1000, noise: 0.05, factor: 0.5, seed: 1);
        var split = CirclesData.Split(inputs, labels, trainFraction: 0.8);
        var net = new CirclesNet(); // the sample's own declaration (samples/Circles/CirclesNet.cs)
        Assert.True(net.Evaluate(split.TestInputs, split.TestLabels).Accuracy < 0.9); // it does learn
        net.Fit(split.TrainInputs, split.TrainLabels, split.TestInputs, split.TestLabels, new FitOptions { Epochs = 50, BatchSize = 32, Seed = 1 });
        Assert.True(net.Evaluate(split.TestInputs, split.TestLabels).Accuracy >= 0.97);
    }
}
