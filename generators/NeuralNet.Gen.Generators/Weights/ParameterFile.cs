using System.Globalization;
using System.Text;

namespace NeuralNet.Gen.Weights;

/// <summary>
/// The one reader of the NeuralNet.Gen parameter file (layout in <c>ParameterSerializer</c>) and its CRC-32: the
/// runtime's LoadParameters, the generator's [Weights] and the analyzers all read a file through it, so a file that
/// builds is a file that loads. Reading checks the structure and the checksum only; whether the file fits a network
/// (precision, fingerprint, count) is the caller's to say, in its own terms.
/// </summary>
internal sealed class ParameterFile
{
    /// <summary>Version 2 added the buffers (BatchNorm's running statistics) after the parameters; version 1 files have none and still load.</summary>
    public const int FormatVersion = 2;
    public const int FixedHeaderSize = 4 + 2 + 1 + 1 + 4;
    public const int MaxFingerprintBytes = 1 << 20;

    private readonly byte[] _data;
    private readonly int _payloadOffset;
    private readonly int _bufferOffset;

    private ParameterFile(byte[] data, int version, int elementSize, string fingerprint, int count, int payloadOffset, int bufferCount, int bufferOffset)
    {
        _data = data;
        Version = version;
        ElementSize = elementSize;
        Fingerprint = fingerprint;
        Count = count;
        _payloadOffset = payloadOffset;
        BufferCount = bufferCount;
        _bufferOffset = bufferOffset;
    }

    /// <summary>1 (parameters only) or 2 (parameters, then buffers).</summary>
    public int Version { get; }

    /// <summary>4 (float32) or 8 (float64).</summary>
    public int ElementSize { get; }

    /// <summary>The architecture fingerprint the file was saved with.</summary>
    public string Fingerprint { get; }

    public int Count { get; }

    /// <summary>Buffers after the parameters (0 in a version 1 file).</summary>
    public int BufferCount { get; }

    /// <summary>Buffer <paramref name="index"/>, widened to double.</summary>
    public double Buffer(int index) => WeightsImporter.ReadElement(_data, _bufferOffset + index * ElementSize, ElementSize == 4 ? "F32" : "F64");

    /// <summary>Parameter <paramref name="index"/>, widened to double (exact for float32).</summary>
    public double this[int index] => WeightsImporter.ReadElement(_data, _payloadOffset + index * ElementSize, ElementSize == 4 ? "F32" : "F64");

    public static bool StartsWithMagic(byte[] data, int length) =>
        length >= 4 && data[0] == (byte)'N' && data[1] == (byte)'N' && data[2] == (byte)'G' && data[3] == (byte)'P';

    /// <summary>
    /// Reads the first <paramref name="length"/> bytes of <paramref name="data"/> as a whole parameter file. Null when
    /// it is not one, with <paramref name="problem"/> saying why as a phrase that follows the file's name
    /// ("is truncated: ...", no final period).
    /// </summary>
    public static ParameterFile? Read(byte[] data, int length, out string? problem)
    {
        problem = Check(data, length, out int version, out int elementSize, out int fingerprintLength, out long count, out long bufferCount);
        if (problem is not null) return null;
        string fingerprint = Encoding.UTF8.GetString(data, FixedHeaderSize, fingerprintLength);
        int payload = FixedHeaderSize + fingerprintLength + 8;
        int buffers = payload + (int)count * elementSize + (version >= 2 ? 8 : 0);
        return new ParameterFile(data, version, elementSize, fingerprint, (int)count, payload, (int)bufferCount, buffers);
    }

    private static string? Check(byte[] data, int length, out int version, out int elementSize, out int fingerprintLength, out long count, out long bufferCount)
    {
        version = elementSize = fingerprintLength = 0;
        count = bufferCount = 0;
        if (!StartsWithMagic(data, length))
            return length < 4
                ? $"is not a NeuralNet.Gen parameter file: it has {N(length)} bytes, fewer than the 4-byte magic \"NNGP\""
                : "is not a NeuralNet.Gen parameter file: it does not start with the magic \"NNGP\"";
        if (length < FixedHeaderSize)
            return $"is truncated: it ends at byte {N(length)}, inside the {N(FixedHeaderSize)}-byte header";
        version = data[4] | data[5] << 8;
        if (version < 1 || version > FormatVersion)
            return $"has format version {N(version)}; this library reads versions 1 to {N(FormatVersion)}";
        elementSize = data[6];
        if (elementSize != 4 && elementSize != 8)
            return $"is damaged: element type byte at offset 6 is {N(elementSize)}, expected 4 (float32) or 8 (float64)";
        fingerprintLength = WeightsImporter.ReadInt32(data, 8);
        if (fingerprintLength < 0 || fingerprintLength > MaxFingerprintBytes)
            return $"is damaged: the architecture fingerprint length at offset 8 is {N(fingerprintLength)}";
        int countOffset = FixedHeaderSize + fingerprintLength;
        if (length < countOffset + 8)
            return $"is truncated or damaged: it ends at byte {N(length)}, before the parameter count at offset {N(countOffset)}";
        count = WeightsImporter.ReadInt64(data, countOffset);
        if (count < 0 || count > int.MaxValue)
            return $"is damaged: the parameter count at offset {N(countOffset)} is {count.ToString(CultureInfo.InvariantCulture)}";
        long expectedLength = countOffset + 8 + count * elementSize + 4;
        if (version >= 2)
        {
            long bufferCountOffset = expectedLength - 4;
            if (length < bufferCountOffset + 8)
                return $"is truncated: it ends at byte {N(length)}, before the buffer count at offset {bufferCountOffset.ToString(CultureInfo.InvariantCulture)}";
            bufferCount = WeightsImporter.ReadInt64(data, (int)bufferCountOffset);
            if (bufferCount < 0 || bufferCount > int.MaxValue)
                return $"is damaged: the buffer count at offset {bufferCountOffset.ToString(CultureInfo.InvariantCulture)} is {bufferCount.ToString(CultureInfo.InvariantCulture)}";
            expectedLength += 8 + bufferCount * elementSize;
        }
        if (length < expectedLength)
            return $"is truncated: it announces {count.ToString(CultureInfo.InvariantCulture)} parameters{(bufferCount > 0 ? " and " + bufferCount.ToString(CultureInfo.InvariantCulture) + " buffers" : "")} ({expectedLength.ToString(CultureInfo.InvariantCulture)} bytes in all) but has {N(length)} bytes";
        if (length > expectedLength)
            return $"is damaged: it has bytes after the checksum at offset {(expectedLength - 4).ToString(CultureInfo.InvariantCulture)} (expected {expectedLength.ToString(CultureInfo.InvariantCulture)} bytes in all)";
        uint stored = (uint)WeightsImporter.ReadInt32(data, (int)expectedLength - 4);
        uint actual = Crc32(data, 0, (int)expectedLength - 4);
        if (stored != actual)
            return $"is damaged: its CRC-32 is 0x{actual:X8} but the file records 0x{stored:X8}";
        return null;
    }

    private static readonly uint[] CrcTable = CreateCrcTable();

    private static uint[] CreateCrcTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }

    /// <summary>CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zip and PNG) of a range of bytes.</summary>
    public static uint Crc32(byte[] data, int offset, int length)
    {
        uint crc = 0xFFFFFFFFu;
        for (int i = offset; i < offset + length; i++) crc = CrcTable[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
