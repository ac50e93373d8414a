using System;
using System.IO;
using System.IO.Compression;

namespace FashionMnistCnn;

/// <summary>Reads the IDX files of MNIST and Fashion-MNIST (gzip-compressed or not): big-endian header, then bytes.</summary>
public static class Idx
{
    /// <summary>Images as floats in [0, 1], row-major [count, rows * columns] (one channel, so already HWC).</summary>
    public static float[] ReadImages(string path, out int count, out int rows, out int columns)
    {
        var bytes = ReadAll(path);
        if (bytes.Length < 16 || ReadInt32(bytes, 0) != 0x00000803) throw new InvalidDataException($"{path} is not an IDX image file (magic 0x00000803 expected).");
        count = ReadInt32(bytes, 4);
        rows = ReadInt32(bytes, 8);
        columns = ReadInt32(bytes, 12);
        long expected = 16L + (long)count * rows * columns;
        if (bytes.Length != expected) throw new InvalidDataException($"{path}: expected {expected} bytes for {count} images of {rows}x{columns}, found {bytes.Length}.");
        var images = new float[count * rows * columns];
        for (int i = 0; i < images.Length; i++) images[i] = bytes[16 + i] / 255f;
        return images;
    }

    /// <summary>Labels as one-hot rows [count, classes].</summary>
    public static float[] ReadOneHotLabels(string path, int classes, out byte[] labels)
    {
        var bytes = ReadAll(path);
        if (bytes.Length < 8 || ReadInt32(bytes, 0) != 0x00000801) throw new InvalidDataException($"{path} is not an IDX label file (magic 0x00000801 expected).");
        int count = ReadInt32(bytes, 4);
        if (bytes.Length != 8 + count) throw new InvalidDataException($"{path}: expected {8 + count} bytes for {count} labels, found {bytes.Length}.");
        labels = bytes.AsSpan(8).ToArray();
        var oneHot = new float[count * classes];
        for (int i = 0; i < count; i++)
        {
            if (labels[i] >= classes) throw new InvalidDataException($"{path}: label {labels[i]} at {i} is not below {classes}.");
            oneHot[i * classes + labels[i]] = 1;
        }
        return oneHot;
    }

    private static byte[] ReadAll(string path)
    {
        using var file = File.OpenRead(path);
        using var memory = new MemoryStream();
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            gzip.CopyTo(memory);
        }
        else
        {
            file.CopyTo(memory);
        }
        return memory.ToArray();
    }

    private static int ReadInt32(byte[] bytes, int offset) => (bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];
}
