// Linear regression as the classic TensorFlow tutorial does it: one input, one output, mean squared error,
// gradient descent. A [Dense(1)] layer with a linear activation is exactly y = w·x + b.
using System;
using NeuralNet.Gen;
using NeuralNet.Gen.Samples;

namespace LinearRegression;

public static class Program
{
    // The tutorial's 15 points.
    public static readonly float[] X = { 3.3f, 4.4f, 5.5f, 6.71f, 6.93f, 4.168f, 9.779f, 6.182f, 7.59f, 2.167f, 7.042f, 10.791f, 5.313f, 7.997f, 3.1f };
    public static readonly float[] Y = { 1.7f, 2.76f, 2.09f, 3.19f, 1.694f, 1.573f, 3.366f, 2.596f, 2.53f, 1.221f, 2.827f, 3.465f, 1.65f, 2.904f, 1.3f };

    public const int Epochs = 3000;

    public static int Main()
    {
        var net = new LineNet();
        Train(net, Epochs, (epoch, loss) => Console.WriteLine($"Epoch {epoch,5}  MSE {loss:F4}  w {net.Parameters[0]:F4}  b {net.Parameters[1]:F4}"));

        var (slope, intercept) = LeastSquares(X, Y);
        float mse = net.ComputeLoss(X, Y, X.Length);
        Console.WriteLine();
        Console.WriteLine($"Fitted:        y = {net.Parameters[0]:F3}·x + {net.Parameters[1]:F3}   (MSE {mse:F3})");
        Console.WriteLine($"Least squares: y = {slope:F3}·x + {intercept:F3}");

        Plots.FittedLine(net, X, Y, "linear-regression.png", "Linear regression", "x", "y");
        Console.WriteLine("Plot: linear-regression.png");
        return 0;
    }

    /// <summary>Full-batch gradient descent: every epoch is one step over all 15 points. Returns the final MSE.</summary>
    public static float Train(LineNet net, int epochs, Action<int, float>? report = null)
    {
        float loss = 0;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            loss = net.TrainStep(X, Y, X.Length);
            if (epoch == 1 || epoch % 250 == 0) report?.Invoke(epoch, loss);
        }
        return loss;
    }

    /// <summary>The closed-form least-squares line, in double precision.</summary>
    public static (double Slope, double Intercept) LeastSquares(float[] x, float[] y)
    {
        double mx = 0, my = 0;
        for (int i = 0; i < x.Length; i++) { mx += x[i]; my += y[i]; }
        mx /= x.Length;
        my /= x.Length;
        double sxy = 0, sxx = 0;
        for (int i = 0; i < x.Length; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); }
        double slope = sxy / sxx;
        return (slope, my - slope * mx);
    }
}
