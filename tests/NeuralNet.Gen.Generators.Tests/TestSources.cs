namespace NeuralNet.Gen.Generators.Tests;

/// <summary>Networks as a user writes them, for the snapshot and caching tests.</summary>
internal static class TestSources
{
    public const string Circles = """
        using NeuralNet.Gen;
        using static NeuralNet.Gen.Activation;

        [Network]
        [Input(2)]
        [Dense(4, Relu)]
        [Dense(6, Relu)]
        [Dense(6, Relu)]
        [Dense(4, Relu)]
        [Dense(1, Sigmoid)]
        [Loss(LossFunction.BinaryCrossEntropy)]
        [Optimizer(OptimizerKind.Adam, LearningRate = 0.01f)]
        public partial class CirclesNet { }
        """;

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

    public const string Fashion = """
        using NeuralNet.Gen;
        using static NeuralNet.Gen.Activation;

        [Network(Seed = 3)]
        [Input(784)]
        [Dense(256, Relu)]
        [Dense(128, Relu)]
        [Dense(10, Softmax)]
        [Loss(LossFunction.CategoricalCrossEntropy)]
        [Optimizer(OptimizerKind.Adam)]
        public partial class FashionNet { }
        """;

    public const string Unrelated = """
        namespace Somewhere.Else;

        public static class Helpers
        {
            public static int Twice(int x) => 2 * x;
        }
        """;
}
