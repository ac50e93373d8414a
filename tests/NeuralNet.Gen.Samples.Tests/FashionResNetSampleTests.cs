using System;
using FashionMnistResNet;
using Xunit;

namespace NeuralNet.Gen.Samples.Tests;

/// <summary>
/// The FashionMnistResNet sample's network (samples/FashionMnistResNet/FashionResNet.cs): its residual block is what
/// the summary says, and training on a small batch of synthetic images (a bright square whose corner is the class)
/// lowers the loss through the skip and the BatchNorm. The sample's own smoke run on Fashion-MNIST is in .ci/run.
/// </summary>
public class FashionResNetSampleTests
{
    [Fact]
    public void Summary_shows_the_residual_block()
    {
        string summary = new FashionResNet().Summary();
        Assert.Contains("add_1 (Add)                 (None, 14, 14, 32)", summary);
        Assert.Equal(3, summary.Split("(BatchNorm)").Length - 1);
        Assert.Contains("activation_2 (Activation, Relu)", summary);
    }

    [Fact]
    public void Training_on_a_small_batch_lowers_its_loss()
    {
        const int batch = 20;
        var net = new FashionResNet();
        var x = new float[batch * FashionResNet.InputSize];
        var t = new float[batch * FashionResNet.OutputSize];
        var random = new Random(3);
        for (int b = 0; b < batch; b++)
        {
            int label = b % 4;
            int top = label / 2 * 14, left = label % 2 * 14;
            for (int r = 0; r < 10; r++)
            {
                for (int c = 0; c < 10; c++) x[b * 784 + (top + 2 + r) * 28 + left + 2 + c] = 0.5f + 0.5f * (float)random.NextDouble();
            }
            t[b * 10 + label] = 1;
        }
        float before = net.ComputeLoss(x, t, batch);
        for (int step = 0; step < 15; step++) net.TrainStep(x, t, batch);
        float after = net.ComputeLoss(x, t, batch);
        Assert.True(after < 0.5f * before, $"loss {before} -> {after}");
    }
}
