using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using NeuralNet.Gen.Generators.Parsing;

namespace NeuralNet.Gen.CodeFixes;

internal static class FixHelpers
{
    /// <summary>The mechanical fix the analyzer attached to a diagnostic (see <see cref="FixKinds"/>), or null.</summary>
    public static string? FixKind(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(FixKinds.PropertyName, out var kind) ? kind : null;

    public static void Register(CodeFixContext context, Diagnostic diagnostic, string title, string equivalenceKey,
        System.Func<Document, CancellationToken, Task<Document>> apply)
    {
        var document = context.Document;
        context.RegisterCodeFix(CodeAction.Create(title, ct => apply(document, ct), equivalenceKey), diagnostic);
    }
}
