using System;
using System.ComponentModel;

namespace NeuralNet.Gen;

/// <summary>
/// The shape of a 1-D convolution over a sequence of <see cref="Steps"/> rows of <see cref="Channels"/> values:
/// output step t reads input steps t·stride + j·dilation − <see cref="PadBefore"/> (j = 0 … kernel − 1), zeros outside
/// the input. Weights are [filters, channels, kernel], PyTorch's <c>nn.Conv1d</c>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public readonly struct Conv1DGeometry
{
    /// <summary>Creates the geometry; the generated code passes constants.</summary>
    public Conv1DGeometry(int steps, int channels, int filters, int kernelSize, int stride, int dilation, int padBefore, int outputSteps)
    {
        if (steps <= 0 || channels <= 0 || filters <= 0 || kernelSize <= 0 || stride <= 0 || dilation <= 0 || outputSteps <= 0 || padBefore < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), "Every Conv1D size must be positive and the padding non-negative.");
        }
        Steps = steps;
        Channels = channels;
        Filters = filters;
        KernelSize = kernelSize;
        Stride = stride;
        Dilation = dilation;
        PadBefore = padBefore;
        OutputSteps = outputSteps;
    }

    /// <summary>Input steps.</summary>
    public int Steps { get; }

    /// <summary>Input values per step.</summary>
    public int Channels { get; }

    /// <summary>Output values per step.</summary>
    public int Filters { get; }

    /// <summary>Taps of the kernel.</summary>
    public int KernelSize { get; }

    /// <summary>Steps between windows.</summary>
    public int Stride { get; }

    /// <summary>Steps between taps.</summary>
    public int Dilation { get; }

    /// <summary>Zero steps before the input (Same: half the total, rounded down; Causal: dilation·(kernel − 1)).</summary>
    public int PadBefore { get; }

    /// <summary>Output steps.</summary>
    public int OutputSteps { get; }

    /// <summary>Values of one window: channels × kernel, in the weights' [channel][tap] order.</summary>
    public int WindowSize => Channels * KernelSize;

    /// <summary>Values of one sample's lowered input: a window per output step.</summary>
    public int LoweredSize => OutputSteps * WindowSize;

    /// <summary>Earlier input steps a stream keeps: dilation·(kernel − 1).</summary>
    public int HistorySteps => Dilation * (KernelSize - 1);

    internal int InputSize => Steps * Channels;

    internal int OutputSize => OutputSteps * Filters;
}

/// <summary>
/// 1-D convolution (dilated, strided, zero-padded) as a matrix product: each output step's window is copied as a row of
/// channels × kernel values in the order of the weights [filters, channels, kernel], so the parameters multiply it
/// where they lie with <see cref="DenseKernels"/> over batch × output steps rows, with no packing.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class Conv1DKernels
{
    /// <summary>z = conv(x) + bias for the batch; <paramref name="columns"/> ([batch·outputSteps, window]) keeps the windows for the backward pass.</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> z, Span<T> columns, int batch, in Conv1DGeometry g)
        where T : unmanaged
    {
        Check(x.Length, batch * g.InputSize, nameof(x));
        Check(weights.Length, g.Filters * g.WindowSize, nameof(weights));
        Check(bias.Length, g.Filters, nameof(bias));
        Check(z.Length, batch * g.OutputSize, nameof(z));
        Check(columns.Length, batch * g.LoweredSize, nameof(columns));
        for (int b = 0; b < batch; b++) Lower(x.Slice(b * g.InputSize, g.InputSize), columns.Slice(b * g.LoweredSize, g.LoweredSize), g);
        DenseKernels.Forward<T>(columns.Slice(0, batch * g.LoweredSize), weights, bias, z.Slice(0, batch * g.OutputSize), batch * g.OutputSteps, g.WindowSize, g.Filters);
    }

    /// <summary>
    /// The backward pass of <see cref="Forward{T}"/> from dz and the windows it kept: weightGradients and biasGradients
    /// are accumulated (not cleared); unless <paramref name="dx"/> is empty, the window gradients
    /// (<paramref name="columnGradients"/>) are added back where the windows came from, overwriting dx.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> columns, ReadOnlySpan<T> dz, ReadOnlySpan<T> weights, Span<T> weightGradients, Span<T> biasGradients,
        Span<T> dx, Span<T> columnGradients, int batch, in Conv1DGeometry g)
        where T : unmanaged
    {
        Check(columns.Length, batch * g.LoweredSize, nameof(columns));
        Check(dz.Length, batch * g.OutputSize, nameof(dz));
        if (!dx.IsEmpty)
        {
            Check(dx.Length, batch * g.InputSize, nameof(dx));
            Check(columnGradients.Length, batch * g.LoweredSize, nameof(columnGradients));
        }
        var windowGradients = dx.IsEmpty ? Span<T>.Empty : columnGradients.Slice(0, batch * g.LoweredSize);
        DenseKernels.Backward<T>(columns.Slice(0, batch * g.LoweredSize), dz.Slice(0, batch * g.OutputSize), weights, weightGradients, biasGradients, windowGradients,
            batch * g.OutputSteps, g.WindowSize, g.Filters);
        if (dx.IsEmpty) return;
        for (int b = 0; b < batch; b++) Raise(windowGradients.Slice(b * g.LoweredSize, g.LoweredSize), dx.Slice(b * g.InputSize, g.InputSize), g);
    }

    /// <summary>
    /// One step of a causal stride-1 convolution: the window of the newest row <paramref name="input"/> and the
    /// <see cref="Conv1DGeometry.HistorySteps"/> rows before it (<paramref name="history"/>, oldest first, zeros at the
    /// start of a stream) into <paramref name="window"/>, then its output row into <paramref name="output"/>, summed as
    /// <see cref="Forward{T}"/> sums (same bits); finally the history moves on by one row.
    /// </summary>
    public static void Step<T>(ReadOnlySpan<T> input, Span<T> history, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> window, Span<T> output, in Conv1DGeometry g)
        where T : unmanaged
    {
        int c = g.Channels, k = g.KernelSize, d = g.Dilation, kept = g.HistorySteps * c;
        Check(input.Length, c, nameof(input));
        Check(history.Length, kept, nameof(history));
        Check(window.Length, g.WindowSize, nameof(window));
        Check(output.Length, g.Filters, nameof(output));
        for (int j = 0; j < k; j++)
        {
            // Tap j reads the row (k − 1 − j)·dilation steps back: history row j·dilation, or the newest row.
            ReadOnlySpan<T> row = j == k - 1 ? input : history.Slice(j * d * c, c);
            for (int ch = 0; ch < c; ch++) window[ch * k + j] = row[ch];
        }
        DenseKernels.Forward<T>(window, weights, bias, output, 1, g.WindowSize, g.Filters);
        if (kept == 0) return;
        // A shift register, not a ring: the history is dilation·(k − 1) rows and a move keeps the taps at fixed offsets.
        history.Slice(c).CopyTo(history);
        input.CopyTo(history.Slice(kept - c, c));
    }

    /// <summary>im2col along time: row t holds, per channel, the kernel's taps over steps t·stride + j·dilation − padBefore (zero outside).</summary>
    private static void Lower<T>(ReadOnlySpan<T> x, Span<T> columns, in Conv1DGeometry g) where T : unmanaged
    {
        int c = g.Channels, k = g.KernelSize, window = g.WindowSize;
        for (int t = 0; t < g.OutputSteps; t++)
        {
            Span<T> row = columns.Slice(t * window, window);
            for (int j = 0; j < k; j++)
            {
                int source = t * g.Stride + j * g.Dilation - g.PadBefore;
                bool inside = source >= 0 && source < g.Steps;
                for (int ch = 0; ch < c; ch++) row[ch * k + j] = inside ? x[source * c + ch] : default;
            }
        }
    }

    /// <summary>col2im along time: dx = Σ over windows of each tap's gradient at the step it read (padding dropped).</summary>
    private static void Raise<T>(ReadOnlySpan<T> columnGradients, Span<T> dx, in Conv1DGeometry g) where T : unmanaged
    {
        int c = g.Channels, k = g.KernelSize, window = g.WindowSize;
        dx.Clear();
        for (int t = 0; t < g.OutputSteps; t++)
        {
            ReadOnlySpan<T> row = columnGradients.Slice(t * window, window);
            for (int j = 0; j < k; j++)
            {
                int source = t * g.Stride + j * g.Dilation - g.PadBefore;
                if (source < 0 || source >= g.Steps) continue;
                for (int ch = 0; ch < c; ch++) dx[source * c + ch] = Scalar<T>.Add(dx[source * c + ch], row[ch * k + j]);
            }
        }
    }

    private static void Check(int length, int expected, string name)
    {
        if (length != expected) throw new ArgumentException($"Expected {expected} values but got {length}.", name);
    }
}
