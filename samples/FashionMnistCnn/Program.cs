// Fashion-MNIST with a small CNN, the benchmark table's "2 Conv+pooling" entry (0.916 test accuracy):
// Conv2D(32, 3, Relu) -> MaxPool2D(2) -> Conv2D(64, 3, Relu) -> MaxPool2D(2) -> Flatten -> Dropout(0.25)
// -> Dense(128, Relu) -> Dense(10, Softmax), Adam 0.001, minibatches of 64, shuffled with a seed each epoch.
// Prints the loss, test accuracy and time of every epoch; writes the history as CSV and an SVG plot.
//
//   dotnet run -c Release --project samples/FashionMnistCnn -- [--epochs 12] [--batch 64] [--limit 60000] [--data DIR] [--out DIR]
using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using NeuralNet.Gen;

namespace FashionMnistCnn;

public static class Program
{
    public const int Classes = 10;

    public static int Main(string[] args)
    {
        int epochs = Option(args, "--epochs", 12);
        int batchSize = Option(args, "--batch", 64);
        int limit = Option(args, "--limit", int.MaxValue);
        string data = OptionText(args, "--data", "/usr/share/datasets/fashion-mnist");
        string output = OptionText(args, "--out", ".");

        string File(string stem) => Path.Combine(data, System.IO.File.Exists(Path.Combine(data, stem)) ? stem : stem + ".gz");
        if (!System.IO.File.Exists(File("train-images-idx3-ubyte")))
        {
            Console.Error.WriteLine($"Fashion-MNIST not found in {data} (apt-get install dataset-fashion-mnist, or pass --data DIR).");
            return 1;
        }
        var trainImages = Idx.ReadImages(File("train-images-idx3-ubyte"), out int trainCount, out int rows, out int columns);
        var trainTargets = Idx.ReadOneHotLabels(File("train-labels-idx1-ubyte"), Classes, out _);
        var testImages = Idx.ReadImages(File("t10k-images-idx3-ubyte"), out int testCount, out _, out _);
        Idx.ReadOneHotLabels(File("t10k-labels-idx1-ubyte"), Classes, out var testLabels);
        if (rows * columns != FashionCnn.InputSize) throw new InvalidDataException($"Expected {FashionCnn.InputSize} pixels per image, found {rows}x{columns}.");
        trainCount = Math.Min(trainCount, limit);

        var net = new FashionCnn();
        Console.WriteLine(net.Summary());
        Console.WriteLine($"Training on {trainCount} images, testing on {testCount}; {epochs} epochs, batch {batchSize}, {Environment.ProcessorCount} logical cores.");
        Console.WriteLine();

        var history = new (int Epoch, double Loss, double Accuracy, double Seconds)[epochs];
        var order = new int[trainCount];
        for (int i = 0; i < trainCount; i++) order[i] = i;
        var batchInputs = new float[batchSize * FashionCnn.InputSize];
        var batchTargets = new float[batchSize * FashionCnn.OutputSize];
        var random = new DeterministicRandom(1);
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            random.Shuffle<int>(order);
            double loss = 0;
            int batches = 0;
            for (int start = 0; start < trainCount; start += batchSize)
            {
                int count = Math.Min(batchSize, trainCount - start);
                for (int b = 0; b < count; b++)
                {
                    int i = order[start + b];
                    trainImages.AsSpan(i * FashionCnn.InputSize, FashionCnn.InputSize).CopyTo(batchInputs.AsSpan(b * FashionCnn.InputSize));
                    trainTargets.AsSpan(i * Classes, Classes).CopyTo(batchTargets.AsSpan(b * Classes));
                }
                loss += net.TrainStep(batchInputs.AsSpan(0, count * FashionCnn.InputSize), batchTargets.AsSpan(0, count * Classes), count);
                batches++;
                if (batches % 100 == 0) Console.Write($"\r  epoch {epoch}: {start + count}/{trainCount} images, loss {loss / batches:F4}, {clock.Elapsed.TotalSeconds:F0} s");
            }
            double seconds = clock.Elapsed.TotalSeconds;
            double accuracy = Accuracy(net, testImages, testLabels, testCount);
            history[epoch - 1] = (epoch, loss / batches, accuracy, seconds);
            Console.WriteLine($"\rEpoch {epoch,2}/{epochs}  loss {loss / batches:F4}  test accuracy {accuracy:P2}  training time {seconds:F1} s ({trainCount / seconds:F0} images/s)        ");
        }

        Directory.CreateDirectory(output);
        string csv = Path.Combine(output, "fashion-cnn-history.csv");
        using (var writer = new StreamWriter(csv))
        {
            writer.WriteLine("epoch,loss,test_accuracy,seconds");
            foreach (var h in history) writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{h.Epoch},{h.Loss:R},{h.Accuracy:R},{h.Seconds:F2}"));
        }
        string svg = Path.Combine(output, "fashion-cnn-history.svg");
        System.IO.File.WriteAllText(svg, Plot.LossAndAccuracy(history));
        Console.WriteLine();
        Console.WriteLine($"Test accuracy after {epochs} epochs: {history[^1].Accuracy:P2} (benchmark table: 91.6%); mean training time per epoch {Mean(history):F1} s.");
        Console.WriteLine($"History: {csv}, plot: {svg}");
        return 0;
    }

    /// <summary>Share of test images whose largest output is the label, with the batch Forward (inference: dropout off).</summary>
    public static double Accuracy(FashionCnn net, float[] images, byte[] labels, int count)
    {
        const int chunk = 250;
        var outputs = new float[chunk * Classes];
        int correct = 0;
        for (int start = 0; start < count; start += chunk)
        {
            int n = Math.Min(chunk, count - start);
            net.Forward(images.AsSpan(start * FashionCnn.InputSize, n * FashionCnn.InputSize), outputs.AsSpan(0, n * Classes), n);
            for (int b = 0; b < n; b++)
            {
                var row = outputs.AsSpan(b * Classes, Classes);
                int best = 0;
                for (int k = 1; k < Classes; k++) if (row[k] > row[best]) best = k;
                if (best == labels[start + b]) correct++;
            }
        }
        return correct / (double)count;
    }

    private static double Mean((int, double, double, double Seconds)[] history)
    {
        double sum = 0;
        foreach (var h in history) sum += h.Seconds;
        return sum / history.Length;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string OptionText(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
