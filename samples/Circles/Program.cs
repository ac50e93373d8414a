// The Keras concentric-circles classifier: two noisy rings, a 2-4-6-6-4-1 ReLU network with a Sigmoid output,
// binary cross-entropy and Adam, 50 epochs of minibatches of 32. Held-out accuracy close to 100%.
using System;
using NeuralNet.Gen;
using NeuralNet.Gen.Samples;
using static NeuralNet.Gen.Activation;

namespace Circles;

[Network(Seed = 1)]
[Input(2)]
[Dense(4, Relu)]
[Dense(6, Relu)]
[Dense(6, Relu)]
[Dense(4, Relu)]
[Dense(1, Sigmoid)]
[Loss(LossFunction.BinaryCrossEntropy)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.01f)]
public partial class CirclesNet { }

public static class Program
{
    public const int Samples = 1000;
    public const int Epochs = 50;
    public const int BatchSize = 32;

    public static int Main()
    {
        var (inputs, labels) = CirclesData.Generate(Samples, noise: 0.05, factor: 0.5, seed: 1);
        var split = CirclesData.Split(inputs, labels, trainFraction: 0.8);
        var net = new CirclesNet();
        Console.WriteLine(net.Summary());
        // Keras' model.fit(x, y, epochs=50, batch_size=32, validation_data=(x_test, y_test)); the loop it runs is Train below.
        var history = net.Fit(split.TrainInputs, split.TrainLabels, split.TestInputs, split.TestLabels,
            new FitOptions { Epochs = Epochs, BatchSize = BatchSize, Seed = 1, Progress = new Progress(r => Console.WriteLine(r)) });
        var result = net.Evaluate(split.TestInputs, split.TestLabels);
        Console.WriteLine();
        Console.WriteLine($"Held-out accuracy after {Epochs} epochs: {result.Accuracy:P1} ({result.SampleCount} samples)");

        Plots.TrainingCurves(history, "circles-training.png", "Circles");
        var classes = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++) classes[i] = (int)labels[i];
        Plots.DecisionBoundary(net, inputs, classes, "circles-decision-boundary.png", "Circles: decision boundary");
        Console.WriteLine("Plots: circles-training.png, circles-decision-boundary.png");
        return 0;
    }

    /// <summary>Passes each epoch's report to an action on the training thread (System.Progress would post it to the thread pool).</summary>
    private sealed class Progress(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }

    public readonly record struct TrainingResult(float FinalLoss, double TestAccuracy);

    /// <summary>
    /// The same minibatch training written out (what Fit does): a seeded shuffle each epoch; reports the mean loss and
    /// held-out accuracy per epoch.
    /// </summary>
    public static TrainingResult Train(CirclesNet net, CirclesData.SplitData data, int epochs, int batchSize, int seed, Action<int, float, double>? report = null)
    {
        int n = data.TrainLabels.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var batchInputs = new float[batchSize * CirclesNet.InputSize];
        var batchTargets = new float[batchSize * CirclesNet.OutputSize];
        var random = new DeterministicRandom(seed);
        float epochLoss = 0;
        double accuracy = 0;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            random.Shuffle<int>(order);
            epochLoss = 0;
            int batches = 0;
            for (int start = 0; start < n; start += batchSize)
            {
                int count = Math.Min(batchSize, n - start);
                for (int b = 0; b < count; b++)
                {
                    int i = order[start + b];
                    batchInputs[2 * b] = data.TrainInputs[2 * i];
                    batchInputs[2 * b + 1] = data.TrainInputs[2 * i + 1];
                    batchTargets[b] = data.TrainLabels[i];
                }
                epochLoss += net.TrainStep(batchInputs.AsSpan(0, count * 2), batchTargets.AsSpan(0, count), count);
                batches++;
            }
            epochLoss /= batches;
            accuracy = Accuracy(net, data.TestInputs, data.TestLabels);
            report?.Invoke(epoch, epochLoss, accuracy);
        }
        return new TrainingResult(epochLoss, accuracy);
    }

    /// <summary>Fraction of samples whose predicted probability is on the right side of 0.5.</summary>
    public static double Accuracy(CirclesNet net, float[] inputs, float[] labels)
    {
        Span<float> p = stackalloc float[1];
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            net.Forward(inputs.AsSpan(2 * i, 2), p);
            if ((p[0] >= 0.5f ? 1f : 0f) == labels[i]) correct++;
        }
        return (double)correct / labels.Length;
    }
}
