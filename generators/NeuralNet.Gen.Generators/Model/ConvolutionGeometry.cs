namespace NeuralNet.Gen.Generators.Model;

/// <summary>
/// A Conv2D layer's geometry, computed once by the plan and printed into the generated
/// <c>new Conv2DGeometry(...)</c>. The arithmetic is <see cref="ConvolutionArithmetic"/>, a runtime file the generator
/// compiles too, so it is the runtime's own. Padding follows TensorFlow: the extra pad goes after.
/// </summary>
internal sealed record ConvolutionGeometry(
    int Height, int Width, int Channels, int Filters, int KernelSize, int Stride, int PadTop, int PadLeft, int OutputHeight, int OutputWidth)
{
    public static ConvolutionGeometry Create(Shape input, int filters, int kernel, int stride, Padding padding)
    {
        int outputHeight = Output(input.Height, kernel, stride, padding), outputWidth = Output(input.Width, kernel, stride, padding);
        return new ConvolutionGeometry(input.Height, input.Width, input.Channels, filters, kernel, stride,
            PaddingBefore(input.Height, outputHeight, kernel, stride, padding), PaddingBefore(input.Width, outputWidth, kernel, stride, padding),
            outputHeight, outputWidth);
    }

    /// <summary>Conv2D output side: Valid floor((n - k) / s) + 1, Same ceil(n / s).</summary>
    public static int Output(int input, int kernel, int stride, Padding padding) => ConvolutionArithmetic.Output(input, kernel, stride, padding);

    /// <summary>MaxPool2D output side: floor((n - p) / s) + 1.</summary>
    public static int PoolOutput(int input, int pool, int stride) => ConvolutionArithmetic.PoolOutput(input, pool, stride);

    private static int PaddingBefore(int input, int output, int kernel, int stride, Padding padding) =>
        ConvolutionArithmetic.PaddingBefore(input, output, kernel, stride, padding);

    public int PaddedHeight => ConvolutionArithmetic.Padded(Height, PadTop, OutputHeight, KernelSize, Stride);

    public int PaddedWidth => ConvolutionArithmetic.Padded(Width, PadLeft, OutputWidth, KernelSize, Stride);

    /// <summary>Values of the zero-padded copy of one input image, 0 when the windows read the input directly.</summary>
    public int PaddedSize => PaddedHeight != Height || PaddedWidth != Width ? PaddedHeight * PaddedWidth * Channels : 0;

    /// <summary>Values of one sample's im2col matrix: a window row per output position.</summary>
    public int LoweredSize => OutputHeight * OutputWidth * KernelSize * KernelSize * Channels;
}

/// <summary>Which convolution kernel a Conv2D layer runs (see <c>Conv2DLayer.Choose</c>).</summary>
internal enum ConvolutionStrategy { Lowered, AcrossFilters, ByWindowRows }
