using System;
using System.Globalization;

namespace NeuralNet.Gen;

/// <summary>
/// The learning rate of each epoch as a function of the epoch and the initial rate, following torch.optim.lr_scheduler
/// (<c>StepLR</c>, <c>ExponentialLR</c>, <c>CosineAnnealingLR</c>). Epochs count from 0, and every Fit starts again
/// at epoch 0 from the network's rate at the time of the call (see <see cref="FitOptions.LearningRateSchedule"/>).
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate for <paramref name="epoch"/> (0-based) when training started at <paramref name="initialLearningRate"/>.</summary>
    public abstract double GetLearningRate(int epoch, double initialLearningRate);

    /// <summary>Multiplies the rate by <paramref name="gamma"/> every <paramref name="stepSize"/> epochs: lr0 · gamma^⌊epoch / stepSize⌋.</summary>
    public static LearningRateSchedule Step(int stepSize, double gamma = 0.1) => new StepSchedule(stepSize, gamma);

    /// <summary>Multiplies the rate by <paramref name="gamma"/> every epoch: lr0 · gamma^epoch.</summary>
    public static LearningRateSchedule Exponential(double gamma) => new ExponentialSchedule(gamma);

    /// <summary>
    /// Half a cosine from the initial rate down to <paramref name="minimumLearningRate"/> over <paramref name="period"/> epochs:
    /// min + (lr0 − min)(1 + cos(π · epoch / period)) / 2, then held at the minimum.
    /// </summary>
    public static LearningRateSchedule Cosine(int period, double minimumLearningRate = 0) => new CosineSchedule(period, minimumLearningRate);

    /// <summary>Why this schedule cannot run <paramref name="epochs"/> epochs, or <see langword="null"/> when it can.</summary>
    internal virtual string? CheckRun(int epochs) => null;

    /// <summary>
    /// The rate as a reader expects it: a product of decimal rates in binary carries noise in the 17th digit
    /// (0.1 · 0.1 = 0.010000000000000002), a float read as a double in the 9th (0.01f is 0.009999999776482582).
    /// </summary>
    internal static double Tidy<T>(T rate) where T : unmanaged
    {
        var c = CultureInfo.InvariantCulture;
        return typeof(T) == typeof(float)
            ? double.Parse(((float)Scalar<T>.ToDouble(rate)).ToString("R", c), c)
            : double.Parse(Scalar<T>.ToDouble(rate).ToString("G15", c), c);
    }

    private static void CheckGamma(double gamma)
    {
        if (!(gamma > 0 && gamma <= 1)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, $"gamma must be in (0, 1], but it is {gamma}.");
    }

    private sealed class StepSchedule : LearningRateSchedule
    {
        private readonly int _stepSize;
        private readonly double _gamma;

        public StepSchedule(int stepSize, double gamma)
        {
            if (stepSize <= 0) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, $"stepSize must be positive, but it is {stepSize}.");
            CheckGamma(gamma);
            _stepSize = stepSize;
            _gamma = gamma;
        }

        public override double GetLearningRate(int epoch, double initialLearningRate) => initialLearningRate * Math.Pow(_gamma, epoch / _stepSize);
        public override string ToString() => FormattableString.Invariant($"Step(stepSize: {_stepSize}, gamma: {_gamma})");
    }

    private sealed class ExponentialSchedule : LearningRateSchedule
    {
        private readonly double _gamma;

        public ExponentialSchedule(double gamma)
        {
            CheckGamma(gamma);
            _gamma = gamma;
        }

        public override double GetLearningRate(int epoch, double initialLearningRate) => initialLearningRate * Math.Pow(_gamma, epoch);
        public override string ToString() => FormattableString.Invariant($"Exponential(gamma: {_gamma})");
    }

    private sealed class CosineSchedule : LearningRateSchedule
    {
        private readonly int _period;
        private readonly double _minimum;

        public CosineSchedule(int period, double minimum)
        {
            if (period <= 0) throw new ArgumentOutOfRangeException(nameof(period), period, $"period must be positive, but it is {period}.");
            if (!(minimum >= 0)) throw new ArgumentOutOfRangeException(nameof(minimum), minimum, $"minimumLearningRate must not be negative, but it is {minimum}.");
            _period = period;
            _minimum = minimum;
        }

        public override double GetLearningRate(int epoch, double initialLearningRate)
        {
            if (epoch >= _period) return _minimum;
            return _minimum + (initialLearningRate - _minimum) * (1 + Math.Cos(Math.PI * epoch / _period)) / 2;
        }

        internal override string? CheckRun(int epochs) => epochs > _period && _minimum == 0
            ? FormattableString.Invariant($"LearningRateSchedule.Cosine({_period}) reaches a learning rate of 0 after {_period} epochs, so epochs {_period + 1} to {epochs} of the {epochs} requested would train nothing. Use Cosine({epochs}) to anneal over the whole run, fewer Epochs, or a minimumLearningRate above 0 to go on at that rate.")
            : null;

        public override string ToString() => FormattableString.Invariant($"Cosine(period: {_period}, minimum: {_minimum})");
    }
}
