using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif

namespace NeuralNet.Gen;

/// <summary>
/// Dense-layer kernels for the generated code (layers too large to unroll). Matrices are row-major: inputs [batch,
/// inputs], weights [outputs, inputs] (PyTorch's nn.Linear), outputs [batch, outputs]. Each kernel is register-blocked
/// so that one vector load feeds several multiply-adds. Every value is summed in a fixed order with fused multiply-adds
/// (one rounding each), whatever the vector width: an output over its inputs as <see cref="Forward{T}"/> says, a weight
/// gradient over the batch and an input gradient over the outputs in index order. AVX-512, AVX2, 128-bit vectors and
/// scalar code give the same bits.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static partial class DenseKernels
{
    /// <summary>
    /// Samples per tile of the broadcast kernel: every panel passes over a tile's inputs (at most 256 × 64 values) while
    /// they stay in cache, and a panel is packed once per tile.
    /// </summary>
    private const int MaxTileSamples = 256;

#if !NET8_0_OR_GREATER
    // netstandard2.1 has no Vector512: the portable Vector<T> path serves every machine there.
    private static bool UseRows<T>() where T : unmanaged => false;

    private static void ForwardRows(ref float xr, ref float wr, ref float br, ref float zr, int batch, int inputs, int outputs) => throw new PlatformNotSupportedException();

    private static void PackPanelRows(ref float rows, ref float panel, int lanes, int inputs) => throw new PlatformNotSupportedException();
#endif

    /// <summary>One panel: <paramref name="lanes"/> rows of weights to [inputs][16], zeros after the last row.</summary>
    private static void PackPanel<T>(ref T rows, ref T panel, int lanes, int inputs) where T : unmanaged
    {
        const int P = LaneWidth.Panel;
        if (UseRows<T>())
        {
            PackPanelRows(ref Unsafe.As<T, float>(ref rows), ref Unsafe.As<T, float>(ref panel), lanes, inputs);
            return;
        }
        // Input-major: each packed row of 16 is written once, from 16 row streams of the weights.
        for (int i = 0; i < inputs; i++)
        {
            ref T target = ref Unsafe.Add(ref panel, i * P);
            int lane = 0;
            for (; lane < lanes; lane++) Unsafe.Add(ref target, lane) = Unsafe.Add(ref rows, lane * inputs + i);
            for (; lane < P; lane++) Unsafe.Add(ref target, lane) = default;
        }
    }

    /// <summary>
    /// Layers of at most this many inputs sum each output in one chain of fused multiply-adds in input order (the
    /// broadcast kernel below); wider layers in sixteen interleaved partial sums (DenseKernels.Dot.cs). A generated
    /// <c>Step</c> packs the weights of layers up to this width and sums them in the same chains.
    /// </summary>
    public const int MaxSequentialInputs = 64;

    /// <summary>
    /// z[b, o] = Σ_i x[b, i]·w[o, i] + bias[o], weights [outputs, inputs] as in <c>Parameters</c> (PyTorch's nn.Linear),
    /// with no heap memory. Each output is summed the same way on every path, then the bias is added: up to
    /// <see cref="MaxSequentialInputs"/> inputs in input order from zero; above that in sixteen partial sums, input i
    /// going into partial i mod 16 in input order from zero, combined by the fixed tree
    /// ((p0 + p8) + (p4 + p12)) + ((p2 + p10) + (p6 + p14)) + … (<see cref="Kernels.Dot{T}"/>'s order). Either way
    /// AVX-512, AVX2, 128-bit vectors and scalar code give the same bits, and a sample the same alone as in any batch.
    /// Narrow layers: a few samples (AVX2, float) read the weights where they lie in register-transposed tiles; larger
    /// batches pack one or two panels of 16 outputs at a time on the stack for the broadcast kernel. Wide layers: a
    /// dot-product kernel reads both operands along their rows where they lie, blocks of rows × samples keeping their
    /// partials in registers; it is fastest when the weights start on a 64-byte boundary (<see cref="AlignedBuffer{T}"/>).
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> z, int batch, int inputs, int outputs)
        where T : unmanaged
    {
        CheckForward(x, weights.Length, outputs * inputs, nameof(weights), bias, z, batch, inputs, outputs);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T wr = ref MemoryMarshal.GetReference(weights);
        ref T br = ref MemoryMarshal.GetReference(bias);
        ref T zr = ref MemoryMarshal.GetReference(z);
        if (inputs > MaxSequentialInputs)
        {
            ForwardDot(ref xr, ref wr, ref br, ref zr, batch, inputs, outputs);
            return;
        }
        if (batch < 6 && UseRows<T>())
        {
            // A few samples: each weight is used once or twice, so it is read where it lies, never copied.
            ForwardRows(ref Unsafe.As<T, float>(ref xr), ref Unsafe.As<T, float>(ref wr), ref Unsafe.As<T, float>(ref br), ref Unsafe.As<T, float>(ref zr), batch, inputs, outputs);
            return;
        }
        // One or two panels of 16 outputs at a time, packed on the stack (at most 2 × 16 × 64 values) for each tile of samples.
        ForwardPanels(ref xr, ref wr, ref br, ref zr, batch, inputs, outputs);
    }

    /// <summary>The broadcast kernel at this machine's vector width, for layers of at most <see cref="MaxSequentialInputs"/> inputs.</summary>
    private static void ForwardPanels<T>(ref T xr, ref T wr, ref T br, ref T zr, int batch, int inputs, int outputs) where T : unmanaged
    {
#if NET8_0_OR_GREATER
        if (Vector512.IsHardwareAccelerated) ForwardPanels<Vector512<T>, T, Lanes512<T>>(ref xr, ref wr, ref br, ref zr, batch, inputs, outputs);
        else if (Vector256.IsHardwareAccelerated) ForwardPanels<Vector256<T>, T, Lanes256<T>>(ref xr, ref wr, ref br, ref zr, batch, inputs, outputs);
        else if (Vector128.IsHardwareAccelerated) ForwardPanels<Vector128<T>, T, Lanes128<T>>(ref xr, ref wr, ref br, ref zr, batch, inputs, outputs);
        else ForwardPanels<T, T, ScalarLanes<T>>(ref xr, ref wr, ref br, ref zr, batch, inputs, outputs);
#else
        if (LaneWidth.Of<T>() > 1) ForwardPanels<Vector<T>, T, VectorLanes<T>>(ref xr, ref wr, ref br, ref zr, batch, inputs, outputs);
        else ForwardPanels<T, T, ScalarLanes<T>>(ref xr, ref wr, ref br, ref zr, batch, inputs, outputs);
#endif
    }

    /// <summary>
    /// The broadcast kernel for one vector width, panel by panel. A chunk is one vector of consecutive outputs (a panel
    /// holds 16 / width chunks). Each panel's weights are packed on the stack input-major ([inputs][16], at most
    /// 2 × 16 × 64 values). Blocks of 6 samples × 2 chunks keep 12 accumulators in registers, each weight vector serving
    /// 6 samples and each broadcast input 2 chunks; single samples take up to 4 chunks at a time. Each output is one
    /// chain of fused multiply-adds in input order from zero, then the bias.
    /// </summary>
    [MethodImpl(KernelMethod.Optimized)]
    private static void ForwardPanels<TV, T, TL>(ref T xr, ref T wr, ref T br, ref T zr, int batch, int inputs, int outputs)
        where TV : struct where T : unmanaged where TL : struct, ILanes<TV, T>
    {
        const int P = LaneWidth.Panel;
        int width = default(TL).Count, perPanel = P / width;
        // Two chunks per block: with 512-bit float vectors a panel is one chunk, so panels go in pairs.
        int group = perPanel == 1 ? 2 : 1, panels = (outputs + P - 1) / P;
        Span<T> partial = stackalloc T[P];
        Span<T> stackPanels = stackalloc T[group * P * inputs];
        ref T stack = ref MemoryMarshal.GetReference(stackPanels);
        int tile = Math.Min(MaxTileSamples, Math.Max(6, batch));
        for (int t0 = 0; t0 < batch; t0 += tile)
        {
            int t1 = Math.Min(batch, t0 + tile), blocked = t1 - (t1 - t0) % 6;
            // 1-5 samples after the last block of 6 (2 of a 32-sample training chunk): one more block of 6 that ends at
            // the tile's end computes them, and again some samples already done, each to the same bits (the same sums
            // in the same order), so writing those again changes nothing. A sample alone would run one chain of
            // multiply-adds per chunk, bound by their latency.
            bool tail = blocked < t1 && t1 - t0 >= 6;
            for (int p = 0; p < panels; p += group)
            {
                int last = Math.Min(panels, p + group);
                for (int q = p; q < last; q++)
                {
                    PackPanel(ref Unsafe.Add(ref wr, q * P * inputs), ref Unsafe.Add(ref stack, (q - p) * P * inputs), Math.Min(P, outputs - q * P), inputs);
                }
                // Chunk() finds panel p at p·16·inputs from wp: the stack panels are placed there.
                ref T wp = ref Unsafe.Subtract(ref stack, p * P * inputs);
                int first = p * perPanel, end = last * perPanel;
                int c = first;
                for (; c + 2 <= end; c += 2)
                {
                    for (int b = t0; b < blocked; b += 6) Block6x2<TV, T, TL>(ref xr, ref wp, ref br, ref zr, b, c, inputs, outputs, partial);
                    if (tail) Block6x2<TV, T, TL>(ref xr, ref wp, ref br, ref zr, t1 - 6, c, inputs, outputs, partial);
                }
                for (; c < end; c++)
                {
                    for (int b = t0; b < blocked; b += 6) Block6x1<TV, T, TL>(ref xr, ref wp, ref br, ref zr, b, c, inputs, outputs, partial);
                    if (tail) Block6x1<TV, T, TL>(ref xr, ref wp, ref br, ref zr, t1 - 6, c, inputs, outputs, partial);
                }
                for (int b = tail ? t1 : blocked; b < t1; b++)
                {
                    c = first;
                    for (; c + 4 <= end; c += 4) Block1x4<TV, T, TL>(ref xr, ref wp, ref br, ref zr, b, c, inputs, outputs, partial);
                    for (; c < end; c++) Block1x1<TV, T, TL>(ref xr, ref wp, ref br, ref zr, b, c, inputs, outputs, partial);
                }
            }
        }
    }

    /// <summary>Where chunk <paramref name="c"/>'s row 0 starts in the packed weights (rows follow at a stride of 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref T Chunk<T>(ref T wr, int c, int width, int inputs)
    {
        int first = c * width;
        return ref Unsafe.Add(ref wr, (first / LaneWidth.Panel) * LaneWidth.Panel * inputs + first % LaneWidth.Panel);
    }

    /// <summary>z[b, c·width ..] = sum + bias for the outputs of chunk c that exist (the last panel may be partial).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreChunk<TV, T, TL>(TV sum, ref T br, ref T zr, int b, int c, int outputs, Span<T> partial)
        where TV : struct where T : unmanaged where TL : struct, ILanes<TV, T>
    {
        TL l = default;
        int o = c * l.Count;
        ref T zRow = ref Unsafe.Add(ref zr, b * outputs);
        if (o + l.Count <= outputs)
        {
            l.Store(l.Add(sum, l.Load(ref br, o)), ref zRow, o);
            return;
        }
        ref T pr = ref MemoryMarshal.GetReference(partial);
        l.Store(sum, ref pr, 0);
        for (int j = 0; o + j < outputs; j++) Unsafe.Add(ref zRow, o + j) = Scalar<T>.Add(partial[j], Unsafe.Add(ref br, o + j));
    }

    // Not inlined: alone, the loop keeps its 8 row pointers in registers (inlined, they spilled to the stack and
    // each reload took a load slot from the broadcasts).
    [MethodImpl(MethodImplOptions.NoInlining | KernelMethod.Optimized)]
    private static void Block6x2<TV, T, TL>(ref T xr, ref T wr, ref T br, ref T zr, int b, int c, int inputs, int outputs, Span<T> partial)
        where TV : struct where T : unmanaged where TL : struct, ILanes<TV, T>
    {
        TL l = default;
        ref T wa = ref Chunk(ref wr, c, l.Count, inputs);
        ref T wb = ref Chunk(ref wr, c + 1, l.Count, inputs);
        TV a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default;
        TV a30 = default, a31 = default, a40 = default, a41 = default, a50 = default, a51 = default;
        // Rows 0-2 from xa and rows 3-5 from xb at strides of one and two rows, the weights from wa and wb: 7 registers.
        nint s = inputs, s2 = 2 * s;
        ref T xa = ref Unsafe.Add(ref xr, b * inputs);
        ref T xb = ref Unsafe.Add(ref xa, 3 * s);
        for (int n = inputs; n > 0; n--)
        {
            TV v0 = l.Load(ref wa, 0), v1 = l.Load(ref wb, 0);
            TV u = l.Broadcast(xa);
            a00 = l.MultiplyAdd(u, v0, a00); a01 = l.MultiplyAdd(u, v1, a01);
            u = l.Broadcast(Unsafe.Add(ref xa, s));
            a10 = l.MultiplyAdd(u, v0, a10); a11 = l.MultiplyAdd(u, v1, a11);
            u = l.Broadcast(Unsafe.Add(ref xa, s2));
            a20 = l.MultiplyAdd(u, v0, a20); a21 = l.MultiplyAdd(u, v1, a21);
            u = l.Broadcast(xb);
            a30 = l.MultiplyAdd(u, v0, a30); a31 = l.MultiplyAdd(u, v1, a31);
            u = l.Broadcast(Unsafe.Add(ref xb, s));
            a40 = l.MultiplyAdd(u, v0, a40); a41 = l.MultiplyAdd(u, v1, a41);
            u = l.Broadcast(Unsafe.Add(ref xb, s2));
            a50 = l.MultiplyAdd(u, v0, a50); a51 = l.MultiplyAdd(u, v1, a51);
            xa = ref Unsafe.Add(ref xa, 1);
            xb = ref Unsafe.Add(ref xb, 1);
            wa = ref Unsafe.Add(ref wa, LaneWidth.Panel);
            wb = ref Unsafe.Add(ref wb, LaneWidth.Panel);
        }
        StoreChunk<TV, T, TL>(a00, ref br, ref zr, b, c, outputs, partial); StoreChunk<TV, T, TL>(a01, ref br, ref zr, b, c + 1, outputs, partial);
        StoreChunk<TV, T, TL>(a10, ref br, ref zr, b + 1, c, outputs, partial); StoreChunk<TV, T, TL>(a11, ref br, ref zr, b + 1, c + 1, outputs, partial);
        StoreChunk<TV, T, TL>(a20, ref br, ref zr, b + 2, c, outputs, partial); StoreChunk<TV, T, TL>(a21, ref br, ref zr, b + 2, c + 1, outputs, partial);
        StoreChunk<TV, T, TL>(a30, ref br, ref zr, b + 3, c, outputs, partial); StoreChunk<TV, T, TL>(a31, ref br, ref zr, b + 3, c + 1, outputs, partial);
        StoreChunk<TV, T, TL>(a40, ref br, ref zr, b + 4, c, outputs, partial); StoreChunk<TV, T, TL>(a41, ref br, ref zr, b + 4, c + 1, outputs, partial);
        StoreChunk<TV, T, TL>(a50, ref br, ref zr, b + 5, c, outputs, partial); StoreChunk<TV, T, TL>(a51, ref br, ref zr, b + 5, c + 1, outputs, partial);
    }

    // Not inlined: alone, the loop keeps its 8 row pointers in registers (inlined, they spilled to the stack and
    // each reload took a load slot from the broadcasts).
    [MethodImpl(MethodImplOptions.NoInlining | KernelMethod.Optimized)]
    private static void Block6x1<TV, T, TL>(ref T xr, ref T wr, ref T br, ref T zr, int b, int c, int inputs, int outputs, Span<T> partial)
        where TV : struct where T : unmanaged where TL : struct, ILanes<TV, T>
    {
        TL l = default;
        ref T wa = ref Chunk(ref wr, c, l.Count, inputs);
        TV a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        nint s = inputs, s2 = 2 * s;
        ref T xa = ref Unsafe.Add(ref xr, b * inputs);
        ref T xb = ref Unsafe.Add(ref xa, 3 * s);
        for (int n = inputs; n > 0; n--)
        {
            TV v = l.Load(ref wa, 0);
            a0 = l.MultiplyAdd(l.Broadcast(xa), v, a0);
            a1 = l.MultiplyAdd(l.Broadcast(Unsafe.Add(ref xa, s)), v, a1);
            a2 = l.MultiplyAdd(l.Broadcast(Unsafe.Add(ref xa, s2)), v, a2);
            a3 = l.MultiplyAdd(l.Broadcast(xb), v, a3);
            a4 = l.MultiplyAdd(l.Broadcast(Unsafe.Add(ref xb, s)), v, a4);
            a5 = l.MultiplyAdd(l.Broadcast(Unsafe.Add(ref xb, s2)), v, a5);
            xa = ref Unsafe.Add(ref xa, 1);
            xb = ref Unsafe.Add(ref xb, 1);
            wa = ref Unsafe.Add(ref wa, LaneWidth.Panel);
        }
        StoreChunk<TV, T, TL>(a0, ref br, ref zr, b, c, outputs, partial);
        StoreChunk<TV, T, TL>(a1, ref br, ref zr, b + 1, c, outputs, partial);
        StoreChunk<TV, T, TL>(a2, ref br, ref zr, b + 2, c, outputs, partial);
        StoreChunk<TV, T, TL>(a3, ref br, ref zr, b + 3, c, outputs, partial);
        StoreChunk<TV, T, TL>(a4, ref br, ref zr, b + 4, c, outputs, partial);
        StoreChunk<TV, T, TL>(a5, ref br, ref zr, b + 5, c, outputs, partial);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block1x4<TV, T, TL>(ref T xr, ref T wr, ref T br, ref T zr, int b, int c, int inputs, int outputs, Span<T> partial)
        where TV : struct where T : unmanaged where TL : struct, ILanes<TV, T>
    {
        TL l = default;
        ref T w0 = ref Chunk(ref wr, c, l.Count, inputs);
        ref T w1 = ref Chunk(ref wr, c + 1, l.Count, inputs);
        ref T w2 = ref Chunk(ref wr, c + 2, l.Count, inputs);
        ref T w3 = ref Chunk(ref wr, c + 3, l.Count, inputs);
        ref T x0 = ref Unsafe.Add(ref xr, b * inputs);
        TV a0 = default, a1 = default, a2 = default, a3 = default;
        for (int i = 0; i < inputs; i++)
        {
            nint row = (nint)i * LaneWidth.Panel;
            TV u = l.Broadcast(Unsafe.Add(ref x0, i));
            a0 = l.MultiplyAdd(u, l.Load(ref w0, row), a0);
            a1 = l.MultiplyAdd(u, l.Load(ref w1, row), a1);
            a2 = l.MultiplyAdd(u, l.Load(ref w2, row), a2);
            a3 = l.MultiplyAdd(u, l.Load(ref w3, row), a3);
        }
        StoreChunk<TV, T, TL>(a0, ref br, ref zr, b, c, outputs, partial);
        StoreChunk<TV, T, TL>(a1, ref br, ref zr, b, c + 1, outputs, partial);
        StoreChunk<TV, T, TL>(a2, ref br, ref zr, b, c + 2, outputs, partial);
        StoreChunk<TV, T, TL>(a3, ref br, ref zr, b, c + 3, outputs, partial);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block1x1<TV, T, TL>(ref T xr, ref T wr, ref T br, ref T zr, int b, int c, int inputs, int outputs, Span<T> partial)
        where TV : struct where T : unmanaged where TL : struct, ILanes<TV, T>
    {
        TL l = default;
        ref T w0 = ref Chunk(ref wr, c, l.Count, inputs);
        ref T x0 = ref Unsafe.Add(ref xr, b * inputs);
        TV a0 = default;
        for (int i = 0; i < inputs; i++) a0 = l.MultiplyAdd(l.Broadcast(Unsafe.Add(ref x0, i)), l.Load(ref w0, (nint)i * LaneWidth.Panel), a0);
        StoreChunk<TV, T, TL>(a0, ref br, ref zr, b, c, outputs, partial);
    }

    /// <summary>
    /// The backward pass of a Dense layer given dz [batch, outputs]: weightGradients [outputs, inputs] += dzᵀ·x,
    /// biasGradients += Σ_b dz, and, unless <paramref name="dx"/> is empty, dx [batch, inputs] = dz·w (overwritten).
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dz, ReadOnlySpan<T> weights, Span<T> weightGradients, Span<T> biasGradients, Span<T> dx, int batch, int inputs, int outputs)
        where T : unmanaged
    {
        Check(x.Length, batch * inputs, nameof(x));
        Check(dz.Length, batch * outputs, nameof(dz));
        Check(weights.Length, outputs * inputs, nameof(weights));
        Check(weightGradients.Length, outputs * inputs, nameof(weightGradients));
        Check(biasGradients.Length, outputs, nameof(biasGradients));
        if (!dx.IsEmpty) Check(dx.Length, batch * inputs, nameof(dx));
        if (!Scalar<T>.IsSupported) throw new NotSupportedException($"Dense layers compute in float or double, not {typeof(T).Name}.");
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T dr = ref MemoryMarshal.GetReference(dz);
        BiasGradients(ref dr, ref MemoryMarshal.GetReference(biasGradients), batch, outputs);
        WeightGradients(ref xr, ref dr, ref MemoryMarshal.GetReference(weightGradients), batch, inputs, outputs);
        if (!dx.IsEmpty) InputGradients(ref dr, ref MemoryMarshal.GetReference(weights), ref MemoryMarshal.GetReference(dx), batch, inputs, outputs);
    }

    private static void CheckForward<T>(ReadOnlySpan<T> x, int weightsLength, int expectedWeights, string weightsName, ReadOnlySpan<T> bias, Span<T> z, int batch, int inputs, int outputs)
        where T : unmanaged
    {
        Check(x.Length, batch * inputs, nameof(x));
        Check(weightsLength, expectedWeights, weightsName);
        Check(bias.Length, outputs, nameof(bias));
        Check(z.Length, batch * outputs, nameof(z));
        if (!Scalar<T>.IsSupported) throw new NotSupportedException($"Dense layers compute in float or double, not {typeof(T).Name}.");
    }

    private static void Check(int actual, int expected, string name)
    {
        if (actual != expected) throw new ArgumentException($"Expected {name} of length {expected} but got {actual}.", name);
    }
}
