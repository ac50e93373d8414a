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

/// <summary>NNG0001: adds the <c>partial</c> modifier to the network class.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddPartialCodeFix)), Shared]
public sealed class AddPartialCodeFix() : NetworkCodeFix(DiagnosticIds.NotPartial)
{
    private protected override FixOffer? Offer(SyntaxNode root, Diagnostic diagnostic, string fixKind)
    {
        if (fixKind != FixKinds.AddPartial) return null;
        var declaration = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<TypeDeclarationSyntax>();
        if (declaration is null || declaration.Modifiers.Any(SyntaxKind.PartialKeyword)) return null;
        return new FixOffer("Make the class partial", nameof(AddPartialCodeFix), (document, ct) => AddPartialAsync(document, declaration, ct));
    }

    private static async Task<Document> AddPartialAsync(Document document, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null) return document;
        TypeDeclarationSyntax updated;
        if (declaration.Modifiers.Count == 0)
        {
            // The keyword carries the line's indentation (and any comment); 'partial' takes it over.
            var keyword = declaration.Keyword;
            var partial = SyntaxFactory.Token(keyword.LeadingTrivia, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
            updated = declaration.WithKeyword(keyword.WithLeadingTrivia()).WithModifiers(SyntaxFactory.TokenList(partial));
        }
        else
        {
            // 'partial' must come right before 'class'.
            updated = declaration.WithModifiers(declaration.Modifiers.Add(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space)));
        }
        return document.WithSyntaxRoot(root.ReplaceNode(declaration, updated));
    }
}
