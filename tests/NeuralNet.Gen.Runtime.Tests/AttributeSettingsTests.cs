using System;
using System.Linq;
using Xunit;

namespace NeuralNet.Gen.Runtime.Tests;

/// <summary>Issue 18, items 1 and 4: optimizer settings mean what a PyTorch user means, written as C# allows.</summary>
public class AttributeSettingsTests
{
    [Fact]
    public void Sgd_with_momentum_follows_torch_optim_SGD()
    {
        // torch.optim.SGD(momentum=μ): b = g on the first step, then b = μ·b + g; p -= lr·b.
        var (x, y) = Data();
        var trained = new SgdMomentumNet();
        var reference = new PlainSgdNet();
        Assert.Equal(reference.Parameters.ToArray(), trained.Parameters.ToArray());
        var velocity = new double[PlainSgdNet.ParameterCount];
        for (int step = 0; step < 10; step++)
        {
            reference.ComputeGradients(x, y, 4);
            var p = reference.Parameters;
            var g = reference.Gradients;
            for (int i = 0; i < p.Length; i++)
            {
                velocity[i] = step == 0 ? g[i] : 0.9 * velocity[i] + g[i];
                p[i] = (float)(p[i] - 0.05 * velocity[i]);
            }
            trained.TrainStep(x, y, 4);
        }
        var expected = reference.Parameters.ToArray();
        var actual = trained.Parameters.ToArray();
        // An absolute tolerance (rounding both to 5 decimals fails when they straddle a rounding boundary).
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5, $"parameter {i}: {actual[i]:R}, expected {expected[i]:R}");

        // Plain SGD (what Momentum = 0.9 used to give) ends elsewhere.
        var plain = new PlainSgdNet();
        for (int step = 0; step < 10; step++) plain.TrainStep(x, y, 4);
        Assert.True(plain.Parameters.ToArray().Zip(actual, (a, b) => Math.Abs(a - b)).Max() > 1e-3);
        Assert.Equal(OptimizerKind.Sgd, ((ITrainableNetwork<float>)trained).Optimizer);
        Assert.Equal(PlainSgdNet.ParameterCount * 4, SgdMomentumNet.OptimizerStateBytes); // the velocity
    }

    [Fact]
    public void Double_and_float_arguments_mean_the_same()
    {
        Assert.Equal(0.001f, new DoubleArgumentsNet().LearningRate);
        Assert.Equal(new FloatArgumentsNet().LearningRate, new DoubleArgumentsNet().LearningRate);
        var (x, y) = (new float[] { 1, 2, -1, 0.5f }, new float[] { 1, -1 });
        var a = new DoubleArgumentsNet();
        var b = new FloatArgumentsNet();
        for (int step = 0; step < 5; step++) Assert.Equal(b.TrainStep(x, y, 2), a.TrainStep(x, y, 2)); // dropout 0.5 and Adam's beta1 alike
        Assert.Equal(b.Parameters.ToArray(), a.Parameters.ToArray());
        Assert.Equal(((INetwork<float>)new FloatArgumentsNet()).ArchitectureFingerprint.Replace("FloatArgumentsNet", "X"), ((INetwork<float>)new DoubleArgumentsNet()).ArchitectureFingerprint.Replace("DoubleArgumentsNet", "X"));
    }

    private static (float[] X, float[] Y) Data()
    {
        var random = new DeterministicRandom(3);
        var x = Enumerable.Range(0, 12).Select(_ => (float)random.NextDouble(-1, 1)).ToArray();
        var y = Enumerable.Range(0, 8).Select(_ => (float)random.NextDouble(-1, 1)).ToArray();
        return (x, y);
    }
}
