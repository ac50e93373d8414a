using System;
using Xunit;

namespace NeuralNet.Gen.Runtime.Tests;

/// <summary>What the README promises under "When memory is allocated", measured on the calling thread.</summary>
public class BatchAllocationTests
{
    private const int Largest = 64;

    private static long AllocatedOverGrowingBatches(WideNet net)
    {
        var inputs = new float[Largest * WideNet.InputSize];
        var outputs = new float[Largest * WideNet.OutputSize];
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int batch = 1; batch <= Largest; batch++)
        {
            net.Forward(inputs.AsSpan(0, batch * WideNet.InputSize), outputs.AsSpan(0, batch * WideNet.OutputSize), batch);
            net.TrainStep(inputs.AsSpan(0, batch * WideNet.InputSize), outputs.AsSpan(0, batch * WideNet.OutputSize), batch);
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void After_one_call_at_the_largest_batch_no_smaller_or_equal_batch_allocates()
    {
        var warm = new WideNet();
        AllocatedOverGrowingBatches(warm); // JIT and first-call costs
        Assert.Equal(0, AllocatedOverGrowingBatches(warm));

        var sized = new WideNet();
        var inputs = new float[Largest * WideNet.InputSize];
        sized.TrainStep(inputs, new float[Largest * WideNet.OutputSize], Largest);
        Assert.Equal(0, AllocatedOverGrowingBatches(sized));
    }

    [Fact]
    public void Each_batch_larger_than_any_before_allocates_its_buffer()
    {
        AllocatedOverGrowingBatches(new WideNet()); // JIT
        long bytes = AllocatedOverGrowingBatches(new WideNet());
        // Every step from 1 to 64 replaces the buffer: far more than one buffer of 64 samples.
        Assert.True(bytes > 10L * Largest * WideNet.BatchBytesPerSample, $"{bytes} bytes for growing batches, {WideNet.BatchBytesPerSample} bytes per sample");
    }
}
