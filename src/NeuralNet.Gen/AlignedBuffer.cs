using System;
using System.ComponentModel;
using System.Runtime.InteropServices;

namespace NeuralNet.Gen;

/// <summary>
/// A fixed-length buffer whose first value sits on a 64-byte boundary (a cache line, one 512-bit vector) on .NET 5 and
/// later: there the memory is a pinned array that never moves, so a kernel's vector loads along a row that starts on a
/// multiple of 16 floats never straddle two cache lines (on this project's benchmark machine, straddling loads halved the
/// speed of reading weights from the second-level cache). On older runtimes it is a plain array, not aligned: the same
/// values, only slower. Generated networks keep <c>Parameters</c> in one.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public sealed class AlignedBuffer<T> where T : unmanaged
{
    /// <summary>Bytes the first value is aligned to.</summary>
    public const int Alignment = 64;

    private readonly T[] _array;
    private readonly int _start;

    /// <summary>A buffer of <paramref name="length"/> zeros.</summary>
    public AlignedBuffer(int length)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), length, "Expected a length of 0 or more.");
        int size = Marshal.SizeOf<T>(), pad = Alignment / size;
#if NET5_0_OR_GREATER
        _array = GC.AllocateArray<T>(length + pad, pinned: true);
        var handle = GCHandle.Alloc(_array, GCHandleType.Pinned);
        long address = handle.AddrOfPinnedObject().ToInt64();
        handle.Free();
        _start = (int)((Alignment - address % Alignment) % Alignment) / size;
#else
        _array = new T[length + pad];
        _start = 0;
#endif
        Length = length;
    }

    /// <summary>Values in the buffer.</summary>
    public int Length { get; }

    /// <summary>The values.</summary>
    public Span<T> Span => new(_array, _start, Length);

    /// <summary>Values [start, start + length).</summary>
    public Span<T> AsSpan(int start, int length) => Span.Slice(start, length);

    /// <summary>The values.</summary>
    public static implicit operator Span<T>(AlignedBuffer<T> buffer) => buffer.Span;

    /// <summary>The values.</summary>
    public static implicit operator ReadOnlySpan<T>(AlignedBuffer<T> buffer) => buffer.Span;
}
