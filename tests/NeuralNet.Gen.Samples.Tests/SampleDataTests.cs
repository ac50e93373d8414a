using System;
using GenderPrediction;
using LinearRegression;
using Xunit;

namespace NeuralNet.Gen.Samples.Tests;

/// <summary>The LinearRegression and GenderPrediction samples' data and expected results, with the samples' own networks.</summary>
public class SampleDataTests
{
    private static readonly float[] X = { 3.3f, 4.4f, 5.5f, 6.71f, 6.93f, 4.168f, 9.779f, 6.182f, 7.59f, 2.167f, 7.042f, 10.791f, 5.313f, 7.997f, 3.1f };
    private static readonly float[] Y = { 1.7f, 2.76f, 2.09f, 3.19f, 1.694f, 1.573f, 3.366f, 2.596f, 2.53f, 1.221f, 2.827f, 3.465f, 1.65f, 2.904f, 1.3f };

    [Fact]
    public void LinearRegression_converges_to_the_least_squares_line()
    {
        // Closed form: slope = cov(x, y) / var(x), intercept = mean(y) - slope·mean(x).
        double mx = 0, my = 0;
        for (int i = 0; i < X.Length; i++) { mx += X[i]; my += Y[i]; }
        mx /= X.Length;
        my /= Y.Length;
        double sxy = 0, sxx = 0;
        for (int i = 0; i < X.Length; i++) { sxy += (X[i] - mx) * (Y[i] - my); sxx += (X[i] - mx) * (X[i] - mx); }
        double slope = sxy / sxx, intercept = my - slope * mx, mse = 0;
        for (int i = 0; i < X.Length; i++) mse += Math.Pow(slope * X[i] + intercept - Y[i], 2) / X.Length;
        // The sample's published figures.
        Assert.Equal(0.260, slope, 0.0005);
        Assert.Equal(0.748, intercept, 0.0005);
        Assert.Equal(0.169, mse, 0.0005);

        var net = new LineNet();
        float loss = 0;
        for (int epoch = 0; epoch < 20000; epoch++) loss = net.TrainStep(X, Y, X.Length);
        Assert.Equal(slope, net.Parameters[0], 1e-3);
        Assert.Equal(intercept, net.Parameters[1], 1e-3);
        Assert.Equal(mse, net.ComputeLoss(X, Y, X.Length), 1e-4);
        Assert.Equal(mse, loss, 1e-4);
    }

    [Fact]
    public void GenderPrediction_classifies_Emily_and_Frank()
    {
        // The tutorial's data: weight - 135 lb, height - 66 in; 1 = female.
        (float Weight, float Height, float Female)[] people = { (-2, -1, 1), (25, 6, 0), (17, 4, 0), (-15, -6, 1) };
        var net = new GenderNet();
        var x = new float[2];
        var y = new float[1];
        float first = 0, last = 0;
        for (int epoch = 1; epoch <= 1000; epoch++)
        {
            float epochLoss = 0;
            foreach (var (weight, height, female) in people)
            {
                x[0] = weight;
                x[1] = height;
                y[0] = female;
                epochLoss += net.TrainStep(x, y, 1);
            }
            if (epoch == 1) first = epochLoss / people.Length;
            last = epochLoss / people.Length;
        }
        Assert.True(last < first / 10, $"loss {first} -> {last}");
        foreach (var (weight, height, female) in people)
        {
            net.Forward(new[] { weight, height }, y);
            Assert.Equal(female, MathF.Round(y[0]));
        }
        net.Forward(new[] { -7f, -3f }, y);
        Assert.True(y[0] > 0.5f, $"Emily: {y[0]}");
        net.Forward(new[] { 20f, 2f }, y);
        Assert.True(y[0] < 0.5f, $"Frank: {y[0]}");
    }
}
