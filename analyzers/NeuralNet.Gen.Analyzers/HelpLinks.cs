using System.Collections.Concurrent;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace NeuralNet.Gen.Analyzers;

/// <summary>
/// Help links with a base chosen at build time: the MSBuild property <c>NeuralNetGenHelpLinkBase</c> (made visible to
/// analyzers by the package's <c>build/NeuralNet.Gen.props</c>, which defaults it to the pages packed with the
/// package) is the address that "NNG0020.md" and the other page names are appended to.
/// </summary>
internal static class HelpLinks
{
    public const string PropertyName = "NeuralNetGenHelpLinkBase";

    private static readonly ConcurrentDictionary<(string Base, string Id), DiagnosticDescriptor> Rebased = new();

    /// <summary>The configured base, ending in '/', or <see cref="DiagnosticDescriptors.HelpLinkBase"/> when none is set.</summary>
    public static string Base(AnalyzerOptions options)
    {
        if (!options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue("build_property." + PropertyName, out var value)) return DiagnosticDescriptors.HelpLinkBase;
        value = value.Trim();
        if (value.Length == 0) return DiagnosticDescriptors.HelpLinkBase;
        return value.EndsWith("/", System.StringComparison.Ordinal) ? value : value + "/";
    }

    /// <summary>The descriptor with its help link on the configured base (same ID, so still a supported diagnostic).</summary>
    public static DiagnosticDescriptor For(DiagnosticDescriptor descriptor, AnalyzerOptions options)
    {
        string linkBase = Base(options);
        if (linkBase == DiagnosticDescriptors.HelpLinkBase) return descriptor;
        return Rebased.GetOrAdd((linkBase, descriptor.Id), key => new DiagnosticDescriptor(descriptor.Id, descriptor.Title, descriptor.MessageFormat,
            descriptor.Category, descriptor.DefaultSeverity, descriptor.IsEnabledByDefault, descriptor.Description,
            key.Base + descriptor.Id + ".md", descriptor.CustomTags.ToArray()));
    }
}
