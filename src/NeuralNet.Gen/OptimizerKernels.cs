using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NeuralNet.Gen;

/// <summary>
/// The update rules of <c>torch.optim</c>, one method each, written as PyTorch's documentation states them.
/// Generated <c>TrainStep</c> methods call these with the constants of the network's <c>[Optimizer]</c>.
/// <c>weightDecay</c> adds decay·w to the gradient inside the step (coupled L2), except in <see cref="AdamW"/>,
/// where it shrinks the weights directly (decoupled). The gradient buffer itself is never changed.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class OptimizerKernels
{
    /// <summary>w -= lr·g.</summary>
    public static void Sgd<T>(Span<T> parameters, ReadOnlySpan<T> gradients, T learningRate, T weightDecay)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(parameters, gradients, gradients.Length);
        for (int i = 0; i < parameters.Length; i++)
        {
            T g = gradients[i] + weightDecay * parameters[i];
            parameters[i] -= learningRate * g;
        }
    }

    /// <summary>
    /// SGD with momentum (dampening 0): b = g on the first step, else μ·b + g; then w -= lr·b,
    /// or with <paramref name="nesterov"/>, w -= lr·(g + μ·b).
    /// </summary>
    public static void Momentum<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> velocity, T learningRate, T momentum, T weightDecay, bool nesterov, int step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(parameters, gradients, velocity.Length);
        for (int i = 0; i < parameters.Length; i++)
        {
            T g = gradients[i] + weightDecay * parameters[i];
            T b = step == 1 ? g : momentum * velocity[i] + g;
            velocity[i] = b;
            parameters[i] -= learningRate * (nesterov ? g + momentum * b : b);
        }
    }

    /// <summary>RMSprop: v = α·v + (1-α)·g²; w -= lr·g / (√v + ε).</summary>
    public static void RmsProp<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> squareAverage, T learningRate, T alpha, T epsilon, T weightDecay)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(parameters, gradients, squareAverage.Length);
        for (int i = 0; i < parameters.Length; i++)
        {
            T g = gradients[i] + weightDecay * parameters[i];
            T v = alpha * squareAverage[i] + (T.One - alpha) * g * g;
            squareAverage[i] = v;
            parameters[i] -= learningRate * g / (T.Sqrt(v) + epsilon);
        }
    }

    /// <summary>Adagrad (no lr decay, initial accumulator 0): s += g²; w -= lr·g / (√s + ε).</summary>
    public static void Adagrad<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> sumOfSquares, T learningRate, T epsilon, T weightDecay)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(parameters, gradients, sumOfSquares.Length);
        for (int i = 0; i < parameters.Length; i++)
        {
            T g = gradients[i] + weightDecay * parameters[i];
            T s = sumOfSquares[i] + g * g;
            sumOfSquares[i] = s;
            parameters[i] -= learningRate * g / (T.Sqrt(s) + epsilon);
        }
    }

    /// <summary>
    /// Adam as torch.optim.Adam computes it: m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²;
    /// w -= (lr / (1-β1^t))·m / (√v / √(1-β2^t) + ε).
    /// </summary>
    public static void Adam<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> firstMoment, Span<T> secondMoment, T learningRate, T beta1, T beta2, T epsilon, T weightDecay, int step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(parameters, gradients, firstMoment.Length);
        CheckLengths(parameters, gradients, secondMoment.Length);
        AdamCore(parameters, gradients, firstMoment, secondMoment, learningRate, beta1, beta2, epsilon, weightDecay, step);
    }

    /// <summary>AdamW: w *= 1 - lr·λ, then the Adam step without coupled decay.</summary>
    public static void AdamW<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> firstMoment, Span<T> secondMoment, T learningRate, T beta1, T beta2, T epsilon, T weightDecay, int step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(parameters, gradients, firstMoment.Length);
        CheckLengths(parameters, gradients, secondMoment.Length);
        T shrink = T.One - learningRate * weightDecay;
        for (int i = 0; i < parameters.Length; i++) parameters[i] *= shrink;
        AdamCore(parameters, gradients, firstMoment, secondMoment, learningRate, beta1, beta2, epsilon, T.Zero, step);
    }

    private static void AdamCore<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> m, Span<T> v, T learningRate, T beta1, T beta2, T epsilon, T weightDecay, int step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), step, "The first optimizer step is 1.");
        T biasCorrection1 = T.One - T.Pow(beta1, T.CreateChecked(step));
        T biasCorrection2 = T.One - T.Pow(beta2, T.CreateChecked(step));
        T stepSize = learningRate / biasCorrection1;
        T sqrtBiasCorrection2 = T.Sqrt(biasCorrection2);
        T oneMinusBeta1 = T.One - beta1, oneMinusBeta2 = T.One - beta2;
        int i = 0;
        if (Vector.IsHardwareAccelerated && parameters.Length >= Vector<T>.Count)
        {
            // The same operations in the same order as the scalar loop below, a vector at a time.
            ref T pr = ref MemoryMarshal.GetReference(parameters);
            ref T gr = ref MemoryMarshal.GetReference(gradients);
            ref T mr = ref MemoryMarshal.GetReference(m);
            ref T vr = ref MemoryMarshal.GetReference(v);
            var vBeta1 = new Vector<T>(beta1);
            var vBeta2 = new Vector<T>(beta2);
            var vOneMinusBeta1 = new Vector<T>(oneMinusBeta1);
            var vOneMinusBeta2 = new Vector<T>(oneMinusBeta2);
            var vDecay = new Vector<T>(weightDecay);
            var vStep = new Vector<T>(stepSize);
            var vSqrtBc2 = new Vector<T>(sqrtBiasCorrection2);
            var vEps = new Vector<T>(epsilon);
            for (; i <= parameters.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var p = Vector.LoadUnsafe(ref pr, (nuint)i);
                var g = Vector.LoadUnsafe(ref gr, (nuint)i) + vDecay * p;
                var mi = vBeta1 * Vector.LoadUnsafe(ref mr, (nuint)i) + vOneMinusBeta1 * g;
                var vi = vBeta2 * Vector.LoadUnsafe(ref vr, (nuint)i) + vOneMinusBeta2 * g * g;
                mi.StoreUnsafe(ref mr, (nuint)i);
                vi.StoreUnsafe(ref vr, (nuint)i);
                (p - vStep * mi / (Vector.SquareRoot(vi) / vSqrtBc2 + vEps)).StoreUnsafe(ref pr, (nuint)i);
            }
        }
        for (; i < parameters.Length; i++)
        {
            T g = gradients[i] + weightDecay * parameters[i];
            T mi = beta1 * m[i] + oneMinusBeta1 * g;
            T vi = beta2 * v[i] + oneMinusBeta2 * g * g;
            m[i] = mi;
            v[i] = vi;
            parameters[i] -= stepSize * mi / (T.Sqrt(vi) / sqrtBiasCorrection2 + epsilon);
        }
    }

    private static void CheckLengths<T>(Span<T> parameters, ReadOnlySpan<T> gradients, int stateLength)
    {
        if (gradients.Length != parameters.Length)
            throw new ArgumentException($"Expected {parameters.Length} gradients (one per parameter) but got {gradients.Length}.", nameof(gradients));
        if (stateLength != parameters.Length)
            throw new ArgumentException($"Expected optimizer state of length {parameters.Length} but got {stateLength}.");
    }
}
