using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using NeuralNet.Gen.Generators.Parsing;

namespace NeuralNet.Gen.Analyzers;

/// <summary>
/// NNG0016, the two mistakes whose only other symptom is a C# error far from the cause: network attributes on a class
/// without <c>[Network]</c> (the generator skips it, so the user meets CS1061 on <c>Summary</c> at a call site), and a
/// training member used on a network without <c>[Loss]</c> (inference-only, so CS1061, or CS0411 for <c>Fit</c>).
/// The C# error stays (errors cannot be suppressed); this one, at the same place, says what to add.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NetworkUsageAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property naming what is missing: <see cref="MissingNetwork"/> or <see cref="MissingLoss"/>.</summary>
    public const string MissingProperty = "NNG0016.Missing";
    public const string MissingNetwork = "Network";
    public const string MissingLoss = "Loss";

    private const string AttributeNamespace = "NeuralNet.Gen";

    /// <summary>Members that only a network with a loss has: ITrainableNetwork's and the runtime's training extensions.</summary>
    private static readonly ImmutableHashSet<string> TrainingMembers = ImmutableHashSet.Create(
        "Fit", "Evaluate", "TrainStep", "ComputeGradients", "ComputeLoss", "Gradients", "LearningRate", "ResetOptimizerState", "Loss", "Optimizer");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(DiagnosticDescriptors.NetworkAttributeMissing);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
        context.RegisterSyntaxNodeAction(AnalyzeMemberAccess, SyntaxKind.SimpleMemberAccessExpression);
    }

    private static void AnalyzeType(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind != TypeKind.Class) return;
        var attributes = type.GetAttributes();
        if (attributes.Any(a => IsOurs(a, "NetworkAttribute"))) return;
        var first = attributes.FirstOrDefault(a => IsOurs(a, null));
        if (first?.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is not AttributeSyntax syntax) return;

        string name = Shorten(first.AttributeClass!.Name);
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NetworkAttributeMissing, syntax.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(MissingProperty, MissingNetwork).Add(FixKinds.PropertyName, FixKinds.AddNetwork),
            $"'{type.Name}' has [{name}] but no [Network], so no network code is generated for it (no Forward, Summary or TrainStep): add [Network] before [{name}]"));
    }

    private static void AnalyzeMemberAccess(SyntaxNodeAnalysisContext context)
    {
        var access = (MemberAccessExpressionSyntax)context.Node;
        string member = access.Name.Identifier.ValueText;
        if (!TrainingMembers.Contains(member)) return;
        // Only where C# found nothing to call: a member of the user's own, or an extension that fits, is not ours to judge.
        var symbol = context.SemanticModel.GetSymbolInfo(access, context.CancellationToken);
        if (symbol.Symbol is not null) return;
        if (context.SemanticModel.GetTypeInfo(access.Expression, context.CancellationToken).Type is not INamedTypeSymbol { TypeKind: TypeKind.Class } type) return;
        var attributes = type.GetAttributes();
        if (!attributes.Any(a => IsOurs(a, "NetworkAttribute")) || attributes.Any(a => IsOurs(a, "LossAttribute"))) return;

        string what = member is "Fit" or "Evaluate" or "TrainStep" or "ComputeGradients" or "ComputeLoss" or "ResetOptimizerState" ? member + "()" : member;
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NetworkAttributeMissing, access.Name.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(MissingProperty, MissingLoss),
            $"'{type.Name}' has no [Loss], so it is inference-only and has no {what}: add a loss to train it, e.g. [Loss(LossFunction.MeanSquaredError)] for regression or [Loss(LossFunction.CategoricalCrossEntropy)] for classes"
            + (member == "Evaluate" ? ", or pass the loss to measure with: Evaluate(inputs, targets, LossFunction.MeanSquaredError)" : "")));
    }

    /// <summary>An attribute of the NeuralNet.Gen namespace: the one named <paramref name="name"/>, or any but [Network] when null.</summary>
    private static bool IsOurs(AttributeData attribute, string? name) =>
        attribute.AttributeClass is { } cls && cls is not IErrorTypeSymbol && cls.ContainingNamespace?.ToDisplayString() == AttributeNamespace
        && (name is null ? cls.Name != "NetworkAttribute" : cls.Name == name);

    private static string Shorten(string attributeName) =>
        attributeName.EndsWith("Attribute", System.StringComparison.Ordinal) ? attributeName.Substring(0, attributeName.Length - "Attribute".Length) : attributeName;
}
