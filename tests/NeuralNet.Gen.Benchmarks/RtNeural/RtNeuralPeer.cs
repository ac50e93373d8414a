using System;
using System.Runtime.InteropServices;

namespace NeuralNet.Gen.Benchmarks;

/// <summary>
/// RTNeural's compile-time <c>ModelT</c> of the Streaming sample's model, for the <c>--streaming --rtneural
/// /path/to/RTNeural</c> row: <c>rtneural_shim.cpp</c> (ours) is compiled by g++ against that checkout (and Debian's
/// Eigen, <c>libeigen3-dev</c>) into a shared library, loaded once; it takes our parameters and streams a block of
/// samples one <c>forward</c> call each, in a single P/Invoke per block.
/// </summary>
internal static unsafe class RtNeuralPeer
{
    /// <summary>The shared library built by <see cref="Build"/>, or null: then the RTNeural row is left out.</summary>
    public static string? Library { get; set; }

    private static delegate* unmanaged<int> s_parameterCount;
    private static delegate* unmanaged<float*, void> s_load;
    private static delegate* unmanaged<void> s_reset;
    private static delegate* unmanaged<float*, float*, int, void> s_process;

    /// <summary>Compiles the shim against <paramref name="checkout"/> with the Eigen back end; returns the library's path.</summary>
    public static string Build(string checkout) => RtNeuralBuild.Compile(checkout, "rtneural_shim.cpp", RtNeuralBackend.Eigen);

    /// <summary>Loads <see cref="Library"/> (once) and gives RTNeural the parameters of <paramref name="parameters"/>.</summary>
    public static void Load(ReadOnlySpan<float> parameters)
    {
        if (s_process == null)
        {
            nint library = NativeLibrary.Load(Library ?? throw new InvalidOperationException("No RTNeural library: pass --rtneural /path/to/RTNeural."));
            s_parameterCount = (delegate* unmanaged<int>)NativeLibrary.GetExport(library, "nng_rtneural_parameter_count");
            s_load = (delegate* unmanaged<float*, void>)NativeLibrary.GetExport(library, "nng_rtneural_load");
            s_reset = (delegate* unmanaged<void>)NativeLibrary.GetExport(library, "nng_rtneural_reset");
            s_process = (delegate* unmanaged<float*, float*, int, void>)NativeLibrary.GetExport(library, "nng_rtneural_process");
        }
        int expected = s_parameterCount();
        if (parameters.Length != expected) throw new ArgumentException($"The shim's model has {expected} parameters, the network {parameters.Length}.", nameof(parameters));
        fixed (float* p = parameters) s_load(p);
    }

    public static void Reset() => s_reset();

    /// <summary>Streams <paramref name="input"/> through RTNeural one sample per forward call.</summary>
    public static void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length < input.Length) throw new ArgumentException($"Expected {input.Length} outputs, got {output.Length}.", nameof(output));
        fixed (float* x = input)
        fixed (float* y = output)
        {
            s_process(x, y, input.Length);
        }
    }
}
