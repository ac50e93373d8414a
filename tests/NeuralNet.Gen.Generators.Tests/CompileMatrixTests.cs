using System.Collections.Generic;
using System.Linq;
using System.Text;
using Xunit;

namespace NeuralNet.Gen.Generators.Tests;

/// <summary>
/// Every activation, loss, optimizer and precision, in small (unrolled), mixed and loop layouts: the generated code
/// of all of them compiles without a warning. Behaviour is tested in NeuralNet.Gen.Tests; this catches emitter
/// paths the behaviour tests do not declare.
/// </summary>
public class CompileMatrixTests
{
    private static readonly string[] Activations = { "Linear", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Softmax", "Elu", "Gelu", "Swish", "Softplus" };
    private static readonly string[] Optimizers = { "Sgd", "Momentum", "Nesterov", "RmsProp", "Adagrad", "Adam", "AdamW" };

    // Layouts: all unrolled; unrolled -> loop -> loop -> unrolled; a loop output layer; wide inference scratch.
    private static readonly (string Name, string Layers)[] Layouts =
    {
        ("Small", "[Input(3)] [Dense(4, {0})] [Dense(3, {0})]"),
        ("Mixed", "[Input(3)] [Dense(4, {0})] [Dense(90, {0})] [Dense(3, {0})] [Dense(2, {0})]"),
        ("LoopOutput", "[Input(70)] [Dense(5, {0})] [Dense(70, {0})] [Dense(3, {0})]"),
        ("Wide", "[Input(2)] [Dense(4200, {0})] [Dense(2, {0})]"),
    };

    [Fact]
    public void Every_combination_compiles_without_warnings()
    {
        var source = new StringBuilder("using NeuralNet.Gen;\nusing static NeuralNet.Gen.Activation;\nnamespace Matrix;\n");
        var names = new List<string>();
        int n = 0;
        foreach (var precision in new[] { "Single", "Double" })
        {
            foreach (var activation in Activations)
            {
                foreach (var (layout, layers) in Layouts)
                {
                    string name = $"{activation}{layout}{precision}";
                    string optimizer = Optimizers[n++ % Optimizers.Length];
                    source.AppendLine($"[Network(Precision = Precision.{precision})] {string.Format(layers, activation)}");
                    source.AppendLine($"[Loss(LossFunction.MeanSquaredError)] [Optimizer(OptimizerKind.{optimizer}, WeightDecay = 0.01f)]");
                    source.AppendLine($"public partial class {name} {{ }}");
                    names.Add(name);
                }
            }
            foreach (var (layout, layers) in Layouts)
            {
                foreach (var (loss, output) in new[] { ("BinaryCrossEntropy", "Sigmoid"), ("CategoricalCrossEntropy", "Softmax"), ("MeanAbsoluteError", "Linear"), ("Huber", "Tanh"), ("", "Linear") })
                {
                    string name = $"{(loss.Length == 0 ? "Inference" : loss)}{layout}{precision}";
                    // Relu hidden layers, the loss's output activation on the last one.
                    string hidden = string.Format(layers, "Relu");
                    int last = hidden.LastIndexOf("Relu", System.StringComparison.Ordinal);
                    source.AppendLine($"[Network(Precision = Precision.{precision}, Seed = {n++})] {hidden.Substring(0, last)}{output})]");
                    if (loss.Length > 0) source.AppendLine($"[Loss(LossFunction.{loss})]");
                    source.AppendLine($"public partial class {name} {{ }}");
                    names.Add(name);
                }
            }
        }

        var (_, result, compilation) = GeneratorHarness.Run(source.ToString());
        Assert.Empty(GeneratorHarness.Problems(compilation));
        Assert.Equal(names.Select(x => $"Matrix.{x}.g.cs").OrderBy(x => x), result.GeneratedSources.Select(s => s.HintName).OrderBy(x => x));
    }
}
