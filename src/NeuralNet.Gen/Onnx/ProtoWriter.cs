using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace NeuralNet.Gen.Onnx;

/// <summary>
/// The little of the protobuf wire format that an ONNX model needs: varints, 32-bit floats and length-delimited
/// fields. Nested messages are written into their own writer and copied in, since a length precedes its bytes.
/// </summary>
internal sealed class ProtoWriter
{
    private const int VarintType = 0, LengthDelimitedType = 2, Fixed32Type = 5;
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public void WriteInt64(int field, long value)
    {
        WriteTag(field, VarintType);
        WriteVarint((ulong)value);
    }

    public void WriteFloat(int field, float value)
    {
        WriteTag(field, Fixed32Type);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), BitConverter.SingleToInt32Bits(value));
        _buffer.Advance(4);
    }

    public void WriteString(int field, string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        WriteTag(field, LengthDelimitedType);
        WriteVarint((ulong)length);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(length);
    }

    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, LengthDelimitedType);
        WriteVarint((ulong)value.Length);
        value.CopyTo(_buffer.GetSpan(value.Length));
        _buffer.Advance(value.Length);
    }

    public void WriteMessage(int field, ProtoWriter message) => WriteBytes(field, message.WrittenSpan);

    /// <summary>A nested message built by <paramref name="build"/>.</summary>
    public void WriteMessage(int field, Action<ProtoWriter> build)
    {
        var nested = new ProtoWriter();
        build(nested);
        WriteMessage(field, nested);
    }

    private void WriteTag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        Span<byte> span = _buffer.GetSpan(10);
        int i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        _buffer.Advance(i);
    }
}
