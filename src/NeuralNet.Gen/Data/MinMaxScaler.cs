using System;
using System.Numerics;

namespace NeuralNet.Gen.Data;

/// <summary>
/// Min-max normalisation per feature (scikit-learn's <c>MinMaxScaler</c>): fitted on training data, then applied to
/// validation and test data with the training minimum and maximum. x' = lower + (x − min)(upper − lower)/(max − min);
/// a constant feature maps to <c>lower</c>.
/// </summary>
public sealed class MinMaxScaler<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _minimum, _maximum;
    private readonly T _lower, _upper;

    private MinMaxScaler(T[] minimum, T[] maximum, T lower, T upper)
    {
        _minimum = minimum;
        _maximum = maximum;
        _lower = lower;
        _upper = upper;
    }

    /// <summary>Values per sample.</summary>
    public int FeatureCount => _minimum.Length;

    /// <summary>Per-feature minimum of the training data.</summary>
    public ReadOnlySpan<T> Minimum => _minimum;

    /// <summary>Per-feature maximum of the training data.</summary>
    public ReadOnlySpan<T> Maximum => _maximum;

    /// <summary>Learns each feature's range from row-major <paramref name="data"/> with <paramref name="featureCount"/> values per sample; maps it to [<paramref name="lower"/>, <paramref name="upper"/>] (default [0, 1]).</summary>
    /// <exception cref="ArgumentException">The data are empty, not whole rows, or contain NaN or infinity.</exception>
    public static MinMaxScaler<T> Fit(ReadOnlySpan<T> data, int featureCount, double lower = 0, double upper = 1)
    {
        int rows = Preprocessing.CheckRows(data, featureCount, nameof(data));
        if (!(lower < upper)) throw new ArgumentOutOfRangeException(nameof(upper), upper, $"The range must have lower < upper, but it is [{lower}, {upper}].");
        var min = data.Slice(0, featureCount).ToArray();
        var max = data.Slice(0, featureCount).ToArray();
        for (int r = 1; r < rows; r++)
        {
            var row = data.Slice(r * featureCount, featureCount);
            for (int f = 0; f < featureCount; f++)
            {
                min[f] = T.Min(min[f], row[f]);
                max[f] = T.Max(max[f], row[f]);
            }
        }
        return new MinMaxScaler<T>(min, max, T.CreateChecked(lower), T.CreateChecked(upper));
    }

    /// <summary>Scales row-major <paramref name="data"/> in place.</summary>
    public void Transform(Span<T> data) => Transform(data, data);

    /// <summary>Scales row-major <paramref name="source"/> into <paramref name="destination"/> (same length; may be the same memory).</summary>
    public void Transform(ReadOnlySpan<T> source, Span<T> destination)
    {
        Preprocessing.CheckTransform(source, destination, FeatureCount);
        for (int i = 0; i < source.Length; i++)
        {
            int f = i % FeatureCount;
            T range = _maximum[f] - _minimum[f];
            destination[i] = range == T.Zero ? _lower : _lower + (source[i] - _minimum[f]) * (_upper - _lower) / range;
        }
    }

    /// <summary>Returns a scaled copy of row-major <paramref name="data"/>.</summary>
    public T[] Transform(ReadOnlySpan<T> data)
    {
        var result = new T[data.Length];
        Transform(data, result);
        return result;
    }

    /// <summary>Maps scaled values back to the original units, in place.</summary>
    public void InverseTransform(Span<T> data)
    {
        Preprocessing.CheckTransform(data, data, FeatureCount);
        for (int i = 0; i < data.Length; i++)
        {
            int f = i % FeatureCount;
            data[i] = _minimum[f] + (data[i] - _lower) * (_maximum[f] - _minimum[f]) / (_upper - _lower);
        }
    }
}

/// <summary>
/// Standardisation per feature (scikit-learn's <c>StandardScaler</c>): x' = (x − mean)/σ with the training data's
/// mean and population standard deviation; a constant feature (σ = 0) is only centred.
/// </summary>
public sealed class StandardScaler<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _mean, _standardDeviation;

    private StandardScaler(T[] mean, T[] standardDeviation)
    {
        _mean = mean;
        _standardDeviation = standardDeviation;
    }

    /// <summary>Values per sample.</summary>
    public int FeatureCount => _mean.Length;

    /// <summary>Per-feature mean of the training data.</summary>
    public ReadOnlySpan<T> Mean => _mean;

    /// <summary>Per-feature population standard deviation of the training data.</summary>
    public ReadOnlySpan<T> StandardDeviation => _standardDeviation;

    /// <summary>Learns each feature's mean and standard deviation from row-major <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The data are empty, not whole rows, or contain NaN or infinity.</exception>
    public static StandardScaler<T> Fit(ReadOnlySpan<T> data, int featureCount)
    {
        int rows = Preprocessing.CheckRows(data, featureCount, nameof(data));
        // Two passes in double: the one-pass formula loses digits when the mean is large against the spread.
        var mean = new double[featureCount];
        var variance = new double[featureCount];
        for (int i = 0; i < data.Length; i++) mean[i % featureCount] += double.CreateChecked(data[i]);
        for (int f = 0; f < featureCount; f++) mean[f] /= rows;
        for (int i = 0; i < data.Length; i++)
        {
            double d = double.CreateChecked(data[i]) - mean[i % featureCount];
            variance[i % featureCount] += d * d;
        }
        var m = new T[featureCount];
        var s = new T[featureCount];
        for (int f = 0; f < featureCount; f++)
        {
            m[f] = T.CreateChecked(mean[f]);
            s[f] = T.CreateChecked(Math.Sqrt(variance[f] / rows));
        }
        return new StandardScaler<T>(m, s);
    }

    /// <summary>Standardises row-major <paramref name="data"/> in place.</summary>
    public void Transform(Span<T> data) => Transform(data, data);

    /// <summary>Standardises row-major <paramref name="source"/> into <paramref name="destination"/> (same length; may be the same memory).</summary>
    public void Transform(ReadOnlySpan<T> source, Span<T> destination)
    {
        Preprocessing.CheckTransform(source, destination, FeatureCount);
        for (int i = 0; i < source.Length; i++)
        {
            int f = i % FeatureCount;
            T centred = source[i] - _mean[f];
            destination[i] = _standardDeviation[f] == T.Zero ? centred : centred / _standardDeviation[f];
        }
    }

    /// <summary>Returns a standardised copy of row-major <paramref name="data"/>.</summary>
    public T[] Transform(ReadOnlySpan<T> data)
    {
        var result = new T[data.Length];
        Transform(data, result);
        return result;
    }

    /// <summary>Maps standardised values back to the original units, in place.</summary>
    public void InverseTransform(Span<T> data)
    {
        Preprocessing.CheckTransform(data, data, FeatureCount);
        for (int i = 0; i < data.Length; i++)
        {
            int f = i % FeatureCount;
            data[i] = _mean[f] + data[i] * (_standardDeviation[f] == T.Zero ? T.One : _standardDeviation[f]);
        }
    }
}
