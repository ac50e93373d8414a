using System;
using System.ComponentModel;

namespace NeuralNet.Gen;

/// <summary>
/// Pooling kernels for the generated code over channels-last values: [batch, height, width, channels], a sequence
/// being height = steps and width = 1. Windows lie inside the input only (no padding), as PyTorch's defaults; an
/// average divides by the window's size. Every sum runs over the window in row-major order, one channel at a time,
/// so the bits depend on neither the batch nor the machine. The backward of a max pool is
/// <see cref="ConvolutionKernels.MaxPoolBackward{T}"/> over the recorded maxima.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class PoolingKernels
{
    /// <summary>
    /// y[b, oy, ox, c] = the maximum of the <paramref name="poolHeight"/> × <paramref name="poolWidth"/> window at
    /// (oy·strideHeight, ox·strideWidth). When <paramref name="argmax"/> is not empty it receives, per output, the index
    /// within the sample's input of the maximum: the first in row-major window order on ties, as PyTorch.
    /// </summary>
    public static void MaxPoolForward<T>(ReadOnlySpan<T> x, Span<T> y, Span<int> argmax, int batch, int height, int width, int channels,
        int poolHeight, int poolWidth, int strideHeight, int strideWidth) where T : unmanaged
    {
        var (outputHeight, outputWidth) = Output(height, width, channels, poolHeight, poolWidth, strideHeight, strideWidth);
        int inSize = height * width * channels, outSize = outputHeight * outputWidth * channels;
        Check(x.Length, batch * inSize, nameof(x));
        Check(y.Length, batch * outSize, nameof(y));
        if (!argmax.IsEmpty) Check(argmax.Length, batch * outSize, nameof(argmax));
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> xb = x.Slice(b * inSize, inSize);
            for (int oy = 0; oy < outputHeight; oy++)
            {
                for (int ox = 0; ox < outputWidth; ox++)
                {
                    int corner = (oy * strideHeight * width + ox * strideWidth) * channels;
                    int o = b * outSize + (oy * outputWidth + ox) * channels;
                    for (int ch = 0; ch < channels; ch++)
                    {
                        int best = corner + ch;
                        T max = xb[best];
                        for (int py = 0; py < poolHeight; py++)
                        {
                            int rowStart = corner + py * width * channels + ch;
                            for (int px = 0; px < poolWidth; px++)
                            {
                                int i = rowStart + px * channels;
                                // Strictly greater replaces: the first maximum wins ties; a NaN wins, as in PyTorch.
                                if (!Scalar<T>.LessThanOrEqual(xb[i], max))
                                {
                                    max = xb[i];
                                    best = i;
                                }
                            }
                        }
                        y[o + ch] = max;
                        if (!argmax.IsEmpty) argmax[o + ch] = best;
                    }
                }
            }
        }
    }

    /// <summary>y[b, oy, ox, c] = the mean of the <paramref name="poolHeight"/> × <paramref name="poolWidth"/> window at (oy·strideHeight, ox·strideWidth).</summary>
    public static void AveragePoolForward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, int height, int width, int channels,
        int poolHeight, int poolWidth, int strideHeight, int strideWidth) where T : unmanaged
    {
        var (outputHeight, outputWidth) = Output(height, width, channels, poolHeight, poolWidth, strideHeight, strideWidth);
        int inSize = height * width * channels, outSize = outputHeight * outputWidth * channels;
        Check(x.Length, batch * inSize, nameof(x));
        Check(y.Length, batch * outSize, nameof(y));
        T count = Scalar<T>.FromDouble(poolHeight * poolWidth);
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> xb = x.Slice(b * inSize, inSize);
            for (int oy = 0; oy < outputHeight; oy++)
            {
                for (int ox = 0; ox < outputWidth; ox++)
                {
                    int corner = (oy * strideHeight * width + ox * strideWidth) * channels;
                    int o = b * outSize + (oy * outputWidth + ox) * channels;
                    for (int ch = 0; ch < channels; ch++)
                    {
                        T sum = default;
                        for (int py = 0; py < poolHeight; py++)
                        {
                            int rowStart = corner + py * width * channels + ch;
                            for (int px = 0; px < poolWidth; px++) sum = Scalar<T>.Add(sum, xb[rowStart + px * channels]);
                        }
                        y[o + ch] = Scalar<T>.Divide(sum, count);
                    }
                }
            }
        }
    }

    /// <summary>dx = 0, then each output's gradient divided by the window's size added to every input of its window (overlapping windows add up).</summary>
    public static void AveragePoolBackward<T>(ReadOnlySpan<T> dy, Span<T> dx, int batch, int height, int width, int channels,
        int poolHeight, int poolWidth, int strideHeight, int strideWidth) where T : unmanaged
    {
        var (outputHeight, outputWidth) = Output(height, width, channels, poolHeight, poolWidth, strideHeight, strideWidth);
        int inSize = height * width * channels, outSize = outputHeight * outputWidth * channels;
        Check(dy.Length, batch * outSize, nameof(dy));
        Check(dx.Length, batch * inSize, nameof(dx));
        dx.Clear();
        T count = Scalar<T>.FromDouble(poolHeight * poolWidth);
        for (int b = 0; b < batch; b++)
        {
            Span<T> dxb = dx.Slice(b * inSize, inSize);
            for (int oy = 0; oy < outputHeight; oy++)
            {
                for (int ox = 0; ox < outputWidth; ox++)
                {
                    int corner = (oy * strideHeight * width + ox * strideWidth) * channels;
                    int o = b * outSize + (oy * outputWidth + ox) * channels;
                    for (int ch = 0; ch < channels; ch++)
                    {
                        T share = Scalar<T>.Divide(dy[o + ch], count);
                        for (int py = 0; py < poolHeight; py++)
                        {
                            int rowStart = corner + py * width * channels + ch;
                            for (int px = 0; px < poolWidth; px++)
                            {
                                int i = rowStart + px * channels;
                                dxb[i] = Scalar<T>.Add(dxb[i], share);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>y[b, c] = the mean over the <paramref name="positions"/> positions (steps, or height × width) of channel c.</summary>
    public static void GlobalAveragePoolForward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, int positions, int channels) where T : unmanaged
    {
        CheckGlobal(positions, channels);
        Check(x.Length, batch * positions * channels, nameof(x));
        Check(y.Length, batch * channels, nameof(y));
        T count = Scalar<T>.FromDouble(positions);
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> xb = x.Slice(b * positions * channels, positions * channels);
            Span<T> yb = y.Slice(b * channels, channels);
            // Positions outermost reads the sample in order; each channel still sums its positions first to last.
            yb.Clear();
            for (int p = 0; p < positions; p++)
            {
                ReadOnlySpan<T> row = xb.Slice(p * channels, channels);
                for (int ch = 0; ch < channels; ch++) yb[ch] = Scalar<T>.Add(yb[ch], row[ch]);
            }
            for (int ch = 0; ch < channels; ch++) yb[ch] = Scalar<T>.Divide(yb[ch], count);
        }
    }

    /// <summary>dx[b, p, c] = dy[b, c] / positions at every position p.</summary>
    public static void GlobalAveragePoolBackward<T>(ReadOnlySpan<T> dy, Span<T> dx, int batch, int positions, int channels) where T : unmanaged
    {
        CheckGlobal(positions, channels);
        Check(dy.Length, batch * channels, nameof(dy));
        Check(dx.Length, batch * positions * channels, nameof(dx));
        T count = Scalar<T>.FromDouble(positions);
        for (int b = 0; b < batch; b++)
        {
            Span<T> dxb = dx.Slice(b * positions * channels, positions * channels);
            for (int ch = 0; ch < channels; ch++) dxb[ch] = Scalar<T>.Divide(dy[b * channels + ch], count);
            for (int p = 1; p < positions; p++) dxb.Slice(0, channels).CopyTo(dxb.Slice(p * channels, channels));
        }
    }

    /// <summary>
    /// y[b, c] = the maximum over the <paramref name="positions"/> positions of channel c; when <paramref name="argmax"/>
    /// is not empty it receives the index within the sample's input of the first maximum, for
    /// <see cref="ConvolutionKernels.MaxPoolBackward{T}"/>.
    /// </summary>
    public static void GlobalMaxPoolForward<T>(ReadOnlySpan<T> x, Span<T> y, Span<int> argmax, int batch, int positions, int channels) where T : unmanaged
    {
        CheckGlobal(positions, channels);
        Check(x.Length, batch * positions * channels, nameof(x));
        Check(y.Length, batch * channels, nameof(y));
        if (!argmax.IsEmpty) Check(argmax.Length, batch * channels, nameof(argmax));
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> xb = x.Slice(b * positions * channels, positions * channels);
            for (int ch = 0; ch < channels; ch++)
            {
                int best = ch;
                T max = xb[best];
                for (int i = ch + channels; i < xb.Length; i += channels)
                {
                    if (!Scalar<T>.LessThanOrEqual(xb[i], max))
                    {
                        max = xb[i];
                        best = i;
                    }
                }
                y[b * channels + ch] = max;
                if (!argmax.IsEmpty) argmax[b * channels + ch] = best;
            }
        }
    }

    private static (int Height, int Width) Output(int height, int width, int channels, int poolHeight, int poolWidth, int strideHeight, int strideWidth)
    {
        if (height <= 0 || width <= 0 || channels <= 0)
            throw new ArgumentOutOfRangeException(nameof(height), $"The input needs positive height, width and channels, not {height}x{width}x{channels}.");
        if (poolHeight <= 0 || poolHeight > height) throw new ArgumentOutOfRangeException(nameof(poolHeight), poolHeight, $"The pool height must be in [1, {height}].");
        if (poolWidth <= 0 || poolWidth > width) throw new ArgumentOutOfRangeException(nameof(poolWidth), poolWidth, $"The pool width must be in [1, {width}].");
        if (strideHeight <= 0) throw new ArgumentOutOfRangeException(nameof(strideHeight), strideHeight, "The stride must be positive.");
        if (strideWidth <= 0) throw new ArgumentOutOfRangeException(nameof(strideWidth), strideWidth, "The stride must be positive.");
        return (ConvolutionArithmetic.PoolOutput(height, poolHeight, strideHeight), ConvolutionArithmetic.PoolOutput(width, poolWidth, strideWidth));
    }

    private static void CheckGlobal(int positions, int channels)
    {
        if (positions <= 0) throw new ArgumentOutOfRangeException(nameof(positions), positions, "The positions must be positive.");
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), channels, "The channels must be positive.");
    }

    private static void Check(int actual, int expected, string name)
    {
        if (actual != expected) throw new ArgumentException($"Expected {name} of length {expected} but got {actual}.", name);
    }
}
