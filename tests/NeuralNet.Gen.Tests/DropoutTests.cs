using System;
using System.Linq;
using NeuralNet.Gen.Tests.Convolution;
using Xunit;

namespace NeuralNet.Gen.Tests;

/// <summary>Inverted dropout: active in training only, reproducible from the network's seed, identity at rate 0.</summary>
public class DropoutTests
{
    private static (double[] Inputs, double[] Targets) Data(int batch, int inputSize, int outputSize)
    {
        var random = new DeterministicRandom(8);
        var x = new double[batch * inputSize];
        var t = new double[batch * outputSize];
        for (int i = 0; i < x.Length; i++) x[i] = random.NextDouble(-1, 1);
        for (int i = 0; i < t.Length; i++) t[i] = random.NextDouble(-1, 1);
        return (x, t);
    }

    [Fact]
    public void Rate_zero_is_the_identity_in_training()
    {
        var with = new ZeroDropoutNet();
        var without = new NoDropoutNet();
        Assert.Equal(without.Parameters.ToArray(), with.Parameters.ToArray()); // dropout draws nothing at initialisation
        var (x, t) = Data(4, ZeroDropoutNet.InputSize, ZeroDropoutNet.OutputSize);
        Assert.Equal(without.ComputeGradients(x, t, 4), with.ComputeGradients(x, t, 4));
        Assert.Equal(without.Gradients.ToArray(), with.Gradients.ToArray());
    }

    [Fact]
    public void Forward_is_the_identity_and_training_is_not()
    {
        var net = new DropoutNet();
        var plain = new NoDropoutNet();
        net.Parameters.CopyTo(plain.Parameters);
        var (x, t) = Data(5, DropoutNet.InputSize, DropoutNet.OutputSize);
        var y = new double[5 * DropoutNet.OutputSize];
        var expected = new double[y.Length];
        net.Forward(x, y, 5);
        plain.Forward(x, expected, 5);
        Assert.Equal(expected, y);
        var one = new double[DropoutNet.OutputSize];
        net.Forward(x.AsSpan(0, DropoutNet.InputSize), one);
        Assert.Equal(expected.AsSpan(0, DropoutNet.OutputSize).ToArray(), one);
        // ComputeLoss is inference (no dropout); the training loss with masks of rate 0.3-0.5 differs from it.
        Assert.Equal(plain.ComputeLoss(x, t, 5), net.ComputeLoss(x, t, 5));
        Assert.NotEqual(net.ComputeLoss(x, t, 5), net.ComputeGradients(x, t, 5));
    }

    [Fact]
    public void Masks_advance_every_call_and_replay_after_SeedDropout()
    {
        var net = new DropoutNet();
        var (x, t) = Data(3, DropoutNet.InputSize, DropoutNet.OutputSize);
        net.SeedDropout(1);
        double first = net.ComputeGradients(x, t, 3);
        var g1 = net.Gradients.ToArray();
        double second = net.ComputeGradients(x, t, 3);
        Assert.NotEqual(first, second);
        net.SeedDropout(1);
        Assert.Equal(first, net.ComputeGradients(x, t, 3));
        Assert.Equal(g1, net.Gradients.ToArray());
    }

    [Fact]
    public void Same_seed_trains_identically()
    {
        var a = new DropoutNet();
        var b = new DropoutNet();
        var (x, t) = Data(6, DropoutNet.InputSize, DropoutNet.OutputSize);
        for (int step = 0; step < 5; step++) Assert.Equal(a.TrainStep(x, t, 6), b.TrainStep(x, t, 6));
        Assert.Equal(a.Parameters.ToArray(), b.Parameters.ToArray());
        a.InitializeParameters(9);
        b.InitializeParameters(9);
        Assert.Equal(a.ComputeGradients(x, t, 6), b.ComputeGradients(x, t, 6));
        var c = new DropoutNet();
        c.InitializeParameters(9);
        c.SeedDropout(10); // same weights, another dropout stream
        Assert.NotEqual(a.ComputeGradients(x, t, 6), c.ComputeGradients(x, t, 6));
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Mask_keeps_one_minus_rate_scaled_by_its_inverse(double rate)
    {
        var random = new DeterministicRandom(3);
        var mask = new float[100_000];
        ConvolutionKernels.DropoutMask<float>(mask, rate, ref random);
        float keep = (float)(1 / (1 - rate));
        Assert.All(mask, m => Assert.True(m == 0 || m == keep));
        double dropped = mask.Count(m => m == 0) / (double)mask.Length;
        // Binomial standard deviation is below 0.0016 here: 5 sigma.
        Assert.InRange(dropped, rate - 0.008, rate + 0.008);
        Assert.InRange(mask.Average(m => (double)m), 0.97, 1.03);
    }

    [Fact]
    public void Mask_refuses_a_rate_outside_0_1()
    {
        var random = new DeterministicRandom(3);
        var mask = new float[4];
        Assert.Throws<ArgumentOutOfRangeException>(() => ConvolutionKernels.DropoutMask<float>(mask, 1.0, ref random));
    }
}
