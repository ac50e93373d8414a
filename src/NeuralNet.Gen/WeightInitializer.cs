using System;

namespace NeuralNet.Gen;

/// <summary>Fills weight tensors as Keras' and PyTorch's initialisers do, from a <see cref="DeterministicRandom"/>.</summary>
public static class WeightInitializer
{
    /// <summary>Fills <paramref name="weights"/> with <paramref name="kind"/> for a layer with the given fan-in and fan-out.</summary>
    /// <remarks>Values are drawn in double precision and rounded to <typeparamref name="T"/>, so Single and Double networks start alike.</remarks>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    public static void Fill<T>(Span<T> weights, WeightInit kind, int fanIn, int fanOut, ref DeterministicRandom random)
        where T : unmanaged
    {
        if (!Scalar<T>.IsSupported) throw new NotSupportedException($"Weights are float or double, not {typeof(T).Name}.");
        if (fanIn <= 0) throw new ArgumentOutOfRangeException(nameof(fanIn), fanIn, "fanIn must be positive.");
        if (fanOut <= 0) throw new ArgumentOutOfRangeException(nameof(fanOut), fanOut, "fanOut must be positive.");
        switch (kind)
        {
            case WeightInit.GlorotUniform: FillUniform(weights, Math.Sqrt(6.0 / (fanIn + fanOut)), ref random); break;
            case WeightInit.GlorotNormal: FillNormal(weights, Math.Sqrt(2.0 / (fanIn + fanOut)), ref random); break;
            case WeightInit.HeUniform: FillUniform(weights, Math.Sqrt(6.0 / fanIn), ref random); break;
            case WeightInit.HeNormal: FillNormal(weights, Math.Sqrt(2.0 / fanIn), ref random); break;
            case WeightInit.Normal: FillNormal(weights, 0.05, ref random); break;
            case WeightInit.Zeros: weights.Clear(); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown initialiser.");
        }
    }

    private static void FillUniform<T>(Span<T> weights, double limit, ref DeterministicRandom random) where T : unmanaged
    {
        for (int i = 0; i < weights.Length; i++) weights[i] = Scalar<T>.FromDouble(random.NextDouble(-limit, limit));
    }

    private static void FillNormal<T>(Span<T> weights, double std, ref DeterministicRandom random) where T : unmanaged
    {
        for (int i = 0; i < weights.Length; i++) weights[i] = Scalar<T>.FromDouble(std * random.NextNormal());
    }
}
