using System;
using System.Diagnostics;
using NeuralNet.Gen;
using TorchSharp;
using static NeuralNet.Gen.Activation;
using static TorchSharp.torch;

namespace NeuralNet.Gen.Benchmarks;

/// <summary>The Fashion-MNIST sample's CNN (samples/FashionMnistCnn), for the time-per-epoch comparison.</summary>
[Network(Seed = 1)]
[Input(28, 28, 1)]
[Conv2D(32, 3, Relu)]
[MaxPool2D(2)]
[Conv2D(64, 3, Relu)]
[MaxPool2D(2)]
[Flatten]
[Dropout(0.25f)]
[Dense(128, Relu)]
[Dense(10, Softmax)]
[Loss(LossFunction.CategoricalCrossEntropy)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.001f)]
public partial class FashionCnnNet { }

/// <summary>
/// <c>-- --cnn-epoch [images]</c>: training time of the sample CNN over the same images in minibatches of 64, the
/// generated network against the same network in TorchSharp (Conv2d/MaxPool2d/Dropout/Linear, cross-entropy on the
/// logits, torch.optim.Adam) with one thread and with every core; reported as seconds per 60,000-image epoch.
/// Timing only (random pixels, random labels): the accuracy is the sample's.
/// </summary>
public static class CnnEpoch
{
    private const int Batch = 64, Classes = 10, Pixels = 28 * 28, EpochImages = 60_000;

    public static int Run(int images, bool torchAvailable)
    {
        images = Math.Max(Batch, images / Batch * Batch);
        var random = new DeterministicRandom(5);
        var x = new float[images * Pixels];
        var t = new float[images * Classes];
        for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble();
        for (int i = 0; i < images; i++) t[i * Classes + random.NextInt32(Classes)] = 1;
        Console.WriteLine($"== Fashion-MNIST CNN, {images} images in batches of {Batch}, scaled to a {EpochImages}-image epoch");

        var net = new FashionCnnNet();
        net.TrainStep(x.AsSpan(0, Batch * Pixels), t.AsSpan(0, Batch * Classes), Batch); // warm-up: JIT, buffers
        var clock = Stopwatch.StartNew();
        for (int b = 0; b < images; b += Batch) net.TrainStep(x.AsSpan(b * Pixels, Batch * Pixels), t.AsSpan(b * Classes, Batch * Classes), Batch);
        Report("NeuralNet.Gen (generated, one thread)", clock.Elapsed.TotalSeconds, images);

        if (!torchAvailable) return 0;
        foreach (int threads in new[] { 1, Environment.ProcessorCount })
        {
            torch.set_num_threads(threads);
            torch.manual_seed(1);
            var model = nn.Sequential(
                ("conv1", nn.Conv2d(1, 32, 3)), ("relu1", nn.ReLU()), ("pool1", nn.MaxPool2d(2)),
                ("conv2", nn.Conv2d(32, 64, 3)), ("relu2", nn.ReLU()), ("pool2", nn.MaxPool2d(2)),
                ("flatten", nn.Flatten()), ("dropout", nn.Dropout(0.25)),
                ("dense1", nn.Linear(1600, 128)), ("relu3", nn.ReLU()), ("dense2", nn.Linear(128, 10)));
            var optimizer = optim.Adam(model.parameters(), 0.001);
            var inputs = new Tensor[images / Batch];
            var labels = new Tensor[images / Batch];
            for (int b = 0; b < inputs.Length; b++)
            {
                inputs[b] = torch.tensor(x.AsSpan(b * Batch * Pixels, Batch * Pixels).ToArray(), [Batch, 1, 28, 28]);
                var classes = new long[Batch];
                for (int i = 0; i < Batch; i++) classes[i] = Array.IndexOf(t, 1f, (b * Batch + i) * Classes, Classes) - (b * Batch + i) * Classes;
                labels[b] = torch.tensor(classes);
            }
            model.train();
            void Step(int b)
            {
                using var scope = torch.NewDisposeScope();
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.forward(inputs[b]), labels[b]);
                loss.backward();
                optimizer.step();
            }
            Step(0); // warm-up
            clock.Restart();
            for (int b = 0; b < inputs.Length; b++) Step(b);
            Report($"TorchSharp-cpu {typeof(torch).Assembly.GetName().Version} ({threads} thread{(threads == 1 ? "" : "s")})", clock.Elapsed.TotalSeconds, images);
            foreach (var tensor in inputs) tensor.Dispose();
            foreach (var tensor in labels) tensor.Dispose();
        }
        return 0;
    }

    private static void Report(string name, double seconds, int images) =>
        Console.WriteLine($"{name,-48} {seconds:F1} s for {images} images: {images / seconds,6:F0} images/s, {seconds * EpochImages / images,6:F1} s per epoch");
}
