#if NET8_0_OR_GREATER
using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Gen;

// 512-bit paths of the Dense backward kernels, taken where the processor has AVX-512 (Vector<T> stays 256 bits wide
// by default even there). Each value is summed over the batch (or the outputs) in index order with fused
// multiply-adds, exactly as the Vector<T> and scalar paths do, so every width gives the same bits.
public static partial class DenseKernels
{
    private static bool Use512<T>() where T : unmanaged =>
        Vector512.IsHardwareAccelerated && (typeof(T) == typeof(float) || typeof(T) == typeof(double));

    private static int Width512<T>() where T : unmanaged => Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> MultiplyAdd<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) where T : unmanaged => Fused.MultiplyAdd(a, b, c);

    /// <summary>gw rows o..o+3 over [0, end): accumulated across the batch in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WeightGradients4Vector512<T>(ref T xr, ref T d0, ref T g0, int batch, int inputs, int outputs, int end) where T : unmanaged
    {
        ref T g1 = ref Unsafe.Add(ref g0, inputs);
        ref T g2 = ref Unsafe.Add(ref g1, inputs);
        ref T g3 = ref Unsafe.Add(ref g2, inputs);
        for (int i = 0; i < end; i += Vector512<T>.Count)
        {
            var a0 = Vector512.LoadUnsafe(ref g0, (nuint)i);
            var a1 = Vector512.LoadUnsafe(ref g1, (nuint)i);
            var a2 = Vector512.LoadUnsafe(ref g2, (nuint)i);
            var a3 = Vector512.LoadUnsafe(ref g3, (nuint)i);
            for (int b = 0; b < batch; b++)
            {
                var xv = Vector512.LoadUnsafe(ref xr, (nuint)(b * inputs + i));
                ref T d = ref Unsafe.Add(ref d0, b * outputs);
                a0 = MultiplyAdd(Vector512.Create(d), xv, a0);
                a1 = MultiplyAdd(Vector512.Create(Unsafe.Add(ref d, 1)), xv, a1);
                a2 = MultiplyAdd(Vector512.Create(Unsafe.Add(ref d, 2)), xv, a2);
                a3 = MultiplyAdd(Vector512.Create(Unsafe.Add(ref d, 3)), xv, a3);
            }
            a0.StoreUnsafe(ref g0, (nuint)i);
            a1.StoreUnsafe(ref g1, (nuint)i);
            a2.StoreUnsafe(ref g2, (nuint)i);
            a3.StoreUnsafe(ref g3, (nuint)i);
        }
    }

    /// <summary>dx rows b..b+3 over columns [start, end): accumulated across the outputs in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputGradients4Vector512<T>(ref T d0, ref T wr, ref T x0, int inputs, int outputs, int start, int end) where T : unmanaged
    {
        ref T d1 = ref Unsafe.Add(ref d0, outputs);
        ref T d2 = ref Unsafe.Add(ref d1, outputs);
        ref T d3 = ref Unsafe.Add(ref d2, outputs);
        ref T x1 = ref Unsafe.Add(ref x0, inputs);
        ref T x2 = ref Unsafe.Add(ref x1, inputs);
        ref T x3 = ref Unsafe.Add(ref x2, inputs);
        for (int i = start; i < end; i += Vector512<T>.Count)
        {
            Vector512<T> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int o = 0; o < outputs; o++)
            {
                var wv = Vector512.LoadUnsafe(ref wr, (nuint)(o * inputs + i));
                a0 = MultiplyAdd(Vector512.Create(Unsafe.Add(ref d0, o)), wv, a0);
                a1 = MultiplyAdd(Vector512.Create(Unsafe.Add(ref d1, o)), wv, a1);
                a2 = MultiplyAdd(Vector512.Create(Unsafe.Add(ref d2, o)), wv, a2);
                a3 = MultiplyAdd(Vector512.Create(Unsafe.Add(ref d3, o)), wv, a3);
            }
            a0.StoreUnsafe(ref x0, (nuint)i);
            a1.StoreUnsafe(ref x1, (nuint)i);
            a2.StoreUnsafe(ref x2, (nuint)i);
            a3.StoreUnsafe(ref x3, (nuint)i);
        }
    }
}
#endif
