using System;
using System.IO;
using OnnxImport;
using Xunit;

namespace NeuralNet.Gen.Samples.Tests;

/// <summary>samples/OnnxImport: the policy whose layers policy.onnx declares computes PyTorch's probabilities, allocation-free.</summary>
public sealed class OnnxImportSampleTests
{
    private static PolicyReference Reference() => PolicyReference.Read(Path.Combine(AppContext.BaseDirectory, "policy.expected.csv"));

    [Fact]
    public void The_file_declares_the_MLP_it_was_exported_from()
    {
        Assert.Equal("[Input(6)]\n[Dense(32, Activation.Relu)]\n[Dense(32, Activation.Tanh)]\n[Dense(4, Activation.Softmax)]", Policy.WeightsArchitecture);
        Assert.Equal(6, Policy.InputSize);
        Assert.Equal(4, Policy.OutputSize);
        Assert.Equal(6 * 32 + 32 + 32 * 32 + 32 + 32 * 4 + 4, Policy.ParameterCount);
    }

    [Fact]
    public void Its_probabilities_are_PyTorchs()
    {
        var reference = Reference();
        var policy = new Policy();
        var probabilities = new float[Policy.OutputSize];
        Assert.Equal(16, reference.Observations.Length);
        for (int i = 0; i < reference.Observations.Length; i++)
        {
            policy.Forward(reference.Observations[i], probabilities);
            for (int k = 0; k < probabilities.Length; k++) Assert.Equal(reference.Probabilities[i][k], probabilities[k], 1e-6f);
            Assert.Equal(PolicyReference.ArgMax(reference.Probabilities[i]), PolicyReference.ArgMax(probabilities));
        }
    }

    [Fact]
    public void A_tick_allocates_nothing()
    {
        var observation = Reference().Observations[0];
        var policy = new Policy();
        var probabilities = new float[Policy.OutputSize];
        policy.Forward(observation, probabilities);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) policy.Forward(observation, probabilities);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
