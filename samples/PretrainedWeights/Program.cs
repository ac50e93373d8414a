// A network trained elsewhere (Keras, here) shipped inside an app: [Weights] reads the file at build time and bakes
// the parameters into the generated code, so `new KerasDenseNet()` starts trained, with no file to open, parse or
// deploy, and a file that does not fit the network is a build error (NNG0012), not a crash on a player's machine.
//
//   dotnet run --project samples/PretrainedWeights                                  predictions next to TensorFlow's
//   dotnet build samples/PretrainedWeights -p:ShowWeightsMismatch=true              the build error of a mismatched file
using System;
using System.Globalization;
using System.IO;
using System.Linq;
using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace PretrainedWeights;

// RTNeural's Keras test model (weights/keras-dense.json, BSD-3, see weights/LICENSE). Its Keras layers end in
// activation layers ("tanh", "relu", ...) which must match ours; the last three were built with use_bias=False,
// so their biases are zeros. The model has Softmax on a hidden layer, which NNG0007 rightly questions: it is kept
// because that is what the file was trained with.
#pragma warning disable NNG0007
[Network]
[Input(1)]
[Dense(8, Tanh)]
[Dense(8, Relu)]
[Dense(8, Elu)]
[Dense(8, Softmax)]
[Dense(1)]
[Dense(8)]
[Dense(8)]
[Dense(1)]
[Weights("weights/keras-dense.json")]
public partial class KerasDenseNet { }
#pragma warning restore NNG0007

public static class Program
{
    public static int Main()
    {
        var net = new KerasDenseNet();

        var x = ReadColumn("x.csv");
        var y = ReadColumn("y.csv");
        Console.WriteLine($"KerasDenseNet: {KerasDenseNet.ParameterCount} parameters baked in from weights/keras-dense.json at build time; no file is read to construct it.");
        Console.WriteLine();
        Console.WriteLine("       x      TensorFlow       NeuralNet.Gen     |difference|");
        var output = new float[KerasDenseNet.OutputSize];
        double worst = 0;
        for (int i = 0; i < x.Length; i++)
        {
            net.Forward(new[] { x[i] }, output);
            double difference = Math.Abs(output[0] - y[i]);
            worst = Math.Max(worst, difference);
            if (i % 7 == 0)
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,8:F1}  {1,14:E6}  {2,16:E6}  {3,13:E1}", x[i], y[i], output[0], difference));
        }
        Console.WriteLine();
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "Largest difference over all {0} inputs: {1:E2} (float32 arithmetic).", x.Length, worst));
        return worst <= 2e-6 ? 0 : 1;
    }

    private static float[] ReadColumn(string name) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "weights", name))
            .Where(line => line.Trim().Length > 0)
            .Select(line => float.Parse(line, CultureInfo.InvariantCulture))
            .ToArray();
}
