using System;
using System.IO;

namespace NeuralNet.Gen.Data;

/// <summary>Loads MNIST-format data sets (MNIST, Fashion-MNIST) from a folder of IDX files.</summary>
public static class Mnist
{
    /// <summary>
    /// Reads <c>{prefix}-images-idx3-ubyte</c> and <c>{prefix}-labels-idx1-ubyte</c> (each raw or with <c>.gz</c>) from
    /// <paramref name="folder"/>; prefix is "train" or "t10k". Pixels are scaled to [0, 1], labels one-hot encoded over 10 classes.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is damaged, or images and labels do not match.</exception>
    public static Dataset<T> Load<T>(string folder, string prefix) where T : unmanaged
    {
        string imagesPath = Find(folder, prefix + "-images-idx3-ubyte");
        string labelsPath = Find(folder, prefix + "-labels-idx1-ubyte");
        var images = IdxFile.Read(imagesPath);
        var labels = IdxFile.Read(labelsPath);
        if (images.DataType != IdxDataType.UnsignedByte || images.Dimensions.Length != 3)
            throw new InvalidDataException($"{imagesPath}: expected unsigned-byte images of rank 3 (count, rows, columns) but found {images.DataType} of rank {images.Dimensions.Length}.");
        if (labels.DataType != IdxDataType.UnsignedByte || labels.Dimensions.Length != 1)
            throw new InvalidDataException($"{labelsPath}: expected unsigned-byte labels of rank 1 but found {labels.DataType} of rank {labels.Dimensions.Length}.");
        if (images.Dimensions[0] != labels.Dimensions[0])
            throw new InvalidDataException($"{imagesPath} holds {images.Dimensions[0]} images but {labelsPath} holds {labels.Dimensions[0]} labels.");
        var classes = labels.ToInt32Array();
        for (int i = 0; i < classes.Length; i++)
            if (classes[i] > 9) throw new InvalidDataException($"{labelsPath}: offset {8 + i}: label {i} is {classes[i]}; expected 0 to 9.");
        int pixels = images.Dimensions[1] * images.Dimensions[2];
        return new Dataset<T>(images.ToArray<T>(1.0 / 255), Preprocessing.OneHot<T>(classes, 10), pixels, 10);
    }

    private static string Find(string folder, string name)
    {
        foreach (string candidate in new[] { Path.Combine(folder, name + ".gz"), Path.Combine(folder, name) })
            if (File.Exists(candidate)) return candidate;
        throw new FileNotFoundException($"Neither {name} nor {name}.gz is in {folder}.", Path.Combine(folder, name));
    }
}
