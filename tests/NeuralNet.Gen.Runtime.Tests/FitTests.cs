using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Xunit;

namespace NeuralNet.Gen.Runtime.Tests;

public class FitTests
{
    private sealed class Recorder : IProgress<EpochReport>
    {
        public readonly List<EpochReport> Reports = new();
        public Action<EpochReport>? OnReport;
        public void Report(EpochReport value)
        {
            Reports.Add(value);
            OnReport?.Invoke(value);
        }
    }

    [Fact]
    public void Fit_learns_the_circles_and_reports_every_epoch()
    {
        var (x, y) = TestData.Circles(400, seed: 1);
        var net = new BinaryNet();
        var progress = new Recorder();
        var history = net.Fit(x, y, new FitOptions { Epochs = 40, BatchSize = 16, ValidationSplit = 0.25, Seed = 1, Progress = progress });

        Assert.Equal(40, history.Epochs.Count);
        Assert.Equal(history.Epochs, progress.Reports);
        Assert.Equal(Enumerable.Range(1, 40), history.Epochs.Select(e => e.Epoch));
        Assert.All(history.Epochs, e => Assert.Equal(40, e.Epochs));
        Assert.True(history.Loss[^1] < history.Loss[0] / 3, $"loss {history.Loss[0]} -> {history.Loss[^1]}");
        Assert.Equal(40, history.ValidationLoss.Count);
        Assert.Equal(40, history.Accuracy.Count);
        Assert.True(history.ValidationAccuracy[^1] > 0.95, $"validation accuracy {history.ValidationAccuracy[^1]}");
        Assert.True(history.Elapsed >= history.Epochs[^1].Elapsed);
        Assert.False(history.StoppedEarly);
        Assert.Null(history.BestEpoch);
    }

    [Fact]
    public void Validation_split_holds_out_the_last_samples()
    {
        var (x, y) = TestData.Circles(200, seed: 2);
        var net = new BinaryNet();
        var history = net.Fit(x, y, new FitOptions { Epochs = 3, BatchSize = 10, ValidationSplit = 0.2, Seed = 3 });
        // The last 40 samples are the validation set: evaluating them after training gives the last epoch's figures.
        var held = net.Evaluate(x.AsMemory(160 * 2), y.AsMemory(160));
        Assert.Equal(held.Loss, history.ValidationLoss[^1], 12);
        Assert.Equal(held.Accuracy, history.ValidationAccuracy[^1]);
        var train = net.Evaluate(x.AsMemory(0, 160 * 2), y.AsMemory(0, 160));
        Assert.Equal(train.Accuracy, history.Accuracy[^1]);
    }

    [Fact]
    public void Validation_data_are_evaluated_after_every_epoch()
    {
        var (x, y) = TestData.Blobs(150, seed: 1);
        var (vx, vy) = TestData.Blobs(60, seed: 2);
        var net = new ThreeClassNet();
        var history = net.Fit(x, y, vx, vy, new FitOptions { Epochs = 15, BatchSize = 8, Seed = 1 });
        var result = net.Evaluate(vx, vy);
        Assert.Equal(result.Loss, history.ValidationLoss[^1], 12);
        Assert.Equal(result.Accuracy, history.ValidationAccuracy[^1]);
        Assert.True(result.Accuracy > 0.9, $"accuracy {result.Accuracy}");
    }

    [Fact]
    public void Fit_recovers_the_line_of_a_linear_regression()
    {
        var (x, y) = TestData.Line(200, seed: 5);
        var net = new LineNet();
        // Full-batch gradient descent converges to the least-squares solution.
        var history = net.Fit(x, y, new FitOptions { Epochs = 400, BatchSize = 200, Seed = 1 });
        // Closed-form least squares on the same data is the independent truth.
        double mx = x.Average(), my = y.Average();
        double slope = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum() / x.Sum(a => (a - mx) * (a - mx));
        double intercept = my - slope * mx;
        Assert.Equal(slope, net.Parameters[0], 3);
        Assert.Equal(intercept, net.Parameters[1], 3);
        Assert.Empty(history.Accuracy);
        Assert.All(history.Epochs, e => Assert.Null(e.Accuracy));
    }

    [Fact]
    public void The_same_seed_gives_the_same_parameters_and_another_seed_does_not()
    {
        var (x, y) = TestData.Circles(100, seed: 3);
        float[] Train(int seed)
        {
            var net = new BinaryNet();
            net.Fit(x, y, new FitOptions { Epochs = 3, BatchSize = 8, Seed = seed });
            return net.Parameters.ToArray();
        }
        Assert.Equal(Train(7), Train(7));
        Assert.NotEqual(Train(7), Train(8));
    }

    [Fact]
    public void Without_shuffling_the_batches_are_the_data_in_order()
    {
        var (x, y) = TestData.Circles(40, seed: 4);
        var fitted = new BinaryNet();
        fitted.Fit(x, y, new FitOptions { Epochs = 2, BatchSize = 16, Shuffle = false });
        var manual = new BinaryNet();
        for (int epoch = 0; epoch < 2; epoch++)
            for (int start = 0; start < 40; start += 16)
            {
                int m = Math.Min(16, 40 - start);
                manual.TrainStep(x.AsSpan(start * 2, m * 2), y.AsSpan(start, m), m);
            }
        Assert.Equal(manual.Parameters.ToArray(), fitted.Parameters.ToArray());
    }

    [Fact]
    public void Epoch_loss_is_the_sample_weighted_mean_of_the_batch_losses()
    {
        var (x, y) = TestData.Line(25, seed: 6);
        var fitted = new LineNet();
        var history = fitted.Fit(x, y, new FitOptions { Epochs = 1, BatchSize = 10, Shuffle = false });
        var manual = new LineNet();
        double sum = manual.TrainStep(x.AsSpan(0, 10), y.AsSpan(0, 10), 10) * 10.0
            + manual.TrainStep(x.AsSpan(10, 10), y.AsSpan(10, 10), 10) * 10.0
            + manual.TrainStep(x.AsSpan(20, 5), y.AsSpan(20, 5), 5) * 5.0;
        Assert.Equal(sum / 25, history.Loss[0], 6);
    }

    [Fact]
    public void Early_stopping_stops_after_patience_and_restores_the_best_parameters()
    {
        var (x, y) = TestData.Circles(100, seed: 5);
        var net = new BinaryNet();
        float[]? afterFirstEpoch = null;
        var progress = new Recorder { OnReport = r => { if (r.Epoch == 1) afterFirstEpoch = net.Parameters.ToArray(); } };
        // A MinDelta no loss can beat makes epoch 1 the best for sure.
        var history = net.Fit(x, y, new FitOptions
        {
            Epochs = 20, BatchSize = 10, ValidationSplit = 0.2, Progress = progress,
            EarlyStopping = new EarlyStopping { Patience = 3, MinDelta = 1e9 },
        });
        Assert.True(history.StoppedEarly);
        Assert.Equal(4, history.Epochs.Count);
        Assert.Equal(1, history.BestEpoch);
        Assert.Equal(afterFirstEpoch, net.Parameters.ToArray());
    }

    [Fact]
    public void Early_stopping_without_restore_keeps_the_last_parameters()
    {
        var (x, y) = TestData.Circles(100, seed: 5);
        var net = new BinaryNet();
        float[]? last = null;
        var progress = new Recorder { OnReport = _ => last = net.Parameters.ToArray() };
        var history = net.Fit(x, y, new FitOptions
        {
            Epochs = 20, BatchSize = 10, Progress = progress,
            EarlyStopping = new EarlyStopping { Patience = 2, MinDelta = 1e9, RestoreBestParameters = false, Monitor = MonitoredLoss.Loss },
        });
        Assert.Equal(3, history.Epochs.Count);
        Assert.Equal(last, net.Parameters.ToArray());
    }

    [Fact]
    public void Early_stopping_does_not_stop_while_the_loss_improves()
    {
        var (x, y) = TestData.Line(100, seed: 1);
        var net = new LineNet();
        var history = net.Fit(x, y, new FitOptions { Epochs = 8, BatchSize = 50, EarlyStopping = new EarlyStopping { Patience = 1 } });
        Assert.False(history.StoppedEarly);
        Assert.Equal(8, history.Epochs.Count);
        Assert.Equal(8, history.BestEpoch);
    }

    [Fact]
    public void Early_stopping_on_validation_loss_needs_validation_data()
    {
        var (x, y) = TestData.Line(20, seed: 1);
        var e = Assert.Throws<ArgumentException>(() => new LineNet().Fit(x, y,
            new FitOptions { EarlyStopping = new EarlyStopping { Monitor = MonitoredLoss.ValidationLoss } }));
        Assert.Contains("validation", e.Message);
    }

    [Fact]
    public void A_schedule_sets_the_learning_rate_of_every_epoch()
    {
        var (x, y) = TestData.Line(20, seed: 1);
        var net = new LineNet();
        var history = net.Fit(x, y, new FitOptions { Epochs = 5, BatchSize = 5, LearningRateSchedule = LearningRateSchedule.Step(2, 0.5) });
        double[] expected = { 0.1, 0.1, 0.05, 0.05, 0.025 };
        Assert.Equal(expected, history.LearningRate);
        Assert.Equal(0.1f, net.LearningRate); // put back for the next Fit
    }

    [Fact]
    public void Every_Fit_schedules_from_the_rate_it_was_called_with()
    {
        var (x, y) = TestData.Line(20, seed: 1);
        var net = new LineNet(); // [Optimizer(Sgd, LearningRate = 0.1f)]
        var options = new FitOptions { Epochs = 3, BatchSize = 5, LearningRateSchedule = LearningRateSchedule.Step(2, 0.1) };
        var first = net.Fit(x, y, options);
        var second = net.Fit(x, y, options);
        Assert.Equal(new[] { 0.1, 0.1, 0.01 }, first.LearningRate);
        Assert.Equal(new[] { 0.1, 0.1, 0.01 }, second.LearningRate);
        // Setting the rate is how to start elsewhere.
        net.LearningRate = 0.05f;
        Assert.Equal(new[] { 0.05, 0.05, 0.005 }, net.Fit(x, y, options).LearningRate);
        Assert.Equal(0.05f, net.LearningRate);
        // Also when training ends in an exception.
        using var cancellation = new CancellationTokenSource();
        var cancelled = new FitOptions { Epochs = 3, LearningRateSchedule = LearningRateSchedule.Exponential(0.5), OnEpochEnd = _ => cancellation.Cancel() };
        Assert.ThrowsAny<OperationCanceledException>(() => net.Fit(x, y, cancelled, cancellation.Token));
        Assert.Equal(0.05f, net.LearningRate);
    }

    [Fact]
    public void A_schedule_that_would_train_at_rate_zero_is_refused()
    {
        var (x, y) = TestData.Line(20, seed: 1);
        var net = new LineNet();
        var before = net.Parameters.ToArray();
        var e = Assert.Throws<ArgumentException>(() => net.Fit(x, y, new FitOptions { Epochs = 6, LearningRateSchedule = LearningRateSchedule.Cosine(4) }));
        Assert.Contains("epochs 5 to 6", e.Message);
        Assert.Contains("Cosine(6)", e.Message);
        Assert.Equal(before, net.Parameters.ToArray());
        // A period as long as the run, or a minimum above 0, is what the user asked for.
        net.Fit(x, y, new FitOptions { Epochs = 4, LearningRateSchedule = LearningRateSchedule.Cosine(4) });
        var held = net.Fit(x, y, new FitOptions { Epochs = 6, LearningRateSchedule = LearningRateSchedule.Cosine(4, 0.001) });
        Assert.Equal(0.001, held.LearningRate[^1]);
    }

    [Fact]
    public void Learning_rates_are_reported_without_float_noise()
    {
        var (x, y) = TestData.Line(20, seed: 1);
        var net = new LineNet { LearningRate = 0.01f };
        var constant = net.Fit(x, y, new FitOptions { Epochs = 1 });
        Assert.Equal(0.01, constant.LearningRate[0]);
        var stepped = net.Fit(x, y, new FitOptions { Epochs = 3, LearningRateSchedule = LearningRateSchedule.Exponential(0.1) });
        Assert.Equal(new[] { "0.01", "0.001", "0.0001" }, stepped.LearningRate.Select(r => r.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        // Double networks: 0.1 · 0.1 is 0.010000000000000002 in binary.
        var (xf, yf) = TestData.Line(20, seed: 1);
        var lineDouble = new LineNetDouble();
        var history = lineDouble.Fit(xf.Select(v => (double)v).ToArray(), yf.Select(v => (double)v).ToArray(),
            new FitOptions { Epochs = 3, LearningRateSchedule = LearningRateSchedule.Exponential(0.1) });
        Assert.Equal(new[] { 0.1, 0.01, 0.001 }, history.LearningRate);
    }

    [Fact]
    public void OnEpochEnd_runs_on_the_training_thread_before_Fit_returns()
    {
        var (x, y) = TestData.Line(20, seed: 1);
        var log = new List<string>();
        int thread = Environment.CurrentManagedThreadId;
        var options = new FitOptions
        {
            Epochs = 3,
            OnEpochEnd = r => log.Add($"epoch {r.Epoch} on {(Environment.CurrentManagedThreadId == thread ? "the caller's thread" : "another thread")}"),
        };
        new LineNet().Fit(x, y, options);
        log.Add("after Fit");
        Assert.Equal(new[] { "epoch 1 on the caller's thread", "epoch 2 on the caller's thread", "epoch 3 on the caller's thread", "after Fit" }, log);
    }

    [Fact]
    public void Schedules_follow_torch_lr_scheduler()
    {
        var step = LearningRateSchedule.Step(3, 0.1);
        Assert.Equal(1.0, step.GetLearningRate(2, 1.0), 12);
        Assert.Equal(0.1, step.GetLearningRate(3, 1.0), 12);
        Assert.Equal(0.01, step.GetLearningRate(6, 1.0), 12);
        var exponential = LearningRateSchedule.Exponential(0.9);
        Assert.Equal(0.5 * 0.9 * 0.9 * 0.9, exponential.GetLearningRate(3, 0.5), 12);
        var cosine = LearningRateSchedule.Cosine(10, 0.001);
        Assert.Equal(0.1, cosine.GetLearningRate(0, 0.1), 12);
        Assert.Equal(0.001 + (0.1 - 0.001) / 2, cosine.GetLearningRate(5, 0.1), 12);
        Assert.Equal(0.001 + (0.1 - 0.001) * (1 + Math.Cos(Math.PI * 3 / 10)) / 2, cosine.GetLearningRate(3, 0.1), 12);
        Assert.Equal(0.001, cosine.GetLearningRate(10, 0.1), 12);
        Assert.Equal(0.001, cosine.GetLearningRate(15, 0.1), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Step(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Exponential(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cosine(0));
    }

    [Fact]
    public void A_NaN_loss_stops_training_naming_the_epoch_and_batch()
    {
        var (x, y) = TestData.Line(50, seed: 1);
        x[33] = float.NaN; // sample 33: batch 4 of size 10
        var e = Assert.Throws<TrainingDivergedException>(() =>
            new LineNet().Fit(x, y, new FitOptions { Epochs = 3, BatchSize = 10, Shuffle = false }));
        Assert.Equal(1, e.Epoch);
        Assert.Equal(4, e.Batch);
        Assert.Contains("epoch 1, batch 4", e.Message);
    }

    [Fact]
    public void A_diverging_learning_rate_is_reported_as_an_infinite_or_NaN_loss()
    {
        var (x, y) = TestData.Line(50, seed: 1);
        for (int i = 0; i < x.Length; i++) x[i] *= 1000;
        var net = new LineNet { LearningRate = 10f };
        var e = Assert.Throws<TrainingDivergedException>(() => net.Fit(x, y, new FitOptions { Epochs = 50, BatchSize = 5 }));
        Assert.True(double.IsNaN(e.Loss) || double.IsInfinity(e.Loss));
        Assert.Contains($"epoch {e.Epoch}, batch {e.Batch}", e.Message);
    }

    [Fact]
    public void Cancellation_stops_between_batches()
    {
        var (x, y) = TestData.Line(50, seed: 1);
        using var cancellation = new CancellationTokenSource();
        var progress = new Recorder { OnReport = r => { if (r.Epoch == 2) cancellation.Cancel(); } };
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new LineNet().Fit(x, y, new FitOptions { Epochs = 10, Progress = progress }, cancellation.Token));
        Assert.Equal(2, progress.Reports.Count);
    }

    [Fact]
    public void Wrong_data_or_options_are_refused_before_training()
    {
        var (x, y) = TestData.Circles(20, seed: 1);
        var net = new BinaryNet();
        var before = net.Parameters.ToArray();
        Assert.Contains("InputSize 2", Assert.Throws<ArgumentException>(() => net.Fit(x.AsMemory(1), y)).Message);
        Assert.Contains("20 samples x OutputSize 1", Assert.Throws<ArgumentException>(() => net.Fit(x, y.AsMemory(1))).Message);
        Assert.Throws<ArgumentException>(() => net.Fit(Array.Empty<float>(), Array.Empty<float>()));
        Assert.Throws<ArgumentOutOfRangeException>(() => net.Fit(x, y, new FitOptions { Epochs = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => net.Fit(x, y, new FitOptions { BatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => net.Fit(x, y, new FitOptions { ValidationSplit = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => net.Fit(x, y, new FitOptions { ValidationSplit = double.NaN }));
        Assert.Contains("holds out no sample", Assert.Throws<ArgumentException>(() => net.Fit(x, y, new FitOptions { ValidationSplit = 0.01 })).Message);
        Assert.Throws<ArgumentException>(() => net.Fit(x, y, x, y, new FitOptions { ValidationSplit = 0.2 }));
        Assert.Throws<ArgumentException>(() => net.Fit(x, y, x.AsMemory(2), y));
        Assert.Throws<ArgumentOutOfRangeException>(() => net.Fit(x, y, new FitOptions { EarlyStopping = new EarlyStopping { Patience = -1 } }));
        Assert.Contains("2 outputs", Assert.Throws<ArgumentException>(() => net.Fit(x, y, new FitOptions { Accuracy = AccuracyMetric.Categorical })).Message);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    private sealed class BatchRecorder : IProgress<BatchReport>
    {
        public readonly List<BatchReport> Reports = new();
        public void Report(BatchReport value) => Reports.Add(value);
    }

    [Fact]
    public void Batch_progress_reports_every_batch_with_the_running_loss()
    {
        var (x, y) = TestData.Line(25, seed: 3);
        var batches = new BatchRecorder();
        var history = new LineNet().Fit(x, y, new FitOptions { Epochs = 2, BatchSize = 10, BatchProgress = batches });
        Assert.Equal(6, batches.Reports.Count);
        Assert.Equal(new[] { 1, 2, 3, 1, 2, 3 }, batches.Reports.Select(r => r.Batch));
        Assert.All(batches.Reports, r => Assert.Equal(3, r.Batches));
        Assert.Equal(history.Loss[0], batches.Reports[2].Loss, 12);
        Assert.Equal(history.Loss[1], batches.Reports[5].Loss, 12);
        Assert.Equal(2, batches.Reports[5].Epoch);
    }

    [Fact]
    public void Double_precision_networks_train_too()
    {
        var (xf, yf) = TestData.Line(100, seed: 2, noise: 0);
        var x = xf.Select(v => (double)v).ToArray();
        var y = xf.Select(v => 2.0 * v + 1).ToArray();
        var net = new LineNetDouble();
        var history = net.Fit(x, y, new FitOptions { Epochs = 500, BatchSize = 100 });
        Assert.Equal(2, net.Parameters[0], 6);
        Assert.Equal(1, net.Parameters[1], 6);
        Assert.True(net.Evaluate(x, y).Loss < 1e-10);
        Assert.Equal(500, history.Epochs.Count);
    }

    [Fact]
    public void An_epoch_report_reads_like_keras()
    {
        var report = new EpochReport
        {
            Epoch = 3, Epochs = 10, Loss = 0.41234, Accuracy = 0.85, ValidationLoss = 0.5, ValidationAccuracy = 0.8,
            LearningRate = 0.001, Duration = TimeSpan.FromSeconds(1.31), Elapsed = TimeSpan.FromSeconds(4),
        };
        Assert.Equal("Epoch 3/10 - 1.3s - loss: 0.4123 - accuracy: 0.8500 - val_loss: 0.5000 - val_accuracy: 0.8000 - lr: 0.001", report.ToString());
    }

    [Fact]
    public void Fit_allocates_nothing_per_batch()
    {
        // Same epochs and batch size, four times the samples: the extra allocation may only be the per-sample
        // order array (4 bytes a sample), never something per batch (an object is at least 24 bytes).
        var (small, smallY) = TestData.Circles(500, seed: 1);
        var (large, largeY) = TestData.Circles(2000, seed: 1);
        var options = new FitOptions { Epochs = 1, BatchSize = 1, Seed = 1, TrainingAccuracy = false };
        long Measure(float[] x, float[] y)
        {
            var net = new BinaryNet();
            return Allocations.Steady(() => net.Fit(x, y, options));
        }
        long smallBytes = Measure(small, smallY);
        long largeBytes = Measure(large, largeY);
        Assert.True(largeBytes - smallBytes <= 1500 * 4 + 256, $"500 batches allocated {smallBytes} bytes, 2000 batches {largeBytes}");
    }
}
