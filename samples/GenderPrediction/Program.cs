// The 2-2-1 network of the "neural network from scratch" tutorial: predict gender from weight and height.
// Inputs are shifted as in the tutorial: weight - 135 lb, height - 66 in. Target 1 = female, 0 = male.
using System;
using NeuralNet.Gen;

namespace GenderPrediction;

public static class Program
{
    public static readonly (string Name, float Weight, float Height, float Female)[] People =
    {
        ("Alice", -2, -1, 1),
        ("Bob", 25, 6, 0),
        ("Charlie", 17, 4, 0),
        ("Diana", -15, -6, 1),
    };

    public static int Main()
    {
        var net = new GenderNet();
        Console.WriteLine(net.Summary());
        float loss = Train(net, epochs: 1000, report: (epoch, l) => Console.WriteLine($"Epoch {epoch,4} loss: {l:F4}"));
        Console.WriteLine($"Final loss: {loss:F4}");

        Span<float> input = stackalloc float[GenderNet.InputSize];
        Span<float> prediction = stackalloc float[GenderNet.OutputSize];
        foreach (var (name, weight, height) in new[] { ("Emily", -7f, -3f), ("Frank", 20f, 2f) })
        {
            input[0] = weight;
            input[1] = height;
            net.Forward(input, prediction);
            Console.WriteLine($"{name}: {prediction[0]:F3} ({(prediction[0] > 0.5f ? "F" : "M")})");
        }
        return 0;
    }

    /// <summary>The tutorial's loop: 1000 epochs of SGD with batch size 1 over the four people. Returns the last epoch's mean loss.</summary>
    public static float Train(GenderNet net, int epochs, Action<int, float>? report = null)
    {
        Span<float> x = stackalloc float[GenderNet.InputSize];
        Span<float> y = stackalloc float[GenderNet.OutputSize];
        float epochLoss = 0;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            epochLoss = 0;
            foreach (var person in People)
            {
                x[0] = person.Weight;
                x[1] = person.Height;
                y[0] = person.Female;
                epochLoss += net.TrainStep(x, y, batchSize: 1);
            }
            epochLoss /= People.Length;
            if (epoch % 10 == 0) report?.Invoke(epoch, epochLoss);
        }
        return epochLoss;
    }
}
