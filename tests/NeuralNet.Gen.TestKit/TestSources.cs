using System.IO;

namespace NeuralNet.Gen.TestKit;

/// <summary>
/// Networks as a user writes them, as source text for the Roslyn tests (snapshots, caching, parser). Where a sample or
/// a behaviour project declares the network, the text is that declaration's own file, never a copy.
/// </summary>
public static class TestSources
{
    /// <summary>The Circles sample's network (<c>samples/Circles/CirclesNet.cs</c>).</summary>
    public static string Circles { get; } = Resource("Samples/CirclesNet.cs");

    /// <summary>The Fashion-MNIST CNN sample's network (<c>samples/FashionMnistCnn/FashionCnn.cs</c>).</summary>
    public static string FashionCnn { get; } = Resource("Samples/FashionCnn.cs");

    /// <summary>784-256-128-10 with Adam (<c>Networks/Fashion256Net.cs</c>, compiled by the behaviour tests and the benchmarks).</summary>
    public static string Fashion { get; } = Resource("Networks/Fashion256Net.cs");

    private static string Resource(string name)
    {
        using var stream = typeof(TestSources).Assembly.GetManifestResourceStream(name)
            ?? throw new FileNotFoundException($"No embedded resource {name} in the test kit", name);
        using var reader = new StreamReader(stream);
        // Line endings as in the other sources, whatever the checkout did.
        return reader.ReadToEnd().Replace("\r\n", "\n");
    }

    public const string DoublePrecision = """
        using NeuralNet.Gen;

        namespace Samples.Precise;

        [Network(Precision = Precision.Double, Seed = 3)]
        [Input(3)]
        [Dense(5, Activation.Tanh, WeightInit = WeightInit.GlorotNormal)]
        [Dense(3, Activation.Softmax)]
        [Loss(LossFunction.CategoricalCrossEntropy)]
        [Optimizer(OptimizerKind.Momentum, LearningRate = 0.05f, WeightDecay = 0.001f)]
        public partial class PreciseNet { }
        """;

    public const string InferenceOnly = """
        using NeuralNet.Gen;

        namespace Samples.Edge;

        [Network(Seed = 5)]
        [Input(4)]
        [Dense(3, Activation.Gelu)]
        [Dense(2)]
        public partial class SensorNet { }
        """;

    public const string LoopLayers = """
        using NeuralNet.Gen;
        using static NeuralNet.Gen.Activation;

        namespace Samples.Digits;

        [Network(Seed = 7)]
        [Input(784)]
        [Dense(50, Sigmoid)]
        [Dense(10, Softmax)]
        [Loss(LossFunction.CategoricalCrossEntropy)]
        [Optimizer(OptimizerKind.Sgd, LearningRate = 0.1f)]
        public partial class MnistNet { }
        """;

    public const string Nested = """
        using NeuralNet.Gen;
        using static NeuralNet.Gen.Activation;

        namespace Game.AI
        {
            public static partial class Brains
            {
                internal partial struct Holder
                {
                    [Network(Seed = 11)]
                    [Input(3)]
                    [Dense(4, LeakyRelu)]
                    [Dense(2, Tanh)]
                    [Loss(LossFunction.Huber)]
                    [Optimizer(OptimizerKind.RmsProp, LearningRate = 0.01f)]
                    internal sealed partial class NpcBrain
                    {
                        public NpcBrain() => InitializeParameters(12);
                    }
                }
            }
        }
        """;

    /// <summary>BatchNorm per channel after a Linear convolution and per feature after a Linear Dense layer.</summary>
    public const string BatchNormCnn = """
        using NeuralNet.Gen;
        using static NeuralNet.Gen.Activation;

        namespace Samples.Vision;

        [Network(Seed = 4)]
        [Input(8, 8, 1)]
        [Conv2D(4, 3)]
        [BatchNorm]
        [MaxPool2D(2)]
        [Flatten]
        [Dense(6)]
        [BatchNorm(Momentum = 0.01, Epsilon = 1e-3)]
        [Dense(3, Softmax)]
        [Loss(LossFunction.CategoricalCrossEntropy)]
        public partial class BatchNormCnn { }
        """;

    /// <summary>A residual block (Add over two convolutions and a BatchNorm) and a Concatenate with the input.</summary>
    public const string ResidualCnn = """
        using NeuralNet.Gen;
        using static NeuralNet.Gen.Activation;

        namespace Samples.Vision;

        [Network(Seed = 4)]
        [Input(6, 6, 1)]
        [Conv2D(4, 3, Relu, Padding = Padding.Same, Name = "stem")]
        [Conv2D(4, 3, Relu, Padding = Padding.Same)]
        [Conv2D(4, 3, Padding = Padding.Same)]
        [BatchNorm]
        [Add("stem")]
        [Concatenate("input")]
        [MaxPool2D(2)]
        [Flatten]
        [Dense(3, Softmax)]
        [Loss(LossFunction.CategoricalCrossEntropy)]
        public partial class ResidualCnn { }
        """;

    public const string RecurrentStack = """
        using NeuralNet.Gen;
        using static NeuralNet.Gen.Activation;

        namespace Samples.Sequences;

        [Network(Seed = 5)]
        [Input(8, 2)]
        [GRU(4, ReturnSequences = true)]
        [LSTM(3, ReturnSequences = true)]
        [SimpleRNN(3, Relu)]
        [Dropout(0.1)]
        [Dense(2, Tanh)]
        [Loss(LossFunction.MeanSquaredError)]
        public partial class RecurrentStack { }
        """;

    /// <summary>RTNeural's benchmark model: a causal dilated Conv1D between per-step Dense layers and a GRU, streamed by Step.</summary>
    public const string StreamingConv = """
        using NeuralNet.Gen;
        using static NeuralNet.Gen.Activation;

        namespace Samples.Sequences;

        [Network(Seed = 5)]
        [Input(32, 1)]
        [Dense(8, Tanh)]
        [Conv1D(4, 3, Tanh, Padding = Padding.Causal, Dilation = 2)]
        [GRU(8, ReturnSequences = true)]
        [Dense(1)]
        [Loss(LossFunction.MeanSquaredError)]
        public partial class StreamingConv { }
        """;

    /// <summary>A small sequence network: per-step Dense layers, per-step dropout, a per-step Softmax and a sequence loss.</summary>
    public const string SequenceTagger = """
        using NeuralNet.Gen;
        using static NeuralNet.Gen.Activation;

        namespace Samples.Sequences;

        [Network(Seed = 5)]
        [Input(6, 2)]
        [Dense(8, Tanh)]
        [Dropout(0.2)]
        [Dense(3, Softmax)]
        [Loss(LossFunction.CategoricalCrossEntropy)]
        public partial class SequenceTagger { }
        """;
    /// <summary>Keras' sparse labels: one class index per sample, a small unrolled classifier.</summary>
    public const string SparseLabels = """
        using NeuralNet.Gen;
        using static NeuralNet.Gen.Activation;

        namespace Samples.Classes;

        [Network(Seed = 9)]
        [Input(4)]
        [Dense(6, Relu)]
        [Dense(3, Softmax)]
        [Loss(LossFunction.SparseCategoricalCrossEntropy)]
        public partial class IrisNet { }
        """;

    public const string PaddedCnn = """
        using NeuralNet.Gen;
        using static NeuralNet.Gen.Activation;

        namespace Samples.Vision;

        [Network(Precision = Precision.Double, Seed = 2)]
        [Input(9, 7, 3)]
        [Dropout(0.1f)]
        [Conv2D(3, 3, Tanh, Stride = 2, Padding = Padding.Same)]
        [MaxPool2D(2, Stride = 1)]
        [Conv2D(4, 2, Elu, Padding = Padding.Same)]
        [Loss(LossFunction.MeanSquaredError)]
        [Optimizer(OptimizerKind.Sgd, LearningRate = 0.05f)]
        public partial class PaddedCnn { }
        """;

    public const string Unrelated = """
        namespace Somewhere.Else;

        public static class Helpers
        {
            public static int Twice(int x) => 2 * x;
        }
        """;

    public const string PooledSequence = """
        using NeuralNet.Gen;
        using static NeuralNet.Gen.Activation;

        namespace Samples.Sequences;

        [Network(Seed = 6)]
        [Input(12, 3)]
        [Dense(4, Relu)]
        [MaxPool1D(3, Stride = 2)]
        [AveragePool1D(2)]
        [GlobalMaxPool]
        [Dense(2, Softmax)]
        [Loss(LossFunction.CategoricalCrossEntropy)]
        public partial class PooledSequence { }
        """;

    public const string PooledCnn = """
        using NeuralNet.Gen;
        using static NeuralNet.Gen.Activation;

        namespace Samples.Vision;

        [Network(Seed = 7)]
        [Input(8, 8, 1)]
        [Conv2D(4, 3, Relu, Padding = Padding.Same)]
        [AveragePool2D(2)]
        [Conv2D(6, 3, Relu)]
        [GlobalAveragePool]
        [Dense(3, Softmax)]
        [Loss(LossFunction.CategoricalCrossEntropy)]
        public partial class PooledCnn { }
        """;

    /// <summary>Activations as layers of their own on an unrolled MLP, Softmax fused with the loss from an [Activation] layer.</summary>
    public const string ActivationMlp = """
        using NeuralNet.Gen;
        using static NeuralNet.Gen.Activation;

        namespace Samples.Layers;

        [Network(Seed = 1)]
        [Input(2)]
        [Dense(4)]
        [Activation(Relu)]
        [Dense(3)]
        [Activation(Softmax)]
        [Loss(LossFunction.CategoricalCrossEntropy)]
        public partial class ActivationMlp { }
        """;

    /// <summary>LayerNorm and Activation layers per step of a sequence, after a GRU (so it streams), on the batch path.</summary>
    public const string NormalizedTagger = """
        using NeuralNet.Gen;
        using static NeuralNet.Gen.Activation;

        namespace Samples.Layers;

        [Network(Seed = 1)]
        [Input(5, 3)]
        [GRU(4, ReturnSequences = true)]
        [LayerNorm(Epsilon = 1e-3)]
        [Dense(6)]
        [Activation(Gelu)]
        [Dense(3)]
        [Activation(Softmax)]
        [Loss(LossFunction.CategoricalCrossEntropy)]
        public partial class NormalizedTagger { }
        """;

    /// <summary>Layers without a bias (PyTorch's bias=False): a Conv2D folded with its BatchNorm, an unrolled Dense.</summary>
    public const string NoBiasCnn = """
        using NeuralNet.Gen;
        using static NeuralNet.Gen.Activation;

        namespace Samples.Vision;

        [Network(Seed = 4)]
        [Input(6, 6, 1)]
        [Conv2D(4, 3, UseBias = false)]
        [BatchNorm]
        [MaxPool2D(2)]
        [Flatten]
        [Dense(3, Tanh, UseBias = false)]
        [Dense(2, Softmax)]
        [Loss(LossFunction.CategoricalCrossEntropy)]
        public partial class NoBiasCnn { }
        """;
}
