using System;
using System.Runtime.CompilerServices;

namespace NeuralNet.Gen;

/// <summary>
/// Arithmetic on <typeparamref name="T"/> (float or double) for code that also builds for netstandard2.1, where
/// .NET's generic math does not exist. Each operation reinterprets T as float or double (no boxing, so no
/// allocation on Mono or IL2CPP either); the JIT keeps only the branch of the instantiated type.
/// </summary>
internal static class Scalar<T> where T : unmanaged
{
    public static bool IsSupported => typeof(T) == typeof(float) || typeof(T) == typeof(double);

    public static T Zero => default;

    public static T One => FromDouble(1.0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float F(T value) => Unsafe.As<T, float>(ref value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double D(T value) => Unsafe.As<T, double>(ref value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Of(float value) => Unsafe.As<float, T>(ref value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Of(double value) => Unsafe.As<double, T>(ref value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FromDouble(double value) => typeof(T) == typeof(float) ? Of((float)value) : typeof(T) == typeof(double) ? Of(value) : throw NotSupported();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToDouble(T value) => typeof(T) == typeof(float) ? F(value) : typeof(T) == typeof(double) ? D(value) : throw NotSupported();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Add(T a, T b) => typeof(T) == typeof(float) ? Of(F(a) + F(b)) : typeof(T) == typeof(double) ? Of(D(a) + D(b)) : throw NotSupported();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Subtract(T a, T b) => typeof(T) == typeof(float) ? Of(F(a) - F(b)) : typeof(T) == typeof(double) ? Of(D(a) - D(b)) : throw NotSupported();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Multiply(T a, T b) => typeof(T) == typeof(float) ? Of(F(a) * F(b)) : typeof(T) == typeof(double) ? Of(D(a) * D(b)) : throw NotSupported();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Divide(T a, T b) => typeof(T) == typeof(float) ? Of(F(a) / F(b)) : typeof(T) == typeof(double) ? Of(D(a) / D(b)) : throw NotSupported();

    /// <summary>a &gt; 0 (false for NaN and for either zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool GreaterThanZero(T a) => typeof(T) == typeof(float) ? F(a) > 0f : typeof(T) == typeof(double) ? D(a) > 0d : throw NotSupported();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MultiplyAdd(T a, T b, T c) => Add(Multiply(a, b), c);

    /// <summary>a·b + c rounded once: the runtime's fused multiply-add on net8.0, <see cref="SoftwareFma"/> on netstandard2.1 (same bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FusedMultiplyAdd(T a, T b, T c) =>
#if NET8_0_OR_GREATER
        typeof(T) == typeof(float) ? Of(MathF.FusedMultiplyAdd(F(a), F(b), F(c))) : typeof(T) == typeof(double) ? Of(Math.FusedMultiplyAdd(D(a), D(b), D(c))) : throw NotSupported();
#else
        typeof(T) == typeof(float) ? Of(SoftwareFma.MultiplyAdd(F(a), F(b), F(c))) : typeof(T) == typeof(double) ? Of(SoftwareFma.MultiplyAdd(D(a), D(b), D(c))) : throw NotSupported();
#endif

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sqrt(T a) => typeof(T) == typeof(float) ? Of(MathF.Sqrt(F(a))) : typeof(T) == typeof(double) ? Of(Math.Sqrt(D(a))) : throw NotSupported();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log(T a) => typeof(T) == typeof(float) ? Of(NeuralMath.Log(F(a))) : typeof(T) == typeof(double) ? Of(NeuralMath.Log(D(a))) : throw NotSupported();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exp(T a) => typeof(T) == typeof(float) ? Of(NeuralMath.Exp(F(a))) : typeof(T) == typeof(double) ? Of(NeuralMath.Exp(D(a))) : throw NotSupported();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Tanh(T a) => typeof(T) == typeof(float) ? Of(NeuralMath.Tanh(F(a))) : typeof(T) == typeof(double) ? Of(NeuralMath.Tanh(D(a))) : throw NotSupported();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Abs(T a) => typeof(T) == typeof(float) ? Of(MathF.Abs(F(a))) : typeof(T) == typeof(double) ? Of(Math.Abs(D(a))) : throw NotSupported();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Max(T a, T b) => typeof(T) == typeof(float) ? Of(MathF.Max(F(a), F(b))) : typeof(T) == typeof(double) ? Of(Math.Max(D(a), D(b))) : throw NotSupported();

    /// <summary>a^n for n >= 0 by repeated squaring in double, then rounded once: the same bits on every platform (Math.Pow is the C library's).</summary>
    public static T PowInteger(T a, int n)
    {
        double result = 1, factor = ToDouble(a);
        for (; n > 0; n >>= 1)
        {
            if ((n & 1) != 0) result *= factor;
            factor *= factor;
        }
        return FromDouble(result);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Negate(T a) => typeof(T) == typeof(float) ? Of(-F(a)) : typeof(T) == typeof(double) ? Of(-D(a)) : throw NotSupported();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool LessThan(T a, T b) => typeof(T) == typeof(float) ? F(a) < F(b) : typeof(T) == typeof(double) ? D(a) < D(b) : throw NotSupported();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool LessThanOrEqual(T a, T b) => typeof(T) == typeof(float) ? F(a) <= F(b) : typeof(T) == typeof(double) ? D(a) <= D(b) : throw NotSupported();

    private static NotSupportedException NotSupported() => new($"NeuralNet.Gen computes in float or double, not {typeof(T).Name}.");
}

/// <summary>Unaligned vector loads and stores that exist on every target (Vector.LoadUnsafe is .NET 8 only).</summary>
internal static class VectorMemory
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static System.Numerics.Vector<T> Load<T>(ref T source, int offset) where T : unmanaged =>
        Unsafe.ReadUnaligned<System.Numerics.Vector<T>>(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref source, offset)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(System.Numerics.Vector<T> value, ref T destination, int offset) where T : unmanaged =>
        Unsafe.WriteUnaligned(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref destination, offset)), value);

    /// <summary>Sum of the lanes (Vector.Sum is .NET 6+).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum<T>(System.Numerics.Vector<T> value) where T : unmanaged => System.Numerics.Vector.Dot(value, System.Numerics.Vector<T>.One);
}
