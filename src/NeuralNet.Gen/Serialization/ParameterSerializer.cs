using System;
using System.Buffers.Binary;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;

namespace NeuralNet.Gen;

/// <summary>
/// Saves and loads a network's <see cref="INetwork{T}.Parameters"/> in the NeuralNet.Gen parameter format (".nng"), little-endian:
/// <code>
/// "NNGP"                      magic, 4 bytes
/// uint16 version              2 (version 1 files, without the buffer section, still load)
/// uint8  element type         4 = float32, 8 = float64
/// uint8  reserved             0
/// int32  fingerprint length   bytes of UTF-8 that follow
/// bytes  fingerprint          INetwork.ArchitectureFingerprint
/// int64  parameter count
/// T[]    parameters           in Parameters order
/// int64  buffer count         (version 2) INetwork.BufferCount
/// T[]    buffers              (version 2) in Buffers order: BatchNorm's running statistics
/// uint32 CRC-32               of every byte before it
/// </code>
/// A file for another architecture, a truncated or a damaged one is refused with <see cref="InvalidDataException"/>
/// and the network (parameters and buffers) is left unchanged. A version 1 file has no buffers: it loads into a
/// network without buffers (every network saved before buffers existed) and is refused by one that has them.
/// </summary>
public static class ParameterSerializer
{
    /// <summary>The current format version.</summary>
    public const int FormatVersion = Weights.ParameterFile.FormatVersion;

    private const int FixedHeaderSize = Weights.ParameterFile.FixedHeaderSize;

    /// <summary>
    /// Writes the parameters to <paramref name="path"/>: first to a temporary file beside it, then renamed over it,
    /// so a crash never leaves a half-written file under that name.
    /// </summary>
    public static void SaveParameters<T>(this INetwork<T> network, string path) where T : unmanaged
    {
        Requires.NotNull(network, nameof(network));
        Requires.NotNullOrEmpty(path, nameof(path));
        string fullPath = Path.GetFullPath(path);
        string temporary = fullPath + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                network.SaveParameters(stream);
                stream.Flush(flushToDisk: true);
            }
#if NET8_0_OR_GREATER
            File.Move(temporary, fullPath, overwrite: true);
#else
            if (File.Exists(fullPath)) File.Replace(temporary, fullPath, destinationBackupFileName: null);
            else File.Move(temporary, fullPath);
#endif
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Writes the parameters to <paramref name="stream"/> at its position.</summary>
    public static void SaveParameters<T>(this INetwork<T> network, Stream stream) where T : unmanaged
    {
        Requires.NotNull(network, nameof(network));
        Requires.NotNull(stream, nameof(stream));
        if (!stream.CanWrite) throw new ArgumentException("The stream must be writable.", nameof(stream));
        byte[] bytes = Serialize<T>(network.ArchitectureFingerprint, network.Parameters, network.Buffers);
        stream.Write(bytes);
    }

    /// <summary>Reads parameters saved by <see cref="SaveParameters{T}(INetwork{T}, string)"/> into the network.</summary>
    /// <exception cref="InvalidDataException">The file is not a parameter file, is of another version, element type or architecture, is truncated, or is damaged; the network is unchanged.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static void LoadParameters<T>(this INetwork<T> network, string path) where T : unmanaged
    {
        Requires.NotNull(network, nameof(network));
        Requires.NotNullOrEmpty(path, nameof(path));
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Load(network, stream, path);
    }

    /// <summary>Reads parameters from <paramref name="stream"/> (from its position to its end) into the network.</summary>
    /// <exception cref="InvalidDataException">The data are not a parameter file, are of another version, element type or architecture, are truncated, or are damaged; the network is unchanged.</exception>
    public static void LoadParameters<T>(this INetwork<T> network, Stream stream) where T : unmanaged
    {
        Requires.NotNull(network, nameof(network));
        Requires.NotNull(stream, nameof(stream));
        if (!stream.CanRead) throw new ArgumentException("The stream must be readable.", nameof(stream));
        Load(network, stream, "The stream");
    }

    private static void Load<T>(INetwork<T> network, Stream stream, string source) where T : unmanaged
    {
        byte[] data = ReadAnnounced(stream);
        var (parameters, buffers) = Parse<T>(data, network.ArchitectureFingerprint, network.ParameterCount, network.BufferCount, source);
        parameters.CopyTo(network.Parameters);
        buffers.CopyTo(network.Buffers);
    }

    /// <summary>
    /// Reads as many bytes as the header announces, plus one to detect trailing bytes; stops early at the end of the
    /// stream or at a header that makes no sense, leaving the diagnosis to <see cref="Parse{T}"/>.
    /// </summary>
    private static byte[] ReadAnnounced(Stream stream)
    {
        using var buffer = new MemoryStream();
        if (ReadTo(stream, buffer, FixedHeaderSize))
        {
            var header = buffer.GetBuffer().AsSpan(0, FixedHeaderSize);
            int fingerprintLength = BinaryPrimitives.ReadInt32LittleEndian(header.Slice(8));
            int elementSize = header[6];
            if (Weights.ParameterFile.StartsWithMagic(buffer.GetBuffer(), FixedHeaderSize) && fingerprintLength >= 0 && fingerprintLength <= Weights.ParameterFile.MaxFingerprintBytes
                && ReadTo(stream, buffer, FixedHeaderSize + fingerprintLength + 8))
            {
                long count = BinaryPrimitives.ReadInt64LittleEndian(buffer.GetBuffer().AsSpan(FixedHeaderSize + fingerprintLength));
                int version = header[4] | header[5] << 8;
                if (count >= 0 && count <= int.MaxValue && (elementSize == 4 || elementSize == 8))
                {
                    long buffersAt = buffer.Length + count * elementSize;
                    if (version < 2)
                    {
                        ReadTo(stream, buffer, buffersAt + 4 + 1);
                    }
                    else if (ReadTo(stream, buffer, buffersAt + 8))
                    {
                        long buffers = BinaryPrimitives.ReadInt64LittleEndian(buffer.GetBuffer().AsSpan((int)buffersAt));
                        if (buffers >= 0 && buffers <= int.MaxValue) ReadTo(stream, buffer, buffer.Length + buffers * elementSize + 4 + 1);
                    }
                }
            }
        }
        return buffer.ToArray();
    }

    private static bool ReadTo(Stream stream, MemoryStream buffer, long length)
    {
        var chunk = new byte[(int)Math.Min(81920, Math.Max(1, length - buffer.Length))];
        while (buffer.Length < length)
        {
            int read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, length - buffer.Length));
            if (read == 0) return false;
            buffer.Write(chunk, 0, read);
        }
        return true;
    }

    internal static byte[] Serialize<T>(string fingerprint, ReadOnlySpan<T> parameters, ReadOnlySpan<T> buffers) where T : unmanaged
    {
        int elementSize = Unsafe.SizeOf<T>();
        byte[] fingerprintBytes = Encoding.UTF8.GetBytes(fingerprint);
        long length = FixedHeaderSize + fingerprintBytes.Length + 8 + (long)parameters.Length * elementSize + 8 + (long)buffers.Length * elementSize + 4;
        var bytes = new byte[length];
        var span = bytes.AsSpan();
        "NNGP"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span.Slice(4), FormatVersion);
        span[6] = (byte)elementSize;
        span[7] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(span.Slice(8), fingerprintBytes.Length);
        int offset = FixedHeaderSize;
        fingerprintBytes.CopyTo(span.Slice(offset));
        offset += fingerprintBytes.Length;
        offset = WriteValues(span, offset, parameters);
        offset = WriteValues(span, offset, buffers);
        BinaryPrimitives.WriteUInt32LittleEndian(span.Slice(offset), Weights.ParameterFile.Crc32(bytes, 0, offset));
        return bytes;
    }

    /// <summary>A count, then the values at the file's element size; returns the offset after them.</summary>
    private static int WriteValues<T>(Span<byte> span, int offset, ReadOnlySpan<T> values) where T : unmanaged
    {
        int elementSize = Unsafe.SizeOf<T>();
        BinaryPrimitives.WriteInt64LittleEndian(span.Slice(offset), values.Length);
        offset += 8;
        for (int i = 0; i < values.Length; i++, offset += elementSize)
        {
            if (elementSize == 4) BinaryPrimitives.WriteInt32LittleEndian(span.Slice(offset), BitConverter.SingleToInt32Bits((float)Scalar<T>.ToDouble(values[i])));
            else BinaryPrimitives.WriteInt64LittleEndian(span.Slice(offset), BitConverter.DoubleToInt64Bits(Scalar<T>.ToDouble(values[i])));
        }
        return offset;
    }

    /// <summary>Checks everything and returns the parameters and buffers, or throws; touches no network.</summary>
    internal static (T[] Parameters, T[] Buffers) Parse<T>(byte[] data, string expectedFingerprint, int expectedCount, int expectedBuffers, string source)
        where T : unmanaged
    {
        int elementSize = Unsafe.SizeOf<T>();
        var file = Weights.ParameterFile.Read(data, data.Length, out string? problem) ?? throw Invalid(source, problem + ".");
        if (file.ElementSize != elementSize)
            throw Invalid(source, $"holds {TypeName(file.ElementSize)} parameters but the network uses {TypeName(elementSize)}.");
        if (file.Fingerprint != expectedFingerprint || file.Count != expectedCount)
            throw Invalid(source, $"was saved from another architecture: the file has \"{file.Fingerprint}\" with {file.Count} parameters, the network is \"{expectedFingerprint}\" with {expectedCount}.");

        if (file.BufferCount != expectedBuffers)
            throw Invalid(source, file.Version < 2
                ? $"is a version 1 file, saved before networks kept buffers, but the network keeps {expectedBuffers} buffer values (BatchNorm's running statistics); save it again from a network of this architecture."
                : $"holds {file.BufferCount} buffer values but the network keeps {expectedBuffers}.");

        var parameters = new T[file.Count];
        for (int i = 0; i < parameters.Length; i++) parameters[i] = Scalar<T>.FromDouble(file[i]);
        var buffers = new T[file.BufferCount];
        for (int i = 0; i < buffers.Length; i++) buffers[i] = Scalar<T>.FromDouble(file.Buffer(i));
        return (parameters, buffers);
    }

    private static string TypeName(int elementSize) => elementSize == 4 ? "float32" : "float64";

    private static InvalidDataException Invalid(string source, string what) => new($"{source} {what}");
}
