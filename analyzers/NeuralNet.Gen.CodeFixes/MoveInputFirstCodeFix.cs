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
/// NNG0002 ([Input] after a layer): moves [Input] before the first layer. The analyzer passes the first layer's
/// attribute as the diagnostic's additional location.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MoveInputFirstCodeFix)), Shared]
public sealed class MoveInputFirstCodeFix() : NetworkCodeFix(DiagnosticIds.InputPlacement)
{
    private protected override FixOffer? Offer(SyntaxNode root, Diagnostic diagnostic, string fixKind)
    {
        if (fixKind != FixKinds.MoveInputFirst || diagnostic.AdditionalLocations.Count == 0) return null;
        var first = diagnostic.AdditionalLocations[0];
        if (first.SourceTree != root.SyntaxTree) return null;
        var input = root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<AttributeSyntax>();
        var layer = root.FindNode(first.SourceSpan).FirstAncestorOrSelf<AttributeSyntax>();
        if (input?.Parent is not AttributeListSyntax inputList || layer?.Parent is not AttributeListSyntax layerList) return null;
        if (inputList.Parent is not MemberDeclarationSyntax declaration || layerList.Parent != declaration) return null;
        return new FixOffer("Move [Input] before the first layer", nameof(MoveInputFirstCodeFix), (document, ct) => MoveAsync(document, declaration, input, layer, ct));
    }

    private static async Task<Document> MoveAsync(Document document, MemberDeclarationSyntax declaration, AttributeSyntax input, AttributeSyntax layer, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null) return document;
        var inputList = (AttributeListSyntax)input.Parent!;
        var layerList = (AttributeListSyntax)layer.Parent!;
        var lists = declaration.AttributeLists;
        // Indices are taken before any edit: an edited list holds new node instances. [Input] comes after the layer.
        int inputListIndex = lists.IndexOf(inputList);
        int layerListIndex = lists.IndexOf(layerList);
        int layerIndex = layerList.Attributes.IndexOf(layer);

        SyntaxList<AttributeListSyntax> updated;
        if (inputList == layerList)
        {
            // [Dense(3), Input(2)] -> [Input(2), Dense(3)]
            var attributes = inputList.Attributes.RemoveAt(inputList.Attributes.IndexOf(input)).Insert(layerIndex, input);
            updated = lists.Replace(inputList, inputList.WithAttributes(attributes));
        }
        else if (inputList.Attributes.Count == 1 && layerList.Attributes.Count == 1)
        {
            // The [Input] line moves in front of the first layer and takes over its leading trivia (a doc comment stays
            // on top); the layer line keeps its indentation.
            var indentation = layerList.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).LastOrDefault();
            var movedInput = inputList.WithLeadingTrivia(layerList.GetLeadingTrivia());
            var movedLayer = layerList.WithLeadingTrivia(indentation == default ? SyntaxFactory.TriviaList() : SyntaxFactory.TriviaList(indentation));
            var rest = lists.RemoveAt(inputListIndex);
            updated = rest.Replace(rest[layerListIndex], movedLayer).Insert(layerListIndex, movedInput);
        }
        else
        {
            // Mixed lists: take the attribute out of its list and put it into the first layer's list, before the layer.
            var withoutInput = inputList.Attributes.Count == 1 ? lists.RemoveAt(inputListIndex) : lists.Replace(inputList, inputList.WithAttributes(inputList.Attributes.Remove(input)));
            var target = withoutInput[layerListIndex];
            updated = withoutInput.Replace(target, target.WithAttributes(target.Attributes.Insert(layerIndex, input.WithoutTrivia())));
        }
        return document.WithSyntaxRoot(root.ReplaceNode(declaration, declaration.WithAttributeLists(updated)));
    }
}
