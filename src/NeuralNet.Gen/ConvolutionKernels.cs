using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Gen;

/// <summary>
/// The sizes of one Conv2D layer. Images are row-major height × width × channels (channels last, as Keras);
/// weights are [filters, channels, kernel, kernel] (PyTorch's <c>nn.Conv2d</c>). Padding is given as the zero rows
/// and columns before the image; the padded image is as large as the last window needs (TensorFlow's Same
/// convention puts the odd extra pad after).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public readonly struct Conv2DGeometry
{
    /// <summary>Creates the geometry; the generated code passes constants.</summary>
    public Conv2DGeometry(int height, int width, int channels, int filters, int kernelSize, int stride, int padTop, int padLeft, int outputHeight, int outputWidth)
    {
        if (height <= 0 || width <= 0 || channels <= 0 || filters <= 0 || kernelSize <= 0 || stride <= 0 || outputHeight <= 0 || outputWidth <= 0 || padTop < 0 || padLeft < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(height), "Every Conv2D size must be positive and the padding non-negative.");
        }
        Height = height;
        Width = width;
        Channels = channels;
        Filters = filters;
        KernelSize = kernelSize;
        Stride = stride;
        PadTop = padTop;
        PadLeft = padLeft;
        OutputHeight = outputHeight;
        OutputWidth = outputWidth;
        PaddedHeight = ConvolutionArithmetic.Padded(height, padTop, outputHeight, kernelSize, stride);
        PaddedWidth = ConvolutionArithmetic.Padded(width, padLeft, outputWidth, kernelSize, stride);
    }

    /// <summary>Input rows.</summary>
    public int Height { get; }

    /// <summary>Input columns.</summary>
    public int Width { get; }

    /// <summary>Input channels.</summary>
    public int Channels { get; }

    /// <summary>Output channels.</summary>
    public int Filters { get; }

    /// <summary>Side of the square kernel.</summary>
    public int KernelSize { get; }

    /// <summary>Step between windows, in both directions.</summary>
    public int Stride { get; }

    /// <summary>Zero rows above the image.</summary>
    public int PadTop { get; }

    /// <summary>Zero columns left of the image.</summary>
    public int PadLeft { get; }

    /// <summary>Output rows.</summary>
    public int OutputHeight { get; }

    /// <summary>Output columns.</summary>
    public int OutputWidth { get; }

    /// <summary>Rows of the zero-padded image the windows slide over.</summary>
    public int PaddedHeight { get; }

    /// <summary>Columns of the zero-padded image the windows slide over.</summary>
    public int PaddedWidth { get; }

    /// <summary>Whether the windows read zeros outside the image, so it must be copied into a padded buffer.</summary>
    public bool IsPadded => PaddedHeight != Height || PaddedWidth != Width;

    /// <summary>Values of one input image.</summary>
    public int InputSize => Height * Width * Channels;

    /// <summary>Values of one output image.</summary>
    public int OutputSize => OutputHeight * OutputWidth * Filters;

    /// <summary>Values of one padded image (0 when the layer reads its input directly).</summary>
    public int PaddedSize => IsPadded ? PaddedHeight * PaddedWidth * Channels : 0;

    /// <summary>Weights of the layer.</summary>
    public int WeightCount => Filters * Channels * KernelSize * KernelSize;
}

/// <summary>How <see cref="ConvolutionKernels"/> lay out a convolution's weights for a kernel.</summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public enum ConvolutionPacking
{
    /// <summary>[kh][kw][c][f]: a window position's filters are contiguous (<see cref="ConvolutionKernels.ForwardAcrossFilters{T}"/>).</summary>
    AcrossFilters,

    /// <summary>[f][kh][kw·c]: a filter's window rows are contiguous (<see cref="ConvolutionKernels.ForwardByWindowRows{T}"/>, <see cref="ConvolutionKernels.ForwardLowered{T}"/>).</summary>
    ByWindowRows,
}

/// <summary>
/// Direct Conv2D, MaxPool2D and Dropout kernels for the generated code, over row-major HWC images. Convolution works
/// on weights packed once per call so that its inner loop runs over contiguous memory, in one of two layouts:
/// <list type="bullet">
/// <item><see cref="ForwardAcrossFilters{T}"/>: packed [kh][kw][c][f]. Each input value is broadcast and multiplied
/// into a [filters] row that lives in registers; the output pixel's filters are contiguous in HWC. Best when there
/// are at least as many filters as vector lanes.</item>
/// <item><see cref="ForwardByWindowRows{T}"/>: packed [f][kh][kw·c]. One window row is a contiguous run of kw·c values
/// in HWC, so each output is kh dot products of that length. Best for few filters.</item>
/// </list>
/// <see cref="ForwardLowered{T}"/> lowers the windows to a matrix (im2col) and runs the register-blocked Dense kernel
/// on it, with the [f][kh][kw·c] packing: best when kh·kw·c fills vectors. The reduction order is fixed, so results are the same on every run and a sample gives the same bits alone as
/// inside a batch.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class ConvolutionKernels
{
    /// <summary>Copies weights [f, c, kh, kw] (PyTorch's nn.Conv2d layout) into <paramref name="packed"/> in the layout a kernel reads.</summary>
    public static void Pack<T>(ReadOnlySpan<T> weights, Span<T> packed, in Conv2DGeometry g, ConvolutionPacking packing) where T : unmanaged
    {
        Check(weights.Length, g.WeightCount, nameof(weights));
        Check(packed.Length, g.WeightCount, nameof(packed));
        var (so, si, sy, sx) = PackedStrides(g, packing);
        int k = g.KernelSize, c = g.Channels, f = g.Filters, source = 0;
        for (int o = 0; o < f; o++)
            for (int i = 0; i < c; i++)
                for (int y = 0; y < k; y++)
                    for (int x = 0; x < k; x++)
                        packed[o * so + i * si + y * sy + x * sx] = weights[source++];
    }

    /// <summary>Adds gradients packed in <paramref name="packing"/>'s layout into the [f, c, kh, kw] gradient buffer.</summary>
    public static void UnpackAdd<T>(ReadOnlySpan<T> packed, Span<T> weightGradients, in Conv2DGeometry g, ConvolutionPacking packing) where T : unmanaged
    {
        Check(packed.Length, g.WeightCount, nameof(packed));
        Check(weightGradients.Length, g.WeightCount, nameof(weightGradients));
        var (so, si, sy, sx) = PackedStrides(g, packing);
        int k = g.KernelSize, c = g.Channels, f = g.Filters, target = 0;
        for (int o = 0; o < f; o++)
            for (int i = 0; i < c; i++)
                for (int y = 0; y < k; y++)
                    for (int x = 0; x < k; x++, target++)
                        weightGradients[target] = Scalar<T>.Add(weightGradients[target], packed[o * so + i * si + y * sy + x * sx]);
    }

    /// <summary>Where weight (filter o, channel i, row y, column x) lands in the packed buffer: o·O + i·I + y·Y + x·X.</summary>
    private static (int O, int I, int Y, int X) PackedStrides(in Conv2DGeometry g, ConvolutionPacking packing)
    {
        int k = g.KernelSize, c = g.Channels, f = g.Filters;
        return packing switch
        {
            ConvolutionPacking.AcrossFilters => (1, f, k * c * f, c * f),     // [kh][kw][c][f]
            ConvolutionPacking.ByWindowRows => (k * k * c, 1, k * c, c),      // [f][kh][kw·c]
            _ => throw new ArgumentOutOfRangeException(nameof(packing), packing, "Not a packing."),
        };
    }

    // The generated code calls these by name (the emitter picks the suffix); they are the pair above.

    /// <summary>[f, c, kh, kw] to [kh][kw][c][f], for <see cref="ForwardAcrossFilters{T}"/>.</summary>
    public static void PackAcrossFilters<T>(ReadOnlySpan<T> weights, Span<T> packed, in Conv2DGeometry g) where T : unmanaged =>
        Pack(weights, packed, g, ConvolutionPacking.AcrossFilters);

    /// <summary>Adds gradients packed [kh][kw][c][f] into the [f, c, kh, kw] gradient buffer.</summary>
    public static void UnpackAcrossFiltersAdd<T>(ReadOnlySpan<T> packed, Span<T> weightGradients, in Conv2DGeometry g) where T : unmanaged =>
        UnpackAdd(packed, weightGradients, g, ConvolutionPacking.AcrossFilters);

    /// <summary>[f, c, kh, kw] to [f][kh][kw·c], for <see cref="ForwardByWindowRows{T}"/>.</summary>
    public static void PackByWindowRows<T>(ReadOnlySpan<T> weights, Span<T> packed, in Conv2DGeometry g) where T : unmanaged =>
        Pack(weights, packed, g, ConvolutionPacking.ByWindowRows);

    /// <summary>Adds gradients packed [f][kh][kw·c] into the [f, c, kh, kw] gradient buffer.</summary>
    public static void UnpackByWindowRowsAdd<T>(ReadOnlySpan<T> packed, Span<T> weightGradients, in Conv2DGeometry g) where T : unmanaged =>
        UnpackAdd(packed, weightGradients, g, ConvolutionPacking.ByWindowRows);

    /// <summary>
    /// z[b] = conv(x[b]) + bias for every sample, weights packed by <see cref="PackAcrossFilters{T}"/>. Four vectors of
    /// filters are accumulated in registers per output pixel, so each broadcast input value feeds four multiply-adds.
    /// <paramref name="padded"/> holds <see cref="Conv2DGeometry.PaddedSize"/> values (empty when not padded).
    /// </summary>
    public static void ForwardAcrossFilters<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> packed, ReadOnlySpan<T> bias, Span<T> z, Span<T> padded, int batch, in Conv2DGeometry g)
        where T : unmanaged
    {
        CheckForward(x, packed, bias, z, padded, batch, g);
        int f = g.Filters, k = g.KernelSize, c = g.Channels, s = g.Stride, rowStride = g.PaddedWidth * c;
        int width = Vector<T>.Count;
        bool vectors = Vector.IsHardwareAccelerated;
        ref T wr = ref MemoryMarshal.GetReference(packed);
        ref T br = ref MemoryMarshal.GetReference(bias);
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> image = Source(x.Slice(b * g.InputSize, g.InputSize), padded, g);
            ref T ir = ref MemoryMarshal.GetReference(image);
            ref T zb = ref MemoryMarshal.GetReference(z.Slice(b * g.OutputSize, g.OutputSize));
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    ref T window = ref Unsafe.Add(ref ir, oy * s * rowStride + ox * s * c);
                    ref T zp = ref Unsafe.Add(ref zb, (oy * g.OutputWidth + ox) * f);
                    int o = 0;
                    for (; vectors && o <= f - 4 * width; o += 4 * width)
                    {
                        var a0 = VectorMemory.Load(ref br, o);
                        var a1 = VectorMemory.Load(ref br, o + width);
                        var a2 = VectorMemory.Load(ref br, o + 2 * width);
                        var a3 = VectorMemory.Load(ref br, o + 3 * width);
                        for (int ky = 0; ky < k; ky++)
                        {
                            ref T row = ref Unsafe.Add(ref window, ky * rowStride);
                            ref T wRow = ref Unsafe.Add(ref wr, ky * k * c * f + o);
                            for (int j = 0; j < k * c; j++)
                            {
                                var v = new Vector<T>(Unsafe.Add(ref row, j));
                                ref T wj = ref Unsafe.Add(ref wRow, j * f);
                                a0 = Fused.MultiplyAdd(v, VectorMemory.Load(ref wj, 0), a0);
                                a1 = Fused.MultiplyAdd(v, VectorMemory.Load(ref wj, width), a1);
                                a2 = Fused.MultiplyAdd(v, VectorMemory.Load(ref wj, 2 * width), a2);
                                a3 = Fused.MultiplyAdd(v, VectorMemory.Load(ref wj, 3 * width), a3);
                            }
                        }
                        VectorMemory.Store(a0, ref zp, o);
                        VectorMemory.Store(a1, ref zp, o + width);
                        VectorMemory.Store(a2, ref zp, o + 2 * width);
                        VectorMemory.Store(a3, ref zp, o + 3 * width);
                    }
                    for (; vectors && o <= f - width; o += width)
                    {
                        var a = VectorMemory.Load(ref br, o);
                        for (int ky = 0; ky < k; ky++)
                        {
                            ref T row = ref Unsafe.Add(ref window, ky * rowStride);
                            ref T wRow = ref Unsafe.Add(ref wr, ky * k * c * f + o);
                            for (int j = 0; j < k * c; j++) a = Fused.MultiplyAdd(new Vector<T>(Unsafe.Add(ref row, j)), VectorMemory.Load(ref wRow, j * f), a);
                        }
                        VectorMemory.Store(a, ref zp, o);
                    }
                    for (; o < f; o++)
                    {
                        T sum = Unsafe.Add(ref br, o);
                        for (int ky = 0; ky < k; ky++)
                        {
                            ref T row = ref Unsafe.Add(ref window, ky * rowStride);
                            ref T wRow = ref Unsafe.Add(ref wr, ky * k * c * f + o);
                            for (int j = 0; j < k * c; j++) sum = Scalar<T>.FusedMultiplyAdd(Unsafe.Add(ref row, j), Unsafe.Add(ref wRow, j * f), sum);
                        }
                        Unsafe.Add(ref zp, o) = sum;
                    }
                }
            }
        }
    }

    /// <summary>
    /// z[b] = conv(x[b]) + bias for every sample, weights packed by <see cref="PackByWindowRows{T}"/>: each output is
    /// kh contiguous dot products of length kw·c.
    /// </summary>
    public static void ForwardByWindowRows<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> packed, ReadOnlySpan<T> bias, Span<T> z, Span<T> padded, int batch, in Conv2DGeometry g)
        where T : unmanaged
    {
        CheckForward(x, packed, bias, z, padded, batch, g);
        int f = g.Filters, k = g.KernelSize, c = g.Channels, s = g.Stride, rowStride = g.PaddedWidth * c, run = k * c;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> image = Source(x.Slice(b * g.InputSize, g.InputSize), padded, g);
            Span<T> zb = z.Slice(b * g.OutputSize, g.OutputSize);
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    int window = oy * s * rowStride + ox * s * c;
                    int zp = (oy * g.OutputWidth + ox) * f;
                    for (int o = 0; o < f; o++)
                    {
                        T sum = bias[o];
                        for (int ky = 0; ky < k; ky++) sum = Scalar<T>.Add(sum, Kernels.Dot(image.Slice(window + ky * rowStride, run), packed.Slice((o * k + ky) * run, run)));
                        zb[zp + o] = sum;
                    }
                }
            }
        }
    }

    /// <summary>
    /// The backward pass for weights packed by <see cref="PackAcrossFilters{T}"/>, given dz [batch, output]:
    /// <paramref name="packedGradients"/> (same layout, not cleared) += Σ x·dz, <paramref name="biasGradients"/> += Σ dz,
    /// and, unless <paramref name="dx"/> is empty, dx = dz convolved back (overwritten). Each update runs over a
    /// contiguous [filters] row; <paramref name="paddedDx"/> is the padded scratch for dx (empty when not padded).
    /// </summary>
    public static void BackwardAcrossFilters<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dz, ReadOnlySpan<T> packed, Span<T> packedGradients, Span<T> biasGradients,
        Span<T> dx, Span<T> padded, Span<T> paddedDx, int batch, in Conv2DGeometry g)
        where T : unmanaged
    {
        CheckBackward(x, dz, packed, packedGradients, biasGradients, dx, padded, paddedDx, batch, g);
        int f = g.Filters, k = g.KernelSize, c = g.Channels, s = g.Stride, rowStride = g.PaddedWidth * c;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> image = Source(x.Slice(b * g.InputSize, g.InputSize), padded, g);
            ReadOnlySpan<T> dzb = dz.Slice(b * g.OutputSize, g.OutputSize);
            Span<T> target = dx.IsEmpty ? default : g.IsPadded ? paddedDx : dx.Slice(b * g.InputSize, g.InputSize);
            target.Clear();
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    int window = oy * s * rowStride + ox * s * c;
                    ReadOnlySpan<T> d = dzb.Slice((oy * g.OutputWidth + ox) * f, f);
                    AddInPlace(biasGradients, d);
                    for (int ky = 0; ky < k; ky++)
                    {
                        int rowStart = window + ky * rowStride;
                        int wRow = ky * k * c * f;
                        for (int j = 0; j < k * c; j++)
                        {
                            Kernels.MultiplyAdd(image[rowStart + j], d, packedGradients.Slice(wRow + j * f, f));
                            if (!target.IsEmpty) target[rowStart + j] = Scalar<T>.Add(target[rowStart + j], Kernels.Dot(d, packed.Slice(wRow + j * f, f)));
                        }
                    }
                }
            }
            if (!dx.IsEmpty && g.IsPadded) Crop(paddedDx, dx.Slice(b * g.InputSize, g.InputSize), g);
        }
    }

    /// <summary>
    /// The backward pass for weights packed by <see cref="PackByWindowRows{T}"/>: contiguous window-row updates
    /// (see <see cref="BackwardAcrossFilters{T}"/> for the arguments).
    /// </summary>
    public static void BackwardByWindowRows<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dz, ReadOnlySpan<T> packed, Span<T> packedGradients, Span<T> biasGradients,
        Span<T> dx, Span<T> padded, Span<T> paddedDx, int batch, in Conv2DGeometry g)
        where T : unmanaged
    {
        CheckBackward(x, dz, packed, packedGradients, biasGradients, dx, padded, paddedDx, batch, g);
        int f = g.Filters, k = g.KernelSize, c = g.Channels, s = g.Stride, rowStride = g.PaddedWidth * c, run = k * c;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> image = Source(x.Slice(b * g.InputSize, g.InputSize), padded, g);
            ReadOnlySpan<T> dzb = dz.Slice(b * g.OutputSize, g.OutputSize);
            Span<T> target = dx.IsEmpty ? default : g.IsPadded ? paddedDx : dx.Slice(b * g.InputSize, g.InputSize);
            target.Clear();
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    int window = oy * s * rowStride + ox * s * c;
                    int zp = (oy * g.OutputWidth + ox) * f;
                    for (int o = 0; o < f; o++)
                    {
                        T d = dzb[zp + o];
                        biasGradients[o] = Scalar<T>.Add(biasGradients[o], d);
                        for (int ky = 0; ky < k; ky++)
                        {
                            Kernels.MultiplyAdd(d, image.Slice(window + ky * rowStride, run), packedGradients.Slice((o * k + ky) * run, run));
                            if (!target.IsEmpty) Kernels.MultiplyAdd(d, packed.Slice((o * k + ky) * run, run), target.Slice(window + ky * rowStride, run));
                        }
                    }
                }
            }
            if (!dx.IsEmpty && g.IsPadded) Crop(paddedDx, dx.Slice(b * g.InputSize, g.InputSize), g);
        }
    }

    /// <summary>Values of the lowered (im2col) matrix of one image: [output pixels, kh·kw·c].</summary>
    public static int LoweredSize(in Conv2DGeometry g) => g.OutputHeight * g.OutputWidth * g.KernelSize * g.KernelSize * g.Channels;

    /// <summary>
    /// z[b] = conv(x[b]) + bias as one matrix product per sample: the windows are copied as rows of
    /// <paramref name="columns"/> ([pixels, kh·kw·c], <see cref="LoweredSize"/>), then multiplied by the weights packed
    /// [f][kh·kw·c] (<see cref="PackByWindowRows{T}"/>) with the register-blocked <see cref="DenseKernels.Forward{T}"/>.
    /// The copy costs kh·kw times the input, the product reuses every weight row across four pixels: best when
    /// kh·kw·c is long enough to fill vectors.
    /// </summary>
    public static void ForwardLowered<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> packed, ReadOnlySpan<T> bias, Span<T> z, Span<T> padded, Span<T> columns, int batch, in Conv2DGeometry g)
        where T : unmanaged
    {
        CheckForward(x, packed, bias, z, padded, batch, g);
        Check(columns.Length, LoweredSize(g), nameof(columns));
        int pixels = g.OutputHeight * g.OutputWidth, inner = g.KernelSize * g.KernelSize * g.Channels;
        for (int b = 0; b < batch; b++)
        {
            Lower(Source(x.Slice(b * g.InputSize, g.InputSize), padded, g), columns, g);
            DenseKernels.Forward<T>(columns, packed, bias, z.Slice(b * g.OutputSize, g.OutputSize), pixels, inner, g.Filters);
        }
    }

    /// <summary>
    /// The backward pass of <see cref="ForwardLowered{T}"/>: <see cref="DenseKernels.Backward{T}"/> on the lowered matrix
    /// accumulates <paramref name="packedGradients"/> ([f][kh·kw·c], not cleared) and <paramref name="biasGradients"/>;
    /// unless <paramref name="dx"/> is empty, the window gradients (<paramref name="columnGradients"/>) are added back
    /// where the windows came from (overwriting dx).
    /// </summary>
    public static void BackwardLowered<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dz, ReadOnlySpan<T> packed, Span<T> packedGradients, Span<T> biasGradients,
        Span<T> dx, Span<T> padded, Span<T> paddedDx, Span<T> columns, Span<T> columnGradients, int batch, in Conv2DGeometry g)
        where T : unmanaged
    {
        CheckBackward(x, dz, packed, packedGradients, biasGradients, dx, padded, paddedDx, batch, g);
        Check(columns.Length, LoweredSize(g), nameof(columns));
        if (!dx.IsEmpty) Check(columnGradients.Length, LoweredSize(g), nameof(columnGradients));
        int pixels = g.OutputHeight * g.OutputWidth, inner = g.KernelSize * g.KernelSize * g.Channels;
        for (int b = 0; b < batch; b++)
        {
            Lower(Source(x.Slice(b * g.InputSize, g.InputSize), padded, g), columns, g);
            DenseKernels.Backward<T>(columns, dz.Slice(b * g.OutputSize, g.OutputSize), packed, packedGradients, biasGradients, dx.IsEmpty ? Span<T>.Empty : columnGradients, pixels, inner, g.Filters);
            if (dx.IsEmpty) continue;
            Span<T> target = g.IsPadded ? paddedDx : dx.Slice(b * g.InputSize, g.InputSize);
            target.Clear();
            Raise(columnGradients, target, g);
            if (g.IsPadded) Crop(paddedDx, dx.Slice(b * g.InputSize, g.InputSize), g);
        }
    }

    /// <summary>im2col over HWC: row p of <paramref name="columns"/> is window p, its kh rows of kw·c contiguous values back to back.</summary>
    private static void Lower<T>(ReadOnlySpan<T> image, Span<T> columns, in Conv2DGeometry g) where T : unmanaged
    {
        int k = g.KernelSize, c = g.Channels, s = g.Stride, rowStride = g.PaddedWidth * c, run = k * c, inner = k * run;
        for (int oy = 0; oy < g.OutputHeight; oy++)
        {
            for (int ox = 0; ox < g.OutputWidth; ox++)
            {
                int window = oy * s * rowStride + ox * s * c;
                Span<T> row = columns.Slice((oy * g.OutputWidth + ox) * inner, inner);
                for (int ky = 0; ky < k; ky++) image.Slice(window + ky * rowStride, run).CopyTo(row.Slice(ky * run, run));
            }
        }
    }

    /// <summary>col2im: adds each window's gradient row back onto the image positions it was copied from.</summary>
    private static void Raise<T>(ReadOnlySpan<T> columnGradients, Span<T> image, in Conv2DGeometry g) where T : unmanaged
    {
        int k = g.KernelSize, c = g.Channels, s = g.Stride, rowStride = g.PaddedWidth * c, run = k * c, inner = k * run;
        for (int oy = 0; oy < g.OutputHeight; oy++)
        {
            for (int ox = 0; ox < g.OutputWidth; ox++)
            {
                int window = oy * s * rowStride + ox * s * c;
                ReadOnlySpan<T> row = columnGradients.Slice((oy * g.OutputWidth + ox) * inner, inner);
                for (int ky = 0; ky < k; ky++) Kernels.MultiplyAdd(Scalar<T>.One, row.Slice(ky * run, run), image.Slice(window + ky * rowStride, run));
            }
        }
    }

    /// <summary>
    /// 2-D max pooling over each channel: y[b, oy, ox, c] = max of the pool × pool window. When
    /// <paramref name="argmax"/> is not empty it receives, per output, the index within the sample's input of the
    /// maximum (the first one on ties), for <see cref="MaxPoolBackward{T}"/>. The square case of
    /// <see cref="PoolingKernels.MaxPoolForward{T}"/>, which computes it.
    /// </summary>
    /// <exception cref="ArgumentException">The output size is not the pool's, or a span's length does not fit.</exception>
    public static void MaxPoolForward<T>(ReadOnlySpan<T> x, Span<T> y, Span<int> argmax, int batch, int height, int width, int channels, int pool, int stride, int outputHeight, int outputWidth)
        where T : unmanaged
    {
        // A stride that is not positive is refused by the general kernel.
        int expectedHeight = stride > 0 ? ConvolutionArithmetic.PoolOutput(height, pool, stride) : outputHeight;
        int expectedWidth = stride > 0 ? ConvolutionArithmetic.PoolOutput(width, pool, stride) : outputWidth;
        if (outputHeight != expectedHeight || outputWidth != expectedWidth)
            throw new ArgumentException($"Expected an output of {expectedHeight}x{expectedWidth} for a {pool}x{pool} pool with stride {stride} on {height}x{width}, but got {outputHeight}x{outputWidth}.", nameof(outputHeight));
        PoolingKernels.MaxPoolForward(x, y, argmax, batch, height, width, channels, pool, pool, stride, stride);
    }

    /// <summary>dx = 0, then each output's gradient added at its recorded maximum (overlapping windows add up).</summary>
    public static void MaxPoolBackward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<int> argmax, Span<T> dx, int batch, int inputSize, int outputSize)
        where T : unmanaged
    {
        Check(dy.Length, batch * outputSize, nameof(dy));
        Check(argmax.Length, batch * outputSize, nameof(argmax));
        Check(dx.Length, batch * inputSize, nameof(dx));
        dx.Clear();
        for (int b = 0; b < batch; b++)
        {
            Span<T> dxb = dx.Slice(b * inputSize, inputSize);
            for (int o = b * outputSize; o < (b + 1) * outputSize; o++) dxb[argmax[o]] = Scalar<T>.Add(dxb[argmax[o]], dy[o]);
        }
    }

    /// <summary>
    /// Draws an inverted-dropout mask: each value is 0 with probability <paramref name="rate"/>, else 1 / (1 - rate),
    /// so the expected activation is unchanged and inference needs no scaling.
    /// </summary>
    public static void DropoutMask<T>(Span<T> mask, double rate, ref DeterministicRandom random) where T : unmanaged
    {
        if (!(rate >= 0 && rate < 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1).");
        T keep = Scalar<T>.FromDouble(1.0 / (1.0 - rate));
        for (int i = 0; i < mask.Length; i++) mask[i] = random.NextDouble() < rate ? default : keep;
    }

    /// <summary>y = x ⊙ mask (the forward pass of dropout in training, and its backward pass with dy for x).</summary>
    public static void Multiply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> mask, Span<T> y) where T : unmanaged
    {
        Check(mask.Length, x.Length, nameof(mask));
        Check(y.Length, x.Length, nameof(y));
        int i = 0;
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T mr = ref MemoryMarshal.GetReference(mask);
        ref T yr = ref MemoryMarshal.GetReference(y);
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                VectorMemory.Store(VectorMemory.Load(ref xr, i) * VectorMemory.Load(ref mr, i), ref yr, i);
            }
        }
        for (; i < x.Length; i++) y[i] = Scalar<T>.Multiply(x[i], mask[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddInPlace<T>(Span<T> sum, ReadOnlySpan<T> values) where T : unmanaged => Kernels.MultiplyAdd(Scalar<T>.One, values, sum);

    /// <summary>The image the windows slide over: the input itself, or a zero-padded copy of it.</summary>
    private static ReadOnlySpan<T> Source<T>(ReadOnlySpan<T> image, Span<T> padded, in Conv2DGeometry g) where T : unmanaged
    {
        if (!g.IsPadded) return image;
        padded.Clear();
        int run = g.Width * g.Channels, paddedRow = g.PaddedWidth * g.Channels;
        for (int y = 0; y < g.Height; y++)
        {
            image.Slice(y * run, run).CopyTo(padded.Slice((y + g.PadTop) * paddedRow + g.PadLeft * g.Channels, run));
        }
        return padded;
    }

    /// <summary>The inverse of <see cref="Source{T}"/> for gradients: the image's part of the padded gradient.</summary>
    private static void Crop<T>(ReadOnlySpan<T> padded, Span<T> image, in Conv2DGeometry g) where T : unmanaged
    {
        int run = g.Width * g.Channels, paddedRow = g.PaddedWidth * g.Channels;
        for (int y = 0; y < g.Height; y++)
        {
            padded.Slice((y + g.PadTop) * paddedRow + g.PadLeft * g.Channels, run).CopyTo(image.Slice(y * run, run));
        }
    }

    private static void CheckForward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> packed, ReadOnlySpan<T> bias, Span<T> z, Span<T> padded, int batch, in Conv2DGeometry g)
    {
        Check(x.Length, batch * g.InputSize, nameof(x));
        Check(packed.Length, g.WeightCount, nameof(packed));
        Check(bias.Length, g.Filters, nameof(bias));
        Check(z.Length, batch * g.OutputSize, nameof(z));
        Check(padded.Length, g.PaddedSize, nameof(padded));
    }

    private static void CheckBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dz, ReadOnlySpan<T> packed, Span<T> packedGradients, Span<T> biasGradients,
        Span<T> dx, Span<T> padded, Span<T> paddedDx, int batch, in Conv2DGeometry g)
    {
        Check(x.Length, batch * g.InputSize, nameof(x));
        Check(dz.Length, batch * g.OutputSize, nameof(dz));
        Check(packed.Length, g.WeightCount, nameof(packed));
        Check(packedGradients.Length, g.WeightCount, nameof(packedGradients));
        Check(biasGradients.Length, g.Filters, nameof(biasGradients));
        Check(padded.Length, g.PaddedSize, nameof(padded));
        if (!dx.IsEmpty)
        {
            Check(dx.Length, batch * g.InputSize, nameof(dx));
            Check(paddedDx.Length, g.PaddedSize, nameof(paddedDx));
        }
    }

    private static void Check(int actual, int expected, string name)
    {
        if (actual != expected) throw new ArgumentException($"Expected {name} of length {expected} but got {actual}.", name);
    }
}
