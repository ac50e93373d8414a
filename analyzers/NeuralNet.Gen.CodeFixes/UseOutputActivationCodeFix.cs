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
public sealed class UseOutputActivationCodeFix() : NetworkCodeFix(DiagnosticIds.LossMismatch)
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
        return document.WithSyntaxRoot(root.ReplaceNode(output, FixHelpers.WithActivation(output, activation, model)));
    }
}
