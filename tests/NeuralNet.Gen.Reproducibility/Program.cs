using System;
using System.IO;
using System.Text;
using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Reproducibility
{
    /// <summary>
    /// Runs Forward, TrainStep, Fit, save/load and a CNN on fixed data and prints the bits of every result (hex for
    /// short outputs, an FNV-1a hash of the bytes for parameter buffers). Nothing here depends on the platform except
    /// the library under test: the data come from an integer generator, never from System.Random or floating-point
    /// parsing, and no number is printed through a culture-dependent format.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            var output = new StringBuilder();
            output.Append("# ").AppendLine(Platform());
            bool dumpMath = args.Length > 0 && args[0] == "--math";
            string folder = args.Length > 0 && !dumpMath ? args[0] : Path.GetTempPath();

            PlatformMath(output, dumpMath);
            if (dumpMath)
            {
                Console.Out.Write(output.ToString());
                return 0;
            }
            RunMlp(output, folder);
            RunWideMlp(output, folder);
            RunCnn(output, folder);
            RunBatchNormCnn(output, folder);
            RunDoubleNet(output, folder);

            Console.Out.Write(output.ToString());
            return 0;
        }

        // Not compared: it names the runtime, so the two outputs differ only in this first line.
        private static string Platform() =>
            (Type.GetType("Mono.Runtime") is null ? ".NET " + Environment.Version : "Mono " + Environment.Version) + ", Vector<float>.Count " + System.Numerics.Vector<float>.Count;

        /// <summary>
        /// The platform's exp, tanh and log, which the generated code calls today: one hash per function over 4,001
        /// inputs in [-10, 10] (every value with --math), so a difference in the networks can be traced to them.
        /// </summary>
        private static void PlatformMath(StringBuilder o, bool every)
        {
            var functions = new (string Name, Func<float, float> Single, Func<double, double> Double)[]
            {
                ("exp", MathF.Exp, Math.Exp), ("tanh", MathF.Tanh, Math.Tanh), ("log", x => MathF.Log(MathF.Abs(x) + 0.001f), x => Math.Log(Math.Abs(x) + 0.001)),
            };
            foreach (var (name, single, dbl) in functions)
            {
                var singles = new float[4001];
                var doubles = new double[4001];
                for (int i = 0; i < singles.Length; i++)
                {
                    float x = (i - 2000) / 200f;
                    singles[i] = single(x);
                    doubles[i] = dbl(x);
                    if (every) Line(o, "math." + name + " " + Hex(x), Hex(singles[i]) + " " + Hex(doubles[i]));
                }
                Line(o, "math." + name + "f", Hash(singles));
                Line(o, "math." + name, Hash(doubles));
            }
        }

        /// <summary>Small layers: straight-line generated code, Softmax with cross-entropy, Adam.</summary>
        private static void RunMlp(StringBuilder o, string folder)
        {
            var net = new SmallMlp();
            Exercise(o, "mlp", net, samples: 64, steps: 20, epochs: 3, folder, () => new SmallMlp(), OneHot);
        }

        /// <summary>Large layers: the runtime's DenseKernels (vectorised, batched), Gelu, Swish, Sigmoid with BCE, AdamW.</summary>
        private static void RunWideMlp(StringBuilder o, string folder)
        {
            var net = new WideMlp();
            Exercise(o, "wide", net, samples: 48, steps: 10, epochs: 2, folder, () => new WideMlp(), Bits);
        }

        /// <summary>Convolution (both padding modes), max pooling, flatten, dropout, Softmax; Adam.</summary>
        private static void RunCnn(StringBuilder o, string folder)
        {
            var net = new SmallCnn();
            Exercise(o, "cnn", net, samples: 24, steps: 6, epochs: 2, folder, () => new SmallCnn(), OneHot);
        }

        /// <summary>BatchNorm after a Linear convolution (folded at inference) and after a Dense layer; running statistics in Buffers.</summary>
        private static void RunBatchNormCnn(StringBuilder o, string folder)
        {
            var net = new BatchNormCnn();
            Exercise(o, "batchnorm", net, samples: 24, steps: 6, epochs: 2, folder, () => new BatchNormCnn(), OneHot);
        }

        /// <summary>Double precision: Softplus, LeakyRelu, Elu, Tanh; Huber loss; RMSprop.</summary>
        private static void RunDoubleNet(StringBuilder o, string folder)
        {
            var net = new DoubleMlp();
            var data = new Data(7);
            int n = 40;
            double[] inputs = new double[n * DoubleMlp.InputSize];
            double[] targets = new double[n * DoubleMlp.OutputSize];
            for (int i = 0; i < inputs.Length; i++) inputs[i] = data.Next() * 4 - 2;
            for (int i = 0; i < targets.Length; i++) targets[i] = data.Next() * 2 - 1;

            Line(o, "double.init", Hash(net.Parameters));
            double[] y = new double[DoubleMlp.OutputSize];
            net.Forward(inputs.AsSpan(0, DoubleMlp.InputSize), y);
            Line(o, "double.forward", Hex(y));
            double[] batch = new double[n * DoubleMlp.OutputSize];
            net.Forward(inputs, batch, n);
            Line(o, "double.forward-batch", Hash(batch));
            var losses = new StringBuilder();
            for (int step = 0; step < 15; step++) losses.Append(Hex(net.TrainStep(inputs, targets, n))).Append(' ');
            Line(o, "double.trainstep-losses", losses.ToString().TrimEnd());
            Line(o, "double.trainstep-params", Hash(net.Parameters));
            var history = net.Fit(inputs, targets, new FitOptions { Epochs = 3, BatchSize = 8, Shuffle = true, Seed = 5 });
            foreach (var epoch in history.Epochs) Line(o, "double.fit-epoch-" + epoch.Epoch, Hex(epoch.Loss));
            Line(o, "double.fit-params", Hash(net.Parameters));
            SaveAndLoad(o, "double", net, new DoubleMlp(), folder);
        }

        private static void Exercise<TNet>(StringBuilder o, string name, TNet net, int samples, int steps, int epochs, string folder,
            Func<TNet> create, Action<Data, float[], int> fillTargets)
            where TNet : ITrainableNetwork<float>
        {
            var data = new Data(name.Length * 7919);
            float[] inputs = new float[samples * net.InputSize];
            float[] targets = new float[samples * net.OutputSize];
            for (int i = 0; i < inputs.Length; i++) inputs[i] = (float)(data.Next() * 2 - 1);
            fillTargets(data, targets, net.OutputSize);

            Line(o, name + ".init", Hash(net.Parameters));
            float[] y = new float[net.OutputSize];
            net.Forward(inputs.AsSpan(0, net.InputSize), y);
            Line(o, name + ".forward", Hex(y));
            float[] batch = new float[samples * net.OutputSize];
            net.Forward(inputs, batch, samples);
            Line(o, name + ".forward-batch", Hash(batch));
            Line(o, name + ".loss", Hex(net.ComputeLoss(inputs, targets, samples)));
            Line(o, name + ".gradients-loss", Hex(net.ComputeGradients(inputs, targets, samples)));
            Line(o, name + ".gradients", Hash(net.Gradients));

            var losses = new StringBuilder();
            for (int step = 0; step < steps; step++) losses.Append(Hex(net.TrainStep(inputs, targets, samples))).Append(' ');
            Line(o, name + ".trainstep-losses", losses.ToString().TrimEnd());
            Line(o, name + ".trainstep-params", Hash(net.Parameters));

            var history = net.Fit(inputs, targets, new FitOptions { Epochs = epochs, BatchSize = 8, Shuffle = true, Seed = 3 });
            foreach (var epoch in history.Epochs)
            {
                Line(o, name + ".fit-epoch-" + epoch.Epoch, Hex(epoch.Loss) + " accuracy " + Hex(epoch.Accuracy ?? double.NaN));
            }
            Line(o, name + ".fit-params", Hash(net.Parameters));
            if (net.BufferCount > 0) Line(o, name + ".fit-buffers", Hash(net.Buffers));
            SaveAndLoad(o, name, net, create(), folder);
        }

        /// <summary>The file's bytes, and a fresh network loaded from it, must equal the trained one.</summary>
        private static void SaveAndLoad<T>(StringBuilder o, string name, INetwork<T> trained, INetwork<T> fresh, string folder) where T : unmanaged
        {
            string path = Path.Combine(folder, "nng-reproducibility-" + name + ".nng");
            trained.SaveParameters(path);
            byte[] file = File.ReadAllBytes(path);
            fresh.LoadParameters(path);
            File.Delete(path);
            bool same = Hash(fresh.Parameters) == Hash(trained.Parameters) && Hash(fresh.Buffers) == Hash(trained.Buffers);
            Line(o, name + ".saved-file", file.Length + " bytes " + Hash(file));
            Line(o, name + ".loaded", same ? "equal" : "DIFFERENT");
        }

        private static void OneHot(Data data, float[] targets, int classes)
        {
            for (int s = 0; s < targets.Length / classes; s++) targets[s * classes + (int)(data.Next() * classes)] = 1;
        }

        private static void Bits(Data data, float[] targets, int outputs)
        {
            for (int i = 0; i < targets.Length; i++) targets[i] = data.Next() < 0.5 ? 0 : 1;
        }

        private static void Line(StringBuilder o, string key, string value) => o.Append(key).Append(' ').Append(value).Append('\n');

        private static string Hex(float value) => BitConverter.SingleToInt32Bits(value).ToString("x8");

        private static string Hex(double value) => BitConverter.DoubleToInt64Bits(value).ToString("x16");

        private static string Hex(float[] values)
        {
            var s = new StringBuilder();
            foreach (float v in values) s.Append(Hex(v)).Append(' ');
            return s.ToString().TrimEnd();
        }

        private static string Hex(double[] values)
        {
            var s = new StringBuilder();
            foreach (double v in values) s.Append(Hex(v)).Append(' ');
            return s.ToString().TrimEnd();
        }

        // Hashes of copies: the program's own code reads no span element, so on Debian's Mono only the library's and
        // the generated code's span reads go through .ci/mono/ModreqShim.
        private static string Hash(float[] values)
        {
            ulong h = Fnv.Offset;
            foreach (float v in values) h = Fnv.Add(h, (uint)BitConverter.SingleToInt32Bits(v), 4);
            return h.ToString("x16");
        }

        private static string Hash(double[] values)
        {
            ulong h = Fnv.Offset;
            foreach (double v in values) h = Fnv.Add(h, (ulong)BitConverter.DoubleToInt64Bits(v), 8);
            return h.ToString("x16");
        }

        private static string Hash<T>(Span<T> values) where T : unmanaged =>
            typeof(T) == typeof(float) ? Hash(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(values).ToArray())
            : Hash(System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(values).ToArray());

        private static string Hash(byte[] bytes)
        {
            ulong h = Fnv.Offset;
            foreach (byte b in bytes) h = Fnv.Add(h, b, 1);
            return h.ToString("x16");
        }

        private static class Fnv
        {
            public const ulong Offset = 14695981039346656037UL;

            public static ulong Add(ulong h, ulong value, int bytes)
            {
                for (int i = 0; i < bytes; i++)
                {
                    h ^= (value >> (8 * i)) & 0xff;
                    h *= 1099511628211UL;
                }
                return h;
            }
        }

        /// <summary>Uniform numbers in [0, 1) with 24 random bits: exact in float and double, the same everywhere.</summary>
        private sealed class Data
        {
            private ulong _state;

            public Data(int seed) => _state = 0x9E3779B97F4A7C15UL ^ (ulong)seed;

            public double Next()
            {
                _state = _state * 6364136223846793005UL + 1442695040888963407UL;
                return (_state >> 40) / 16777216.0;
            }
        }
    }

    [Network(Seed = 13)]
    [Input(8, 8, 2)]
    [Conv2D(6, 3)]
    [BatchNorm]
    [MaxPool2D(2)]
    [Flatten]
    [Dense(12)]
    [BatchNorm(Momentum = 0.2)]
    [Dense(3, Softmax)]
    [Loss(LossFunction.CategoricalCrossEntropy)]
    [Optimizer(OptimizerKind.Adam, LearningRate = 0.01f)]
    public partial class BatchNormCnn { }

    [Network(Seed = 11)]
    [Input(8)]
    [Dense(16, Tanh)]
    [Dense(16, Relu)]
    [Dense(3, Softmax)]
    [Loss(LossFunction.CategoricalCrossEntropy)]
    [Optimizer(OptimizerKind.Adam, LearningRate = 0.01f)]
    public partial class SmallMlp { }

    [Network(Seed = 12)]
    [Input(64)]
    [Dense(96, Gelu)]
    [Dense(40, Swish)]
    [Dense(4, Sigmoid)]
    [Loss(LossFunction.BinaryCrossEntropy)]
    [Optimizer(OptimizerKind.AdamW, LearningRate = 0.005f)]
    public partial class WideMlp { }

    [Network(Seed = 13)]
    [Input(12, 12, 2)]
    [Conv2D(8, 3, Relu, Padding = Padding.Same)]
    [MaxPool2D(2)]
    [Conv2D(6, 3, Elu)]
    [Flatten]
    [Dropout(0.25f)]
    [Dense(5, Softmax)]
    [Loss(LossFunction.CategoricalCrossEntropy)]
    [Optimizer(OptimizerKind.Adam, LearningRate = 0.01f)]
    public partial class SmallCnn { }

    [Network(Seed = 14, Precision = Precision.Double)]
    [Input(5)]
    [Dense(7, Softplus)]
    [Dense(6, LeakyRelu)]
    [Dense(6, Elu)]
    [Dense(4, Tanh)]
    [Dense(2)]
    [Loss(LossFunction.Huber)]
    [Optimizer(OptimizerKind.RmsProp, LearningRate = 0.01f)]
    public partial class DoubleMlp { }
}
