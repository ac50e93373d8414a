// Fashion-MNIST (Zalando's drop-in replacement for MNIST): 28x28 grey images of 10 kinds of clothing.
// Trains the tutorial's two-layer network and a stronger multilayer perceptron, then prints test accuracy,
// the confusion matrix and timings, and writes PNG plots of training.
using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using NeuralNet.Gen;
using NeuralNet.Gen.Data;
using NeuralNet.Gen.Samples;
using static NeuralNet.Gen.Activation;

namespace FashionMnist;

/// <summary>The tutorial's network: 784-50-10, Sigmoid then Softmax, SGD with learning rate 0.1.</summary>
[Network(Seed = 7)]
[Input(784)]
[Dense(50, Sigmoid)]
[Dense(10, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
[Optimizer(OptimizerKind.Sgd, LearningRate = 0.1f)]
public partial class TutorialNet { }

/// <summary>A stronger one: 784-256-128-10 with ReLU and Adam (the benchmark table's MLP 256-128-100 reaches 0.8833).</summary>
[Network(Seed = 3)]
[Input(784)]
[Dense(256, Relu)]
[Dense(128, Relu)]
[Dense(10, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.001f)]
public partial class MlpNet { }

public static class Program
{
    public const string DefaultFolder = FashionMnistData.DefaultFolder;

    public static readonly string[] ClassNames =
        { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };

    public static int Main(string[] args)
    {
        string folder = DefaultFolder, output = ".";
        int epochs = 15, tutorialEpochs = 10, limit = 0;
        try
        {
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--epochs": epochs = PositiveInt(args, ++i); break;
                    case "--tutorial-epochs": tutorialEpochs = PositiveInt(args, ++i); break;
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

        // Shuffled once, so that Fit's ValidationSplit (the last 1/12, as Keras takes it) holds out 5,000 images of every kind;
        // the 10,000 test images are only used at the end.
        var shuffled = train.Shuffle(seed: 1);
        const double validationSplit = 1.0 / 12;
        int validationCount = (int)(shuffled.Count * validationSplit);
        Console.WriteLine($"Fashion-MNIST from {folder}: {shuffled.Count - validationCount} training, {validationCount} validation, {test.Count} test images.");
        Console.WriteLine();

        var tutorial = new TutorialNet();
        Run("tutorial", "784-50-10, Sigmoid/Softmax, SGD 0.1, batch 100", tutorial, shuffled, test,
            new FitOptions { Epochs = tutorialEpochs, BatchSize = 100, ValidationSplit = validationSplit, Seed = 1 }, output);

        // Adam with the learning rate annealed along a cosine to 0, keeping the epoch with the best validation loss.
        var mlp = new MlpNet();
        Run("mlp", "784-256-128-10, ReLU/Softmax, Adam 0.001 with cosine decay, batch 100", mlp, shuffled, test,
            new FitOptions
            {
                Epochs = epochs, BatchSize = 100, ValidationSplit = validationSplit, Seed = 1,
                LearningRateSchedule = LearningRateSchedule.Cosine(epochs),
                EarlyStopping = new EarlyStopping { Patience = 4, RestoreBestParameters = true },
            }, output);

        // Saved parameters come back bit for bit and give the same accuracy.
        string parameters = Path.Combine(output, "fashion-mlp.nng");
        mlp.SaveParameters(parameters);
        var reloaded = new MlpNet();
        reloaded.LoadParameters(parameters);
        Console.WriteLine($"Saved the MLP's parameters to {parameters} ({new FileInfo(parameters).Length:N0} bytes); reloaded test accuracy: {reloaded.Evaluate(test.Inputs, test.Targets).Accuracy:F4}");
        Console.WriteLine($"Peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MiB");
        return 0;
    }

    private static void Run<TNet>(string name, string description, TNet net, Dataset<float> train, Dataset<float> test,
        FitOptions options, string output)
        where TNet : ITrainableNetwork<float>
    {
        Console.WriteLine($"== {name}: {description}, {options.Epochs} epochs");
        using var bar = new ConsoleProgressBar();
        options.Progress = bar;
        options.BatchProgress = bar;
        var history = net.Fit(train.Inputs, train.Targets, options);
        var result = net.Evaluate(test.Inputs, test.Targets);

        double perEpoch = history.Elapsed.TotalSeconds / history.Epochs.Count;
        int trained = train.Count - (int)(train.Count * options.ValidationSplit);
        if (history.BestEpoch is int best) Console.WriteLine($"Best validation loss at epoch {best}; its parameters were kept.");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: test accuracy {result.Accuracy:F4}, test loss {result.Loss:F4}; training {history.Elapsed.TotalSeconds:F1} s ({perEpoch:F1} s per epoch, {trained * history.Epochs.Count / history.Elapsed.TotalSeconds:N0} samples/s)"));
        var matrix = result.ConfusionMatrix!.WithClassNames(ClassNames);
        Console.WriteLine("Confusion matrix (rows: actual, columns: predicted):");
        Console.WriteLine(matrix);

        string curves = Path.Combine(output, $"fashion-{name}-training.png");
        Plots.TrainingCurves(history, curves, $"Fashion-MNIST {name}");
        string confusion = Path.Combine(output, $"fashion-{name}-confusion.png");
        Plots.ConfusionMatrix(matrix, confusion, $"Fashion-MNIST {name}: test confusion matrix");
        Console.WriteLine($"Plots: {curves}, {confusion}");
        Console.WriteLine();
    }

    private static string Value(string[] args, int i) =>
        i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");

    private static int PositiveInt(string[] args, int i)
    {
        string text = Value(args, i);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new ArgumentException($"{args[i - 1]} needs a positive whole number, not '{text}'.");
    }

    private static void Usage() => Console.Error.WriteLine(
        $"usage: FashionMnist [folder] [--epochs N (15)] [--tutorial-epochs N (10)] [--limit N] [--out dir]\n" +
        $"  folder: the Fashion-MNIST IDX files, raw or .gz (default {DefaultFolder})");
}

/// <summary>A Keras-like bar per epoch: redrawn in place on a terminal, one summary line per epoch when output is redirected.</summary>
internal sealed class ConsoleProgressBar : IProgress<EpochReport>, IProgress<BatchReport>, IDisposable
{
    private const int Width = 30;
    private readonly bool _interactive = !Console.IsOutputRedirected;
    private long _lastDraw;

    public void Report(BatchReport value)
    {
        if (!_interactive) return;
        long now = Stopwatch.GetTimestamp();
        if (value.Batch != value.Batches && Stopwatch.GetElapsedTime(_lastDraw, now).TotalMilliseconds < 100) return;
        _lastDraw = now;
        int filled = (int)((long)Width * value.Batch / value.Batches);
        Console.Write(string.Create(CultureInfo.InvariantCulture,
            $"\rEpoch {value.Epoch,2}/{value.Epochs} [{new string('=', filled)}{(filled < Width ? ">" : "")}{new string('.', Math.Max(0, Width - filled - 1))}] {value.Batch}/{value.Batches} loss: {value.Loss:F4}   "));
    }

    public void Report(EpochReport value)
    {
        string bar = "[" + new string('=', Width) + "]";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(_interactive ? "\r" : "")}Epoch {value.Epoch,2}/{value.Epochs} {bar} {value.Duration.TotalSeconds,5:F1}s loss: {value.Loss:F4} acc: {value.Accuracy:F4} val_loss: {value.ValidationLoss:F4} val_acc: {value.ValidationAccuracy:F4}"));
    }

    public void Dispose() { }
}
