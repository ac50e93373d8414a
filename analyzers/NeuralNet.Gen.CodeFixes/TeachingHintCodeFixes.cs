using System.Collections.Generic;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NeuralNet.Gen.Analyzers;
using NeuralNet.Gen.Generators.Parsing;

namespace NeuralNet.Gen.CodeFixes;

/// <summary>
/// NNG0020 and NNG0023: Relu on the layer the hint names (NNG0020) or on every hidden layer of the Sigmoid/Tanh run
/// (NNG0023: the flagged layer and the additional locations).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseReluCodeFix)), Shared]
public sealed class UseReluCodeFix() : NetworkCodeFix(DiagnosticIds.LinearDenseStack, DiagnosticIds.SaturatingStack)
{
    private protected override FixOffer? Offer(SyntaxNode root, Diagnostic diagnostic, string fixKind)
    {
        if (fixKind != TeachingHints.UseRelu) return null;
        var spans = new List<Location> { diagnostic.Location };
        // NNG0020's additional location is the next Dense layer, which keeps its activation.
        if (diagnostic.Id == DiagnosticIds.SaturatingStack) spans.AddRange(diagnostic.AdditionalLocations);
        if (spans.Any(l => l.SourceTree != root.SyntaxTree)) return null;
        var layers = spans.Select(l => root.FindNode(l.SourceSpan).FirstAncestorOrSelf<AttributeSyntax>()).ToList();
        if (layers.Any(l => l is null)) return null;
        string title = layers.Count == 1 ? "Use Activation.Relu on this layer" : "Use Activation.Relu on the hidden layers";
        return new FixOffer(title, nameof(UseReluCodeFix), (document, ct) => UseReluAsync(document, layers!, ct));
    }

    private static async Task<Document> UseReluAsync(Document document, IReadOnlyList<AttributeSyntax> layers, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return document;
        var updated = layers.ToDictionary(l => l, l => FixHelpers.WithActivation(l, "Relu", model));
        return document.WithSyntaxRoot(root.ReplaceNodes(layers, (original, _) => updated[original]));
    }
}

/// <summary>NNG0021: the loss argument becomes <c>LossFunction.CategoricalCrossEntropy</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseCrossEntropyCodeFix)), Shared]
public sealed class UseCrossEntropyCodeFix() : NetworkCodeFix(DiagnosticIds.SoftmaxWithRegressionLoss)
{
    private protected override FixOffer? Offer(SyntaxNode root, Diagnostic diagnostic, string fixKind)
    {
        if (fixKind != TeachingHints.UseCategoricalCrossEntropy) return null;
        if (root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<AttributeArgumentSyntax>() is not { } argument) return null;
        return new FixOffer("Use LossFunction.CategoricalCrossEntropy", nameof(UseCrossEntropyCodeFix),
            (document, ct) => ReplaceAsync(document, argument.Expression, "CategoricalCrossEntropy", ct));
    }

    private static async Task<Document> ReplaceAsync(Document document, ExpressionSyntax loss, string member, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null) return document;
        ExpressionSyntax value = loss is MemberAccessExpressionSyntax access
            ? access.WithName(SyntaxFactory.IdentifierName(member)) // keeps LossFunction. or a longer qualification
            : SyntaxFactory.IdentifierName(member);                 // written with 'using static NeuralNet.Gen.LossFunction'
        return document.WithSyntaxRoot(root.ReplaceNode(loss, value.WithTriviaFrom(loss)));
    }
}

/// <summary>NNG0022: the learning rate becomes the optimizer's default.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseUsualLearningRateCodeFix)), Shared]
public sealed class UseUsualLearningRateCodeFix() : NetworkCodeFix(DiagnosticIds.LearningRateTooHigh)
{
    private protected override FixOffer? Offer(SyntaxNode root, Diagnostic diagnostic, string fixKind)
    {
        if (fixKind != TeachingHints.UseUsualLearningRate) return null;
        if (root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<AttributeArgumentSyntax>() is not { NameEquals: not null } argument) return null;
        if (argument.FirstAncestorOrSelf<AttributeSyntax>() is not { } optimizer) return null;
        // The optimizer is the attribute's first argument, an OptimizerKind member (the analyzer has bound it); absent, it is Adam.
        var kindArgument = optimizer.ArgumentList!.Arguments.FirstOrDefault(a => a.NameEquals is null);
        string? kind = kindArgument?.Expression switch
        {
            null => "Adam",
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            IdentifierNameSyntax name => name.Identifier.ValueText, // 'using static NeuralNet.Gen.OptimizerKind'
            _ => null,
        };
        if (kind is null || TeachingHints.UsualLearningRate(kind) is not { } usual) return null;
        return new FixOffer($"Use the usual learning rate {usual}", nameof(UseUsualLearningRateCodeFix),
            (document, ct) => UseAsync(document, argument, usual, ct));
    }

    private static async Task<Document> UseAsync(Document document, AttributeArgumentSyntax argument, string usual, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return document;
        // A float property (or a float literal the user wrote) takes an 'f' suffix.
        bool single = model.GetSymbolInfo(argument.NameEquals!.Name, cancellationToken).Symbol is IPropertySymbol { Type.SpecialType: SpecialType.System_Single }
            || argument.Expression.ToString().TrimEnd().EndsWith("f", System.StringComparison.OrdinalIgnoreCase);
        string literal = single ? usual + "f" : usual;
        return document.WithSyntaxRoot(root.ReplaceNode(argument.Expression, SyntaxFactory.ParseExpression(literal).WithTriviaFrom(argument.Expression)));
    }
}

/// <summary>NNG0024: removes the Dropout attribute after the output layer (its list too when it was alone in it).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveOutputDropoutCodeFix)), Shared]
public sealed class RemoveOutputDropoutCodeFix() : NetworkCodeFix(DiagnosticIds.DropoutOnOutput)
{
    private protected override FixOffer? Offer(SyntaxNode root, Diagnostic diagnostic, string fixKind)
    {
        if (fixKind != TeachingHints.RemoveAttribute) return null;
        if (root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<AttributeSyntax>() is not { Parent: AttributeListSyntax list } dropout) return null;
        return new FixOffer("Remove the Dropout after the output layer", nameof(RemoveOutputDropoutCodeFix),
            async (document, ct) =>
            {
                var current = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
                if (current is null) return document;
                SyntaxNode? updated = list.Attributes.Count == 1
                    ? current.RemoveNode(list, SyntaxRemoveOptions.KeepUnbalancedDirectives) // the whole line goes
                    : current.ReplaceNode(list, list.WithAttributes(list.Attributes.Remove(dropout)));
                return updated is null ? document : document.WithSyntaxRoot(updated);
            });
    }
}
