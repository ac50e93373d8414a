using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Gen;

/// <summary>
/// The kernels of a generated <c>Step</c> (one row through a small layer): weights packed once, input-major, so that a
/// row's outputs are vector lanes. Each output accumulates in its own lane from zero, input by input, multiply then add
/// (never fused), and the bias comes last: the order <see cref="DenseKernels"/> sums in, so Step gives Forward's bits
/// on every vector width and on the scalar path.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static partial class StepKernels
{
    /// <summary>Outputs rounded up to the widest vector (16 floats): the row length of packed weights and of the outputs a projection writes.</summary>
    public static int Padded(int outputs) => (outputs + LaneWidth.Panel - 1) / LaneWidth.Panel * LaneWidth.Panel;

    /// <summary>Values <see cref="Pack{T}"/> writes: [inputs][padded outputs] weights, then the padded bias.</summary>
    public static int PackedLength(int inputs, int outputs) => (inputs + 1) * Padded(outputs);

    /// <summary>
    /// Packs weights [outputs, inputs] (PyTorch's layout) and their bias into [inputs + 1][padded outputs]: row k holds
    /// weight k of every output, the last row the bias; the padding is zero. An empty bias packs zeros (a layer without one).
    /// </summary>
    public static void Pack<T>(ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> packed, int inputs, int outputs) where T : unmanaged
    {
        if (weights.Length != inputs * outputs) throw new ArgumentException($"Expected {inputs * outputs} weights, got {weights.Length}.", nameof(weights));
        if (bias.Length != 0 && bias.Length != outputs) throw new ArgumentException($"Expected {outputs} biases (or none), got {bias.Length}.", nameof(bias));
        if (packed.Length != PackedLength(inputs, outputs)) throw new ArgumentException($"Expected {PackedLength(inputs, outputs)} packed values, got {packed.Length}.", nameof(packed));
        int stride = Padded(outputs);
        packed.Clear();
        for (int o = 0; o < outputs; o++)
        {
            for (int k = 0; k < inputs; k++) packed[k * stride + o] = weights[o * inputs + k];
            if (bias.Length != 0) packed[inputs * stride + o] = bias[o];
        }
    }

    /// <summary>
    /// z[o] = Σ_k w[o, k]·x[k] + b[o] over weights packed by <see cref="Pack{T}"/>: each output summed from zero in input
    /// order, the bias last. <paramref name="output"/> takes <see cref="Padded"/>(outputs) values: whole vectors are written,
    /// so the values after the outputs are not specified.
    /// </summary>
    public static void Project<T>(ReadOnlySpan<T> packed, ReadOnlySpan<T> input, Span<T> output, int inputs, int outputs) where T : unmanaged
    {
        int stride = Padded(outputs);
        if (packed.Length != (inputs + 1) * stride || input.Length < inputs || output.Length < stride || inputs < 0) ThrowProject(packed.Length, input.Length, output.Length, inputs, outputs);
        ref T w = ref MemoryMarshal.GetReference(packed);
        ref T x = ref MemoryMarshal.GetReference(input);
        ref T z = ref MemoryMarshal.GetReference(output);
        if (Vector.IsHardwareAccelerated) ProjectLanes(ref w, ref x, ref z, inputs, stride, (outputs + Vector<T>.Count - 1) / Vector<T>.Count * Vector<T>.Count);
        else ProjectScalar(ref w, ref x, ref z, inputs, outputs);
    }

    /// <summary>
    /// Whole vectors of outputs up to <paramref name="end"/> (within the padding: a vector is at most 16 floats), three at
    /// a time (one broadcast input feeds three chains), then one at a time over inputs taken four at a time.
    /// </summary>
    [MethodImpl(KernelMethod.Optimized)]
    private static void ProjectLanes<T>(ref T w, ref T x, ref T z, int inputs, int stride, int end) where T : unmanaged
    {
        int width = Vector<T>.Count, o = 0;
        ref T bias = ref Unsafe.Add(ref w, inputs * stride);
        for (; o + 3 * width <= end; o += 3 * width)
        {
            Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero, s2 = Vector<T>.Zero;
            ref T row = ref Unsafe.Add(ref w, o);
            for (int k = 0; k < inputs; k++)
            {
                var xk = new Vector<T>(Unsafe.Add(ref x, k));
                s0 += xk * Load(ref row, 0);
                s1 += xk * Load(ref row, width);
                s2 += xk * Load(ref row, 2 * width);
                row = ref Unsafe.Add(ref row, stride);
            }
            Store(s0 + Load(ref bias, o), ref z, o);
            Store(s1 + Load(ref bias, o + width), ref z, o + width);
            Store(s2 + Load(ref bias, o + 2 * width), ref z, o + 2 * width);
        }
        for (; o < end; o += width)
        {
            var s = Vector<T>.Zero;
            ref T row = ref Unsafe.Add(ref w, o);
            int k = 0;
            for (; k + 4 <= inputs; k += 4)
            {
                s += new Vector<T>(Unsafe.Add(ref x, k)) * Load(ref row, 0);
                s += new Vector<T>(Unsafe.Add(ref x, k + 1)) * Load(ref row, stride);
                s += new Vector<T>(Unsafe.Add(ref x, k + 2)) * Load(ref row, 2 * stride);
                s += new Vector<T>(Unsafe.Add(ref x, k + 3)) * Load(ref row, 3 * stride);
                row = ref Unsafe.Add(ref row, 4 * stride);
            }
            for (; k < inputs; k++)
            {
                s += new Vector<T>(Unsafe.Add(ref x, k)) * Load(ref row, 0);
                row = ref Unsafe.Add(ref row, stride);
            }
            Store(s + Load(ref bias, o), ref z, o);
        }
    }

    /// <summary>The same sums value by value: machines without vectors.</summary>
    private static void ProjectScalar<T>(ref T w, ref T x, ref T z, int inputs, int outputs) where T : unmanaged
    {
        int stride = Padded(outputs);
        for (int o = 0; o < outputs; o++)
        {
            T s = default;
            for (int k = 0; k < inputs; k++) s = Scalar<T>.Add(s, Scalar<T>.Multiply(Unsafe.Add(ref x, k), Unsafe.Add(ref w, k * stride + o)));
            Unsafe.Add(ref z, o) = Scalar<T>.Add(s, Unsafe.Add(ref w, inputs * stride + o));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowProject(int packed, int x, int z, int inputs, int outputs)
    {
        if (inputs < 0) throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "Expected zero or more inputs.");
        if (packed != PackedLength(inputs, outputs)) throw new ArgumentException($"Expected {PackedLength(inputs, outputs)} packed values, got {packed}.", nameof(packed));
        if (x < inputs) throw new ArgumentException($"Expected {inputs} inputs, got {x}.", "input");
        throw new ArgumentException($"Expected {Padded(outputs)} outputs, got {z}.", "output");
    }

    /// <summary>
    /// One step of a causal convolution's window: <paramref name="history"/> holds the last dilation·(kernelSize − 1)
    /// rows (of <paramref name="newest"/>'s length) as a ring whose oldest row is <paramref name="oldest"/>. Writes the
    /// window in the convolution kernel's order (feature by feature, the taps oldest first, the newest row last), then
    /// puts the newest row in the oldest one's place. Returns the ring's next oldest row.
    /// </summary>
    public static int Window<T>(Span<T> history, int oldest, ReadOnlySpan<T> newest, Span<T> window, int kernelSize, int dilation) where T : unmanaged
    {
        int channels = newest.Length, rows = dilation * (kernelSize - 1);
        if (kernelSize < 1 || dilation < 1 || history.Length != rows * channels || window.Length < channels * kernelSize || (uint)oldest >= (uint)Math.Max(rows, 1))
        {
            ThrowWindow(history.Length, oldest, channels, window.Length, kernelSize, dilation);
        }
        ref T h = ref MemoryMarshal.GetReference(history);
        ref T x = ref MemoryMarshal.GetReference(newest);
        ref T wr = ref MemoryMarshal.GetReference(window);
        for (int j = 0; j < kernelSize - 1; j++)
        {
            // Tap j: (kernelSize − 1 − j)·dilation steps back, ring row (oldest + j·dilation) mod rows.
            ref T tap = ref Unsafe.Add(ref h, (oldest + j * dilation) % rows * channels);
            for (int c = 0; c < channels; c++) Unsafe.Add(ref wr, c * kernelSize + j) = Unsafe.Add(ref tap, c);
        }
        for (int c = 0; c < channels; c++) Unsafe.Add(ref wr, c * kernelSize + kernelSize - 1) = Unsafe.Add(ref x, c);
        if (rows == 0) return 0;
        ref T oldestRow = ref Unsafe.Add(ref h, oldest * channels);
        for (int c = 0; c < channels; c++) Unsafe.Add(ref oldestRow, c) = Unsafe.Add(ref x, c);
        return oldest + 1 == rows ? 0 : oldest + 1;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowWindow(int history, int oldest, int channels, int window, int kernelSize, int dilation)
    {
        if (kernelSize < 1) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "Expected a kernel of at least one tap.");
        if (dilation < 1) throw new ArgumentOutOfRangeException(nameof(dilation), dilation, "Expected a dilation of at least one.");
        int rows = dilation * (kernelSize - 1);
        if (history != rows * channels) throw new ArgumentException($"Expected {rows * channels} history values ({rows} rows of {channels}), got {history}.", nameof(history));
        if (window < channels * kernelSize) throw new ArgumentException($"Expected {channels * kernelSize} window values, got {window}.", nameof(window));
        throw new ArgumentOutOfRangeException(nameof(oldest), oldest, $"Expected a ring row below {Math.Max(rows, 1)}.");
    }

    /// <summary>
    /// One step of a GRU (PyTorch's equations) for every unit: r = σ(x_r + h_r), z = σ(x_z + h_z),
    /// n = tanh(x_n + r·h_n), h = (1 - z)·n + z·h, from the input projections <paramref name="x"/> and recurrent
    /// projections <paramref name="r"/> (gates r, z, n, each <paramref name="units"/> long, at multiples of
    /// <paramref name="gateStride"/>); <paramref name="h"/> holds the previous state and receives the new one.
    /// </summary>
    public static void GruCell<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> r, Span<T> h, int units, int gateStride) where T : unmanaged
    {
        CheckCell(x.Length, r.Length, h.Length, units, gateStride, 3);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T rr = ref MemoryMarshal.GetReference(r);
        ref T hr = ref MemoryMarshal.GetReference(h);
        int u = 0;
#if NET8_0_OR_GREATER
        if (Vector.IsHardwareAccelerated)
        {
            for (; u + Vector<T>.Count <= units; u += Vector<T>.Count)
            {
                var rg = SigmoidLanes(Load(ref xr, u) + Load(ref rr, u));
                var zg = SigmoidLanes(Load(ref xr, gateStride + u) + Load(ref rr, gateStride + u));
                var ng = TanhLanes(Load(ref xr, 2 * gateStride + u) + rg * Load(ref rr, 2 * gateStride + u));
                Store((Vector<T>.One - zg) * ng + zg * Load(ref hr, u), ref hr, u);
            }
        }
#endif
        for (; u < units; u++)
        {
            if (typeof(T) == typeof(float))
            {
                ref float hf = ref Unsafe.As<T, float>(ref Unsafe.Add(ref hr, u));
                float rg = NeuralMath.Sigmoid(F(ref xr, u) + F(ref rr, u));
                float zg = NeuralMath.Sigmoid(F(ref xr, gateStride + u) + F(ref rr, gateStride + u));
                float ng = NeuralMath.Tanh(F(ref xr, 2 * gateStride + u) + rg * F(ref rr, 2 * gateStride + u));
                hf = (1f - zg) * ng + zg * hf;
            }
            else
            {
                ref double hd = ref Unsafe.As<T, double>(ref Unsafe.Add(ref hr, u));
                double rg = NeuralMath.Sigmoid(D(ref xr, u) + D(ref rr, u));
                double zg = NeuralMath.Sigmoid(D(ref xr, gateStride + u) + D(ref rr, gateStride + u));
                double ng = NeuralMath.Tanh(D(ref xr, 2 * gateStride + u) + rg * D(ref rr, 2 * gateStride + u));
                hd = (1d - zg) * ng + zg * hd;
            }
        }
    }

    /// <summary>
    /// One step of an LSTM (PyTorch's equations) for every unit: i, f, o = σ(x + h), g = tanh(x + h),
    /// c = f·c + i·g, h = o·tanh(c); gates i, f, g, o at multiples of <paramref name="gateStride"/>.
    /// <paramref name="h"/> and <paramref name="c"/> hold the previous state and cell and receive the new ones.
    /// </summary>
    public static void LstmCell<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> r, Span<T> h, Span<T> c, int units, int gateStride) where T : unmanaged
    {
        CheckCell(x.Length, r.Length, h.Length, units, gateStride, 4);
        if (c.Length < units) throw new ArgumentException($"Expected {units} cell values, got {c.Length}.", nameof(c));
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T rr = ref MemoryMarshal.GetReference(r);
        ref T hr = ref MemoryMarshal.GetReference(h);
        ref T cr = ref MemoryMarshal.GetReference(c);
        int u = 0;
#if NET8_0_OR_GREATER
        if (Vector.IsHardwareAccelerated)
        {
            for (; u + Vector<T>.Count <= units; u += Vector<T>.Count)
            {
                var ig = SigmoidLanes(Load(ref xr, u) + Load(ref rr, u));
                var fg = SigmoidLanes(Load(ref xr, gateStride + u) + Load(ref rr, gateStride + u));
                var gg = TanhLanes(Load(ref xr, 2 * gateStride + u) + Load(ref rr, 2 * gateStride + u));
                var og = SigmoidLanes(Load(ref xr, 3 * gateStride + u) + Load(ref rr, 3 * gateStride + u));
                var cn = fg * Load(ref cr, u) + ig * gg;
                Store(cn, ref cr, u);
                Store(og * TanhLanes(cn), ref hr, u);
            }
        }
#endif
        for (; u < units; u++)
        {
            if (typeof(T) == typeof(float))
            {
                float ig = NeuralMath.Sigmoid(F(ref xr, u) + F(ref rr, u));
                float fg = NeuralMath.Sigmoid(F(ref xr, gateStride + u) + F(ref rr, gateStride + u));
                float gg = NeuralMath.Tanh(F(ref xr, 2 * gateStride + u) + F(ref rr, 2 * gateStride + u));
                float og = NeuralMath.Sigmoid(F(ref xr, 3 * gateStride + u) + F(ref rr, 3 * gateStride + u));
                ref float cf = ref Unsafe.As<T, float>(ref Unsafe.Add(ref cr, u));
                float cn = fg * cf + ig * gg;
                cf = cn;
                Unsafe.As<T, float>(ref Unsafe.Add(ref hr, u)) = og * NeuralMath.Tanh(cn);
            }
            else
            {
                double ig = NeuralMath.Sigmoid(D(ref xr, u) + D(ref rr, u));
                double fg = NeuralMath.Sigmoid(D(ref xr, gateStride + u) + D(ref rr, gateStride + u));
                double gg = NeuralMath.Tanh(D(ref xr, 2 * gateStride + u) + D(ref rr, 2 * gateStride + u));
                double og = NeuralMath.Sigmoid(D(ref xr, 3 * gateStride + u) + D(ref rr, 3 * gateStride + u));
                ref double cd = ref Unsafe.As<T, double>(ref Unsafe.Add(ref cr, u));
                double cn = fg * cd + ig * gg;
                cd = cn;
                Unsafe.As<T, double>(ref Unsafe.Add(ref hr, u)) = og * NeuralMath.Tanh(cn);
            }
        }
    }

    /// <summary>
    /// Tanh of the first <paramref name="count"/> values of a step row, in place, with <see cref="NeuralMath.Tanh(float)"/>'s
    /// bits: whole vectors while the row is long enough (a projection's padded row always is), the rest value by value.
    /// </summary>
    public static void Tanh<T>(Span<T> row, int count) where T : unmanaged => Activate(row, count, sigmoid: false);

    /// <summary>Sigmoid of the first <paramref name="count"/> values of a step row, in place, as <see cref="Tanh{T}(Span{T}, int)"/> does it.</summary>
    public static void Sigmoid<T>(Span<T> row, int count) where T : unmanaged => Activate(row, count, sigmoid: true);

    /// <summary>Tanh or Sigmoid in place: whole vectors while the row is long enough, the rest value by value (the same bits).</summary>
    internal static void Activate<T>(Span<T> row, int count, bool sigmoid) where T : unmanaged
    {
        if ((uint)count > (uint)row.Length) ThrowActivate(row.Length, count);
        ref T r = ref MemoryMarshal.GetReference(row);
        int i = 0;
#if NET8_0_OR_GREATER
        if (Vector.IsHardwareAccelerated)
        {
            for (; i < count && i + Vector<T>.Count <= row.Length; i += Vector<T>.Count)
            {
                var x = Load(ref r, i);
                Store(sigmoid ? SigmoidLanes(x) : TanhLanes(x), ref r, i);
            }
        }
#endif
        for (; i < count; i++)
        {
            if (typeof(T) == typeof(float))
            {
                ref float f = ref Unsafe.As<T, float>(ref Unsafe.Add(ref r, i));
                f = sigmoid ? NeuralMath.Sigmoid(f) : NeuralMath.Tanh(f);
            }
            else
            {
                ref double d = ref Unsafe.As<T, double>(ref Unsafe.Add(ref r, i));
                d = sigmoid ? NeuralMath.Sigmoid(d) : NeuralMath.Tanh(d);
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowActivate(int length, int count) =>
        throw new ArgumentException($"Expected at least {count} values, got {length}.", "row");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckCell(int x, int r, int h, int units, int gateStride, int gates)
    {
        if (gateStride < units || x < (gates - 1) * gateStride + units || r < (gates - 1) * gateStride + units || h < units) ThrowCell(x, r, h, units, gateStride, gates);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowCell(int x, int r, int h, int units, int gateStride, int gates)
    {
        if (gateStride < units) throw new ArgumentException($"The gate stride {gateStride} is shorter than the {units} units.", nameof(gateStride));
        int needed = (gates - 1) * gateStride + units;
        if (x < needed) throw new ArgumentException($"Expected {needed} input projections, got {x}.", nameof(x));
        if (r < needed) throw new ArgumentException($"Expected {needed} recurrent projections, got {r}.", nameof(r));
        throw new ArgumentException($"Expected {units} state values, got {h}.", nameof(h));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float F<T>(ref T source, int offset) => Unsafe.As<T, float>(ref Unsafe.Add(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double D<T>(ref T source, int offset) => Unsafe.As<T, double>(ref Unsafe.Add(ref source, offset));

    /// <summary>
    /// The vector at <paramref name="source"/>[<paramref name="offset"/>]: for generated code, on arrays the network
    /// owns at offsets the generator computed (no bounds check).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Load<T>(ref T source, int offset) where T : unmanaged =>
        Unsafe.ReadUnaligned<Vector<T>>(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref source, offset)));

    /// <summary>Writes <paramref name="value"/> at <paramref name="destination"/>[<paramref name="offset"/>], as <see cref="Load{T}"/> reads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(Vector<T> value, ref T destination, int offset) where T : unmanaged =>
        Unsafe.WriteUnaligned(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref destination, offset)), value);

#if NET8_0_OR_GREATER
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> SigmoidLanes<T>(Vector<T> x) where T : unmanaged => typeof(T) == typeof(float)
        ? Vector.As<float, T>(NeuralMath.Sigmoid(Vector.As<T, float>(x)))
        : Vector.As<double, T>(NeuralMath.Sigmoid(Vector.As<T, double>(x)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> TanhLanes<T>(Vector<T> x) where T : unmanaged => typeof(T) == typeof(float)
        ? Vector.As<float, T>(NeuralMath.Tanh(Vector.As<T, float>(x)))
        : Vector.As<double, T>(NeuralMath.Tanh(Vector.As<T, double>(x)));
#endif
}
