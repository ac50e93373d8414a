using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace NeuralNet.Gen.Data;

/// <summary>Element types of the IDX format (the third magic byte).</summary>
public enum IdxDataType : byte
{
    /// <summary>Unsigned byte (MNIST pixels and labels).</summary>
    UnsignedByte = 0x08,
    /// <summary>Signed byte.</summary>
    SignedByte = 0x09,
    /// <summary>Big-endian 16-bit integer.</summary>
    Int16 = 0x0B,
    /// <summary>Big-endian 32-bit integer.</summary>
    Int32 = 0x0C,
    /// <summary>Big-endian 32-bit float.</summary>
    Single = 0x0D,
    /// <summary>Big-endian 64-bit float.</summary>
    Double = 0x0E,
}

/// <summary>
/// An array in the IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): magic 0, 0, element type,
/// rank; then the rank's dimensions as big-endian int32; then the elements, big-endian, row-major. Raw or gzip.
/// </summary>
public sealed class IdxFile
{
    private const int MaxArrayLength = 0x7FFFFFC7; // Array.MaxLength, which netstandard2.1 lacks
    private readonly byte[] _data;

    private IdxFile(IdxDataType dataType, int[] dimensions, byte[] data)
    {
        DataType = dataType;
        Dimensions = dimensions;
        _data = data;
    }

    /// <summary>Element type.</summary>
    public IdxDataType DataType { get; }

    /// <summary>Size of each dimension; the first counts the items (images, labels).</summary>
    public int[] Dimensions { get; }

    /// <summary>Elements in all.</summary>
    public long ElementCount => _data.Length / ElementSize(DataType);

    /// <summary>The elements as stored (big-endian), row-major.</summary>
    public ReadOnlySpan<byte> RawData => _data;

    /// <summary>Reads an IDX file, gzip-compressed (detected from its first bytes) or raw.</summary>
    /// <exception cref="InvalidDataException">The file is not IDX, or is truncated or damaged; the message names the file and offset.</exception>
    public static IdxFile Read(string path)
    {
        Requires.NotNullOrEmpty(path, nameof(path));
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, path);
    }

    /// <summary>Reads IDX data from <paramref name="stream"/>; <paramref name="sourceName"/> names it in error messages.</summary>
    public static IdxFile Read(Stream stream, string sourceName = "IDX stream")
    {
        Requires.NotNull(stream, nameof(stream));
        var buffered = new BufferedStream(stream, 1 << 16);
        Span<byte> head = stackalloc byte[2];
        int headRead = ReadFully(buffered, head);
        bool gzip = headRead == 2 && head[0] == 0x1F && head[1] == 0x8B;
        Stream source = new PrefixedStream(head.Slice(0, headRead).ToArray(), buffered);
        string where = gzip ? sourceName + " (gzip; offsets are in the decompressed data)" : sourceName;
        if (gzip) source = new GZipStream(source, CompressionMode.Decompress);
        try
        {
            return ReadIdx(source, where);
        }
        catch (InvalidDataException e) when (gzip && e.Message.IndexOf(sourceName, StringComparison.Ordinal) < 0)
        {
            throw new InvalidDataException($"{sourceName}: the gzip data are damaged: {e.Message}", e);
        }
        finally
        {
            if (gzip) source.Dispose();
        }
    }

    private static IdxFile ReadIdx(Stream source, string where)
    {
        Span<byte> magic = stackalloc byte[4];
        int read = ReadFully(source, magic);
        if (read < 4) throw new InvalidDataException($"{where}: truncated at offset {read}: the 4-byte IDX magic number is incomplete.");
        if (magic[0] != 0 || magic[1] != 0)
            throw new InvalidDataException($"{where}: offset 0: expected the IDX magic to start with bytes 0x00 0x00 but found 0x{magic[0]:X2} 0x{magic[1]:X2}; this is not an IDX file.");
        var type = (IdxDataType)magic[2];
        if (!Enum.IsDefined(typeof(IdxDataType), type))
            throw new InvalidDataException($"{where}: offset 2: unknown IDX element type 0x{magic[2]:X2}; expected 0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E.");
        int rank = magic[3];
        if (rank == 0) throw new InvalidDataException($"{where}: offset 3: the number of dimensions is 0; expected at least 1.");
        var dimensionBytes = new byte[rank * 4];
        read = ReadFully(source, dimensionBytes);
        if (read < dimensionBytes.Length)
            throw new InvalidDataException($"{where}: truncated at offset {4 + read}: expected {rank} dimensions (bytes 4 to {4 + rank * 4 - 1}).");
        var dimensions = new int[rank];
        long elements = 1;
        for (int d = 0; d < rank; d++)
        {
            dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(dimensionBytes.AsSpan(d * 4));
            if (dimensions[d] < 0)
                throw new InvalidDataException($"{where}: offset {4 + d * 4}: dimension {d} is {dimensions[d]}; expected a non-negative size.");
            elements *= dimensions[d];
            if (elements * ElementSize(type) > MaxArrayLength)
                throw new InvalidDataException($"{where}: offset {4 + d * 4}: the dimensions announce more than {MaxArrayLength} bytes of data.");
        }
        long dataOffset = 4 + rank * 4;
        var data = new byte[elements * ElementSize(type)];
        read = ReadFully(source, data);
        if (read < data.Length)
            throw new InvalidDataException($"{where}: truncated at offset {dataOffset + read}: the dimensions [{string.Join(", ", dimensions)}] announce {data.Length} bytes of data from offset {dataOffset}.");
        Span<byte> extra = stackalloc byte[1];
        if (ReadFully(source, extra) != 0)
            throw new InvalidDataException($"{where}: offset {dataOffset + data.Length}: unexpected bytes after the {data.Length} bytes of data the dimensions [{string.Join(", ", dimensions)}] announce.");
        return new IdxFile(type, dimensions, data);
    }

    /// <summary>The elements converted to <typeparamref name="T"/> and multiplied by <paramref name="scale"/> (e.g. 1/255 for pixels).</summary>
    public T[] ToArray<T>(double scale = 1) where T : unmanaged
    {
        var result = new T[ElementCount];
        var data = _data.AsSpan();
        for (int i = 0; i < result.Length; i++)
        {
            double value = DataType switch
            {
                IdxDataType.UnsignedByte => data[i],
                IdxDataType.SignedByte => (sbyte)data[i],
                IdxDataType.Int16 => BinaryPrimitives.ReadInt16BigEndian(data.Slice(i * 2)),
                IdxDataType.Int32 => BinaryPrimitives.ReadInt32BigEndian(data.Slice(i * 4)),
                IdxDataType.Single => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadInt32BigEndian(data.Slice(i * 4))),
                _ => BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(data.Slice(i * 8))),
            };
            // Scaled in double, then rounded once: 3 * (1/255) gives exactly 3/255f.
            result[i] = Scalar<T>.FromDouble(value * scale);
        }
        return result;
    }

    /// <summary>The elements as integers (labels); only for integer element types.</summary>
    public int[] ToInt32Array()
    {
        var result = new int[ElementCount];
        var data = _data.AsSpan();
        for (int i = 0; i < result.Length; i++)
            result[i] = DataType switch
            {
                IdxDataType.UnsignedByte => data[i],
                IdxDataType.SignedByte => (sbyte)data[i],
                IdxDataType.Int16 => BinaryPrimitives.ReadInt16BigEndian(data.Slice(i * 2)),
                IdxDataType.Int32 => BinaryPrimitives.ReadInt32BigEndian(data.Slice(i * 4)),
                _ => throw new InvalidOperationException($"The IDX elements are {DataType}, not integers."),
            };
        return result;
    }

    private static int ElementSize(IdxDataType type) => type switch
    {
        IdxDataType.UnsignedByte or IdxDataType.SignedByte => 1,
        IdxDataType.Int16 => 2,
        IdxDataType.Int32 or IdxDataType.Single => 4,
        _ => 8,
    };

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = stream.Read(buffer.Slice(total));
            if (read == 0) break;
            total += read;
        }
        return total;
    }

    /// <summary>Puts the bytes read to sniff the format back in front of the stream.</summary>
    private sealed class PrefixedStream : Stream
    {
        private readonly byte[] _prefix;
        private readonly Stream _inner;
        private int _position;

        public PrefixedStream(byte[] prefix, Stream inner)
        {
            _prefix = prefix;
            _inner = inner;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position < _prefix.Length)
            {
                int n = Math.Min(buffer.Length, _prefix.Length - _position);
                _prefix.AsSpan(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }
            return _inner.Read(buffer);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
