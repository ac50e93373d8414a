using System.Composition;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NeuralNet.Gen.Weights;

namespace NeuralNet.Gen.CodeFixes;

/// <summary>
/// NNG0014 (a network that takes its layers from its ONNX file): writes the attribute stack the file declares into the
/// source, one attribute list per line after the class's last one, so [Network] and [Weights] stay and the file is then
/// checked against the written layers. The analyzer passes the stack after the fix kind.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WriteLayersCodeFix)), Shared]
public sealed class WriteLayersCodeFix() : NetworkCodeFix("NNG0014")
{
    private protected override FixOffer? Offer(SyntaxNode root, Diagnostic diagnostic, string fixKind)
    {
        if (!fixKind.StartsWith(OnnxArchitecture.FixPrefix, System.StringComparison.Ordinal)) return null;
        string stack = fixKind.Substring(OnnxArchitecture.FixPrefix.Length);
        if (diagnostic.Location.SourceTree != root.SyntaxTree) return null;
        if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not ClassDeclarationSyntax { AttributeLists.Count: > 0 } declaration) return null;
        return new FixOffer("Write the layers the weights file declares", nameof(WriteLayersCodeFix), (document, ct) => WriteAsync(document, declaration, stack, ct));
    }

    private static async Task<Document> WriteAsync(Document document, ClassDeclarationSyntax declaration, string stack, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return document;
        // Without 'using NeuralNet.Gen;' in scope the attributes and enum members are written fully qualified.
        if (!FixHelpers.ActivationTypeInScope(model, declaration.SpanStart))
        {
            stack = Regex.Replace(stack, @"\[(\w+)", "[global::NeuralNet.Gen.$1");
            stack = Regex.Replace(stack, @"\b(Activation|Padding)\.", "global::NeuralNet.Gen.$1.");
        }
        var last = declaration.AttributeLists.Last();
        var indentation = last.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).LastOrDefault();
        var newline = last.GetTrailingTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        if (newline == default) newline = SyntaxFactory.EndOfLine("\n");
        var parsed = (ClassDeclarationSyntax)SyntaxFactory.ParseMemberDeclaration(stack + "\nclass C { }")!;
        var lists = parsed.AttributeLists.Select(list => list
            .WithLeadingTrivia(indentation == default ? SyntaxFactory.TriviaList() : SyntaxFactory.TriviaList(indentation))
            .WithTrailingTrivia(newline));
        // The last list keeps its trailing trivia only if it ends the line; otherwise a line break goes between.
        var ended = last.GetTrailingTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) ? last : last.WithTrailingTrivia(newline);
        var updated = declaration.WithAttributeLists(declaration.AttributeLists.Replace(last, ended).AddRange(lists));
        return document.WithSyntaxRoot(root.ReplaceNode(declaration, updated));
    }
}
