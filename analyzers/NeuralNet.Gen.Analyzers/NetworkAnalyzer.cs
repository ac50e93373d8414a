using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using NeuralNet.Gen.Generators.Model;
using NeuralNet.Gen.Generators.Parsing;
using NeuralNet.Gen.Weights;

namespace NeuralNet.Gen.Analyzers;

/// <summary>
/// Reports every architecture finding of a [Network] class (NNG0001 to NNG0008, NNG0010 to NNG0015), and the teaching
/// hints about its declaration (NNG0020-NNG0024, NNG0026) from the same parse. It calls the generator's own parser, so
/// what it accepts is exactly what the generator emits; it only turns the parser's findings into diagnostics at the
/// attribute or argument they name. Hints are looked for only in networks the parser accepts, so a hint never adds
/// to an architecture error.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NetworkAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableArray<DiagnosticDescriptor> Supported =
        DiagnosticDescriptors.ParserDescriptors.AddRange(DiagnosticDescriptors.TeachingDescriptors);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Supported;

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

        var result = NetworkParser.Parse(type, context.CancellationToken);
        IEnumerable<ParseDiagnostic> findings = result.Diagnostics;
        // A network that takes its layers from its file is checked the same way, after they are read (NNG0014 gives them).
        if ((result.Spec ?? result.FromWeights) is { Weights: not null } spec)
        {
            // The same binding as the generator's, so a file accepted here is a file the generator bakes in.
            var files = context.Options.AdditionalFiles.Where(f => WeightsFile.IsCandidate(f.Path))
                .Select(f => ReadCached(f, context.CancellationToken));
            findings = findings.Concat(WeightsBinding.Check(spec, files).Findings);
        }
        foreach (var finding in findings)
        {
            var descriptor = DiagnosticDescriptors.Find(finding.Id);
            if (descriptor is null) continue;
            var location = Locate(finding, type, attributes, context.CancellationToken);
            var additional = finding.RelatedAttributeIndex >= 0 && AttributeSyntaxAt(attributes, finding.RelatedAttributeIndex, context.CancellationToken) is { } related
                ? new[] { related.GetLocation() }
                : null;
            var properties = finding.Fix is null
                ? ImmutableDictionary<string, string?>.Empty
                : ImmutableDictionary<string, string?>.Empty.Add(FixKinds.PropertyName, finding.Fix);
            context.ReportDiagnostic(Diagnostic.Create(HelpLinks.For(descriptor, context.Options), location, additional, properties, finding.Message));
        }
        if (result.Spec is { } accepted) ReportHints(context, type, attributes, accepted);
    }

    private static void ReportHints(SymbolAnalysisContext context, INamedTypeSymbol type, ImmutableArray<AttributeData> attributes, NetworkSpec spec)
    {
        foreach (var hint in TeachingHints.Find(spec, attributes))
        {
            var finding = hint.Finding;
            if (DiagnosticDescriptors.Find(finding.Id) is not { } descriptor) continue;
            var location = Locate(finding, type, attributes, context.CancellationToken);
            var related = hint.RelatedAttributeIndices
                .Select(i => AttributeSyntaxAt(attributes, i, context.CancellationToken)?.GetLocation())
                .OfType<Location>().ToList();
            var properties = finding.Fix is null
                ? ImmutableDictionary<string, string?>.Empty
                : ImmutableDictionary<string, string?>.Empty.Add(FixKinds.PropertyName, finding.Fix);
            context.ReportDiagnostic(Diagnostic.Create(HelpLinks.For(descriptor, context.Options), location, related, properties, finding.Message));
        }
    }

    /// <summary>Files read once per AdditionalText (a changed file is a new AdditionalText), not once per analysed class.</summary>
    private static readonly ConditionalWeakTable<AdditionalText, WeightsFile> FileCache = new();

    private static WeightsFile ReadCached(AdditionalText text, CancellationToken cancellationToken) =>
        FileCache.GetValue(text, t => WeightsFile.Read(t, cancellationToken));

    /// <summary>The argument, attribute or class name a finding is about.</summary>
    internal static Location Locate(ParseDiagnostic finding, INamedTypeSymbol type, ImmutableArray<AttributeData> attributes, CancellationToken cancellationToken)
    {
        if (finding.Target == DiagnosticTarget.ClassName || finding.AttributeIndex < 0 || finding.AttributeIndex >= attributes.Length)
        {
            return ClassNameLocation(finding, type, attributes, cancellationToken);
        }
        var attribute = attributes[finding.AttributeIndex];
        if (AttributeSyntaxAt(attributes, finding.AttributeIndex, cancellationToken) is not { } syntax) return type.Locations.FirstOrDefault() ?? Location.None;
        if (finding.Target == DiagnosticTarget.Argument && FindArgument(syntax, attribute, finding) is { } argument) return argument.GetLocation();
        return syntax.GetLocation();
    }

    private static Location ClassNameLocation(ParseDiagnostic finding, INamedTypeSymbol type, ImmutableArray<AttributeData> attributes, CancellationToken cancellationToken)
    {
        var declarations = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>().ToList();
        TypeDeclarationSyntax? declaration = null;
        if (finding.Id == DiagnosticIds.NotPartial && finding.ArgumentName is { } outer)
        {
            // A containing type that is not partial: the one around the network's declaration.
            declaration = declarations.Select(d => d.Ancestors().OfType<TypeDeclarationSyntax>()
                    .FirstOrDefault(a => a.Identifier.ValueText == outer && !a.Modifiers.Any(m => m.ValueText == "partial")))
                .FirstOrDefault(d => d is not null);
        }
        else if (finding.Id == DiagnosticIds.NotPartial)
        {
            declaration = declarations.FirstOrDefault(d => !d.Modifiers.Any(m => m.ValueText == "partial"));
        }
        if (declaration is null)
        {
            var network = attributes.FirstOrDefault(a => NetworkParser.IsNetworkAttribute(a, "NetworkAttribute"));
            declaration = network?.ApplicationSyntaxReference?.GetSyntax(cancellationToken).FirstAncestorOrSelf<TypeDeclarationSyntax>();
        }
        declaration ??= declarations.FirstOrDefault();
        return declaration?.Identifier.GetLocation() ?? type.Locations.FirstOrDefault() ?? Location.None;
    }

    internal static AttributeSyntax? AttributeSyntaxAt(ImmutableArray<AttributeData> attributes, int index, CancellationToken cancellationToken) =>
        index >= 0 && index < attributes.Length ? attributes[index].ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax : null;

    /// <summary>The argument a finding names: a named property (<c>Stride = 0</c>), a constructor argument by name (<c>units: 0</c>) or by position.</summary>
    private static AttributeArgumentSyntax? FindArgument(AttributeSyntax syntax, AttributeData attribute, ParseDiagnostic finding)
    {
        var arguments = syntax.ArgumentList?.Arguments;
        if (arguments is null) return null;
        if (finding.ArgumentName is { } name)
        {
            return arguments.Value.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);
        }
        if (finding.ArgumentPosition < 0) return null;
        var parameters = attribute.AttributeConstructor?.Parameters ?? ImmutableArray<IParameterSymbol>.Empty;
        if (finding.ArgumentPosition < parameters.Length)
        {
            var parameterName = parameters[finding.ArgumentPosition].Name;
            var byName = arguments.Value.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == parameterName);
            if (byName is not null) return byName;
        }
        int position = 0;
        foreach (var argument in arguments.Value)
        {
            if (argument.NameEquals is not null) continue;
            if (argument.NameColon is not null) return null; // named arguments from here on; the one we want was left at its default
            if (position++ == finding.ArgumentPosition) return argument;
        }
        return null;
    }
}
