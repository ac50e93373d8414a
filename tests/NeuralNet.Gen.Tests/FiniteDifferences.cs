using System;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Tests;

/// <summary>The numeric gradient the gradient checks compare the generated backward pass with.</summary>
internal static class FiniteDifferences
{
    /// <summary>
    /// Fourth-order central differences of the loss <c>ComputeGradients</c> returns (the training-mode loss), one
    /// parameter at a time: truncation error O(h^4), so a larger step keeps rounding noise low. Parameters are restored.
    /// </summary>
    public static double[] Gradient(ITrainableNetwork<double> net, double[] inputs, double[] targets, int batchSize, double step)
    {
        Span<double> p = net.Parameters;
        var numeric = new double[p.Length];
        for (int i = 0; i < p.Length; i++)
        {
            double saved = p[i];
            p[i] = saved + 2 * step;
            double plus2 = net.ComputeGradients(inputs, targets, batchSize);
            p[i] = saved + step;
            double plus1 = net.ComputeGradients(inputs, targets, batchSize);
            p[i] = saved - step;
            double minus1 = net.ComputeGradients(inputs, targets, batchSize);
            p[i] = saved - 2 * step;
            double minus2 = net.ComputeGradients(inputs, targets, batchSize);
            p[i] = saved;
            numeric[i] = (8 * (plus1 - minus1) - (plus2 - minus2)) / (12 * step);
        }
        return numeric;
    }

    /// <summary>
    /// The worst relative error of <paramref name="analytic"/> against <paramref name="numeric"/> (each measured against the
    /// larger of the two, or a thousandth of the largest gradient for tiny ones), and where it is.
    /// </summary>
    public static (double Worst, int Index) WorstRelativeError(double[] analytic, double[] numeric)
    {
        double largest = analytic.Max(Math.Abs), worst = 0;
        int index = -1;
        for (int i = 0; i < analytic.Length; i++)
        {
            double error = Math.Abs(analytic[i] - numeric[i]) / Math.Max(Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric[i])), 1e-3 * largest);
            if (error > worst) { worst = error; index = i; }
        }
        return (worst, index);
    }

    /// <summary>
    /// A gradient check's data from one <paramref name="seed"/>, drawn in this order: each parameter
    /// <paramref name="parameterOffset"/> + <paramref name="parameterScale"/>·N(0, 1), the inputs uniform in
    /// ±<paramref name="inputRange"/>, the targets uniform in [<paramref name="targetLow"/>, <paramref name="targetHigh"/>].
    /// </summary>
    public static (double[] Inputs, double[] Targets) Draw(ITrainableNetwork<double> net, int batchSize, int seed, double parameterScale, double inputRange = 1.5,
        double parameterOffset = 0, double targetLow = -1, double targetHigh = 1)
    {
        var random = new DeterministicRandom(seed);
        Span<double> p = net.Parameters;
        for (int i = 0; i < p.Length; i++) p[i] = parameterOffset + parameterScale * random.NextNormal();
        var inputs = new double[batchSize * net.InputSize];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = random.NextDouble(-inputRange, inputRange);
        var targets = new double[batchSize * net.OutputSize];
        for (int i = 0; i < targets.Length; i++) targets[i] = random.NextDouble(targetLow, targetHigh);
        return (inputs, targets);
    }

    /// <summary>
    /// <c>ComputeGradients</c> against <see cref="Gradient"/> for every parameter: the worst relative error (see
    /// <see cref="WorstRelativeError"/>) must stay under <paramref name="tolerance"/>, and the largest gradient above
    /// <paramref name="smallest"/> for the check to mean anything. With <paramref name="lossIsComputeLoss"/> the loss
    /// it returns must also be <c>ComputeLoss</c>'s (no layer whose training differs from inference, as BatchNorm's does).
    /// </summary>
    public static void AssertMatches(ITrainableNetwork<double> net, double[] inputs, double[] targets, int batchSize, ITestOutputHelper output,
        double step = 1e-4, double tolerance = 1e-6, double smallest = 1e-6, bool lossIsComputeLoss = false)
    {
        double loss = net.ComputeGradients(inputs, targets, batchSize);
        double[] analytic = net.Gradients.ToArray();
        if (lossIsComputeLoss) Assert.Equal(net.ComputeLoss(inputs, targets, batchSize), loss, 1e-12 * Math.Max(1, Math.Abs(loss)));
        double[] numeric = Gradient(net, inputs, targets, batchSize, step);
        var (worst, index) = WorstRelativeError(analytic, numeric);
        index = Math.Max(index, 0); // -1 when every difference is exact
        double largest = analytic.Max(Math.Abs);
        output.WriteLine($"{net.GetType().Name}, batch {batchSize}: {analytic.Length} parameters, loss {loss:R}, largest gradient {largest:E3}, worst relative error {worst:E3} (parameter {index})");
        Assert.True(largest > smallest, "the gradient is too small for the check to mean anything");
        Assert.True(worst < tolerance, $"parameter {index}: analytic {analytic[index]:R}, numeric {numeric[index]:R}, error {worst:E3}");
    }
}
