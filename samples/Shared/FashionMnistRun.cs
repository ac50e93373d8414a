// The Fashion-MNIST training run the CNN samples share (samples/FashionMnistCnn, samples/FashionMnistResNet): reads the
// arguments, trains with Adam in minibatches of 64 over the training images, prints every epoch's loss, training time
// and test accuracy, and writes the history as CSV and PNG plots of the training curve and the test confusion matrix.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using NeuralNet.Gen;
using NeuralNet.Gen.Data;

namespace NeuralNet.Gen.Samples;

/// <summary>What differs between the CNN samples: the network, the file names, the titles and the reference accuracy.</summary>
/// <param name="Program">The sample's name, for the usage line.</param>
/// <param name="FilePrefix">Prefix of the CSV and PNG files, e.g. <c>fashion-cnn</c>.</param>
/// <param name="Title">Title of the plots, e.g. <c>Fashion-MNIST CNN</c>.</param>
/// <param name="Reference">What to compare the test accuracy with, e.g. <c>benchmark table: 0.916</c>.</param>
public sealed record FashionMnistRun(string Program, string FilePrefix, string Title, string Reference)
{
    public static readonly string[] ClassNames =
        { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };

    /// <summary>Runs the sample with <paramref name="args"/> on the network <paramref name="create"/> makes; returns the exit code.</summary>
    public int Main<TNet>(string[] args, Func<TNet> create) where TNet : ITrainableNetwork<float>
    {
        string folder = FashionMnistData.DefaultFolder, output = ".";
        int epochs = 12, limit = 0;
        try
        {
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--epochs": epochs = PositiveInt(args, ++i); break;
                    case "--limit": limit = PositiveInt(args, ++i); break;
                    case "--out": output = Value(args, ++i); break;
                    case "-h" or "--help": Usage(); return 0;
                    default:
                        if (args[i].StartsWith("-", StringComparison.Ordinal)) throw new ArgumentException($"Unknown option {args[i]}.");
                        folder = args[i];
                        break;
                }
            }
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Usage();
            return 2;
        }

        var data = FashionMnistData.Load(folder, limit);
        if (data is null) return 1;
        var (train, test) = data.Value;
        Directory.CreateDirectory(output);

        var net = create();
        Console.WriteLine(net.Summary());
        Console.WriteLine($"Fashion-MNIST from {folder}: {train.Count} training images (one channel, so the IDX rows are already HWC), {test.Count} test images.");
        Console.WriteLine($"{epochs} epochs in minibatches of 64, shuffled with seed 1; {Environment.ProcessorCount} logical cores, training on one.");
        Console.WriteLine();

        // The test set is scored after every epoch, as the benchmark's scripts do; the epoch's time excludes it.
        var progress = new EpochPrinter(net, test);
        var history = net.Fit(train.Inputs, train.Targets, new FitOptions
        {
            Epochs = epochs, BatchSize = 64, Shuffle = true, Seed = 1, TrainingAccuracy = false, Progress = progress,
        });

        var result = net.Evaluate(test.Inputs, test.Targets);
        double perEpoch = history.Epochs.Average(e => e.Duration.TotalSeconds);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Test accuracy after {history.Epochs.Count} epochs: {result.Accuracy:F4} ({Reference}); test loss {result.Loss:F4}; {perEpoch:F1} s of training per epoch ({train.Count / perEpoch:N0} images/s)."));
        var matrix = result.ConfusionMatrix!.WithClassNames(ClassNames);
        Console.WriteLine("Confusion matrix (rows: actual, columns: predicted):");
        Console.WriteLine(matrix);

        string csv = Path.Combine(output, FilePrefix + "-history.csv");
        using (var writer = new StreamWriter(csv))
        {
            writer.WriteLine("epoch,loss,test_accuracy,seconds");
            for (int e = 0; e < history.Epochs.Count; e++)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{e + 1},{history.Epochs[e].Loss:R},{progress.TestAccuracy[e]:R},{history.Epochs[e].Duration.TotalSeconds:F2}"));
            }
        }
        string curves = Path.Combine(output, FilePrefix + "-training.png");
        Plots.TrainingCurves(history, curves, Title);
        string confusion = Path.Combine(output, FilePrefix + "-confusion.png");
        Plots.ConfusionMatrix(matrix, confusion, Title + ": test confusion matrix");
        Console.WriteLine($"History: {csv}; plots: {curves}, {confusion}");
        return 0;
    }

    /// <summary>Prints each epoch's training loss and time, then the test accuracy of the network at that point.</summary>
    private sealed class EpochPrinter(ITrainableNetwork<float> net, Dataset<float> test) : IProgress<EpochReport>
    {
        public List<double> TestAccuracy { get; } = new();

        public void Report(EpochReport value)
        {
            double accuracy = net.Evaluate(test.Inputs, test.Targets).Accuracy ?? double.NaN;
            TestAccuracy.Add(accuracy);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Epoch {value.Epoch,2}/{value.Epochs}  loss {value.Loss:F4}  training {value.Duration.TotalSeconds:F1} s  test accuracy {accuracy:F4}"));
        }
    }

    private static int PositiveInt(string[] args, int i)
    {
        string text = Value(args, i);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value <= 0)
            throw new ArgumentException($"{args[i - 1]} expects a positive integer, not '{text}'.");
        return value;
    }

    private static string Value(string[] args, int i) =>
        i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} expects a value.");

    private void Usage() =>
        Console.Error.WriteLine($"Usage: {Program} [folder] [--epochs N] [--limit N] [--out DIR]   (folder defaults to {FashionMnistData.DefaultFolder})");
}
