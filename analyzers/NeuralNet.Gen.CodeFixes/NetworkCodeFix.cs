using System;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using NeuralNet.Gen.Generators.Parsing;

namespace NeuralNet.Gen.CodeFixes;

/// <summary>
/// What every NeuralNet.Gen code fix shares, and the only way one registers: its diagnostic ids, batch fix-all, and
/// at most one fix per diagnostic, offered only when the analyzer attached a mechanical fix (<see cref="FixKinds"/>)
/// and the code still has the shape the fix expects. A fix says only what it offers (<see cref="Offer"/>) and how it
/// applies it; anything that needs the semantic model is worked out when the fix is applied.
/// </summary>
public abstract class NetworkCodeFix : CodeFixProvider
{
    private readonly ImmutableArray<string> _fixableIds;

    private protected NetworkCodeFix(params string[] diagnosticIds) => _fixableIds = ImmutableArray.Create(diagnosticIds);

    public sealed override ImmutableArray<string> FixableDiagnosticIds => _fixableIds;

    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        var document = context.Document;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(FixKinds.PropertyName, out var kind) || kind is null) continue;
            if (Offer(root, diagnostic, kind) is not { } fix) continue;
            context.RegisterCodeFix(CodeAction.Create(fix.Title, ct => fix.Apply(document, ct), fix.EquivalenceKey), diagnostic);
        }
    }

    /// <summary>The fix for <paramref name="diagnostic"/>, or null when its fix kind is not this fix's or the code has another shape.</summary>
    private protected abstract FixOffer? Offer(SyntaxNode root, Diagnostic diagnostic, string fixKind);

    /// <summary>One offered fix: the title the IDE shows, the key fix-all groups by, and the edit.</summary>
    private protected sealed class FixOffer(string title, string equivalenceKey, Func<Document, CancellationToken, Task<Document>> apply)
    {
        public string Title { get; } = title;
        public string EquivalenceKey { get; } = equivalenceKey;
        public Func<Document, CancellationToken, Task<Document>> Apply { get; } = apply;
    }
}
