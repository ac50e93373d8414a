using System;
using System.Collections.Generic;
using System.Globalization;

namespace NeuralNet.Gen;

/// <summary>What happened in one epoch of Fit, sent to <see cref="FitOptions.Progress"/> and kept in <see cref="TrainingHistory"/>.</summary>
public sealed record EpochReport
{
    /// <summary>1-based epoch number.</summary>
    public int Epoch { get; init; }
    /// <summary>Epochs requested.</summary>
    public int Epochs { get; init; }
    /// <summary>Mean training loss over the epoch's batches (weighted by batch size), as Keras reports it.</summary>
    public double Loss { get; init; }
    /// <summary>Loss on the validation data after the epoch, when there are any.</summary>
    public double? ValidationLoss { get; init; }
    /// <summary>Accuracy on the training data after the epoch, when an accuracy metric applies and <see cref="FitOptions.TrainingAccuracy"/> is set.</summary>
    public double? Accuracy { get; init; }
    /// <summary>Accuracy on the validation data after the epoch, when an accuracy metric applies.</summary>
    public double? ValidationAccuracy { get; init; }
    /// <summary>The learning rate used during the epoch.</summary>
    public double LearningRate { get; init; }
    /// <summary>Time spent in this epoch, validation included.</summary>
    public TimeSpan Duration { get; init; }
    /// <summary>Time since Fit started.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>A Keras-like line: <c>Epoch 3/10 - 1.2s - loss: 0.4123 - accuracy: 0.8512 - val_loss: ...</c>.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var parts = new List<string>
        {
            FormattableString.Invariant($"Epoch {Epoch}/{Epochs}"),
            FormattableString.Invariant($"{Duration.TotalSeconds:F1}s"),
            FormattableString.Invariant($"loss: {Loss:F4}"),
        };
        if (Accuracy is double a) parts.Add(FormattableString.Invariant($"accuracy: {a:F4}"));
        if (ValidationLoss is double vl) parts.Add(FormattableString.Invariant($"val_loss: {vl:F4}"));
        if (ValidationAccuracy is double va) parts.Add(FormattableString.Invariant($"val_accuracy: {va:F4}"));
        parts.Add(FormattableString.Invariant($"lr: {LearningRate:G4}"));
        return string.Join(" - ", parts);
    }
}

/// <summary>Where Fit is within an epoch, sent to <see cref="FitOptions.BatchProgress"/> after every batch.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Epochs requested.</param>
/// <param name="Batch">1-based batch just trained.</param>
/// <param name="Batches">Batches in the epoch.</param>
/// <param name="Loss">Mean training loss of the epoch's batches so far.</param>
public readonly record struct BatchReport(int Epoch, int Epochs, int Batch, int Batches, double Loss);

/// <summary>The epochs of one Fit call, in order (Keras' <c>History</c>).</summary>
public sealed class TrainingHistory
{
    private readonly List<EpochReport> _epochs = new();

    /// <summary>One report per epoch that ran.</summary>
    public IReadOnlyList<EpochReport> Epochs => _epochs;

    /// <summary>Training loss per epoch.</summary>
    public IReadOnlyList<double> Loss => _epochs.ConvertAll(e => e.Loss);

    /// <summary>Validation loss per epoch (empty without validation data).</summary>
    public IReadOnlyList<double> ValidationLoss => Collect(e => e.ValidationLoss);

    /// <summary>Training accuracy per epoch (empty when not measured).</summary>
    public IReadOnlyList<double> Accuracy => Collect(e => e.Accuracy);

    /// <summary>Validation accuracy per epoch (empty when not measured).</summary>
    public IReadOnlyList<double> ValidationAccuracy => Collect(e => e.ValidationAccuracy);

    /// <summary>Learning rate per epoch.</summary>
    public IReadOnlyList<double> LearningRate => _epochs.ConvertAll(e => e.LearningRate);

    /// <summary>True when <see cref="EarlyStopping"/> ended training before the last requested epoch.</summary>
    public bool StoppedEarly { get; internal set; }

    /// <summary>1-based epoch with the lowest monitored loss, when early stopping was used; its parameters were restored if asked.</summary>
    public int? BestEpoch { get; internal set; }

    /// <summary>Wall-clock time of the whole Fit.</summary>
    public TimeSpan Elapsed { get; internal set; }

    internal void Add(EpochReport report) => _epochs.Add(report);

    private List<double> Collect(Func<EpochReport, double?> select)
    {
        var values = new List<double>(_epochs.Count);
        foreach (var e in _epochs)
            if (select(e) is double v) values.Add(v);
        return values;
    }
}

/// <summary>Thrown when the training loss becomes NaN or infinite; says where, so the learning rate or data can be checked.</summary>
public sealed class TrainingDivergedException : ArithmeticException
{
    /// <summary>Creates the exception for a loss of <paramref name="loss"/> at 1-based <paramref name="epoch"/> and <paramref name="batch"/>.</summary>
    public TrainingDivergedException(int epoch, int batch, double loss)
        : base(FormattableString.Invariant(
            $"The training loss became {loss} at epoch {epoch}, batch {batch}. The parameters were updated with that batch's gradient and are no longer usable; lower the learning rate, scale the inputs, or check the data for NaN."))
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
    }

    /// <summary>1-based epoch.</summary>
    public int Epoch { get; }
    /// <summary>1-based batch within the epoch.</summary>
    public int Batch { get; }
    /// <summary>The non-finite loss.</summary>
    public double Loss { get; }
}
