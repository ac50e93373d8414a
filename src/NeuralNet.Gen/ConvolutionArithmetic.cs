// One source of truth: the generator and analyzers compile this file too (NNG_ROSLYN_COMPONENT), so the output sizes
// and padding the generator prints into the code are the ones the runtime's Conv2DGeometry and ONNX export compute.
using System;

#if NNG_ROSLYN_COMPONENT
namespace NeuralNet.Gen.Generators.Model;
#else
namespace NeuralNet.Gen;
#endif

/// <summary>Window arithmetic along one axis of a convolution or pooling layer. Same padding follows TensorFlow: the extra pad goes after.</summary>
internal static class ConvolutionArithmetic
{
    /// <summary>
    /// Convolution output length: Valid floor((n - k) / s) + 1, Same and Causal ceil(n / s). A dilated kernel passes its
    /// span dilation·(k − 1) + 1 as <paramref name="kernel"/>.
    /// </summary>
    public static int Output(int input, int kernel, int stride, Padding padding) =>
        padding != Padding.Valid ? (input + stride - 1) / stride : (input - kernel) / stride + 1;

    /// <summary>Pooling output length (windows inside the input only): floor((n - p) / s) + 1.</summary>
    public static int PoolOutput(int input, int pool, int stride) => (input - pool) / stride + 1;

    /// <summary>Zeros before the input (top or left): half of what the windows need beyond it, rounded down; Causal: all of k − 1.</summary>
    public static int PaddingBefore(int input, int output, int kernel, int stride, Padding padding)
    {
        if (padding == Padding.Valid) return 0;
        if (padding == Padding.Causal) return kernel - 1;
        int total = (output - 1) * stride + kernel - input;
        return total > 0 ? total / 2 : 0;
    }

    /// <summary>Zeros after the input (bottom or right): what the last window needs past it, never negative.</summary>
    public static int PaddingAfter(int input, int paddingBefore, int output, int kernel, int stride) =>
        Math.Max(0, (output - 1) * stride + kernel - input - paddingBefore);

    /// <summary>Length of the zero-padded copy: the input and its leading zeros, or as far as the last window reaches.</summary>
    public static int Padded(int input, int paddingBefore, int output, int kernel, int stride) =>
        Math.Max(input + paddingBefore, (output - 1) * stride + kernel);
}
