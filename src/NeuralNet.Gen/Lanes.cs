using System;
using System.Numerics;
using System.Runtime.CompilerServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif

namespace NeuralNet.Gen;

/// <summary>
/// One vector width for the kernels that are written once for every width. A kernel is generic over a struct that
/// implements this, so the JIT compiles one copy per width with every call inlined. <see cref="MultiplyAdd"/> is
/// c + a·b rounded once (fused) on every width, scalar included (<see cref="Fused"/>): hardware FMA where there is
/// one, the correctly rounded scalar or software fused multiply-add elsewhere, so every width gives the same bits.
/// </summary>
internal interface ILanes<TVector, T> where TVector : struct where T : unmanaged
{
    int Count { get; }

    TVector Load(ref T source, nint offset);

    TVector Broadcast(T value);

    TVector Add(TVector a, TVector b);

    TVector MultiplyAdd(TVector a, TVector b, TVector c);

    void Store(TVector value, ref T destination, nint offset);
}

/// <summary>One value at a time: what a processor without vectors (or DOTNET_EnableHWIntrinsic=0) runs.</summary>
internal readonly struct ScalarLanes<T> : ILanes<T, T> where T : unmanaged
{
    public int Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Load(ref T source, nint offset) => Unsafe.Add(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Broadcast(T value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Add(T a, T b) => Scalar<T>.Add(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T MultiplyAdd(T a, T b, T c) => Scalar<T>.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(T value, ref T destination, nint offset) => Unsafe.Add(ref destination, offset) = value;
}

/// <summary><see cref="Vector{T}"/>: the portable path, and the only vectors netstandard2.1 has.</summary>
internal readonly struct VectorLanes<T> : ILanes<Vector<T>, T> where T : unmanaged
{
    public int Count => Vector<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<T> Load(ref T source, nint offset) => Unsafe.ReadUnaligned<Vector<T>>(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref source, offset)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<T> Broadcast(T value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<T> Add(Vector<T> a, Vector<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector<T> MultiplyAdd(Vector<T> a, Vector<T> b, Vector<T> c) => Fused.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector<T> value, ref T destination, nint offset) =>
        Unsafe.WriteUnaligned(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref destination, offset)), value);
}

#if NET8_0_OR_GREATER
/// <summary>128-bit vectors: SSE on x64 without AVX2, NEON on Arm.</summary>
internal readonly struct Lanes128<T> : ILanes<Vector128<T>, T> where T : unmanaged
{
    public int Count => Vector128<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Load(ref T source, nint offset) => Vector128.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Broadcast(T value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c) => Fused.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector128<T> value, ref T destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);
}

/// <summary>256-bit vectors: AVX2, what most players' PCs have.</summary>
internal readonly struct Lanes256<T> : ILanes<Vector256<T>, T> where T : unmanaged
{
    public int Count => Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Load(ref T source, nint offset) => Vector256.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Broadcast(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c) => Fused.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector256<T> value, ref T destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);
}

/// <summary>512-bit vectors: AVX-512.</summary>
internal readonly struct Lanes512<T> : ILanes<Vector512<T>, T> where T : unmanaged
{
    public int Count => Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Load(ref T source, nint offset) => Vector512.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Broadcast(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c) => Fused.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector512<T> value, ref T destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);
}
#endif

/// <summary>Method flags of the kernels.</summary>
internal static class KernelMethod
{
    /// <summary>
    /// MethodImplOptions.AggressiveOptimization: compiled fully optimised on the first call, not after tiering (the
    /// tier-0 and on-stack-replacement copies of the generic kernels ran 10-80× slower through a short warm-up). The
    /// name is missing from netstandard2.1's API, so the value is spelled out; runtimes that do not know it ignore it.
    /// </summary>
    public const MethodImplOptions Optimized = (MethodImplOptions)512;
}

/// <summary>Which <see cref="ILanes{TVector, T}"/> this machine runs: the widest accelerated one that divides a panel.</summary>
internal static class LaneWidth
{
    /// <summary>Values of one panel: the fixed width every sum is laid out for, whatever the vector width.</summary>
    public const int Panel = 16;

    /// <summary>Lanes of the vectors the kernels use for <typeparamref name="T"/> (1: scalar).</summary>
    public static int Of<T>() where T : unmanaged
    {
#if NET8_0_OR_GREATER
        if (Vector512.IsHardwareAccelerated) return Vector512<T>.Count;
        if (Vector256.IsHardwareAccelerated) return Vector256<T>.Count;
        if (Vector128.IsHardwareAccelerated) return Vector128<T>.Count;
        return 1;
#else
        return Vector.IsHardwareAccelerated && Panel % Vector<T>.Count == 0 ? Vector<T>.Count : 1;
#endif
    }
}
