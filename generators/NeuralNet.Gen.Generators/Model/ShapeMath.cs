namespace NeuralNet.Gen.Generators.Model;

/// <summary>Output shapes of every layer kind: the one place the parser, analyzers and emitters take them from.</summary>
internal static class ShapeMath
{
    /// <summary>Conv2D output side: Valid floor((n - k) / s) + 1, Same ceil(n / s).</summary>
    public static int ConvolutionOutput(int input, int kernel, int stride, Padding padding) =>
        padding == Padding.Same ? (input + stride - 1) / stride : (input - kernel) / stride + 1;

    /// <summary>Zero padding before the first row/column for Same padding (TensorFlow's convention: the extra pad goes after).</summary>
    public static int PaddingBefore(int input, int kernel, int stride, Padding padding)
    {
        if (padding == Padding.Valid) return 0;
        int output = ConvolutionOutput(input, kernel, stride, padding);
        int total = (output - 1) * stride + kernel - input;
        return total > 0 ? total / 2 : 0;
    }

    /// <summary>MaxPool2D output side: floor((n - p) / s) + 1.</summary>
    public static int PoolOutput(int input, int pool, int stride) => (input - pool) / stride + 1;
}
