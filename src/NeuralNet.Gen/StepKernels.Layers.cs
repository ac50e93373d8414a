using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNet.Gen;

// One call per small layer in a generated Step: the projection, the convolution's taps read from its ring, the gates
// and the activation in one pass over vector lanes, nothing stored between them. Each output (gate row, filter) is a
// lane summed from zero in input order through MultiplyAdd (fused), the bias last: Forward's order and rounding, so the same bits.
public static partial class StepKernels
{
    /// <summary>
    /// sum + x·w rounded once (fused multiply-add): every sum of a step goes through here (and its scalar twin), as
    /// the Dense, convolution and recurrent kernels Forward runs sum, so Step keeps Forward's bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> MultiplyAdd<T>(Vector<T> sum, Vector<T> x, Vector<T> w) where T : unmanaged => Fused.MultiplyAdd(x, w, sum);

    /// <summary>
    /// sum + x[xOffset]·w[wOffset..], multiply then add (two roundings): a Dense layer small enough that Forward
    /// writes it as straight-line code sums this way (see README, "Reproducible bits"), so its Step does too.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> MultiplyThenAdd<T>(Vector<T> sum, ref T x, int xOffset, ref T w, int wOffset) where T : unmanaged =>
        sum + new Vector<T>(Unsafe.Add(ref x, xOffset)) * Load(ref w, wOffset);

    /// <summary>
    /// sum + x[xOffset]·w[wOffset..] (x broadcast to every lane): one term of a straight-line step, for generated code
    /// on arrays the network owns at offsets the generator computed (no bounds check).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> MultiplyAdd<T>(Vector<T> sum, ref T x, int xOffset, ref T w, int wOffset) where T : unmanaged =>
        MultiplyAdd(sum, new Vector<T>(Unsafe.Add(ref x, xOffset)), Load(ref w, wOffset));

    /// <summary>A reference to <paramref name="array"/>[<paramref name="offset"/>] (generated code: a ring's tap row, read at constant offsets from it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref T At<T>(ref T array, int offset) where T : unmanaged => ref Unsafe.Add(ref array, offset);

    /// <summary>Copies <paramref name="count"/> values from <paramref name="source"/>[<paramref name="sourceOffset"/>] to <paramref name="destination"/>[<paramref name="destinationOffset"/>] (generated code, no bounds check).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy<T>(ref T source, int sourceOffset, ref T destination, int destinationOffset, int count) where T : unmanaged
    {
        for (int i = 0; i < count; i++) Unsafe.Add(ref destination, destinationOffset + i) = Unsafe.Add(ref source, sourceOffset + i);
    }

    /// <summary>The scalar <see cref="MultiplyAdd{T}(Vector{T}, Vector{T}, Vector{T})"/>: the same operations on one lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MultiplyAdd<T>(T sum, T x, T w) where T : unmanaged => Scalar<T>.FusedMultiplyAdd(x, w, sum);

    /// <summary>
    /// A Dense row: <see cref="Project{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int)"/> with
    /// <paramref name="activation"/> applied to each vector before it is stored (Linear, Tanh or Sigmoid).
    /// </summary>
    public static void Project<T>(ReadOnlySpan<T> packed, ReadOnlySpan<T> input, Span<T> output, int inputs, int outputs, Activation activation) where T : unmanaged
    {
        int stride = Padded(outputs);
        if (packed.Length != (inputs + 1) * stride || input.Length < inputs || output.Length < stride || inputs < 0) ThrowProject(packed.Length, input.Length, output.Length, inputs, outputs);
        CheckActivation(activation);
        ref T w = ref MemoryMarshal.GetReference(packed);
        ref T x = ref MemoryMarshal.GetReference(input);
        ref T z = ref MemoryMarshal.GetReference(output);
#if NET8_0_OR_GREATER
        if (Vector.IsHardwareAccelerated)
        {
            for (int o = 0; o < outputs; o += Vector<T>.Count)
            {
                Store(Activate(Column(ref Unsafe.Add(ref w, o), ref x, inputs, stride), activation), ref z, o);
            }
            return;
        }
#endif
        for (int o = 0; o < outputs; o++)
        {
            Unsafe.Add(ref z, o) = Activate(ColumnScalar(ref Unsafe.Add(ref w, o), ref x, inputs, stride), activation);
        }
    }

    /// <summary>
    /// One step of a causal convolution read straight from its ring: <paramref name="history"/> holds the last
    /// dilation·(kernelSize − 1) rows of <paramref name="newest"/>'s length, the oldest at row <paramref name="oldest"/>.
    /// Each filter sums the window in the kernel's order (feature by feature, the taps oldest first, the newest row
    /// last) through weights packed by <see cref="Pack{T}"/> as [channels·kernelSize] inputs, adds the bias, applies
    /// <paramref name="activation"/>; then the newest row takes the oldest one's place. Returns the ring's next oldest
    /// row. <paramref name="output"/> takes <see cref="Padded"/>(filters) values.
    /// </summary>
    public static int CausalConvolution<T>(ReadOnlySpan<T> packed, Span<T> history, int oldest, ReadOnlySpan<T> newest, Span<T> output, int kernelSize, int dilation, int filters, Activation activation)
        where T : unmanaged
    {
        int channels = newest.Length, rows = dilation * (kernelSize - 1), inputs = channels * kernelSize, stride = Padded(filters);
        if (kernelSize < 1 || dilation < 1 || history.Length != rows * channels || (uint)oldest >= (uint)Math.Max(rows, 1))
        {
            ThrowWindow(history.Length, oldest, channels, inputs, kernelSize, dilation);
        }
        if (packed.Length != (inputs + 1) * stride || output.Length < stride) ThrowProject(packed.Length, inputs, output.Length, inputs, filters);
        CheckActivation(activation);
        ref T w = ref MemoryMarshal.GetReference(packed);
        ref T h = ref MemoryMarshal.GetReference(history);
        ref T x = ref MemoryMarshal.GetReference(newest);
        ref T z = ref MemoryMarshal.GetReference(output);
        // Ring row of tap j (j·dilation rows after the oldest): wraps at most once, so one subtraction, no division.
        Span<int> taps = stackalloc int[kernelSize];
        for (int j = 0, row = oldest; j < kernelSize - 1; j++, row += dilation) taps[j] = (row >= rows ? row - rows : row) * channels;
        ref int tap = ref MemoryMarshal.GetReference(taps);
#if NET8_0_OR_GREATER
        if (Vector.IsHardwareAccelerated)
        {
            for (int o = 0; o < filters; o += Vector<T>.Count)
            {
                var s = Vector<T>.Zero;
                ref T wk = ref Unsafe.Add(ref w, o);
                for (int c = 0; c < channels; c++)
                {
                    for (int j = 0; j < kernelSize - 1; j++)
                    {
                        s = MultiplyAdd(s, new Vector<T>(Unsafe.Add(ref h, Unsafe.Add(ref tap, j) + c)), Load(ref wk, 0));
                        wk = ref Unsafe.Add(ref wk, stride);
                    }
                    s = MultiplyAdd(s, new Vector<T>(Unsafe.Add(ref x, c)), Load(ref wk, 0));
                    wk = ref Unsafe.Add(ref wk, stride);
                }
                Store(Activate(s + Load(ref wk, 0), activation), ref z, o);
            }
        }
        else
#endif
        {
            for (int o = 0; o < filters; o++)
            {
                T s = default;
                ref T wk = ref Unsafe.Add(ref w, o);
                for (int c = 0; c < channels; c++)
                {
                    for (int j = 0; j < kernelSize - 1; j++)
                    {
                        s = MultiplyAdd(s, Unsafe.Add(ref h, Unsafe.Add(ref tap, j) + c), wk);
                        wk = ref Unsafe.Add(ref wk, stride);
                    }
                    s = MultiplyAdd(s, Unsafe.Add(ref x, c), wk);
                    wk = ref Unsafe.Add(ref wk, stride);
                }
                Unsafe.Add(ref z, o) = Activate(Scalar<T>.Add(s, wk), activation);
            }
        }
        if (rows == 0) return 0;
        newest.CopyTo(history.Slice(oldest * channels, channels));
        return oldest + 1 == rows ? 0 : oldest + 1;
    }

    /// <summary>Values <see cref="PackGates{T}"/> writes: [inputs + 1][gates][padded units].</summary>
    public static int PackedGatesLength(int inputs, int units, int gates) => (inputs + 1) * gates * Padded(units);

    /// <summary>
    /// Packs a recurrent layer's weights [gates·units, inputs] (PyTorch's layout) and bias [gates·units] into
    /// [inputs + 1][gates][padded units]: row k holds weight k of every gate row, each gate padded to whole vectors (so
    /// a vector of units never reads into the next gate), the last row the bias. An empty bias packs zeros.
    /// </summary>
    public static void PackGates<T>(ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> packed, int inputs, int units, int gates) where T : unmanaged
    {
        int rows = gates * units;
        if (weights.Length != inputs * rows) throw new ArgumentException($"Expected {inputs * rows} weights, got {weights.Length}.", nameof(weights));
        if (bias.Length != 0 && bias.Length != rows) throw new ArgumentException($"Expected {rows} biases (or none), got {bias.Length}.", nameof(bias));
        if (packed.Length != PackedGatesLength(inputs, units, gates)) throw new ArgumentException($"Expected {PackedGatesLength(inputs, units, gates)} packed values, got {packed.Length}.", nameof(packed));
        int gateStride = Padded(units), stride = gates * gateStride;
        packed.Clear();
        for (int g = 0; g < gates; g++)
        {
            for (int u = 0; u < units; u++)
            {
                int row = g * units + u, column = g * gateStride + u;
                for (int k = 0; k < inputs; k++) packed[k * stride + column] = weights[row * inputs + k];
                if (bias.Length != 0) packed[inputs * stride + column] = bias[row];
            }
        }
    }

    /// <summary>
    /// One GRU step (PyTorch's equations and gate order r, z, n): r = σ(W_ir·x + b_ir + W_hr·h + b_hr),
    /// z = σ(W_iz·x + b_iz + W_hz·h + b_hz), n = tanh(W_in·x + b_in + r·(W_hn·h + b_hn)), h = (1 − z)·n + z·h.
    /// <paramref name="inputWeights"/> and <paramref name="recurrentWeights"/> are packed by <see cref="PackGates{T}"/>
    /// (3 gates); <paramref name="state"/> holds h and receives the new one; <paramref name="work"/> takes
    /// <see cref="Padded"/>(units) values (the new state before it replaces the old, which every unit reads).
    /// </summary>
    public static void Gru<T>(ReadOnlySpan<T> inputWeights, ReadOnlySpan<T> recurrentWeights, ReadOnlySpan<T> input, Span<T> state, Span<T> work, int units)
        where T : unmanaged
    {
        int inputs = input.Length, gateStride = Padded(units), stride = 3 * gateStride;
        CheckGates(inputWeights.Length, recurrentWeights.Length, state.Length, work.Length, inputs, units, 3);
        ref T wi = ref MemoryMarshal.GetReference(inputWeights);
        ref T wh = ref MemoryMarshal.GetReference(recurrentWeights);
        ref T x = ref MemoryMarshal.GetReference(input);
        ref T h = ref MemoryMarshal.GetReference(state);
        ref T hn = ref MemoryMarshal.GetReference(work);
#if NET8_0_OR_GREATER
        if (Vector.IsHardwareAccelerated)
        {
            for (int u = 0; u < units; u += Vector<T>.Count)
            {
                Columns(ref Unsafe.Add(ref wi, u), ref x, inputs, stride, gateStride, out var xr, out var xz, out var xn);
                Columns(ref Unsafe.Add(ref wh, u), ref h, units, stride, gateStride, out var hr, out var hz, out var hh);
                var r = SigmoidLanes(xr + hr);
                var z = SigmoidLanes(xz + hz);
                var n = TanhLanes(xn + r * hh);
                Store((Vector<T>.One - z) * n + z * Load(ref h, u), ref hn, u);
            }
        }
        else
#endif
        {
            for (int u = 0; u < units; u++)
            {
                if (typeof(T) == typeof(float))
                {
                    float r = NeuralMath.Sigmoid(F(ColumnScalar(ref Unsafe.Add(ref wi, u), ref x, inputs, stride)) + F(ColumnScalar(ref Unsafe.Add(ref wh, u), ref h, units, stride)));
                    float z = NeuralMath.Sigmoid(F(ColumnScalar(ref Unsafe.Add(ref wi, gateStride + u), ref x, inputs, stride)) + F(ColumnScalar(ref Unsafe.Add(ref wh, gateStride + u), ref h, units, stride)));
                    float n = NeuralMath.Tanh(F(ColumnScalar(ref Unsafe.Add(ref wi, 2 * gateStride + u), ref x, inputs, stride)) + r * F(ColumnScalar(ref Unsafe.Add(ref wh, 2 * gateStride + u), ref h, units, stride)));
                    Unsafe.As<T, float>(ref Unsafe.Add(ref hn, u)) = (1f - z) * n + z * F(ref h, u);
                }
                else
                {
                    double r = NeuralMath.Sigmoid(D(ColumnScalar(ref Unsafe.Add(ref wi, u), ref x, inputs, stride)) + D(ColumnScalar(ref Unsafe.Add(ref wh, u), ref h, units, stride)));
                    double z = NeuralMath.Sigmoid(D(ColumnScalar(ref Unsafe.Add(ref wi, gateStride + u), ref x, inputs, stride)) + D(ColumnScalar(ref Unsafe.Add(ref wh, gateStride + u), ref h, units, stride)));
                    double n = NeuralMath.Tanh(D(ColumnScalar(ref Unsafe.Add(ref wi, 2 * gateStride + u), ref x, inputs, stride)) + r * D(ColumnScalar(ref Unsafe.Add(ref wh, 2 * gateStride + u), ref h, units, stride)));
                    Unsafe.As<T, double>(ref Unsafe.Add(ref hn, u)) = (1d - z) * n + z * D(ref h, u);
                }
            }
        }
        work.Slice(0, units).CopyTo(state);
    }

    /// <summary>Σ_k x[k]·w[k, lanes] from zero in input order, then the bias row (the row after the last input's).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Column<T>(ref T w, ref T x, int inputs, int stride) where T : unmanaged
    {
        var s = Vector<T>.Zero;
        for (int k = 0; k < inputs; k++)
        {
            s = MultiplyAdd(s, new Vector<T>(Unsafe.Add(ref x, k)), Load(ref w, 0));
            w = ref Unsafe.Add(ref w, stride);
        }
        return s + Load(ref w, 0);
    }

    /// <summary>Three gates' <see cref="Column{T}"/> at once, <paramref name="gateStride"/> apart: one broadcast feeds three chains.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Columns<T>(ref T w, ref T x, int inputs, int stride, int gateStride, out Vector<T> s0, out Vector<T> s1, out Vector<T> s2) where T : unmanaged
    {
        s0 = Vector<T>.Zero;
        s1 = Vector<T>.Zero;
        s2 = Vector<T>.Zero;
        for (int k = 0; k < inputs; k++)
        {
            var xk = new Vector<T>(Unsafe.Add(ref x, k));
            s0 = MultiplyAdd(s0, xk, Load(ref w, 0));
            s1 = MultiplyAdd(s1, xk, Load(ref w, gateStride));
            s2 = MultiplyAdd(s2, xk, Load(ref w, 2 * gateStride));
            w = ref Unsafe.Add(ref w, stride);
        }
        s0 += Load(ref w, 0);
        s1 += Load(ref w, gateStride);
        s2 += Load(ref w, 2 * gateStride);
    }

    /// <summary>One lane of <see cref="Column{T}"/>: machines without vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ColumnScalar<T>(ref T w, ref T x, int inputs, int stride) where T : unmanaged
    {
        T s = default;
        for (int k = 0; k < inputs; k++)
        {
            s = MultiplyAdd(s, Unsafe.Add(ref x, k), w);
            w = ref Unsafe.Add(ref w, stride);
        }
        return Scalar<T>.Add(s, w);
    }

    private static void CheckActivation(Activation activation)
    {
        if (activation is not (Activation.Linear or Activation.Tanh or Activation.Sigmoid))
        {
            throw new ArgumentOutOfRangeException(nameof(activation), activation, "Expected Linear, Tanh or Sigmoid (apply the others to the row after the call).");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckGates(int inputWeights, int recurrentWeights, int state, int work, int inputs, int units, int gates)
    {
        if (inputWeights != PackedGatesLength(inputs, units, gates) || recurrentWeights != PackedGatesLength(units, units, gates) || state != units || work < Padded(units))
        {
            ThrowGates(inputWeights, recurrentWeights, state, work, inputs, units, gates);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowGates(int inputWeights, int recurrentWeights, int state, int work, int inputs, int units, int gates)
    {
        if (inputWeights != PackedGatesLength(inputs, units, gates)) throw new ArgumentException($"Expected {PackedGatesLength(inputs, units, gates)} packed input weights, got {inputWeights}.", nameof(inputWeights));
        if (recurrentWeights != PackedGatesLength(units, units, gates)) throw new ArgumentException($"Expected {PackedGatesLength(units, units, gates)} packed recurrent weights, got {recurrentWeights}.", nameof(recurrentWeights));
        if (state != units) throw new ArgumentException($"Expected {units} state values, got {state}.", nameof(state));
        throw new ArgumentException($"Expected {Padded(units)} work values, got {work}.", nameof(work));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Activate<T>(T x, Activation activation) where T : unmanaged
    {
        if (activation == Activation.Linear) return x;
        if (typeof(T) == typeof(float))
        {
            float f = Unsafe.As<T, float>(ref x);
            f = activation == Activation.Tanh ? NeuralMath.Tanh(f) : NeuralMath.Sigmoid(f);
            return Unsafe.As<float, T>(ref f);
        }
        double d = Unsafe.As<T, double>(ref x);
        d = activation == Activation.Tanh ? NeuralMath.Tanh(d) : NeuralMath.Sigmoid(d);
        return Unsafe.As<double, T>(ref d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float F<T>(T value) => Unsafe.As<T, float>(ref value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double D<T>(T value) => Unsafe.As<T, double>(ref value);

#if NET8_0_OR_GREATER
    /// <summary>Tanh lane by lane, the bits of <see cref="NeuralMath.Tanh(float)"/> or <see cref="NeuralMath.Tanh(double)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Tanh<T>(Vector<T> x) where T : unmanaged => TanhLanes(x);

    /// <summary>Sigmoid lane by lane, the bits of <see cref="NeuralMath.Sigmoid(float)"/> or <see cref="NeuralMath.Sigmoid(double)"/>.</summary>
    /// <remarks>Inlined into the generated straight-line Step: 115.7 against 117.6 ns per step as a call (NativeAOT, AVX2).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Sigmoid<T>(Vector<T> x) where T : unmanaged => SigmoidLanes(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Activate<T>(Vector<T> x, Activation activation) where T : unmanaged =>
        activation == Activation.Linear ? x : activation == Activation.Tanh ? TanhLanes(x) : SigmoidLanes(x);
#endif
}
