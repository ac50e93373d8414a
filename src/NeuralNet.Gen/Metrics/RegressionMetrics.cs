using System;

namespace NeuralNet.Gen;

/// <summary>How far row-major predictions are from numeric targets, as Keras' regression metrics measure it.</summary>
public static class RegressionMetrics
{
    /// <summary>Mean of |prediction − target| over every value (Keras' <c>mean_absolute_error</c>, <c>mae</c>).</summary>
    public static double MeanAbsoluteError<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets) where T : unmanaged
    {
        var sums = Accumulate(predictions, targets, 1);
        return sums.MeanAbsoluteError;
    }

    /// <summary>Square root of the mean of (prediction − target)² over every value (Keras' <c>root_mean_squared_error</c>).</summary>
    public static double RootMeanSquaredError<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets) where T : unmanaged
    {
        var sums = Accumulate(predictions, targets, 1);
        return sums.RootMeanSquaredError;
    }

    /// <summary>
    /// The coefficient of determination 1 − Σ(target − prediction)² / Σ(target − mean target)², per output over the
    /// samples, averaged over the <paramref name="outputSize"/> outputs (Keras' <c>R2Score</c> with
    /// <c>class_aggregation="uniform_average"</c>). 1 is perfect, 0 is no better than predicting the mean, below 0 worse.
    /// An output whose target never varies scores 1 when predicted exactly and 0 otherwise (as scikit-learn's <c>r2_score</c>).
    /// </summary>
    public static double R2Score<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets, int outputSize = 1) where T : unmanaged
    {
        if (outputSize < 1) throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, $"outputSize must be positive, but it is {outputSize}.");
        var sums = Accumulate(predictions, targets, outputSize);
        return sums.R2Score;
    }

    private static RegressionSums Accumulate<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets, int outputSize) where T : unmanaged
    {
        ClassificationMetrics.CheckLengths(predictions.Length, targets.Length, outputSize);
        var sums = new RegressionSums(outputSize);
        sums.Begin(targets);
        sums.Add(predictions, targets);
        return sums;
    }
}

/// <summary>
/// Running sums behind <see cref="RegressionMetrics"/>, reusable across data sets without allocating. Two passes: the
/// targets' means first (they are in memory), then squared deviations from them, which stays accurate where
/// Σy² − (Σy)²/n would cancel.
/// </summary>
internal sealed class RegressionSums
{
    private readonly double[] _targetMean, _residualSquares, _totalSquares;
    private double _absoluteSum, _squareSum;
    private long _values;

    public RegressionSums(int outputSize)
    {
        _targetMean = new double[outputSize];
        _residualSquares = new double[outputSize];
        _totalSquares = new double[outputSize];
    }

    /// <summary>Clears the sums and takes the mean of every output's targets over <paramref name="targets"/>, the whole data set.</summary>
    public void Begin<T>(ReadOnlySpan<T> targets) where T : unmanaged
    {
        int outputs = _targetMean.Length;
        Array.Clear(_targetMean, 0, outputs);
        Array.Clear(_residualSquares, 0, outputs);
        Array.Clear(_totalSquares, 0, outputs);
        _absoluteSum = _squareSum = 0;
        _values = 0;
        for (int i = 0; i < targets.Length; i++) _targetMean[i % outputs] += Scalar<T>.ToDouble(targets[i]);
        long samples = targets.Length / outputs;
        for (int j = 0; j < outputs; j++) _targetMean[j] /= samples;
    }

    /// <summary>Adds whole rows of predictions and their targets.</summary>
    public void Add<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets) where T : unmanaged
    {
        int outputs = _targetMean.Length;
        for (int i = 0; i < predictions.Length; i++)
        {
            double y = Scalar<T>.ToDouble(targets[i]), error = Scalar<T>.ToDouble(predictions[i]) - y;
            _absoluteSum += Math.Abs(error);
            _squareSum += error * error;
            _residualSquares[i % outputs] += error * error;
            double deviation = y - _targetMean[i % outputs];
            _totalSquares[i % outputs] += deviation * deviation;
        }
        _values += predictions.Length;
    }

    public double MeanAbsoluteError => _absoluteSum / _values;

    public double RootMeanSquaredError => Math.Sqrt(_squareSum / _values);

    public double R2Score
    {
        get
        {
            double sum = 0;
            for (int j = 0; j < _targetMean.Length; j++)
                sum += _totalSquares[j] > 0 ? 1 - _residualSquares[j] / _totalSquares[j] : _residualSquares[j] == 0 ? 1 : 0;
            return sum / _targetMean.Length;
        }
    }
}
