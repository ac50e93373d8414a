using System;
using System.Diagnostics;
using System.Threading;

namespace NeuralNet.Gen;

/// <summary>Keras-style <c>fit</c>, <c>evaluate</c> and <c>predict</c> for any generated network.</summary>
public static class NetworkTraining
{
    /// <summary>
    /// Trains <paramref name="network"/> on row-major <paramref name="inputs"/> (InputSize values per sample) and
    /// <paramref name="targets"/> (OutputSize values per sample, or one class index per sample for
    /// SparseCategoricalCrossEntropy) in minibatches; validation data come from
    /// <see cref="FitOptions.ValidationSplit"/> if set. Allocates its buffers once: nothing per batch.
    /// </summary>
    /// <exception cref="ArgumentException">The data do not fit the network, or an option is out of range.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the parameters keep the updates made so far.</exception>
    public static TrainingHistory Fit<T>(this ITrainableNetwork<T> network, ReadOnlyMemory<T> inputs, ReadOnlyMemory<T> targets,
        FitOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        Requires.NotNull(network, nameof(network));
        options ??= new FitOptions();
        options.Validate();
        int n = SampleCount(network, network.Loss, inputs.Span, targets.Span, nameof(inputs), nameof(targets));
        int validation = 0;
        if (options.ValidationSplit > 0)
        {
            validation = (int)(n * options.ValidationSplit);
            if (validation == 0)
                throw new ArgumentException($"ValidationSplit {options.ValidationSplit} of {n} samples holds out no sample; use a larger split or no split.", nameof(options));
        }
        int train = n - validation;
        if (train == 0) throw new ArgumentException($"ValidationSplit {options.ValidationSplit} of {n} samples leaves no training sample.", nameof(options));
        int targetSize = TargetSize(network, network.Loss);
        return Run(network,
            inputs.Slice(0, train * network.InputSize), targets.Slice(0, train * targetSize),
            inputs.Slice(train * network.InputSize), targets.Slice(train * targetSize),
            options, cancellationToken);
    }

    /// <summary>
    /// Trains on <paramref name="inputs"/>/<paramref name="targets"/> and measures loss and accuracy on
    /// <paramref name="validationInputs"/>/<paramref name="validationTargets"/> after every epoch (Keras' <c>validation_data</c>).
    /// <see cref="FitOptions.ValidationSplit"/> must be 0.
    /// </summary>
    /// <exception cref="ArgumentException">The data do not fit the network, or an option is out of range.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the parameters keep the updates made so far.</exception>
    public static TrainingHistory Fit<T>(this ITrainableNetwork<T> network, ReadOnlyMemory<T> inputs, ReadOnlyMemory<T> targets,
        ReadOnlyMemory<T> validationInputs, ReadOnlyMemory<T> validationTargets,
        FitOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        Requires.NotNull(network, nameof(network));
        options ??= new FitOptions();
        options.Validate();
        if (options.ValidationSplit != 0)
            throw new ArgumentException("Give either validation data or a ValidationSplit, not both.", nameof(options));
        SampleCount(network, network.Loss, inputs.Span, targets.Span, nameof(inputs), nameof(targets));
        SampleCount(network, network.Loss, validationInputs.Span, validationTargets.Span, nameof(validationInputs), nameof(validationTargets));
        return Run(network, inputs, targets, validationInputs, validationTargets, options, cancellationToken);
    }

    /// <summary>Loss (and accuracy and confusion matrix for a classifier) of <paramref name="network"/> on a data set, with the network's own loss.</summary>
    /// <param name="network">The network; not changed.</param>
    /// <param name="inputs">Row-major inputs, InputSize values per sample.</param>
    /// <param name="targets">Row-major targets, OutputSize values per sample (one class index per sample for SparseCategoricalCrossEntropy).</param>
    /// <param name="accuracy">Which accuracy; by default chosen from the loss.</param>
    /// <param name="threshold">Decision threshold of <see cref="AccuracyMetric.Binary"/>.</param>
    public static Evaluation Evaluate<T>(this ITrainableNetwork<T> network, ReadOnlyMemory<T> inputs, ReadOnlyMemory<T> targets,
        AccuracyMetric accuracy = AccuracyMetric.Auto, double threshold = 0.5)
        where T : unmanaged
    {
        Requires.NotNull(network, nameof(network));
        return network.Evaluate(inputs, targets, network.Loss, accuracy, threshold);
    }

    /// <summary>Loss (and accuracy and confusion matrix for a classifier) of any network, an inference-only one included, under <paramref name="loss"/>.</summary>
    public static Evaluation Evaluate<T>(this INetwork<T> network, ReadOnlyMemory<T> inputs, ReadOnlyMemory<T> targets, LossFunction loss,
        AccuracyMetric accuracy = AccuracyMetric.Auto, double threshold = 0.5)
        where T : unmanaged
    {
        Requires.NotNull(network, nameof(network));
        if (!double.IsFinite(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must be a finite number.");
        int n = SampleCount(network, loss, inputs.Span, targets.Span, nameof(inputs), nameof(targets));
        var metric = ResolveMetric(accuracy, loss, network.OutputSize);
        // A multi-output binary (multi-label) network has no single class per sample, so no confusion matrix.
        var matrix = metric == AccuracyMetric.Categorical || (metric == AccuracyMetric.Binary && network.OutputSize == 1)
            ? new ConfusionMatrix(network.OutputSize == 1 ? 2 : network.OutputSize)
            : null;
        var evaluator = new Evaluator<T>(network, loss, metric, threshold, n);
        var (meanLoss, acc) = evaluator.Run(inputs, targets, matrix);
        return new Evaluation(n, loss, meanLoss, acc, matrix, evaluator.Regression);
    }

    /// <summary>The network's outputs for row-major <paramref name="inputs"/>, OutputSize values per sample (Keras' <c>predict</c>).</summary>
    public static T[] Predict<T>(this INetwork<T> network, ReadOnlyMemory<T> inputs)
        where T : unmanaged
    {
        Requires.NotNull(network, nameof(network));
        if (inputs.IsEmpty || inputs.Length % network.InputSize != 0)
            throw new ArgumentException($"Expected a positive multiple of InputSize {network.InputSize} input values but got {inputs.Length}.", nameof(inputs));
        int n = inputs.Length / network.InputSize;
        var outputs = new T[n * network.OutputSize];
        network.Forward(inputs.Span, outputs, n);
        return outputs;
    }

    private static TrainingHistory Run<T>(ITrainableNetwork<T> net, ReadOnlyMemory<T> inputs, ReadOnlyMemory<T> targets,
        ReadOnlyMemory<T> validationInputs, ReadOnlyMemory<T> validationTargets, FitOptions options, CancellationToken cancellationToken)
        where T : unmanaged
    {
        T startRate = net.LearningRate;
        try
        {
            return Train(net, inputs, targets, validationInputs, validationTargets, options, cancellationToken);
        }
        finally
        {
            // Each Fit schedules from the rate it was given, so the next Fit must find that rate again.
            if (options.LearningRateSchedule is not null) net.LearningRate = startRate;
        }
    }

    private static TrainingHistory Train<T>(ITrainableNetwork<T> net, ReadOnlyMemory<T> inputs, ReadOnlyMemory<T> targets,
        ReadOnlyMemory<T> validationInputs, ReadOnlyMemory<T> validationTargets, FitOptions options, CancellationToken cancellationToken)
        where T : unmanaged
    {
        var early = options.EarlyStopping;
        early?.Validate();
        int inSize = net.InputSize, outSize = net.OutputSize, targetSize = TargetSize(net, net.Loss);
        int n = inputs.Length / inSize;
        bool hasValidation = !validationInputs.IsEmpty;
        var monitor = early?.Monitor ?? MonitoredLoss.Auto;
        if (monitor == MonitoredLoss.ValidationLoss && !hasValidation)
            throw new ArgumentException("EarlyStopping monitors the validation loss, but there are no validation data: give some or a ValidationSplit.", nameof(options));
        bool monitorValidation = monitor == MonitoredLoss.ValidationLoss || (monitor == MonitoredLoss.Auto && hasValidation);
        var metric = ResolveMetric(options.Accuracy, net.Loss, outSize);

        // Every buffer is allocated here, once: the batch loop below allocates nothing.
        int batch = Math.Min(options.BatchSize, n);
        var batchInputs = new T[batch * inSize];
        var batchTargets = new T[batch * targetSize];
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var random = new DeterministicRandom(options.Seed);
        bool measureTraining = metric != AccuracyMetric.None && options.TrainingAccuracy;
        var evaluator = hasValidation || measureTraining
            ? new Evaluator<T>(net, net.Loss, metric, options.Threshold, Math.Max(hasValidation ? validationInputs.Length / inSize : 0, measureTraining ? n : 0))
            : null;
        // The best epoch's parameters, then its buffers (BatchNorm's running statistics belong to the model too).
        var bestParameters = early is { RestoreBestParameters: true } ? new T[net.ParameterCount + net.BufferCount] : null;

        var history = new TrainingHistory();
        double initialRate = LearningRateSchedule.Tidy(net.LearningRate);
        double best = double.PositiveInfinity;
        int wait = 0;
        var total = Stopwatch.StartNew();
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long epochStart = Stopwatch.GetTimestamp();
            if (options.LearningRateSchedule is { } schedule)
                net.LearningRate = Scalar<T>.FromDouble(LearningRateSchedule.Tidy(schedule.GetLearningRate(epoch, initialRate)));
            if (options.Shuffle) random.Shuffle(order.AsSpan());

            double lossSum = TrainEpoch(net, inputs.Span, targets.Span, order, options.Shuffle, batchInputs, batchTargets, epoch, options, cancellationToken);

            double? trainAccuracy = measureTraining ? evaluator!.Run(inputs, targets, null).Accuracy : null;
            double? validationLoss = null, validationAccuracy = null;
            if (hasValidation) (validationLoss, validationAccuracy) = evaluator!.Run(validationInputs, validationTargets, null);
            var report = new EpochReport
            {
                Epoch = epoch + 1,
                Epochs = options.Epochs,
                Loss = lossSum / n,
                Accuracy = trainAccuracy,
                ValidationLoss = validationLoss,
                ValidationAccuracy = validationAccuracy,
                LearningRate = LearningRateSchedule.Tidy(net.LearningRate),
                Duration = Requires.ElapsedSince(epochStart),
                Elapsed = total.Elapsed,
            };
            history.Add(report);
            options.OnEpochEnd?.Invoke(report);
            options.Progress?.Report(report);

            if (early is null) continue;
            double monitored = monitorValidation ? validationLoss!.Value : report.Loss;
            if (monitored < best - early.MinDelta)
            {
                best = monitored;
                history.BestEpoch = epoch + 1;
                wait = 0;
                if (bestParameters is not null)
                {
                    net.Parameters.CopyTo(bestParameters);
                    net.Buffers.CopyTo(bestParameters.AsSpan(net.ParameterCount));
                }
            }
            else if (++wait >= early.Patience && epoch + 1 < options.Epochs)
            {
                history.StoppedEarly = true;
                break;
            }
        }
        if (bestParameters is not null && history.BestEpoch is int bestEpoch && bestEpoch != history.Epochs.Count)
        {
            bestParameters.AsSpan(0, net.ParameterCount).CopyTo(net.Parameters);
            bestParameters.AsSpan(net.ParameterCount).CopyTo(net.Buffers);
        }
        history.Elapsed = total.Elapsed;
        return history;
    }

    /// <summary>One pass over the training data; returns the sum of per-sample losses.</summary>
    private static double TrainEpoch<T>(ITrainableNetwork<T> net, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int[] order, bool shuffled,
        T[] batchInputs, T[] batchTargets, int epoch, FitOptions options, CancellationToken cancellationToken)
        where T : unmanaged
    {
        int inSize = net.InputSize, targetSize = TargetSize(net, net.Loss), n = order.Length, batch = batchInputs.Length / inSize;
        double lossSum = 0;
        int batchNumber = 0, batches = (n + batch - 1) / batch;
        for (int start = 0; start < n; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            batchNumber++;
            int m = Math.Min(batch, n - start);
            T loss;
            if (shuffled)
            {
                // Gather the batch's rows into contiguous buffers, because TrainStep takes row-major spans.
                for (int i = 0; i < m; i++)
                {
                    int row = order[start + i];
                    inputs.Slice(row * inSize, inSize).CopyTo(batchInputs.AsSpan(i * inSize, inSize));
                    targets.Slice(row * targetSize, targetSize).CopyTo(batchTargets.AsSpan(i * targetSize, targetSize));
                }
                loss = net.TrainStep(batchInputs.AsSpan(0, m * inSize), batchTargets.AsSpan(0, m * targetSize), m);
            }
            else
            {
                loss = net.TrainStep(inputs.Slice(start * inSize, m * inSize), targets.Slice(start * targetSize, m * targetSize), m);
            }
            if (!double.IsFinite(Scalar<T>.ToDouble(loss))) throw new TrainingDivergedException(epoch + 1, batchNumber, Scalar<T>.ToDouble(loss));
            lossSum += Scalar<T>.ToDouble(loss) * m;
            options.BatchProgress?.Report(new BatchReport(epoch + 1, options.Epochs, batchNumber, batches, lossSum / (start + m)));
        }
        return lossSum;
    }

    internal static AccuracyMetric ResolveMetric(AccuracyMetric metric, LossFunction loss, int outputSize)
    {
        if (metric == AccuracyMetric.Auto)
            metric = loss switch
            {
                LossFunction.BinaryCrossEntropy => AccuracyMetric.Binary,
                LossFunction.CategoricalCrossEntropy or LossFunction.SparseCategoricalCrossEntropy => AccuracyMetric.Categorical,
                _ => AccuracyMetric.None,
            };
        if (metric == AccuracyMetric.Categorical && outputSize < 2)
            throw new ArgumentException($"Categorical accuracy needs at least 2 outputs (one per class), but the network has {outputSize}; use AccuracyMetric.Binary.", nameof(metric));
        if (metric == AccuracyMetric.Binary && loss == LossFunction.SparseCategoricalCrossEntropy)
            throw new ArgumentException("Binary accuracy compares each output with a label, but SparseCategoricalCrossEntropy targets are class indices; use AccuracyMetric.Categorical.", nameof(metric));
        if (metric is < AccuracyMetric.Auto or > AccuracyMetric.Categorical)
            throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown accuracy metric.");
        return metric;
    }

    /// <summary>Target values per sample: one class index for SparseCategoricalCrossEntropy, else one per output.</summary>
    internal static int TargetSize<T>(INetwork<T> net, LossFunction loss) where T : unmanaged =>
        loss == LossFunction.SparseCategoricalCrossEntropy ? 1 : net.OutputSize;

    /// <summary>The number of samples, after checking that inputs and targets agree (and that sparse labels are class indices).</summary>
    private static int SampleCount<T>(INetwork<T> net, LossFunction loss, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, string inputsName, string targetsName)
        where T : unmanaged
    {
        int inputLength = inputs.Length, targetLength = targets.Length;
        if (inputLength == 0) throw new ArgumentException("Expected at least one sample but the data are empty.", inputsName);
        if (inputLength % net.InputSize != 0)
            throw new ArgumentException($"Expected a multiple of InputSize {net.InputSize} values in {inputsName} but got {inputLength}.", inputsName);
        int n = inputLength / net.InputSize;
        if (loss == LossFunction.SparseCategoricalCrossEntropy)
        {
            if (targetLength != n)
                throw new ArgumentException($"Expected {targetsName} of length {n} ({n} samples x one class index) but got {targetLength}.", targetsName);
            // Every label checked before the first update: a bad one must not leave the network half trained.
            NetworkGuard.ClassIndices(targets, net.OutputSize, targetsName);
            return n;
        }
        if ((long)n * net.OutputSize != targetLength)
            throw new ArgumentException($"Expected {targetsName} of length {(long)n * net.OutputSize} ({n} samples x OutputSize {net.OutputSize}) but got {targetLength}.", targetsName);
        return n;
    }
}
