// A network embedded as a game or edge app would ship it: compiled ahead of time (NativeAOT), no JIT, no
// reflection. Prints the time from process start to the first prediction, then trains the same network on XOR
// with TrainStep and checks it learned, so the AOT build's forward, backward and optimizer code are all run.
//
//   .ci/aot.sh                                  publishes, runs and times it
//   ./AotInference --launched-at-ns $(date +%s%N)  also reports the time from the shell's launch (Unix ns)
using System;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace AotInference;

[Network(Seed = 3)]
[Input(2)]
[Dense(8, Tanh)]
[Dense(1, Sigmoid)]
[Loss(LossFunction.BinaryCrossEntropy)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.05f)]
public partial class XorNet { }

public static class Program
{
    private static readonly float[] Inputs = { 0, 0, 0, 1, 1, 0, 1, 1 };
    private static readonly float[] Targets = { 0, 1, 1, 0 };

    public static int Main(string[] args)
    {
        long mainEntered = Stopwatch.GetTimestamp();

        var net = new XorNet();
        Span<float> prediction = stackalloc float[XorNet.OutputSize];
        net.Forward(Inputs.AsSpan(2 * XorNet.InputSize, XorNet.InputSize), prediction); // (1, 0)

        long firstPrediction = Stopwatch.GetTimestamp();
        DateTime firstPredictionUtc = DateTime.UtcNow;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"First prediction, XOR(1, 0) before training = {prediction[0]:F4}: {Stopwatch.GetElapsedTime(mainEntered, firstPrediction).TotalMilliseconds:F3} ms after Main was entered."));
        if (args.Length == 2 && args[0] == "--launched-at-ns")
        {
            long launched = long.Parse(args[1], CultureInfo.InvariantCulture);
            double sinceLaunch = ((firstPredictionUtc - DateTime.UnixEpoch).Ticks * 100L - launched) / 1e6;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Start to first prediction: {sinceLaunch:F2} ms (from the launching shell's clock)."));
        }
        else if (args.Length != 0)
        {
            Console.Error.WriteLine("Expected no arguments or --launched-at-ns <Unix time in ns>.");
            return 2;
        }

        // Vector<T>'s width decides the summation order of large layers, so it is part of what determinism depends on.
        Console.WriteLine($"Vector<float>.Count = {Vector<float>.Count}, hardware accelerated: {Vector.IsHardwareAccelerated}.");

        float loss = 0;
        for (int step = 0; step < 1000; step++) loss = net.TrainStep(Inputs, Targets, batchSize: 4);

        Span<float> outputs = stackalloc float[4];
        net.Forward(Inputs, outputs, batchSize: 4);
        bool learned = true;
        for (int i = 0; i < 4; i++)
        {
            bool correct = outputs[i] > 0.5f == Targets[i] > 0.5f;
            learned &= correct;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"XOR({Inputs[2 * i]}, {Inputs[2 * i + 1]}) = {outputs[i]:F3}{(correct ? "" : "  WRONG")}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Loss after 1000 Adam steps: {loss:F5}."));
        return learned ? 0 : 1;
    }
}
