using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.Intrinsics;

namespace NeuralNet.Gen.Benchmarks;

/// <summary>RTNeural's two SIMD back ends, as its CMake option <c>RTNEURAL_EIGEN</c> / <c>RTNEURAL_XSIMD</c> picks them.</summary>
internal enum RtNeuralBackend
{
    Eigen,
    Xsimd,
}

/// <summary>
/// Compiles one of our shims (<c>RtNeural/*.cpp</c>) against an RTNeural checkout into a shared library, as RTNeural's
/// own benchmarks build: g++ -O3 -march=native, C++17 (and -mno-avx512f when .NET is kept off AVX-512 with
/// DOTNET_EnableAVX512=0, so that both sides use the 256-bit vectors an AVX2 machine has). Eigen comes from Debian's <c>libeigen3-dev</c>; xsimd from the
/// checkout's <c>modules/xsimd</c> submodule (a recursive clone), the version RTNeural pins.
/// </summary>
internal static class RtNeuralBuild
{
    public static void CheckCheckout(string checkout)
    {
        if (!File.Exists(Path.Combine(checkout, "RTNeural", "RTNeural.h")))
            throw new ArgumentException($"'{checkout}' is not an RTNeural checkout (no RTNeural/RTNeural.h).", nameof(checkout));
    }

    /// <summary>The checkout's xsimd headers, or null when the submodule was not cloned (then only Eigen is built).</summary>
    public static string? XsimdInclude(string checkout)
    {
        string include = Path.Combine(checkout, "modules", "xsimd", "include");
        return File.Exists(Path.Combine(include, "xsimd", "xsimd.hpp")) ? include : null;
    }

    /// <summary>What every shim is compiled with, whatever the back end.</summary>
    private static string[] CommonFlags => Vector512.IsHardwareAccelerated
        ? ["-O3", "-march=native", "-std=c++17"]
        : ["-O3", "-march=native", "-mno-avx512f", "-std=c++17"];

    /// <summary>The compiler command, for the log and the table.</summary>
    public static string Flags => "g++ " + string.Join(" ", CommonFlags);

    /// <summary>Compiles <paramref name="shim"/> (a file name under RtNeural/) with <paramref name="backend"/>; returns the library's path.</summary>
    public static string Compile(string checkout, string shim, RtNeuralBackend backend)
    {
        CheckCheckout(checkout);
        string source = Path.Combine(AppContext.BaseDirectory, "RtNeural", shim);
        string output = Path.Combine(Path.GetTempPath(), $"nng-rtneural-{Environment.ProcessId}",
            $"lib{Path.GetFileNameWithoutExtension(shim)}-{backend.ToString().ToLowerInvariant()}.so");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var start = new ProcessStartInfo("g++") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in CommonFlags.Concat(["-shared", "-fPIC", "-I" + checkout, "-o", output, source]))
        {
            start.ArgumentList.Add(argument);
        }
        if (backend == RtNeuralBackend.Eigen)
        {
            // Eigen's fixed-size matrices are capped at 128 KB unless told otherwise; fashion256's first layer is 785 KB
            // (the models are globals, not on the stack). RTNeural's Eigen maps accept at most 32-byte alignment.
            foreach (var argument in new[] { "-DRTNEURAL_USE_EIGEN=1", "-DRTNEURAL_DEFAULT_ALIGNMENT=32", "-DEIGEN_STACK_ALLOCATION_LIMIT=0", "-I/usr/include/eigen3" })
                start.ArgumentList.Add(argument);
        }
        else
        {
            string include = XsimdInclude(checkout) ?? throw new InvalidOperationException($"'{checkout}' has no modules/xsimd (clone it with --recursive).");
            // -march=native may give xsimd 512-bit batches: scratch arrays aligned to 64 bytes hold them.
            foreach (var argument in new[] { "-DRTNEURAL_USE_XSIMD=1", "-DRTNEURAL_DEFAULT_ALIGNMENT=64", "-I" + include })
                start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("g++ did not start (apt-get install g++ libeigen3-dev).");
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"g++ failed ({process.ExitCode}) on {shim} with {backend}:{Environment.NewLine}{errors}");
        return output;
    }
}
