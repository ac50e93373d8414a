using System;
using System.IO;
using System.Linq;
using NeuralNet.Gen.Data;

namespace NeuralNet.Gen.Samples;

/// <summary>Fashion-MNIST as the FashionMnist samples read it: Debian's dataset-fashion-mnist, or a folder of IDX files.</summary>
public static class FashionMnistData
{
    /// <summary>Where Debian's dataset-fashion-mnist package puts the IDX files.</summary>
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>
    /// The training and test sets, the training set cut to its first <paramref name="limit"/> images when positive;
    /// null, with the reason and the fix on standard error, when the files cannot be read.
    /// </summary>
    public static (Dataset<float> Train, Dataset<float> Test)? Load(string folder, int limit)
    {
        Dataset<float> train, test;
        try
        {
            train = Mnist.Load<float>(folder, "train");
            test = Mnist.Load<float>(folder, "t10k");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            Console.Error.WriteLine($"Cannot read Fashion-MNIST from {folder}: {e.Message}");
            Console.Error.WriteLine("Install it with 'apt-get install dataset-fashion-mnist' or give the folder holding the IDX files.");
            return null;
        }
        if (limit > 0 && limit < train.Count) train = train.Select(Enumerable.Range(0, limit).ToArray());
        return (train, test);
    }
}
