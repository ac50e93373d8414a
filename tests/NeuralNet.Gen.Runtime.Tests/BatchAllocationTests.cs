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
        // The least of three, after three warm-ups: in Release the JIT's tiering can allocate during a later call
        // (one such measurement failed a Release run of the solution), which is not the network's doing.
        var warm = new WideNet();
        for (int i = 0; i < 3; i++) AllocatedOverGrowingBatches(warm);
        long least = long.MaxValue;
        for (int i = 0; i < 3; i++) least = Math.Min(least, AllocatedOverGrowingBatches(warm));
        Assert.Equal(0, least);

        // A fresh network sized by one call at the largest batch: again the least of three.
        var inputs = new float[Largest * WideNet.InputSize];
        var targets = new float[Largest * WideNet.OutputSize];
        least = long.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            var sized = new WideNet();
            sized.TrainStep(inputs, targets, Largest);
            least = Math.Min(least, AllocatedOverGrowingBatches(sized));
        }
        Assert.Equal(0, least);
    }

    [Fact]
    public void After_EnsureBatchCapacity_no_call_up_to_that_size_allocates()
    {
        // The least of three fresh networks, after three warm-ups, so the JIT's tiering is not counted.
        for (int i = 0; i < 3; i++) AllocatedOverGrowingBatches(new WideNet());
        long least = long.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            var net = new WideNet();
            net.EnsureBatchCapacity(Largest);
            least = Math.Min(least, AllocatedOverGrowingBatches(net));
        }
        Assert.Equal(0, least);
        Assert.Throws<ArgumentOutOfRangeException>(() => new WideNet().EnsureBatchCapacity(0));
    }

    [Fact]
    public void With_MaxBatchSize_no_call_up_to_that_size_allocates_after_construction()
    {
        for (int i = 0; i < 3; i++) Grow(new SizedWideNet());
        long least = long.MaxValue, construction = 0;
        for (int i = 0; i < 3; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var net = new SizedWideNet();
            construction = GC.GetAllocatedBytesForCurrentThread() - before;
            before = GC.GetAllocatedBytesForCurrentThread();
            Grow(net);
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, least);
        Assert.True(construction >= Largest * SizedWideNet.BatchBytesPerSample, $"construction allocated {construction} bytes");
    }

    private static readonly float[] SizedInputs = new float[Largest * SizedWideNet.InputSize];
    private static readonly float[] SizedOutputs = new float[Largest * SizedWideNet.OutputSize];

    private static void Grow(SizedWideNet net)
    {
        for (int batch = 1; batch <= Largest; batch++)
        {
            net.Forward(SizedInputs.AsSpan(0, batch * SizedWideNet.InputSize), SizedOutputs.AsSpan(0, batch * SizedWideNet.OutputSize), batch);
            net.TrainStep(SizedInputs.AsSpan(0, batch * SizedWideNet.InputSize), SizedOutputs.AsSpan(0, batch * SizedWideNet.OutputSize), batch);
        }
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
