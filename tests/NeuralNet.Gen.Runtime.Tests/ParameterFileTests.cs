using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace NeuralNet.Gen.Runtime.Tests;

public class ParameterFileTests
{
    private static BinaryNet Trained()
    {
        var (x, y) = TestData.Circles(60, seed: 1);
        var net = new BinaryNet();
        net.Fit(x, y, new FitOptions { Epochs = 2, BatchSize = 8 });
        return net;
    }

    private static byte[] Saved<TNet>(TNet net) where TNet : INetwork<float>
    {
        using var stream = new MemoryStream();
        net.SaveParameters(stream);
        return stream.ToArray();
    }

    /// <summary>CRC-32 computed bit by bit, independently of the library's table.</summary>
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }

    [Fact]
    public void A_saved_file_loads_back_bit_for_bit()
    {
        using var folder = new TempFolder();
        var net = Trained();
        string path = folder.File("circles.nng");
        net.SaveParameters(path);
        var copy = new BinaryNet();
        copy.InitializeParameters(99);
        copy.LoadParameters(path);
        Assert.Equal(net.Parameters.ToArray(), copy.Parameters.ToArray());
        Assert.Equal(new[] { "circles.nng" }, Directory.GetFiles(folder.Path).Select(Path.GetFileName)); // no temporary file left
    }

    [Fact]
    public void Saving_replaces_an_existing_file()
    {
        using var folder = new TempFolder();
        string path = folder.File("net.nng");
        File.WriteAllText(path, "old contents that are longer than nothing");
        var net = Trained();
        net.SaveParameters(path);
        var copy = new BinaryNet();
        copy.LoadParameters(path);
        Assert.Equal(net.Parameters.ToArray(), copy.Parameters.ToArray());
    }

    [Fact]
    public void The_layout_is_the_documented_one()
    {
        var net = Trained();
        var bytes = Saved(net);
        Assert.Equal("NNGP"u8.ToArray(), bytes[..4]);
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(4, bytes[6]);
        string fingerprint = ((INetwork<float>)net).ArchitectureFingerprint;
        int length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        Assert.Equal(fingerprint, Encoding.UTF8.GetString(bytes, 12, length));
        Assert.Equal(BinaryNet.ParameterCount, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(12 + length)));
        int payload = 12 + length + 8;
        Assert.Equal(net.Parameters[5], BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(payload + 5 * 4)));
        // Version 2: the buffer count (0 without BatchNorm) and the buffers follow the parameters.
        Assert.Equal(0, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(payload + BinaryNet.ParameterCount * 4)));
        Assert.Equal(payload + BinaryNet.ParameterCount * 4 + 8 + 4, bytes.Length);
        Assert.Equal(Crc32(bytes.AsSpan(0, bytes.Length - 4)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)));
    }

    [Fact]
    public void Double_networks_save_float64()
    {
        var net = new LineNetDouble();
        net.Parameters[0] = Math.PI;
        using var stream = new MemoryStream();
        net.SaveParameters(stream);
        Assert.Equal(8, stream.ToArray()[6]);
        stream.Position = 0;
        var copy = new LineNetDouble();
        copy.LoadParameters(stream);
        Assert.Equal(Math.PI, copy.Parameters[0]);

        stream.Position = 0;
        var single = new LineNet();
        var before = single.Parameters.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => single.LoadParameters(stream));
        Assert.Contains("holds float64 parameters but the network uses float32", e.Message);
        Assert.Equal(before, single.Parameters.ToArray());
    }

    [Fact]
    public void Another_architecture_with_the_same_parameter_count_is_refused()
    {
        Assert.Equal(BinaryNet.ParameterCount, BinaryReluNet.ParameterCount);
        var other = new BinaryReluNet();
        var before = other.Parameters.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => other.LoadParameters(new MemoryStream(Saved(Trained()))));
        Assert.Contains("another architecture", e.Message);
        Assert.Contains("Dense(8,Tanh)", e.Message);
        Assert.Contains("Dense(8,Relu)", e.Message);
        Assert.Equal(before, other.Parameters.ToArray());
    }

    [Fact]
    public void Another_architecture_of_another_size_is_refused()
    {
        var net = new ThreeClassNet();
        var before = net.Parameters.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => net.LoadParameters(new MemoryStream(Saved(Trained()))));
        Assert.Contains($"with {BinaryNet.ParameterCount} parameters", e.Message);
        Assert.Contains($"with {ThreeClassNet.ParameterCount}", e.Message);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Fact]
    public void Every_truncation_is_refused_and_leaves_the_network_unchanged()
    {
        var bytes = Saved(Trained());
        var net = new BinaryNet();
        var before = net.Parameters.ToArray();
        for (int length = 0; length < bytes.Length; length++)
        {
            var e = Assert.Throws<InvalidDataException>(() => net.LoadParameters(new MemoryStream(bytes[..length])));
            Assert.StartsWith("The stream ", e.Message);
        }
        Assert.Contains("is truncated", Assert.Throws<InvalidDataException>(() => net.LoadParameters(new MemoryStream(bytes[..^1]))).Message);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Fact]
    public void Every_flipped_byte_is_refused_and_leaves_the_network_unchanged()
    {
        var bytes = Saved(Trained());
        var net = new BinaryNet();
        var before = net.Parameters.ToArray();
        for (int i = 0; i < bytes.Length; i++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[i] ^= 0x10;
            Assert.Throws<InvalidDataException>(() => net.LoadParameters(new MemoryStream(damaged)));
        }
        var payloadDamage = (byte[])bytes.Clone();
        payloadDamage[^14] ^= 0x01; // inside the last parameter, before the buffer count
        Assert.Contains("CRC-32", Assert.Throws<InvalidDataException>(() => net.LoadParameters(new MemoryStream(payloadDamage))).Message);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Fact]
    public void Foreign_files_versions_and_trailing_bytes_are_refused()
    {
        using var folder = new TempFolder();
        var net = new BinaryNet();
        var before = net.Parameters.ToArray();
        string path = folder.File("picture.png");
        File.WriteAllBytes(path, new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0, 0 });
        var e = Assert.Throws<InvalidDataException>(() => net.LoadParameters(path));
        Assert.Equal($"{path} is not a NeuralNet.Gen parameter file: it does not start with the magic \"NNGP\".", e.Message);

        var bytes = Saved(Trained());
        var future = (byte[])bytes.Clone();
        future[4] = 3;
        Assert.Contains("format version 3", Assert.Throws<InvalidDataException>(() => net.LoadParameters(new MemoryStream(future))).Message);
        var longer = bytes.Concat(new byte[] { 0 }).ToArray();
        Assert.Contains("bytes after the checksum", Assert.Throws<InvalidDataException>(() => net.LoadParameters(new MemoryStream(longer))).Message);
        Assert.Throws<FileNotFoundException>(() => net.LoadParameters(folder.File("missing.nng")));
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Fact]
    public void An_inference_only_network_saves_and_loads_too()
    {
        var net = new InferenceNet();
        net.InitializeParameters(11);
        var copy = new InferenceNet();
        copy.LoadParameters(new MemoryStream(Saved(net)));
        Assert.Equal(net.Parameters.ToArray(), copy.Parameters.ToArray());
    }
}
