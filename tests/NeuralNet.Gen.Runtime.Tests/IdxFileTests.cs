using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;
using NeuralNet.Gen.Data;
using Xunit;

namespace NeuralNet.Gen.Runtime.Tests;

public class IdxFileTests
{
    /// <summary>An IDX file written independently of the reader: magic, big-endian dimensions, data.</summary>
    private static byte[] Idx(byte type, int[] dimensions, byte[] data)
    {
        var bytes = new byte[4 + dimensions.Length * 4 + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)dimensions.Length;
        for (int d = 0; d < dimensions.Length; d++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + d * 4), dimensions[d]);
        data.CopyTo(bytes, 4 + dimensions.Length * 4);
        return bytes;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal)) gzip.Write(data);
        return output.ToArray();
    }

    private static readonly byte[] Pixels = Enumerable.Range(0, 2 * 3 * 2).Select(i => (byte)(i * 20)).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_images_raw_and_gzip(bool gzip)
    {
        using var folder = new TempFolder();
        string path = folder.File(gzip ? "images.gz" : "images");
        var raw = Idx(0x08, new[] { 2, 3, 2 }, Pixels);
        File.WriteAllBytes(path, gzip ? Gzip(raw) : raw);
        var idx = IdxFile.Read(path);
        Assert.Equal(IdxDataType.UnsignedByte, idx.DataType);
        Assert.Equal(new[] { 2, 3, 2 }, idx.Dimensions);
        Assert.Equal(12, idx.ElementCount);
        Assert.Equal(Pixels, idx.RawData.ToArray());
        Assert.Equal(Pixels.Select(p => p / 255f), idx.ToArray<float>(1.0 / 255));
        Assert.Equal(Pixels.Select(p => (int)p), idx.ToInt32Array());
    }

    [Fact]
    public void Reads_big_endian_integers_and_floats()
    {
        var ints = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(ints, -5);
        BinaryPrimitives.WriteInt32BigEndian(ints.AsSpan(4), 70000);
        var a = IdxFile.Read(new MemoryStream(Idx(0x0C, new[] { 2 }, ints)));
        Assert.Equal(new[] { -5, 70000 }, a.ToInt32Array());
        var floats = new byte[8];
        BinaryPrimitives.WriteSingleBigEndian(floats, 1.5f);
        BinaryPrimitives.WriteSingleBigEndian(floats.AsSpan(4), -0.25f);
        var b = IdxFile.Read(new MemoryStream(Idx(0x0D, new[] { 1, 2 }, floats)));
        Assert.Equal(new double[] { 1.5, -0.25 }, b.ToArray<double>());
        Assert.Throws<InvalidOperationException>(() => b.ToInt32Array());
        var shorts = new byte[] { 0xFF, 0xFE };
        Assert.Equal(new[] { -2 }, IdxFile.Read(new MemoryStream(Idx(0x0B, new[] { 1 }, shorts))).ToInt32Array());
        Assert.Equal(new[] { -1 }, IdxFile.Read(new MemoryStream(Idx(0x09, new[] { 1 }, new byte[] { 0xFF }))).ToInt32Array());
    }

    private static string Error(byte[] bytes) =>
        Assert.Throws<InvalidDataException>(() => IdxFile.Read(new MemoryStream(bytes), "t.idx")).Message;

    [Fact]
    public void Malformed_files_name_the_offset_and_the_problem()
    {
        var good = Idx(0x08, new[] { 2, 3, 2 }, Pixels);
        Assert.Equal("t.idx: truncated at offset 2: the 4-byte IDX magic number is incomplete.", Error(good[..2]));
        Assert.Contains("offset 0: expected the IDX magic to start with bytes 0x00 0x00 but found 0x50 0x4B", Error(new byte[] { 0x50, 0x4B, 3, 4, 0, 0 }));
        var badType = (byte[])good.Clone();
        badType[2] = 0x07;
        Assert.Contains("offset 2: unknown IDX element type 0x07", Error(badType));
        var noRank = (byte[])good.Clone();
        noRank[3] = 0;
        Assert.Contains("offset 3: the number of dimensions is 0", Error(noRank));
        Assert.Contains("truncated at offset 10: expected 3 dimensions", Error(good[..10]));
        Assert.Equal("t.idx: truncated at offset 20: the dimensions [2, 3, 2] announce 12 bytes of data from offset 16.", Error(good[..20]));
        Assert.Contains("offset 28: unexpected bytes after the 12 bytes of data", Error(good.Concat(new byte[] { 1 }).ToArray()));
        var negative = Idx(0x08, new[] { -1 }, Array.Empty<byte>());
        Assert.Contains("offset 4: dimension 0 is -1", Error(negative));
        var huge = Idx(0x0E, new[] { 1 << 30, 1 << 30 }, Array.Empty<byte>());
        Assert.Contains("announce more than", Error(huge));
    }

    [Fact]
    public void Damaged_or_truncated_gzip_is_reported_with_the_file()
    {
        var gz = Gzip(Idx(0x08, new[] { 2, 3, 2 }, Pixels));
        var truncated = gz[..(gz.Length - 12)];
        string message = Error(truncated);
        Assert.StartsWith("t.idx", message);
        var damaged = (byte[])gz.Clone();
        for (int i = 10; i < damaged.Length - 8; i++) damaged[i] ^= 0x5A;
        Assert.StartsWith("t.idx", Error(damaged));
        // A gzip file whose content is short says so in decompressed offsets.
        var shortContent = Gzip(Idx(0x08, new[] { 2, 3, 2 }, Pixels[..5]));
        Assert.Contains("(gzip; offsets are in the decompressed data): truncated at offset 21", Error(shortContent));
    }

    [Fact]
    public void Mnist_loads_images_scaled_and_labels_one_hot()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("train-images-idx3-ubyte.gz"), Gzip(Idx(0x08, new[] { 2, 3, 2 }, Pixels)));
        File.WriteAllBytes(folder.File("train-labels-idx1-ubyte"), Idx(0x08, new[] { 2 }, new byte[] { 7, 0 }));
        var data = Mnist.Load<float>(folder.Path, "train");
        Assert.Equal(2, data.Count);
        Assert.Equal(6, data.InputSize);
        Assert.Equal(10, data.TargetSize);
        Assert.Equal(Pixels[6] / 255f, data.Input(1)[0]);
        Assert.Equal(1, data.Target(0)[7]);
        Assert.Equal(1, data.Target(1)[0]);

        File.WriteAllBytes(folder.File("train-labels-idx1-ubyte"), Idx(0x08, new[] { 3 }, new byte[] { 7, 0, 1 }));
        Assert.Contains("holds 2 images but", Assert.Throws<InvalidDataException>(() => Mnist.Load<float>(folder.Path, "train")).Message);
        File.WriteAllBytes(folder.File("train-labels-idx1-ubyte"), Idx(0x08, new[] { 2 }, new byte[] { 7, 12 }));
        Assert.Contains("offset 9: label 1 is 12", Assert.Throws<InvalidDataException>(() => Mnist.Load<float>(folder.Path, "train")).Message);
        Assert.Throws<FileNotFoundException>(() => Mnist.Load<float>(folder.Path, "t10k"));
    }
}
