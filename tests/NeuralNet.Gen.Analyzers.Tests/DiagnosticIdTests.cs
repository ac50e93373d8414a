using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using NeuralNet.Gen.Analyzers;
using NeuralNet.Gen.Generators.Parsing;
using Xunit;

namespace NeuralNet.Gen.Analyzers.Tests;

/// <summary>The diagnostic ids are constants in one place; release tracking and descriptors agree with them.</summary>
public sealed class DiagnosticIdTests
{
    private static string[] Ids() => typeof(DiagnosticIds)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .OrderBy(id => id, System.StringComparer.Ordinal)
        .ToArray();

    private static DiagnosticDescriptor[] Descriptors() => typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToArray();

    [Fact]
    public void Every_id_constant_has_exactly_one_descriptor()
    {
        var ids = Ids();
        Assert.Equal(24, ids.Length);
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.Equal(ids, Descriptors().Select(d => d.Id).OrderBy(id => id, System.StringComparer.Ordinal));
        Assert.All(ids, id => Assert.Same(DiagnosticDescriptors.Find(id), Descriptors().Single(d => d.Id == id)));
    }

    [Fact]
    public void Analyzer_releases_list_exactly_the_ids_with_the_descriptors_titles_and_severities()
    {
        var folder = Path.Combine(NetworkAnalyzerTests.RepositoryRoot(), "analyzers", "NeuralNet.Gen.Analyzers");
        var rows = new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" }
            .SelectMany(file => File.ReadAllLines(Path.Combine(folder, file)))
            .Where(line => line.StartsWith("NNG", System.StringComparison.Ordinal))
            .Select(line => line.Split('|').Select(cell => cell.Trim()).ToArray())
            .ToArray();

        Assert.Equal(Ids(), rows.Select(r => r[0]).OrderBy(id => id, System.StringComparer.Ordinal));
        foreach (var row in rows)
        {
            var descriptor = DiagnosticDescriptors.Find(row[0])!;
            Assert.Equal(descriptor.Category, row[1]);
            Assert.Equal(descriptor.DefaultSeverity.ToString(), row[2]);
            Assert.Equal(descriptor.Title.ToString(System.Globalization.CultureInfo.InvariantCulture), row[3]);
        }
    }
}
