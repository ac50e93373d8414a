using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace NeuralNet.Gen.Onnx;

/// <summary>
/// The protobuf wire format, read from a byte array without trusting it: every length is checked against the bytes
/// left before anything is allocated, so a damaged file costs at most its own size. A message is read by a reader
/// over its own bytes, so nesting needs no recursion here.
/// </summary>
internal struct ProtoReader
{
    public const int VarintType = 0, Fixed64Type = 1, LengthDelimitedType = 2, Fixed32Type = 5;

    private readonly byte[] _data;
    private readonly int _end;
    private int _position;

    public ProtoReader(byte[] data) : this(data, 0, data.Length) { }

    private ProtoReader(byte[] data, int start, int end)
    {
        _data = data;
        _position = start;
        _end = end;
    }

    public readonly byte[] Data => _data;

    /// <summary>The byte offset in the whole file, for error messages.</summary>
    public readonly int Position => _position;

    /// <summary>The next field's number and wire type; false at the end of the message.</summary>
    public bool TryReadTag(out int field, out int wireType)
    {
        if (_position >= _end)
        {
            field = wireType = 0;
            return false;
        }
        int start = _position;
        ulong tag = ReadVarint();
        wireType = (int)(tag & 7);
        if (tag >> 3 is 0 or > int.MaxValue)
        {
            throw Error(start, $"field number {N((long)(tag >> 3))} is not a valid protobuf field");
        }
        field = (int)(tag >> 3);
        if (wireType is not (VarintType or Fixed64Type or LengthDelimitedType or Fixed32Type))
        {
            throw Error(start, $"field {N(field)} has wire type {N(wireType)}, which ONNX never writes");
        }
        return true;
    }

    public ulong ReadVarint()
    {
        int start = _position;
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _end)
            {
                throw Error(start, "a number runs past the end of its message");
            }
            byte b = _data[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
        throw Error(start, "a number is longer than 10 bytes");
    }

    public long ReadInt64() => (long)ReadVarint();

    /// <summary>An int32 field: protobuf writes negative values as 10-byte varints, truncated here as protobuf does.</summary>
    public int ReadInt32() => unchecked((int)ReadVarint());

    public uint ReadFixed32()
    {
        int offset = Take(4);
        return (uint)(_data[offset] | _data[offset + 1] << 8 | _data[offset + 2] << 16 | _data[offset + 3] << 24);
    }

    public ulong ReadFixed64()
    {
        ulong low = ReadFixed32();
        return low | (ulong)ReadFixed32() << 32;
    }

    /// <summary>The offset and length of a length-delimited field's bytes, which are skipped.</summary>
    public (int Offset, int Length) ReadLengthDelimited()
    {
        int start = _position;
        ulong length = ReadVarint();
        if (length > (ulong)(_end - _position))
        {
            throw Error(start, $"a field of {N((long)Math.Min(length, long.MaxValue))} bytes runs past the end of its message ({N(_end - _position)} bytes left)");
        }
        int offset = _position;
        _position += (int)length;
        return (offset, (int)length);
    }

    public ProtoReader ReadMessage()
    {
        var (offset, length) = ReadLengthDelimited();
        return new ProtoReader(_data, offset, offset + length);
    }

    public string ReadString()
    {
        var (offset, length) = ReadLengthDelimited();
        return Encoding.UTF8.GetString(_data, offset, length);
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case VarintType: ReadVarint(); break;
            case Fixed64Type: Take(8); break;
            case LengthDelimitedType: ReadLengthDelimited(); break;
            default: Take(4); break;
        }
    }

    /// <summary>A repeated varint field, packed (one length-delimited run) or not (one value per tag).</summary>
    public void ReadRepeatedVarints(int wireType, List<long> values)
    {
        if (wireType == VarintType)
        {
            values.Add(ReadInt64());
            return;
        }
        ExpectWireType(wireType, LengthDelimitedType);
        ProtoReader packed = ReadMessage();
        while (packed._position < packed._end)
        {
            values.Add(packed.ReadInt64());
        }
    }

    /// <summary>A repeated fixed-size field (float, double, fixed64) of elementSize bytes, packed or not, as raw bits.</summary>
    public void ReadRepeatedFixed(int wireType, int elementSize, List<ulong> bits)
    {
        int single = elementSize == 4 ? Fixed32Type : Fixed64Type;
        if (wireType == single)
        {
            bits.Add(elementSize == 4 ? ReadFixed32() : ReadFixed64());
            return;
        }
        ExpectWireType(wireType, LengthDelimitedType);
        int start = _position;
        ProtoReader packed = ReadMessage();
        int length = packed._end - packed._position;
        if (length % elementSize != 0)
        {
            throw Error(start, $"a packed list of {N(elementSize)}-byte values is {N(length)} bytes long");
        }
        while (packed._position < packed._end)
        {
            bits.Add(elementSize == 4 ? packed.ReadFixed32() : packed.ReadFixed64());
        }
    }

    public readonly void ExpectWireType(int wireType, int expected)
    {
        if (wireType != expected)
        {
            throw Error(_position, $"a field has wire type {N(wireType)} where ONNX writes {N(expected)}");
        }
    }

    public readonly OnnxFormatException Error(int offset, string message) =>
        new($"byte {N(offset)}: {message}");

    private int Take(int count)
    {
        if (_end - _position < count)
        {
            throw Error(_position, $"a {N(count)}-byte value runs past the end of its message");
        }
        int offset = _position;
        _position += count;
        return offset;
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
