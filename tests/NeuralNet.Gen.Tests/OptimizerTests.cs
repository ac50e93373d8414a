using System;
using NeuralNet.Gen.Tests.Optimizers;
using Xunit;

namespace NeuralNet.Gen.Tests;

/// <summary>
/// The first two updates of every optimizer against the torch.optim algorithms written out here, independently of
/// the runtime's OptimizerKernels: y = w·x + b, MSE over a batch of two, so the gradient is
/// dL/dw = mean(2·r·x), dL/db = mean(2·r) with r = y - t.
/// </summary>
public class OptimizerTests
{
    private static readonly double[] Inputs = { 2, -1 };
    private static readonly double[] Targets = { 1, 0.5 };
    private const double InitialWeight = 0.5, InitialBias = -0.25;

    [Fact] public void Sgd() => Compare(new SgdNet(), new Reference(Kind.Sgd, lr: 0.125));
    [Fact] public void Sgd_weight_decay() => Compare(new SgdWeightDecayNet(), new Reference(Kind.Sgd, lr: 0.125, weightDecay: 0.25));
    [Fact] public void Momentum() => Compare(new MomentumNet(), new Reference(Kind.Momentum, lr: 0.125, momentum: 0.9));
    [Fact] public void Momentum_weight_decay() => Compare(new MomentumWeightDecayNet(), new Reference(Kind.Momentum, lr: 0.125, momentum: 0.5, weightDecay: 0.5));
    [Fact] public void Nesterov() => Compare(new NesterovNet(), new Reference(Kind.Nesterov, lr: 0.125, momentum: 0.9));
    [Fact] public void RmsProp() => Compare(new RmsPropNet(), new Reference(Kind.RmsProp, lr: 0.0625, beta2: 0.99, eps: 1e-8));
    [Fact] public void Adagrad() => Compare(new AdagradNet(), new Reference(Kind.Adagrad, lr: 0.25, eps: 1e-10));
    [Fact] public void Adam() => Compare(new AdamNet(), new Reference(Kind.Adam, lr: 0.125, beta1: 0.9, beta2: 0.999, eps: 1e-8));
    [Fact] public void Adam_explicit_constants_and_weight_decay() =>
        Compare(new AdamCustomNet(), new Reference(Kind.Adam, lr: 0.125, beta1: 0.5, beta2: 0.75, eps: 0.125, weightDecay: 0.25));
    [Fact] public void AdamW() => Compare(new AdamWNet(), new Reference(Kind.AdamW, lr: 0.125, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01));
    [Fact] public void No_optimizer_attribute_means_Adam_with_learning_rate_0_001() =>
        Compare(new DefaultOptimizerNet(), new Reference(Kind.Adam, lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8));

    [Fact]
    public void ResetOptimizerState_makes_the_next_step_a_first_step()
    {
        var net = new AdamNet();
        SetParameters(net);
        net.TrainStep(Inputs, Targets, 2);
        double[] afterFirst = net.Parameters.ToArray();
        net.TrainStep(Inputs, Targets, 2);
        Assert.NotEqual(afterFirst, net.Parameters.ToArray());

        net.ResetOptimizerState();
        SetParameters(net);
        net.TrainStep(Inputs, Targets, 2);
        Assert.Equal(afterFirst, net.Parameters.ToArray());
    }

    [Fact]
    public void LearningRate_set_between_steps_is_used()
    {
        var net = new SgdNet();
        SetParameters(net);
        net.LearningRate = 0.5;
        net.TrainStep(Inputs, Targets, 2);
        var reference = new Reference(Kind.Sgd, lr: 0.5);
        reference.Step(LossGradient(InitialWeight, InitialBias));
        Assert.Equal(reference.Weight, net.Parameters[0], 15);
        Assert.Equal(reference.Bias, net.Parameters[1], 15);
    }

    private static void Compare(ITrainableNetwork<double> net, Reference reference)
    {
        Assert.Equal(reference.LearningRate, net.LearningRate);
        SetParameters(net);
        for (int step = 1; step <= 2; step++)
        {
            var (gw, gb) = LossGradient(reference.Weight, reference.Bias);
            double w = reference.Weight, b = reference.Bias;
            double expectedLoss = (Square(w * Inputs[0] + b - Targets[0]) + Square(w * Inputs[1] + b - Targets[1])) / 2;

            double loss = net.TrainStep(Inputs, Targets, 2);
            reference.Step((gw, gb));

            Assert.Equal(expectedLoss, loss, 1e-15);
            // Gradients hold the loss gradient alone, weight decay is applied inside the step.
            Assert.Equal(gw, net.Gradients[0], 1e-15);
            Assert.Equal(gb, net.Gradients[1], 1e-15);
            Assert.Equal(reference.Weight, net.Parameters[0], 1e-13);
            Assert.Equal(reference.Bias, net.Parameters[1], 1e-13);
        }
        // The two steps did move the parameters: the comparison above is not between two unchanged values.
        Assert.NotEqual(InitialWeight, net.Parameters[0]);
        Assert.NotEqual(InitialBias, net.Parameters[1]);
    }

    private static void SetParameters(ITrainableNetwork<double> net)
    {
        Assert.Equal(2, net.ParameterCount);
        net.Parameters[0] = InitialWeight;
        net.Parameters[1] = InitialBias;
    }

    private static (double W, double B) LossGradient(double w, double b)
    {
        double gw = 0, gb = 0;
        for (int i = 0; i < Inputs.Length; i++)
        {
            double r = w * Inputs[i] + b - Targets[i];
            gw += 2 * r * Inputs[i] / Inputs.Length;
            gb += 2 * r / Inputs.Length;
        }
        return (gw, gb);
    }

    private static double Square(double x) => x * x;

    public enum Kind { Sgd, Momentum, Nesterov, RmsProp, Adagrad, Adam, AdamW }

    /// <summary>The algorithms as the torch.optim documentation gives them (pseudo-code of each class), for two parameters.</summary>
    private sealed class Reference(Kind kind, double lr, double momentum = 0, double beta1 = 0, double beta2 = 0, double eps = 0, double weightDecay = 0)
    {
        private readonly double[] _p = { InitialWeight, InitialBias };
        private readonly double[] _a = new double[2]; // momentum buffer b, square average v, state sum, or Adam's m
        private readonly double[] _v = new double[2]; // Adam's v
        private int _t;

        public double LearningRate => lr;
        public double Weight => _p[0];
        public double Bias => _p[1];

        public void Step((double W, double B) gradient)
        {
            _t++;
            double[] grads = { gradient.W, gradient.B };
            for (int i = 0; i < 2; i++)
            {
                double g = grads[i];
                if (kind == Kind.AdamW)
                {
                    _p[i] *= 1 - lr * weightDecay;                     // θ ← θ − γλθ
                }
                else if (weightDecay != 0)
                {
                    g += weightDecay * _p[i];                          // g ← g + λθ
                }
                switch (kind)
                {
                    case Kind.Sgd:
                        _p[i] -= lr * g;
                        break;
                    case Kind.Momentum:
                    case Kind.Nesterov:
                        _a[i] = _t == 1 ? g : momentum * _a[i] + g;    // b ← μb + (1 − τ)g, b₁ = g
                        _p[i] -= lr * (kind == Kind.Nesterov ? g + momentum * _a[i] : _a[i]);
                        break;
                    case Kind.RmsProp:
                        _a[i] = beta2 * _a[i] + (1 - beta2) * g * g;   // v ← αv + (1 − α)g²
                        _p[i] -= lr * g / (Math.Sqrt(_a[i]) + eps);
                        break;
                    case Kind.Adagrad:
                        _a[i] += g * g;                                // state_sum ← state_sum + g²
                        _p[i] -= lr * g / (Math.Sqrt(_a[i]) + eps);
                        break;
                    default:
                        _a[i] = beta1 * _a[i] + (1 - beta1) * g;       // m ← β1·m + (1 − β1)g
                        _v[i] = beta2 * _v[i] + (1 - beta2) * g * g;   // v ← β2·v + (1 − β2)g²
                        double mHat = _a[i] / (1 - Math.Pow(beta1, _t));
                        double vHat = _v[i] / (1 - Math.Pow(beta2, _t));
                        _p[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
                        break;
                }
            }
        }
    }
}
