using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace NeuralNet.Gen.Runtime.Tests;

/// <summary>The README and docs are what a newcomer has: their links stay inside the repository, and they show the toolkit's knobs.</summary>
public class ReadmeTests
{
    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NeuralNet.Gen.sln"))) return dir.FullName;
        throw new InvalidOperationException("NeuralNet.Gen.sln not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void Relative_links_of_the_readme_and_docs_name_files_in_the_repository()
    {
        string root = Root();
        var pages = new[] { Path.Combine(root, "README.md") }.Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories));
        foreach (var page in pages)
        {
            foreach (Match link in Regex.Matches(File.ReadAllText(page), @"\]\(([^)#\s]+)(#[^)]*)?\)"))
            {
                string target = link.Groups[1].Value;
                if (target.Contains("://", StringComparison.Ordinal)) continue;
                string full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, target));
                Assert.True(full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal), $"{Path.GetFileName(page)} links outside the repository: {target}");
                Assert.True(File.Exists(full) || Directory.Exists(full), $"{Path.GetFileName(page)} links to a missing {target}");
            }
        }
    }

    [Fact]
    public void The_readme_shows_what_a_newcomer_needs_to_find()
    {
        string readme = File.ReadAllText(Path.Combine(Root(), "README.md"));
        foreach (var needed in new[] { "new CsvOptions", "LabelColumn", "CategoricalLabel", "Delimiter", "ToDataset(oneHot: true)",
                     "Preprocessing.OneHot", "OnEpochEnd", "Progress", "net.LearningRate =", "docs/contract.md", "NNG0016" })
            Assert.Contains(needed, readme);
        Assert.DoesNotContain("shared/DESIGN.md", readme);
    }
}
