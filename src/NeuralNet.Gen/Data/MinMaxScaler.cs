using System;

namespace NeuralNet.Gen.Data;

/// <summary>
/// Min-max normalisation per feature (scikit-learn's <c>MinMaxScaler</c>): fitted on training data, then applied to
/// validation and test data with the training minimum and maximum. x' = lower + (x − min)(upper − lower)/(max − min);
/// a constant feature maps to <c>lower</c>.
/// </summary>
public sealed class MinMaxScaler<T> where T : unmanaged
{
    private readonly T[] _minimum, _maximum;
    private readonly double _lower, _upper;

    private MinMaxScaler(T[] minimum, T[] maximum, double lower, double upper)
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
        var min = new double[featureCount];
        var max = new double[featureCount];
        for (int f = 0; f < featureCount; f++) min[f] = max[f] = Scalar<T>.ToDouble(data[f]);
        for (int i = featureCount; i < data.Length; i++)
        {
            int f = i % featureCount;
            double v = Scalar<T>.ToDouble(data[i]);
            if (v < min[f]) min[f] = v;
            if (v > max[f]) max[f] = v;
        }
        return new MinMaxScaler<T>(ToT(min), ToT(max), lower, upper);
    }

    private static T[] ToT(double[] values)
    {
        var result = new T[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = Scalar<T>.FromDouble(values[i]);
        return result;
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
            double min = Scalar<T>.ToDouble(_minimum[f]), range = Scalar<T>.ToDouble(_maximum[f]) - min;
            destination[i] = Scalar<T>.FromDouble(range == 0 ? _lower : _lower + (Scalar<T>.ToDouble(source[i]) - min) * (_upper - _lower) / range);
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
            double min = Scalar<T>.ToDouble(_minimum[f]), max = Scalar<T>.ToDouble(_maximum[f]);
            data[i] = Scalar<T>.FromDouble(min + (Scalar<T>.ToDouble(data[i]) - _lower) * (max - min) / (_upper - _lower));
        }
    }
}

/// <summary>
/// Standardisation per feature (scikit-learn's <c>StandardScaler</c>): x' = (x − mean)/σ with the training data's
/// mean and population standard deviation; a constant feature (σ = 0) is only centred.
/// </summary>
public sealed class StandardScaler<T> where T : unmanaged
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
        for (int i = 0; i < data.Length; i++) mean[i % featureCount] += Scalar<T>.ToDouble(data[i]);
        for (int f = 0; f < featureCount; f++) mean[f] /= rows;
        for (int i = 0; i < data.Length; i++)
        {
            double d = Scalar<T>.ToDouble(data[i]) - mean[i % featureCount];
            variance[i % featureCount] += d * d;
        }
        var m = new T[featureCount];
        var s = new T[featureCount];
        for (int f = 0; f < featureCount; f++)
        {
            m[f] = Scalar<T>.FromDouble(mean[f]);
            s[f] = Scalar<T>.FromDouble(Math.Sqrt(variance[f] / rows));
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
            double centred = Scalar<T>.ToDouble(source[i]) - Scalar<T>.ToDouble(_mean[f]), deviation = Scalar<T>.ToDouble(_standardDeviation[f]);
            destination[i] = Scalar<T>.FromDouble(deviation == 0 ? centred : centred / deviation);
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
            double deviation = Scalar<T>.ToDouble(_standardDeviation[f]);
            data[i] = Scalar<T>.FromDouble(Scalar<T>.ToDouble(_mean[f]) + Scalar<T>.ToDouble(data[i]) * (deviation == 0 ? 1 : deviation));
        }
    }
}
