using System;
using NeuralNet.Gen.Tests.GradientChecks;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Tests;

/// <summary>
/// The generated backward pass against central differences of the loss, in double precision. The loss used is the
/// one <c>ComputeGradients</c> returns (the fused logit forms for BCE and CCE), perturbing one parameter at a time.
/// Parameters, inputs and targets are drawn from fixed seeds; Relu, LeakyRelu, MAE and Huber have kinks, and the
/// seeds are ones whose pre-activations and residuals stay far (much more than the step) from them — a kink inside
/// the step would show up as a large error here, not be hidden.
/// </summary>
public class GradientCheckTests(ITestOutputHelper output)
{
    private const int BatchSize = 3;
    private const double Step = 1e-4;
    private const double Tolerance = 1e-6;

    public enum Targets { Real, Binary, OneHot, Probabilities }

    [Fact] public void Linear() => Check(new LinearCheckNet(), Targets.Real);
    [Fact] public void Relu() => Check(new ReluCheckNet(), Targets.Real);
    [Fact] public void LeakyRelu() => Check(new LeakyReluCheckNet(), Targets.Real);
    [Fact] public void Sigmoid() => Check(new SigmoidCheckNet(), Targets.Real);
    [Fact] public void Tanh() => Check(new TanhCheckNet(), Targets.Real);
    [Fact] public void Softmax_hidden_and_output() => Check(new SoftmaxCheckNet(), Targets.Real);
    [Fact] public void Elu() => Check(new EluCheckNet(), Targets.Real);
    [Fact] public void Gelu() => Check(new GeluCheckNet(), Targets.Real);
    [Fact] public void Swish() => Check(new SwishCheckNet(), Targets.Real);
    [Fact] public void Softplus() => Check(new SoftplusCheckNet(), Targets.Real);

    [Fact] public void MeanSquaredError_unrolled_output() => Check(new MseUnrolledNet(), Targets.Real);
    [Fact] public void MeanSquaredError_loop_output() => Check(new MseLoopNet(), Targets.Real);
    [Fact] public void MeanAbsoluteError_unrolled_output() => Check(new MaeUnrolledNet(), Targets.Real);
    [Fact] public void MeanAbsoluteError_loop_output() => Check(new MaeLoopNet(), Targets.Real);
    [Fact] public void Huber_unrolled_output() => Check(new HuberUnrolledNet(), Targets.Real);
    [Fact] public void Huber_loop_output() => Check(new HuberLoopNet(), Targets.Real);
    [Fact] public void BinaryCrossEntropy_unrolled_output() => Check(new BceUnrolledNet(), Targets.Binary);
    [Fact] public void BinaryCrossEntropy_loop_output() => Check(new BceLoopNet(), Targets.Binary);
    [Fact] public void CategoricalCrossEntropy_unrolled_output() => Check(new CceUnrolledNet(), Targets.OneHot);
    [Fact] public void CategoricalCrossEntropy_loop_output() => Check(new CceLoopNet(), Targets.OneHot);
    [Fact] public void CategoricalCrossEntropy_probability_targets_unrolled_output() => Check(new CceUnrolledNet(), Targets.Probabilities);
    [Fact] public void CategoricalCrossEntropy_probability_targets_loop_output() => Check(new CceLoopNet(), Targets.Probabilities);

    [Fact]
    public void Huber_residuals_cover_both_branches()
    {
        // The Huber check is only meaningful if some residuals are inside |r| <= 1 and some outside.
        var net = new HuberUnrolledNet();
        var (inputs, targets) = Prepare(net, Targets.Real);
        var predictions = new double[targets.Length];
        net.Forward(inputs, predictions, BatchSize);
        int inside = 0, outside = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            if (Math.Abs(predictions[i] - targets[i]) <= 1) inside++; else outside++;
        }
        Assert.True(inside > 0 && outside > 0, $"{inside} residuals inside, {outside} outside");
    }

    private void Check(ITrainableNetwork<double> net, Targets kind)
    {
        var (inputs, targets) = Prepare(net, kind);
        Span<double> p = net.Parameters;
        double loss = net.ComputeGradients(inputs, targets, BatchSize);
        double[] analytic = net.Gradients.ToArray();

        // The fused training loss and the prediction-based ComputeLoss are two computations of one quantity.
        Assert.Equal(net.ComputeLoss(inputs, targets, BatchSize), loss, 1e-12 * Math.Max(1, Math.Abs(loss)));

        double[] numeric = FiniteDifferences.Gradient(net, inputs, targets, BatchSize, Step);

        double diff = 0, normA = 0, normN = 0, worst = 0, largest = 0;
        int worstIndex = -1;
        foreach (var g in analytic) largest = Math.Max(largest, Math.Abs(g));
        for (int i = 0; i < p.Length; i++)
        {
            double d = analytic[i] - numeric[i];
            diff += d * d;
            normA += analytic[i] * analytic[i];
            normN += numeric[i] * numeric[i];
            // Per parameter: relative to its own size, with a floor (a thousandth of the largest component) below
            // which an entry is judged by absolute error: central differences carry ~1e-11 of rounding noise.
            double element = Math.Abs(d) / Math.Max(Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric[i])), 1e-3 * largest);
            if (element > worst) { worst = element; worstIndex = i; }
        }
        double relative = Math.Sqrt(diff) / Math.Max(Math.Sqrt(normA), Math.Sqrt(normN));
        output.WriteLine($"{net.GetType().Name} ({kind}): {p.Length} parameters, loss {loss:R}, |g| {Math.Sqrt(normA):E3}, " +
                         $"relative error {relative:E3}, worst parameter {worstIndex} error {worst:E3}");
        Assert.True(Math.Sqrt(normA) > 1e-6, "the gradient is too small for the check to mean anything");
        Assert.True(relative < Tolerance, $"relative error {relative:E3}");
        Assert.True(worst < Tolerance, $"parameter {worstIndex}: analytic {analytic[worstIndex]:R}, numeric {numeric[worstIndex]:R}, error {worst:E3}");
    }

    /// <summary>Random parameters (biases too, so their gradients are not trivial), inputs and targets from fixed seeds.</summary>
    private static (double[] Inputs, double[] Targets) Prepare(ITrainableNetwork<double> net, Targets kind)
    {
        var random = new DeterministicRandom(2024);
        Span<double> p = net.Parameters;
        // Biases mostly positive, so that stacked Relu layers keep enough live units for a gradient to check.
        for (int i = 0; i < p.Length; i++) p[i] = 0.5 * random.NextNormal();
        var biases = BiasRanges(net);
        Assert.Equal(net.ParameterCount, biases[^1].Offset + biases[^1].Count);
        foreach (var (offset, count) in biases) for (int i = offset; i < offset + count; i++) p[i] = 0.3 + 0.2 * random.NextNormal();
        var inputs = new double[BatchSize * net.InputSize];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = random.NextDouble(-1.5, 1.5);
        int n = net.OutputSize;
        var targets = new double[BatchSize * n];
        for (int b = 0; b < BatchSize; b++)
        {
            var row = targets.AsSpan(b * n, n);
            switch (kind)
            {
                case Targets.Real:
                    for (int o = 0; o < n; o++) row[o] = random.NextDouble(-2.5, 2.5);
                    break;
                case Targets.Binary:
                    // Hard labels and one soft label: BCE accepts targets in [0, 1].
                    for (int o = 0; o < n; o++) row[o] = o == 0 ? random.NextDouble() : random.NextInt32(2);
                    break;
                case Targets.OneHot:
                    row[random.NextInt32(n)] = 1;
                    break;
                case Targets.Probabilities:
                    double sum = 0;
                    for (int o = 0; o < n; o++) sum += row[o] = random.NextDouble(0.1, 1);
                    for (int o = 0; o < n; o++) row[o] /= sum;
                    break;
            }
        }
        return (inputs, targets);
    }

    /// <summary>Where the biases are, from the layout documented on <c>Parameters</c>: each layer's weights, then its biases.</summary>
    private static (int Offset, int Count)[] BiasRanges(ITrainableNetwork<double> net) => net switch
    {
        LinearCheckNet or ReluCheckNet or LeakyReluCheckNet or SigmoidCheckNet or TanhCheckNet or SoftmaxCheckNet
            or EluCheckNet or GeluCheckNet or SwishCheckNet or SoftplusCheckNet => Layout(3, 4, 3, 90, 3, 2),
        MseUnrolledNet or MaeUnrolledNet or HuberUnrolledNet or BceUnrolledNet or CceUnrolledNet => Layout(3, 4, 90, 4, 3),
        _ => Layout(3, 80, 3),
    };

    private static (int Offset, int Count)[] Layout(params int[] sizes)
    {
        var ranges = new (int, int)[sizes.Length - 1];
        int offset = 0;
        for (int l = 1; l < sizes.Length; l++)
        {
            offset += sizes[l - 1] * sizes[l];
            ranges[l - 1] = (offset, sizes[l]);
            offset += sizes[l];
        }
        return ranges;
    }
}
