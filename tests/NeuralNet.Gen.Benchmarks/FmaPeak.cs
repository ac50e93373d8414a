using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNet.Gen.Benchmarks;

/// <summary>
/// This core's FP32 fused-multiply-add peak: twelve independent accumulator chains (enough to cover FMA latency
/// on two pipes) that stay in registers, on 512-bit and 256-bit vectors. Best of several timed runs.
/// </summary>
public static class FmaPeak
{
    private const int Chains = 12;

    public static double Measure512(int runs = 300, int iterations = 500_000) =>
        Vector512.IsHardwareAccelerated ? Best(runs, () => Run512(iterations), iterations * (double)Chains * Vector512<float>.Count * 2) : double.NaN;

    public static double Measure256(int runs = 300, int iterations = 500_000) =>
        Vector256.IsHardwareAccelerated ? Best(runs, () => Run256(iterations), iterations * (double)Chains * Vector256<float>.Count * 2) : double.NaN;

    /// <summary>GFLOP/s of the fastest run.</summary>
    private static double Best(int runs, Func<float> kernel, double flops)
    {
        kernel(); // JIT and warm up
        double best = double.MaxValue;
        float sink = 0;
        for (int r = 0; r < runs; r++)
        {
            long start = Stopwatch.GetTimestamp();
            sink += kernel();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        if (float.IsNaN(sink)) Console.WriteLine("(FMA kernel produced NaN)");
        return flops / best / 1e9;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Run512(int iterations)
    {
        var m = Vector512.Create(0.9999999f);
        var c = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512.Create(1.0f), a1 = Vector512.Create(1.1f), a2 = Vector512.Create(1.2f), a3 = Vector512.Create(1.3f),
            a4 = Vector512.Create(1.4f), a5 = Vector512.Create(1.5f), a6 = Vector512.Create(1.6f), a7 = Vector512.Create(1.7f),
            a8 = Vector512.Create(1.8f), a9 = Vector512.Create(1.9f), a10 = Vector512.Create(2.0f), a11 = Vector512.Create(2.1f);
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c); a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c); a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c); a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c); a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c); a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c); a11 = Vector512.FusedMultiplyAdd(a11, m, c);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Run256(int iterations)
    {
        var m = Vector256.Create(0.9999999f);
        var c = Vector256.Create(1e-7f);
        Vector256<float> a0 = Vector256.Create(1.0f), a1 = Vector256.Create(1.1f), a2 = Vector256.Create(1.2f), a3 = Vector256.Create(1.3f),
            a4 = Vector256.Create(1.4f), a5 = Vector256.Create(1.5f), a6 = Vector256.Create(1.6f), a7 = Vector256.Create(1.7f),
            a8 = Vector256.Create(1.8f), a9 = Vector256.Create(1.9f), a10 = Vector256.Create(2.0f), a11 = Vector256.Create(2.1f);
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, c); a1 = Vector256.FusedMultiplyAdd(a1, m, c);
            a2 = Vector256.FusedMultiplyAdd(a2, m, c); a3 = Vector256.FusedMultiplyAdd(a3, m, c);
            a4 = Vector256.FusedMultiplyAdd(a4, m, c); a5 = Vector256.FusedMultiplyAdd(a5, m, c);
            a6 = Vector256.FusedMultiplyAdd(a6, m, c); a7 = Vector256.FusedMultiplyAdd(a7, m, c);
            a8 = Vector256.FusedMultiplyAdd(a8, m, c); a9 = Vector256.FusedMultiplyAdd(a9, m, c);
            a10 = Vector256.FusedMultiplyAdd(a10, m, c); a11 = Vector256.FusedMultiplyAdd(a11, m, c);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
