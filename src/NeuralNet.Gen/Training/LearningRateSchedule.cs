using System;

namespace NeuralNet.Gen;

/// <summary>
/// The learning rate of each epoch as a function of the epoch and the initial rate, following torch.optim.lr_scheduler
/// (<c>StepLR</c>, <c>ExponentialLR</c>, <c>CosineAnnealingLR</c>). Epochs count from 0.
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
        public override string ToString() => $"Step(stepSize: {_stepSize}, gamma: {_gamma})";
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
        public override string ToString() => $"Exponential(gamma: {_gamma})";
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

        public override string ToString() => $"Cosine(period: {_period}, minimum: {_minimum})";
    }
}
