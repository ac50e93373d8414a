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

/// <summary>NNG0005 (Dense on a rank-3 shape): inserts <c>[Flatten]</c> right before the Dense layer.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertFlattenCodeFix)), Shared]
public sealed class InsertFlattenCodeFix() : NetworkCodeFix(DiagnosticIds.ShapeMismatch)
{
    private protected override FixOffer? Offer(SyntaxNode root, Diagnostic diagnostic, string fixKind)
    {
        if (fixKind != FixKinds.InsertFlatten) return null;
        if (root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<AttributeSyntax>() is not { Parent: AttributeListSyntax } attribute) return null;
        return new FixOffer("Insert [Flatten] before this layer", nameof(InsertFlattenCodeFix), (document, ct) => InsertFlattenAsync(document, attribute, ct));
    }

    private static async Task<Document> InsertFlattenAsync(Document document, AttributeSyntax dense, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || dense.Parent is not AttributeListSyntax list) return document;
        // Written the way the Dense attribute is written: Flatten, NeuralNet.Gen.Flatten or FlattenAttribute.
        var flatten = SyntaxFactory.Attribute(RenameLast(dense.Name));

        if (list.Attributes.Count > 1)
        {
            int index = list.Attributes.IndexOf(dense);
            return document.WithSyntaxRoot(root.ReplaceNode(list, list.WithAttributes(list.Attributes.Insert(index, flatten))));
        }

        // Its own line, indented like the Dense line.
        var indentation = list.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).LastOrDefault();
        var newList = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(flatten))
            .WithLeadingTrivia(list.GetLeadingTrivia())
            .WithTrailingTrivia(list.GetTrailingTrivia());
        var moved = list.WithLeadingTrivia(indentation == default ? SyntaxFactory.TriviaList() : SyntaxFactory.TriviaList(indentation));
        return document.WithSyntaxRoot(root.ReplaceNode(list, new[] { newList, moved }));
    }

    private static NameSyntax RenameLast(NameSyntax name)
    {
        string text = name.ToString().Replace(" ", "");
        int dot = text.LastIndexOf('.');
        string prefix = dot >= 0 ? text.Substring(0, dot + 1) : "";
        string last = dot >= 0 ? text.Substring(dot + 1) : text;
        string flatten = last.EndsWith("Attribute", System.StringComparison.Ordinal) ? "FlattenAttribute" : "Flatten";
        return SyntaxFactory.ParseName(prefix + flatten);
    }
}
