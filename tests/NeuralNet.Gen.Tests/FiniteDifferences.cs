using System;
using System.Linq;

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
}
