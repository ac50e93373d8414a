using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NeuralNet.Gen.Generators.Parsing;

namespace NeuralNet.Gen.CodeFixes;

/// <summary>
/// NNG0006: gives the output Dense layer the activation the loss needs (Sigmoid for BinaryCrossEntropy, Softmax for
/// CategoricalCrossEntropy). The analyzer passes the output layer's attribute as the diagnostic's additional location.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseOutputActivationCodeFix)), Shared]
public sealed class UseOutputActivationCodeFix() : NetworkCodeFix("NNG0006")
{
    private protected override FixOffer? Offer(SyntaxNode root, Diagnostic diagnostic, string fixKind)
    {
        string? activation = fixKind switch
        {
            FixKinds.UseSigmoid => "Sigmoid",
            FixKinds.UseSoftmax => "Softmax",
            _ => null,
        };
        if (activation is null || diagnostic.AdditionalLocations.Count == 0) return null;
        var location = diagnostic.AdditionalLocations[0];
        if (location.SourceTree != root.SyntaxTree) return null;
        if (root.FindNode(location.SourceSpan).FirstAncestorOrSelf<AttributeSyntax>() is not { } output) return null;
        return new FixOffer($"Use Activation.{activation} on the output layer", nameof(UseOutputActivationCodeFix) + activation,
            (document, ct) => UseActivationAsync(document, output, activation, ct));
    }

    private static async Task<Document> UseActivationAsync(Document document, AttributeSyntax output, string activation, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return document;

        var arguments = output.ArgumentList?.Arguments ?? default;
        var existing = arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == "activation")
            ?? (arguments.Count > 1 && arguments[1].NameColon is null && arguments[1].NameEquals is null ? arguments[1] : null);

        ExpressionSyntax value;
        if (existing?.Expression is MemberAccessExpressionSyntax member)
        {
            value = member.WithName(SyntaxFactory.IdentifierName(activation)); // keeps the user's qualification
        }
        else if (existing?.Expression is IdentifierNameSyntax)
        {
            value = SyntaxFactory.IdentifierName(activation); // written with 'using static NeuralNet.Gen.Activation'
        }
        else
        {
            value = SyntaxFactory.ParseExpression(ActivationTypeInScope(model, output.SpanStart) ? $"Activation.{activation}" : $"global::NeuralNet.Gen.Activation.{activation}");
        }

        AttributeSyntax updated;
        if (existing is not null)
        {
            updated = output.ReplaceNode(existing.Expression, value.WithTriviaFrom(existing.Expression));
        }
        else
        {
            // Goes right after the units argument; named property arguments stay last.
            var argument = SyntaxFactory.AttributeArgument(value);
            var list = output.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
            int index = list.Arguments.TakeWhile(a => a.NameEquals is null && a.NameColon is null).Count();
            updated = output.WithArgumentList(list.WithArguments(list.Arguments.Insert(index, argument)));
        }
        return document.WithSyntaxRoot(root.ReplaceNode(output, updated));
    }

    private static bool ActivationTypeInScope(SemanticModel model, int position) =>
        model.LookupNamespacesAndTypes(position, name: "Activation").OfType<INamedTypeSymbol>()
            .Any(t => t.ContainingNamespace?.ToDisplayString() == NetworkParser.AttributeNamespace);
}
