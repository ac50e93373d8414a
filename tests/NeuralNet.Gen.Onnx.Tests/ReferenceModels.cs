using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace NeuralNet.Gen.Onnx.Tests;

/// <summary>The files tests/TestData/onnx/make_models.py wrote, copied next to the test assembly.</summary>
internal static class ReferenceModels
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "onnx");

    /// <summary>Every committed .onnx file, by file name.</summary>
    public static IEnumerable<string> OnnxFiles =>
        Directory.GetFiles(Folder, "*.onnx").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static TheoryData<string> OnnxFileNames => new(OnnxFiles);

    public static byte[] Bytes(string fileName) => File.ReadAllBytes(Path.Combine(Folder, fileName));

    public static OnnxModel Read(string fileName) => OnnxReader.Read(Bytes(fileName));

    /// <summary>What the script recorded with the onnx package for one .onnx file.</summary>
    public static JsonElement GraphSummary(string fileName) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, fileName + ".graph.json"))).RootElement;

    /// <summary>The model's name: the .onnx file name without ".opset11" (or another opset) and ".onnx".</summary>
    public static string ModelName(string fileName) => System.Text.RegularExpressions.Regex.Replace(fileName, @"\.opset\d+", "").Replace(".onnx", "");

    /// <summary>The seeded input and PyTorch's output, each as (shape, row-major values).</summary>
    public static (long[] Shape, float[] Data) Io(string modelName, string which)
    {
        JsonElement root = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, modelName + ".io.json"))).RootElement;
        JsonElement part = root.GetProperty(which);
        return (part.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray(),
            part.GetProperty("data").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray());
    }
}
