using System;

namespace NeuralNet.Gen;

/// <summary>
/// Loss and accuracy (or, without an accuracy metric, the regression metrics) over a data set in chunks through one
/// reusable output buffer, so Fit can validate every epoch without allocating. The loss of a trainable network under
/// its own loss is its <c>ComputeLoss</c> (the training loss, from the logits); any other loss is computed from the
/// outputs by <see cref="LossFunctions"/>.
/// </summary>
internal sealed class Evaluator<T> where T : unmanaged
{
    private const int ChunkSamples = 256;
    private readonly INetwork<T> _network;
    private readonly LossFunction _loss;
    private readonly AccuracyMetric _metric;
    private readonly double _threshold;
    private readonly T[] _outputs;
    private readonly int _targetSize;
    private readonly ITrainableNetwork<T>? _ownLoss;

    public Evaluator(INetwork<T> network, LossFunction loss, AccuracyMetric metric, double threshold, int maxSamples)
    {
        _network = network;
        _loss = loss;
        _metric = metric;
        _threshold = threshold;
        _outputs = new T[Math.Max(1, Math.Min(ChunkSamples, maxSamples)) * network.OutputSize];
        _targetSize = NetworkTraining.TargetSize(network, loss);
        _ownLoss = network is ITrainableNetwork<T> trainable && trainable.Loss == loss ? trainable : null;
        Regression = metric == AccuracyMetric.None && loss != LossFunction.SparseCategoricalCrossEntropy ? new RegressionSums(network.OutputSize) : null;
    }

    /// <summary>MAE, RMSE and R² of the last <see cref="Run"/>, when no accuracy metric applies (regression).</summary>
    public RegressionSums? Regression { get; }

    public (double Loss, double? Accuracy) Run(ReadOnlyMemory<T> inputs, ReadOnlyMemory<T> targets, ConfusionMatrix? matrix)
    {
        int inSize = _network.InputSize, outSize = _network.OutputSize, targetSize = _targetSize;
        int n = inputs.Length / inSize, chunk = _outputs.Length / outSize;
        ReadOnlySpan<T> x = inputs.Span, y = targets.Span;
        double lossSum = 0;
        long correct = 0;
        Regression?.Begin(y.Slice(0, n * targetSize));
        for (int start = 0; start < n; start += chunk)
        {
            int m = Math.Min(chunk, n - start);
            var outputs = _outputs.AsSpan(0, m * outSize);
            var batchInputs = x.Slice(start * inSize, m * inSize);
            var expected = y.Slice(start * targetSize, m * targetSize);
            _network.Forward(batchInputs, outputs, m);
            if (_ownLoss is not null)
            {
                lossSum += Scalar<T>.ToDouble(_ownLoss.ComputeLoss(batchInputs, expected, m)) * m;
            }
            else
            {
                for (int s = 0; s < m; s++)
                    lossSum += Scalar<T>.ToDouble(LossFunctions.Compute<T>(_loss, outputs.Slice(s * outSize, outSize), expected.Slice(s * targetSize, targetSize)));
            }
            bool sparse = _loss == LossFunction.SparseCategoricalCrossEntropy;
            if (_metric == AccuracyMetric.Binary) correct += ClassificationMetrics.CountBinaryCorrect<T>(outputs, expected, _threshold);
            else if (_metric == AccuracyMetric.Categorical && sparse) correct += ClassificationMetrics.CountSparseCategoricalCorrect<T>(outputs, expected, outSize);
            else if (_metric == AccuracyMetric.Categorical) correct += ClassificationMetrics.CountCategoricalCorrect<T>(outputs, expected, outSize);
            if (sparse) matrix?.AddSparseOutputs<T>(outputs, expected, outSize);
            else matrix?.AddOutputs<T>(outputs, expected, outSize, _threshold);
            Regression?.Add<T>(outputs, expected);
        }
        double? accuracy = _metric switch
        {
            AccuracyMetric.Binary => (double)correct / ((long)n * outSize),
            AccuracyMetric.Categorical => (double)correct / n,
            _ => null,
        };
        return (lossSum / n, accuracy);
    }
}
