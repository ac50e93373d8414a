// A small neural network, from data to plot. The network below is a partial class: at build time NeuralNet.Gen
// writes its Forward, backward pass and Adam update as plain C# (see obj/**/generated with
// <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>), and its analyzers check the layers as you type.
using NeuralNet.Gen;
using NeuralNet.Gen.Data;
using ScottPlot;
using static NeuralNet.Gen.Activation;

// 1. Data: two noisy rings of points; columns x, y and the label (1 on the inner ring), one sample per row.
string csv = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "data", "circles.csv");
Dataset<float> data = CsvReader.Read<float>(csv).ToDataset();

// Split first (6:2:2, shuffled), then fit the scaler on the training part only: the test data stays unseen.
var (train, validation, test) = data.Split(seed: 1);
var scaler = StandardScaler<float>.Fit(train.Inputs, train.InputSize);
scaler.Transform(train.Inputs);
scaler.Transform(validation.Inputs);
scaler.Transform(test.Inputs);
Console.WriteLine($"{data.Count} samples: {train.Count} to train, {validation.Count} to validate, {test.Count} to test");

// 2. Train.
var net = new Classifier();
Console.WriteLine(net.Summary());
TrainingHistory history = net.Fit(train.Inputs, train.Targets, validation.Inputs, validation.Targets,
    new FitOptions { Epochs = 60, BatchSize = 16, Shuffle = true, Seed = 1 });
Console.WriteLine(history.Epochs[^1]);

// 3. Evaluate on the held-out test part.
Evaluation result = net.Evaluate(test.Inputs, test.Targets);
Console.WriteLine($"test: {result}");

// 4. Plot the loss per epoch.
double[] epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
var plot = new Plot();
plot.Add.ScatterLine(epochs, history.Loss.ToArray()).LegendText = "training";
plot.Add.ScatterLine(epochs, history.ValidationLoss.ToArray()).LegendText = "validation";
plot.Title("Loss per epoch");
plot.XLabel("epoch");
plot.YLabel("binary cross-entropy");
plot.ShowLegend();
plot.SavePng("training.png", 800, 450);
Console.WriteLine($"wrote {Path.GetFullPath("training.png")}");

/// <summary>2 inputs, two ReLU hidden layers, one Sigmoid output: the probability that a point is on the inner ring.</summary>
[Network(Seed = 1)]
[Input(2)]
[Dense(16, Relu)]
[Dense(8, Relu)]
[Dense(1, Sigmoid)]
[Loss(LossFunction.BinaryCrossEntropy)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.01f)]
public partial class Classifier { }
