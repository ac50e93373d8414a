using System;
using System.Threading;

namespace NeuralNet.Gen;

/// <summary>How <see cref="NetworkTraining.Fit{T}(ITrainableNetwork{T}, ReadOnlyMemory{T}, ReadOnlyMemory{T}, FitOptions?, CancellationToken)"/> trains: Keras' <c>fit</c> arguments.</summary>
public sealed class FitOptions
{
    /// <summary>Passes over the training data; 1 by default.</summary>
    public int Epochs { get; set; } = 1;

    /// <summary>Samples per optimizer step; 32 by default (Keras' default). The last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Reorders the training samples before every epoch; <see langword="true"/> by default.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>Seed of the shuffling; the same seed gives the same order of batches.</summary>
    public int Seed { get; set; }

    /// <summary>
    /// Fraction in [0, 1) of the samples held out for validation when no validation data are given.
    /// As in Keras, the last samples (before shuffling) are held out, so shuffle data sorted by class first.
    /// </summary>
    public double ValidationSplit { get; set; }

    /// <summary>Stops when the monitored loss no longer improves; <see langword="null"/> (never) by default.</summary>
    public EarlyStopping? EarlyStopping { get; set; }

    /// <summary>
    /// Sets <see cref="ITrainableNetwork{T}.LearningRate"/> before every epoch; <see langword="null"/> keeps it constant.
    /// Every Fit starts the schedule at epoch 0 from the rate the network has when Fit is called (the
    /// <c>[Optimizer(LearningRate = …)]</c> rate unless you set <see cref="ITrainableNetwork{T}.LearningRate"/>), and puts
    /// that rate back when it returns, so a second Fit with a schedule starts where the first one did, not where it ended.
    /// A schedule that would train epochs at a rate of 0 (<see cref="LearningRateSchedule.Cosine"/> with a period shorter
    /// than <see cref="Epochs"/> and no minimum) is refused.
    /// </summary>
    public LearningRateSchedule? LearningRateSchedule { get; set; }

    /// <summary>Which accuracy to report; by default chosen from the loss (binary for BinaryCrossEntropy, categorical for the categorical cross-entropies, none otherwise).</summary>
    public AccuracyMetric Accuracy { get; set; } = AccuracyMetric.Auto;

    /// <summary>Threshold of <see cref="AccuracyMetric.Binary"/>: an output at or above it predicts 1; 0.5 by default.</summary>
    public double Threshold { get; set; } = 0.5;

    /// <summary>
    /// Also measures accuracy on the training data after every epoch (a forward pass over it, about a third of an epoch's cost);
    /// <see langword="true"/> by default. Only used when an accuracy metric applies.
    /// </summary>
    public bool TrainingAccuracy { get; set; } = true;

    /// <summary>
    /// Receives a report after every epoch through <see cref="IProgress{T}.Report"/>. A <see cref="Progress{T}"/> posts
    /// each report to the <see cref="SynchronizationContext"/> it was created on (a UI thread), or to the thread pool
    /// where there is none (a console app), so its handler may run after Fit has returned and out of order; use
    /// <see cref="OnEpochEnd"/> to run code on the training thread in step with training.
    /// </summary>
    public IProgress<EpochReport>? Progress { get; set; }

    /// <summary>
    /// Called after every epoch, synchronously on the thread that runs Fit, before the next epoch starts (Keras'
    /// <c>on_epoch_end</c>): print, log or cancel here. It runs before <see cref="Progress"/> is told; an exception
    /// thrown by it ends Fit.
    /// </summary>
    public Action<EpochReport>? OnEpochEnd { get; set; }

    /// <summary>
    /// Receives a report after every batch (for a progress bar within the epoch). The report is a struct, so Fit still
    /// allocates nothing per batch; the receiver runs on the training thread and should be quick.
    /// </summary>
    public IProgress<BatchReport>? BatchProgress { get; set; }

    internal void Validate()
    {
        if (Epochs <= 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, $"Epochs must be positive, but it is {Epochs}.");
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"BatchSize must be positive, but it is {BatchSize}.");
        if (!(ValidationSplit >= 0 && ValidationSplit < 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationSplit), ValidationSplit, $"ValidationSplit must be in [0, 1), but it is {ValidationSplit}.");
        if (!double.IsFinite(Threshold)) throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "Threshold must be a finite number.");
        if (LearningRateSchedule?.CheckRun(Epochs) is string problem) throw new ArgumentException(problem, nameof(LearningRateSchedule));
    }
}

/// <summary>Which quantity <see cref="EarlyStopping"/> watches.</summary>
public enum MonitoredLoss
{
    /// <summary>The validation loss when there are validation data, else the training loss.</summary>
    Auto,
    /// <summary>The mean training loss of the epoch.</summary>
    Loss,
    /// <summary>The validation loss; Fit throws when there are no validation data.</summary>
    ValidationLoss,
}

/// <summary>Stops training when the monitored loss has not improved for <see cref="Patience"/> epochs (Keras' <c>EarlyStopping</c>).</summary>
public sealed class EarlyStopping
{
    /// <summary>Epochs without improvement before stopping; 5 by default.</summary>
    public int Patience { get; set; } = 5;

    /// <summary>A decrease smaller than this is not an improvement; 0 by default.</summary>
    public double MinDelta { get; set; }

    /// <summary>The loss watched; <see cref="MonitoredLoss.Auto"/> by default.</summary>
    public MonitoredLoss Monitor { get; set; } = MonitoredLoss.Auto;

    /// <summary>When training ends, puts back the parameters of the best epoch; <see langword="true"/> by default.</summary>
    public bool RestoreBestParameters { get; set; } = true;

    internal void Validate()
    {
        if (Patience < 0) throw new ArgumentOutOfRangeException(nameof(Patience), Patience, $"Patience must not be negative, but it is {Patience}.");
        if (!(MinDelta >= 0)) throw new ArgumentOutOfRangeException(nameof(MinDelta), MinDelta, $"MinDelta must not be negative, but it is {MinDelta}.");
    }
}
