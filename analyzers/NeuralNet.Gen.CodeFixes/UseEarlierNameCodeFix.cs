using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NeuralNet.Gen.Generators.Parsing;

namespace NeuralNet.Gen.CodeFixes;

/// <summary>
/// NNG0013: an <c>Add</c> or <c>Concatenate</c> that names no earlier layer, where an earlier name is close to the one
/// written (a typo): replaces the string with that name. The analyzer passes the name after the fix kind.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseEarlierNameCodeFix)), Shared]
public sealed class UseEarlierNameCodeFix() : NetworkCodeFix(DiagnosticIds.NameReference)
{
    private const string Prefix = FixKinds.RenameReference + ":";

    private protected override FixOffer? Offer(SyntaxNode root, Diagnostic diagnostic, string fixKind)
    {
        if (!fixKind.StartsWith(Prefix, System.StringComparison.Ordinal)) return null;
        string name = fixKind.Substring(Prefix.Length);
        if (diagnostic.Location.SourceTree != root.SyntaxTree) return null;
        if (root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<AttributeArgumentSyntax>() is not { Expression: LiteralExpressionSyntax literal }
            || !literal.IsKind(SyntaxKind.StringLiteralExpression)) return null;
        return new FixOffer($"Use \"{name}\"", nameof(UseEarlierNameCodeFix), (document, ct) => ReplaceAsync(document, literal, name, ct));
    }

    private static async Task<Document> ReplaceAsync(Document document, LiteralExpressionSyntax literal, string name, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null) return document;
        var replacement = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(name)).WithTriviaFrom(literal);
        return document.WithSyntaxRoot(root.ReplaceNode(literal, replacement));
    }
}
