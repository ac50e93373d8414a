using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Gen;

/// <summary>
/// The update rules of <c>torch.optim</c>, one method each, written as PyTorch's documentation states them.
/// Generated <c>TrainStep</c> methods call these with the constants of the network's <c>[Optimizer]</c>.
/// <c>weightDecay</c> adds decay·w to the gradient inside the step (coupled L2), except in <see cref="AdamW"/>,
/// where it shrinks the weights directly (decoupled). The gradient buffer itself is never changed.
/// The element type is <see cref="float"/> or <see cref="double"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class OptimizerKernels
{
    /// <summary>w -= lr·g.</summary>
    public static void Sgd<T>(Span<T> parameters, ReadOnlySpan<T> gradients, T learningRate, T weightDecay)
        where T : unmanaged
    {
        CheckLengths(parameters, gradients, gradients.Length);
        ref T pr = ref MemoryMarshal.GetReference(parameters);
        ref T gr = ref MemoryMarshal.GetReference(gradients);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // The same operations in the same order as the scalar loop below (multiply, then add: not fused), a vector at a time.
            var vDecay = new Vector<T>(weightDecay);
            var vRate = new Vector<T>(learningRate);
            for (; i <= parameters.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var p = VectorMemory.Load(ref pr, i);
                var g = vDecay * p + VectorMemory.Load(ref gr, i);
                VectorMemory.Store(p - vRate * g, ref pr, i);
            }
        }
        for (; i < parameters.Length; i++)
        {
            T p = Unsafe.Add(ref pr, i);
            T g = Scalar<T>.MultiplyAdd(weightDecay, p, Unsafe.Add(ref gr, i));
            Unsafe.Add(ref pr, i) = Scalar<T>.Subtract(p, Scalar<T>.Multiply(learningRate, g));
        }
    }

    /// <summary>
    /// SGD with momentum (dampening 0): b = g on the first step, else μ·b + g; then w -= lr·b,
    /// or with <paramref name="nesterov"/>, w -= lr·(g + μ·b).
    /// </summary>
    public static void Momentum<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> velocity, T learningRate, T momentum, T weightDecay, bool nesterov, int step)
        where T : unmanaged
    {
        CheckLengths(parameters, gradients, velocity.Length);
        for (int i = 0; i < parameters.Length; i++)
        {
            T g = Scalar<T>.MultiplyAdd(weightDecay, parameters[i], gradients[i]);
            T b = step == 1 ? g : Scalar<T>.MultiplyAdd(momentum, velocity[i], g);
            velocity[i] = b;
            T direction = nesterov ? Scalar<T>.MultiplyAdd(momentum, b, g) : b;
            parameters[i] = Scalar<T>.Subtract(parameters[i], Scalar<T>.Multiply(learningRate, direction));
        }
    }

    /// <summary>RMSprop: v = α·v + (1-α)·g²; w -= lr·g / (√v + ε).</summary>
    public static void RmsProp<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> squareAverage, T learningRate, T alpha, T epsilon, T weightDecay)
        where T : unmanaged
    {
        CheckLengths(parameters, gradients, squareAverage.Length);
        T oneMinusAlpha = Scalar<T>.Subtract(Scalar<T>.One, alpha);
        for (int i = 0; i < parameters.Length; i++)
        {
            T g = Scalar<T>.MultiplyAdd(weightDecay, parameters[i], gradients[i]);
            T v = Scalar<T>.Add(Scalar<T>.Multiply(alpha, squareAverage[i]), Scalar<T>.Multiply(Scalar<T>.Multiply(oneMinusAlpha, g), g));
            squareAverage[i] = v;
            T step = Scalar<T>.Divide(Scalar<T>.Multiply(learningRate, g), Scalar<T>.Add(Scalar<T>.Sqrt(v), epsilon));
            parameters[i] = Scalar<T>.Subtract(parameters[i], step);
        }
    }

    /// <summary>Adagrad (no lr decay, initial accumulator 0): s += g²; w -= lr·g / (√s + ε).</summary>
    public static void Adagrad<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> sumOfSquares, T learningRate, T epsilon, T weightDecay)
        where T : unmanaged
    {
        CheckLengths(parameters, gradients, sumOfSquares.Length);
        for (int i = 0; i < parameters.Length; i++)
        {
            T g = Scalar<T>.MultiplyAdd(weightDecay, parameters[i], gradients[i]);
            T s = Scalar<T>.MultiplyAdd(g, g, sumOfSquares[i]);
            sumOfSquares[i] = s;
            T step = Scalar<T>.Divide(Scalar<T>.Multiply(learningRate, g), Scalar<T>.Add(Scalar<T>.Sqrt(s), epsilon));
            parameters[i] = Scalar<T>.Subtract(parameters[i], step);
        }
    }

    /// <summary>
    /// Adam as torch.optim.Adam computes it: m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²;
    /// w -= (lr / (1-β1^t))·m / (√v / √(1-β2^t) + ε).
    /// </summary>
    public static void Adam<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> firstMoment, Span<T> secondMoment, T learningRate, T beta1, T beta2, T epsilon, T weightDecay, int step)
        where T : unmanaged
    {
        CheckLengths(parameters, gradients, firstMoment.Length);
        CheckLengths(parameters, gradients, secondMoment.Length);
        AdamCore(parameters, gradients, firstMoment, secondMoment, learningRate, beta1, beta2, epsilon, weightDecay, step);
    }

    /// <summary>AdamW: w *= 1 - lr·λ, then the Adam step without coupled decay.</summary>
    public static void AdamW<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> firstMoment, Span<T> secondMoment, T learningRate, T beta1, T beta2, T epsilon, T weightDecay, int step)
        where T : unmanaged
    {
        CheckLengths(parameters, gradients, firstMoment.Length);
        CheckLengths(parameters, gradients, secondMoment.Length);
        T shrink = Scalar<T>.Subtract(Scalar<T>.One, Scalar<T>.Multiply(learningRate, weightDecay));
        for (int i = 0; i < parameters.Length; i++) parameters[i] = Scalar<T>.Multiply(parameters[i], shrink);
        AdamCore(parameters, gradients, firstMoment, secondMoment, learningRate, beta1, beta2, epsilon, default, step);
    }

    private static void AdamCore<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> m, Span<T> v, T learningRate, T beta1, T beta2, T epsilon, T weightDecay, int step)
        where T : unmanaged
    {
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), step, "The first optimizer step is 1.");
        T one = Scalar<T>.One;
        T biasCorrection1 = Scalar<T>.Subtract(one, Scalar<T>.PowInteger(beta1, step));
        T biasCorrection2 = Scalar<T>.Subtract(one, Scalar<T>.PowInteger(beta2, step));
        T stepSize = Scalar<T>.Divide(learningRate, biasCorrection1);
        T sqrtBiasCorrection2 = Scalar<T>.Sqrt(biasCorrection2);
        T oneMinusBeta1 = Scalar<T>.Subtract(one, beta1), oneMinusBeta2 = Scalar<T>.Subtract(one, beta2);
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
                var p = VectorMemory.Load(ref pr, i);
                var g = vDecay * p + VectorMemory.Load(ref gr, i);
                var mi = vBeta1 * VectorMemory.Load(ref mr, i) + vOneMinusBeta1 * g;
                var vi = vBeta2 * VectorMemory.Load(ref vr, i) + vOneMinusBeta2 * g * g;
                VectorMemory.Store(mi, ref mr, i);
                VectorMemory.Store(vi, ref vr, i);
                VectorMemory.Store(p - vStep * mi / (Vector.SquareRoot(vi) / vSqrtBc2 + vEps), ref pr, i);
            }
        }
        for (; i < parameters.Length; i++)
        {
            T g = Scalar<T>.MultiplyAdd(weightDecay, parameters[i], gradients[i]);
            T mi = Scalar<T>.Add(Scalar<T>.Multiply(beta1, m[i]), Scalar<T>.Multiply(oneMinusBeta1, g));
            T vi = Scalar<T>.Add(Scalar<T>.Multiply(beta2, v[i]), Scalar<T>.Multiply(Scalar<T>.Multiply(oneMinusBeta2, g), g));
            m[i] = mi;
            v[i] = vi;
            T denominator = Scalar<T>.Add(Scalar<T>.Divide(Scalar<T>.Sqrt(vi), sqrtBiasCorrection2), epsilon);
            parameters[i] = Scalar<T>.Subtract(parameters[i], Scalar<T>.Divide(Scalar<T>.Multiply(stepSize, mi), denominator));
        }
    }

    private static void CheckLengths<T>(Span<T> parameters, ReadOnlySpan<T> gradients, int stateLength) where T : unmanaged
    {
        if (gradients.Length != parameters.Length)
            throw new ArgumentException($"Expected {parameters.Length} gradients (one per parameter) but got {gradients.Length}.", nameof(gradients));
        if (stateLength != parameters.Length)
            throw new ArgumentException($"Expected optimizer state of length {parameters.Length} but got {stateLength}.");
        if (!Scalar<T>.IsSupported) throw new NotSupportedException($"Optimizers update float or double parameters, not {typeof(T).Name}.");
    }
}
