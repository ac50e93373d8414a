using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NeuralNet.Gen.Generators.Parsing;

namespace NeuralNet.Gen.CodeFixes;

/// <summary>Syntax rewriting several code fixes share.</summary>
internal static class FixHelpers
{
    /// <summary>
    /// The layer attribute with its activation argument set to <paramref name="activation"/> (an Activation member
    /// name), written the way the user wrote the old one; added after the positional arguments when absent.
    /// </summary>
    public static AttributeSyntax WithActivation(AttributeSyntax layer, string activation, SemanticModel model)
    {
        var arguments = layer.ArgumentList?.Arguments ?? default;
        int position = model.GetSymbolInfo(layer).Symbol is IMethodSymbol constructor
            ? constructor.Parameters.FirstOrDefault(p => p.Name == "activation")?.Ordinal ?? 1
            : 1;
        var existing = arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == "activation")
            ?? (arguments.Count > position && arguments.Take(position + 1).All(a => a.NameColon is null && a.NameEquals is null) ? arguments[position] : null);

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
            value = SyntaxFactory.ParseExpression(ActivationTypeInScope(model, layer.SpanStart) ? $"Activation.{activation}" : $"global::NeuralNet.Gen.Activation.{activation}");
        }

        if (existing is not null) return layer.ReplaceNode(existing.Expression, value.WithTriviaFrom(existing.Expression));

        // Goes right after the positional arguments (units, kernel size); named property arguments stay last.
        var argument = SyntaxFactory.AttributeArgument(value);
        var list = layer.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
        int index = list.Arguments.TakeWhile(a => a.NameEquals is null && a.NameColon is null).Count();
        return layer.WithArgumentList(list.WithArguments(list.Arguments.Insert(index, argument)));
    }

    internal static bool ActivationTypeInScope(SemanticModel model, int position) =>
        model.LookupNamespacesAndTypes(position, name: "Activation").OfType<INamedTypeSymbol>()
            .Any(t => t.ContainingNamespace?.ToDisplayString() == NetworkParser.AttributeNamespace);
}
