using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Onnx.Tests;

/// <summary>
/// Damaged input is refused with <see cref="OnnxFormatException"/> or read as a consistent model; never another
/// exception, a hang or an allocation beyond the file's size.
/// </summary>
public class DamagedFileTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(ReferenceModels.OnnxFileNames), MemberType = typeof(ReferenceModels))]
    public void EveryTruncationIsRefused(string fileName)
    {
        byte[] whole = ReferenceModels.Bytes(fileName);
        for (int length = 0; length < whole.Length; length++)
        {
            byte[] prefix = whole.AsSpan(0, length).ToArray();
            Assert.False(OnnxReader.TryRead(prefix, out _, out string? problem), $"{fileName} cut to {length} bytes was read");
            Assert.False(string.IsNullOrEmpty(problem));
        }
    }

    [Fact]
    public void SeededByteFlipsAreRefusedOrReadWholly()
    {
        var random = new Random(20261128);
        var outcomes = new Dictionary<Result, int> { [Result.Refused] = 0, [Result.Read] = 0, [Result.Normalized] = 0 };
        foreach (string fileName in ReferenceModels.OnnxFiles)
        {
            byte[] original = ReferenceModels.Bytes(fileName);
            for (int trial = 0; trial < 200; trial++)
            {
                byte[] damaged = (byte[])original.Clone();
                int flips = 1 + random.Next(3);
                for (int f = 0; f < flips; f++)
                {
                    damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
                }
                outcomes[Outcome(damaged, $"{fileName} trial {trial}")]++;
            }
        }
        // Flips inside float data leave a readable model; flips in tags, lengths and names do not.
        string counts = string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}"));
        output.WriteLine($"byte flips: {counts}");
        Assert.True(outcomes.Values.All(n => n > 0), counts);
    }

    [Fact]
    public void RandomBytesAndOtherFormatsAreRefused()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 2000; trial++)
        {
            byte[] noise = new byte[random.Next(1, 300)];
            random.NextBytes(noise);
            Assert.Equal(Result.Refused, Outcome(noise, $"noise {trial}"));
        }
        foreach (string path in Directory.GetFiles(ReferenceModels.Folder).Where(p => !p.EndsWith(".onnx", StringComparison.Ordinal)))
        {
            Assert.False(OnnxReader.TryRead(File.ReadAllBytes(path), out _, out _), Path.GetFileName(path));
        }
        Assert.Throws<OnnxFormatException>(() => OnnxReader.Read(Array.Empty<byte>()));
    }

    [Fact]
    public void ATensorLargerThanTheFileIsRefusedBeforeItIsAllocated()
    {
        byte[] file = Model(Tensor("w", 1, new[] { 1L << 20, 1L << 20 }, raw: new byte[16]));
        var error = Assert.Throws<OnnxFormatException>(() => OnnxReader.Read(file));
        Assert.Contains("tensor 'w' has the impossible shape [1048576, 1048576]", error.Message);

        file = Model(Tensor("w", 1, new[] { 2L, 3 }, raw: new byte[20]));
        error = Assert.Throws<OnnxFormatException>(() => OnnxReader.Read(file));
        Assert.Contains("tensor 'w' [2, 3] of Float needs 24 bytes of data but has 20", error.Message);

        file = Model(Tensor("w", 1, new[] { -1L }, raw: Array.Empty<byte>()));
        Assert.Contains("impossible shape [-1]", Assert.Throws<OnnxFormatException>(() => OnnxReader.Read(file)).Message);
    }

    [Fact]
    public void ExternalDataIsRefusedWithTheReason()
    {
        byte[] tensor = Tensor("w", 1, new[] { 2L }, raw: null).Concat(OnnxBytes.VarintField(14, 1)).ToArray(); // data_location = EXTERNAL
        var error = Assert.Throws<OnnxFormatException>(() => OnnxReader.Read(Model(tensor)));
        Assert.Contains("tensor 'w' keeps its data in an external file", error.Message);
    }

    [Fact]
    public void AHandWrittenModelReadsItsTypedData()
    {
        // float_data packed, as older exporters write it, rather than raw_data.
        byte[] tensor = Tensor("w", 1, new[] { 2L }, raw: null)
            .Concat(OnnxBytes.Field(4, BitConverter.GetBytes(1.5f).Concat(BitConverter.GetBytes(-2f)).ToArray())).ToArray();
        OnnxModel model = OnnxReader.Read(Model(tensor));
        Assert.Equal(new[] { 1.5, -2 }, model.Graph.Initializers.Single().FloatValues);
        Assert.Equal(11, model.Opset);
        Assert.Equal("x", model.Graph.RuntimeInputs.Single().Name);
    }

    private enum Result { Refused, Read, Normalized }

    /// <summary>
    /// Refused by the reader, read (and then consistent) but refused by the normaliser, or normalised too; any other
    /// exception fails the test.
    /// </summary>
    private static Result Outcome(byte[] data, string label)
    {
        OnnxModel model;
        try
        {
            model = OnnxReader.Read(data);
        }
        catch (OnnxFormatException e)
        {
            Assert.False(string.IsNullOrEmpty(e.Message), label);
            return Result.Refused;
        }
        Assert.NotEmpty(model.Graph.Nodes);
        foreach (OnnxTensor t in model.Graph.Initializers)
        {
            long count = (t.FloatValues?.Length ?? t.IntValues?.Length) ?? t.ElementCount;
            Assert.Equal(t.ElementCount, count);
        }
        try
        {
            OnnxLayerGraph graph = OnnxGraphNormalizer.Normalize(model);
            Assert.NotNull(graph.Output);
            return Result.Normalized;
        }
        catch (OnnxFormatException e)
        {
            Assert.False(string.IsNullOrEmpty(e.Message), label);
            return Result.Read;
        }
    }

    /// <summary>A graph reading "x" through Add(x, w) into "y", at opset 11.</summary>
    private static byte[] Model(byte[] initializer) => OnnxBytes.Model(11,
        new[] { OnnxBytes.Node("Add", new[] { "x", "w" }, new[] { "y" }) }, new[] { initializer },
        new[] { OnnxBytes.ValueInfo("x") }, new[] { OnnxBytes.ValueInfo("y") });

    private static byte[] Tensor(string name, int dataType, long[] dims, byte[]? raw) =>
        raw is null ? OnnxBytes.TensorHeader(name, dataType, dims)
            : OnnxBytes.TensorHeader(name, dataType, dims).Concat(OnnxBytes.Field(9, raw)).ToArray();
}
