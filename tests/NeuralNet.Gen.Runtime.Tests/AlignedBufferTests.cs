using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Xunit;

namespace NeuralNet.Gen.Runtime.Tests;

/// <summary>The buffer generated networks keep their parameters in: zeros, the length asked for, on a cache line.</summary>
public class AlignedBufferTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(235146)]
    public void FloatBuffersStartOnA64ByteBoundaryAndHoldZeros(int length)
    {
        var buffer = new AlignedBuffer<float>(length);
        Span<float> values = buffer;
        Assert.Equal(length, values.Length);
        Assert.Equal(length, buffer.Length);
        Assert.True(values.IndexOfAnyExcept(0f) < 0);
        if (length > 0) Assert.Equal(0, Offset(ref MemoryMarshal.GetReference(values)));
    }

    [Fact]
    public void DoubleBuffersToo()
    {
        var buffer = new AlignedBuffer<double>(9);
        Assert.Equal(0, Offset(ref MemoryMarshal.GetReference(buffer.Span)));
    }

    [Fact]
    public void WritesStayAndSlicesSeeThem()
    {
        var buffer = new AlignedBuffer<float>(40);
        buffer.Span[33] = 2.5f;
        ReadOnlySpan<float> read = buffer;
        Assert.Equal(2.5f, read[33]);
        Assert.Equal(2.5f, buffer.AsSpan(30, 5)[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.AsSpan(30, 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AlignedBuffer<float>(-1));
    }

    [Fact]
    public void GeneratedParametersStartOnA64ByteBoundary()
    {
        var net = new WideNet();
        Assert.Equal(WideNet.ParameterCount, net.Parameters.Length);
        Assert.Equal(0, Offset(ref MemoryMarshal.GetReference(net.Parameters)));
    }

    private static long Offset<T>(ref T value) => (long)Unsafe.ByteOffset(ref Unsafe.NullRef<T>(), ref value) % AlignedBuffer<float>.Alignment;
}
