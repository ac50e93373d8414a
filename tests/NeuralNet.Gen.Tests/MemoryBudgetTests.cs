using System;
using Xunit;

namespace NeuralNet.Gen.Tests;

/// <summary>The generated memory-budget constants against what the runtime really allocates.</summary>
public class MemoryBudgetTests
{
    // A float[] costs its payload plus a 24-byte header on 64-bit .NET, rounded up to 8 bytes.
    private const int ArrayHeader = 24;

    /// <summary>What keeping Parameters on a cache line adds: the AlignedBuffer object (32 bytes) and 64 bytes of padding.</summary>
    internal const int AlignedParameters = 96;

    [Fact]
    public void Construction_allocates_the_instance_budget_plus_headers()
    {
        long circles = Allocations.Steady(() => GC.KeepAlive(new CirclesNet()));
        Assert.InRange(circles - CirclesNet.InstanceBytes, 0, 8 * ArrayHeader + 128 + AlignedParameters);
        long fashion = Allocations.Steady(() => GC.KeepAlive(new Fashion256Net()));
        Assert.InRange(fashion - Fashion256Net.InstanceBytes, 0, 8 * ArrayHeader + 128 + AlignedParameters);
        Assert.Equal(Fashion256Net.ParameterCount * sizeof(float) * 4, Fashion256Net.InstanceBytes); // parameters, gradients, Adam's two moments
    }

    [Fact]
    public void First_batch_call_allocates_the_batch_budget()
    {
        const int batch = 16;
        var x = new float[batch * Fashion256Net.InputSize];
        var t = new float[batch * Fashion256Net.OutputSize];
        for (int b = 0; b < batch; b++) t[b * Fashion256Net.OutputSize] = 1;
        long first = Allocations.FirstCall(() => new Fashion256Net(), net => net.ComputeGradients(x, t, batch));
        Assert.InRange(first - (long)batch * Fashion256Net.BatchBytesPerSample, 0, ArrayHeader + 8);
        var warm = new Fashion256Net();
        Assert.Equal(0, Allocations.Steady(() => warm.ComputeGradients(x, t, batch)));
    }

    [Fact]
    public void Unrolled_networks_need_no_batch_buffer()
    {
        Assert.Equal(0, CirclesNet.BatchBytesPerSample);
        Assert.Equal(0, CirclesNet.ActivationBytesPerSample);
        Assert.Contains("InstanceBytes", new CirclesNet().Summary());
    }
}
