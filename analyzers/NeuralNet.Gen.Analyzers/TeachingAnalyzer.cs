using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NeuralNet.Gen.Generators.Parsing;

namespace NeuralNet.Gen.Analyzers;

/// <summary>
/// The teaching hints about a network's own declaration (NNG0020-NNG0024, NNG0026): warnings and infos for a network
/// that builds and runs but whose setup works against what it is for. Only networks the parser accepts are looked at,
/// so a hint never adds to an architecture error.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TeachingAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.TeachingDescriptors;

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
    }

    private static void AnalyzeType(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind != TypeKind.Class) return;
        var attributes = type.GetAttributes();
        if (!attributes.Any(a => NetworkParser.IsNetworkAttribute(a, "NetworkAttribute"))) return;
        if (NetworkParser.Parse(type, context.CancellationToken).Spec is not { } spec) return;

        foreach (var hint in TeachingHints.Find(spec, attributes))
        {
            var finding = hint.Finding;
            if (DiagnosticDescriptors.Find(finding.Id) is not { } descriptor) continue;
            var location = NetworkAnalyzer.Locate(finding, type, attributes, context.CancellationToken);
            var related = hint.RelatedAttributeIndices
                .Select(i => NetworkAnalyzer.AttributeSyntaxAt(attributes, i, context.CancellationToken)?.GetLocation())
                .OfType<Location>().ToList();
            var properties = finding.Fix is null
                ? ImmutableDictionary<string, string?>.Empty
                : ImmutableDictionary<string, string?>.Empty.Add(FixKinds.PropertyName, finding.Fix);
            context.ReportDiagnostic(Diagnostic.Create(HelpLinks.For(descriptor, context.Options), location, related, properties, finding.Message));
        }
    }
}
