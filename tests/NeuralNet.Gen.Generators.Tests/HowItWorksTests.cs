using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace NeuralNet.Gen.Generators.Tests;

/// <summary>docs/how-it-works.md quotes the generated code of the GenderPrediction sample: each quote must still be emitted.</summary>
public sealed class HowItWorksTests
{
    [Fact]
    public void EveryQuoteIsWhatTheGeneratorEmitsForTheGenderSample()
    {
        string root = RepositoryRoot();
        string sample = File.ReadAllText(Path.Combine(root, "samples", "GenderPrediction", "GenderNet.cs"));
        var (_, result, _) = GeneratorHarness.Run(sample);
        string[] generated = Lines(GeneratorHarness.SingleSource(result));

        string page = File.ReadAllText(Path.Combine(root, "docs", "how-it-works.md")).Replace("\r\n", "\n");
        var quotes = Regex.Matches(page, "```csharp\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        Assert.True(quotes.Count >= 8, $"expected the page to quote the forward pass, loss, backward pass and update; found {quotes.Count} quotes");
        foreach (var quote in quotes)
        {
            string[] lines = Lines(quote);
            Assert.True(ContainsRun(generated, lines), "docs/how-it-works.md quotes code the generator no longer emits:\n" + quote);
        }

        // And the page shows the declaration the sample really has.
        var declaration = Regex.Match(page, "```cs\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
        Assert.True(ContainsRun(Lines(sample), Lines(declaration)), "the declaration on the page differs from samples/GenderPrediction");
    }

    /// <summary>Lines without their indentation; blank lines dropped (the page may space a quote differently).</summary>
    private static string[] Lines(string text) =>
        text.Replace("\r\n", "\n").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();

    private static bool ContainsRun(string[] haystack, string[] needle)
    {
        if (needle.Length == 0) return false;
        for (int start = 0; start + needle.Length <= haystack.Length; start++)
        {
            if (needle.Select((line, i) => haystack[start + i] == line).All(same => same)) return true;
        }
        return false;
    }

    private static string RepositoryRoot()
    {
        var directory = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(directory, "NeuralNet.Gen.sln"))) directory = Path.GetDirectoryName(directory)!;
        return directory;
    }
}
