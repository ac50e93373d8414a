using System;
using System.IO;
using System.Linq;
using Xunit;

namespace NeuralNet.Gen.Runtime.Tests;

/// <summary>
/// <c>LoadOnnx(ExportOnnx(net))</c>: our own exporter's files load back into a network of the same declaration with the
/// same parameters (and BatchNorm statistics) and the same outputs, bit for bit, in float and in double (whose export
/// writes a convolution as Slices, Concat and MatMul, since ONNX Runtime has no double Conv).
/// </summary>
public class OnnxRoundTripTests
{
    public static TheoryData<string> Networks => new()
    {
        nameof(RoundTripMlpNet), nameof(RoundTripCnnNet), nameof(RoundTripConv1DNet), nameof(RoundTripBatchNormNet),
        nameof(RoundTripLayerNormNet), nameof(RoundTripRecurrentNet), nameof(RoundTripResidualNet),
    };

    private static INetwork<T> Create<T>(string name) where T : unmanaged =>
        (INetwork<T>)Activator.CreateInstance(typeof(OnnxRoundTripTests).Assembly.GetType("NeuralNet.Gen.Runtime.Tests." + name)!)!;

    private static string Double(string name) => name.Replace("Net", "DoubleNet", StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(Networks))]
    public void An_exported_network_loads_back_with_the_same_parameters_and_outputs(string name) =>
        AssertRoundTrips(name, x => (float)x);

    [Theory]
    [MemberData(nameof(Networks))]
    public void An_exported_double_network_loads_back_with_the_same_parameters_and_outputs(string name) =>
        AssertRoundTrips(Double(name), x => x);

    /// <summary>Across precisions the file converts, as PyTorch's load_state_dict copies across dtypes: double rounds to the nearest float, float widens exactly.</summary>
    [Theory]
    [MemberData(nameof(Networks))]
    public void An_export_loads_into_the_other_precision_converted(string name)
    {
        var wide = Create<double>(Double(name));
        wide.InitializeParameters(41);
        var random = new Random(43);
        for (int i = 0; i < wide.Buffers.Length; i++) wide.Buffers[i] = random.NextDouble() + 0.5;
        using var doubleFile = new MemoryStream();
        wide.ExportOnnx(doubleFile);
        doubleFile.Position = 0;
        var narrow = Create<float>(name);
        narrow.LoadOnnx(doubleFile);
        Assert.Equal(wide.Parameters.ToArray().Select(v => (float)v), narrow.Parameters.ToArray());
        Assert.Equal(wide.Buffers.ToArray().Select(v => (float)v), narrow.Buffers.ToArray());

        using var floatFile = new MemoryStream();
        narrow.ExportOnnx(floatFile);
        floatFile.Position = 0;
        var widened = Create<double>(Double(name));
        widened.LoadOnnx(floatFile);
        Assert.Equal(narrow.Parameters.ToArray().Select(v => (double)v), widened.Parameters.ToArray());
        Assert.Equal(narrow.Buffers.ToArray().Select(v => (double)v), widened.Buffers.ToArray());
    }

    private static void AssertRoundTrips<T>(string name, Func<double, T> scalar) where T : unmanaged
    {
        var source = Create<T>(name);
        source.InitializeParameters(41);
        var random = new Random(42);
        // Running statistics as after training, so they are read back rather than left at their defaults.
        for (int i = 0; i < source.Buffers.Length; i++) source.Buffers[i] = scalar(random.NextDouble() + 0.5);
        using var file = new MemoryStream();
        source.ExportOnnx(file);

        var loaded = Create<T>(name);
        loaded.InitializeParameters(7);
        file.Position = 0;
        loaded.LoadOnnx(file);
        Assert.Equal(source.Parameters.ToArray(), loaded.Parameters.ToArray());
        Assert.Equal(source.Buffers.ToArray(), loaded.Buffers.ToArray());

        const int batch = 3;
        T[] inputs = Enumerable.Range(0, batch * source.InputSize).Select(_ => scalar(random.NextDouble() * 2 - 1)).ToArray();
        T[] expected = new T[batch * source.OutputSize], actual = new T[batch * source.OutputSize];
        source.Forward(inputs, expected, batch);
        loaded.Forward(inputs, actual, batch);
        Assert.Equal(expected, actual);
    }
}
