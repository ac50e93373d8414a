// The Keras concentric-circles classifier: two noisy rings, a 2-4-6-6-4-1 ReLU network with a Sigmoid output,
// binary cross-entropy and Adam, 50 epochs of minibatches of 32. Held-out accuracy close to 100%.
using System;
using NeuralNet.Gen;
using NeuralNet.Gen.Samples;

namespace Circles;

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
        // Keras' model.fit(x, y, epochs=50, batch_size=32, validation_data=(x_test, y_test)).
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
}
