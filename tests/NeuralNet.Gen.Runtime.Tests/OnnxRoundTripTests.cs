using System;
using System.IO;
using System.Linq;
using Xunit;

namespace NeuralNet.Gen.Runtime.Tests;

/// <summary>
/// <c>LoadOnnx(ExportOnnx(net))</c>: our own exporter's files load back into a network of the same declaration with the
/// same parameters (and BatchNorm statistics) and the same outputs, bit for bit.
/// </summary>
public class OnnxRoundTripTests
{
    public static TheoryData<string> Networks => new()
    {
        nameof(RoundTripMlpNet), nameof(RoundTripCnnNet), nameof(RoundTripConv1DNet), nameof(RoundTripBatchNormNet),
        nameof(RoundTripLayerNormNet), nameof(RoundTripRecurrentNet), nameof(RoundTripResidualNet),
    };

    private static INetwork<float> Create(string name) =>
        (INetwork<float>)Activator.CreateInstance(typeof(OnnxRoundTripTests).Assembly.GetType("NeuralNet.Gen.Runtime.Tests." + name)!)!;

    [Theory]
    [MemberData(nameof(Networks))]
    public void An_exported_network_loads_back_with_the_same_parameters_and_outputs(string name)
    {
        var source = Create(name);
        source.InitializeParameters(41);
        var random = new Random(42);
        // Running statistics as after training, so they are read back rather than left at their defaults.
        for (int i = 0; i < source.Buffers.Length; i++) source.Buffers[i] = (float)(random.NextDouble() + 0.5);
        using var file = new MemoryStream();
        source.ExportOnnx(file);

        var loaded = Create(name);
        loaded.InitializeParameters(7);
        file.Position = 0;
        loaded.LoadOnnx(file);
        Assert.Equal(source.Parameters.ToArray(), loaded.Parameters.ToArray());
        Assert.Equal(source.Buffers.ToArray(), loaded.Buffers.ToArray());

        const int batch = 3;
        float[] inputs = Enumerable.Range(0, batch * source.InputSize).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] expected = new float[batch * source.OutputSize], actual = new float[batch * source.OutputSize];
        source.Forward(inputs, expected, batch);
        loaded.Forward(inputs, actual, batch);
        Assert.Equal(expected, actual);
    }
}
