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

/// <summary>NNG0016 on a class with network attributes but no <c>[Network]</c>: puts <c>[Network]</c> on its own line above them.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddNetworkAttributeCodeFix)), Shared]
public sealed class AddNetworkAttributeCodeFix() : NetworkCodeFix(DiagnosticIds.NetworkUsage)
{
    private protected override FixOffer? Offer(SyntaxNode root, Diagnostic diagnostic, string fixKind)
    {
        if (fixKind != FixKinds.AddNetwork) return null;
        var attribute = root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<AttributeSyntax>();
        if (attribute?.Parent is not AttributeListSyntax list || list.Parent is not ClassDeclarationSyntax) return null;
        return new FixOffer("Add [Network]", nameof(AddNetworkAttributeCodeFix), (document, ct) => AddNetworkAsync(document, attribute, list, ct));
    }

    private static async Task<Document> AddNetworkAsync(Document document, AttributeSyntax attribute, AttributeListSyntax list, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null) return document;
        // Qualified as the attribute it joins, so it binds wherever that one does.
        NameSyntax name = attribute.Name is QualifiedNameSyntax qualified
            ? SyntaxFactory.QualifiedName(qualified.Left, SyntaxFactory.IdentifierName("Network"))
            : SyntaxFactory.IdentifierName("Network");
        // The new line takes over the list's leading trivia (comments, indentation); the list keeps its indentation.
        var leading = list.GetLeadingTrivia();
        var indentation = leading.LastOrDefault();
        var indent = indentation.IsKind(SyntaxKind.WhitespaceTrivia) ? SyntaxFactory.TriviaList(indentation) : SyntaxFactory.TriviaList();
        var newLine = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var network = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(name)))
            .WithLeadingTrivia(leading)
            .WithTrailingTrivia(newLine.IsKind(SyntaxKind.EndOfLineTrivia) ? newLine : SyntaxFactory.LineFeed);
        var declaration = (ClassDeclarationSyntax)list.Parent!;
        var lists = declaration.AttributeLists.Replace(list, list.WithLeadingTrivia(indent)).Insert(declaration.AttributeLists.IndexOf(list), network);
        return document.WithSyntaxRoot(root.ReplaceNode(declaration, declaration.WithAttributeLists(lists)));
    }
}
