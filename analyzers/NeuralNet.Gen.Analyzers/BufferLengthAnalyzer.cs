using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using NeuralNet.Gen.Generators.Model;
using NeuralNet.Gen.Generators.Parsing;

namespace NeuralNet.Gen.Analyzers;

/// <summary>
/// NNG0009: a buffer whose length is known at compile time (<c>new float[3]</c>, <c>stackalloc float[3]</c>, an
/// array initializer, a collection expression, or a local span over one of those in the same method) passed to a
/// generated network method whose size it does not match. The generated method would throw at run time; this says
/// so at build time. Sizes come from the same parser as the generator's, so they are the generated constants.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BufferLengthAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableHashSet<string> GeneratedMethods = ImmutableHashSet.Create("Forward", "ComputeLoss", "ComputeGradients", "TrainStep");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(DiagnosticDescriptors.BufferLength);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // One parse per network class per compilation, however many call sites it has.
            var specs = new ConcurrentDictionary<INamedTypeSymbol, NetworkSpec?>(SymbolEqualityComparer.Default);
            start.RegisterOperationAction(c => AnalyzeInvocation(c, specs), OperationKind.Invocation);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, ConcurrentDictionary<INamedTypeSymbol, NetworkSpec?> specs)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (!GeneratedMethods.Contains(method.Name) || method.ContainingType is not { TypeKind: TypeKind.Class } type) return;
        if (!type.GetAttributes().Any(a => NetworkParser.IsNetworkAttribute(a, "NetworkAttribute"))) return;
        var spec = specs.GetOrAdd(type, t => NetworkParser.Parse(t, context.CancellationToken).Spec);
        if (spec is null) return;

        int? batchSize = null;
        bool batched = false;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { Name: "batchSize", Type.SpecialType: SpecialType.System_Int32 })
            {
                batched = true;
                if (argument.Value.ConstantValue is { HasValue: true, Value: int b }) batchSize = b;
            }
        }
        if (batched && batchSize is not > 0) return; // unknown or invalid batch: nothing to compare with (the method checks it)

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter || !IsSpanOfElement(parameter.Type)) continue;
            (string Name, int Size)? expected = parameter.Name switch
            {
                "input" or "inputs" => ("InputSize", spec.InputSize),
                "output" or "outputs" or "targets" => ("OutputSize", spec.OutputSize),
                "parameters" => ("ParameterCount", spec.ParameterCount),
                _ => null,
            };
            if (expected is not { } e) continue;
            if (ConstantLength(argument.Value, context.CancellationToken, 0) is not { } length) continue;
            long required = batched ? (long)batchSize!.Value * e.Size : e.Size;
            if (length == required) continue;

            string what = batched
                ? $"batchSize * {e.Name} = {Num(batchSize!.Value)} * {Num(e.Size)} = {required.ToString(CultureInfo.InvariantCulture)}"
                : $"{e.Name} = {Num(e.Size)}";
            string message = $"'{parameter.Name}' of {type.Name}.{method.Name} needs {what} elements, but this buffer has {Num(length)}; the call would throw ArgumentException";
            context.ReportDiagnostic(Diagnostic.Create(HelpLinks.For(DiagnosticDescriptors.BufferLength, context.Options), argument.Syntax.GetLocation(), message));
        }
    }

    private static bool IsSpanOfElement(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "Span" or "ReadOnlySpan", TypeArguments.Length: 1 } span
        && span.ContainingNamespace?.ToDisplayString() == "System"
        && span.TypeArguments[0].SpecialType is SpecialType.System_Single or SpecialType.System_Double;

    /// <summary>The length of a buffer whose length the compiler knows, or null.</summary>
    internal static int? ConstantLength(IOperation operation, CancellationToken cancellationToken, int depth)
    {
        if (depth > 4) return null;
        while (operation is IConversionOperation conversion) operation = conversion.Operand;

        switch (operation)
        {
            case IArrayCreationOperation array when array.DimensionSizes.Length == 1:
                if (array.DimensionSizes[0].ConstantValue is { HasValue: true, Value: int size }) return size;
                return array.Initializer?.ElementValues.Length;
            case IArrayInitializerOperation initializer: // float[] x = { 1, 2 }: the declarator's value is the bare initializer
                return initializer.ElementValues.Length;
            case IObjectCreationOperation creation when creation.Arguments.Length == 1 && IsSpan(creation.Type):
                return ConstantLength(creation.Arguments[0].Value, cancellationToken, depth + 1);
            case IInvocationOperation { TargetMethod.Name: "AsSpan", Arguments.Length: 1 } asSpan:
                return ConstantLength(asSpan.Arguments[0].Value, cancellationToken, depth + 1);
            case ILocalReferenceOperation local:
                return LocalLength(local, cancellationToken, depth);
        }
        return SyntaxLength(operation);
    }

    private static bool IsSpan(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "Span" or "ReadOnlySpan" } span && span.ContainingNamespace?.ToDisplayString() == "System";

    /// <summary>stackalloc and collection expressions have no IOperation of their own in Roslyn 4.8; read them from syntax.</summary>
    private static int? SyntaxLength(IOperation operation)
    {
        var model = operation.SemanticModel;
        switch (operation.Syntax)
        {
            case StackAllocArrayCreationExpressionSyntax { Type: ArrayTypeSyntax arrayType } stackAlloc:
                var sizes = arrayType.RankSpecifiers.FirstOrDefault()?.Sizes;
                if (sizes is { Count: 1 } && sizes.Value[0] is not OmittedArraySizeExpressionSyntax && model is not null)
                {
                    return model.GetConstantValue(sizes.Value[0]) is { HasValue: true, Value: int size } ? size : null;
                }
                return stackAlloc.Initializer?.Expressions.Count;
            case ImplicitStackAllocArrayCreationExpressionSyntax implicitStackalloc:
                return implicitStackalloc.Initializer.Expressions.Count;
#if !ROSLYN4_3 // collection expressions (C# 12) came with Roslyn 4.8; the Roslyn 4.3 build (Unity) cannot meet one
            case CollectionExpressionSyntax collection:
                return collection.Elements.All(e => e is ExpressionElementSyntax) ? collection.Elements.Count : null;
#endif
        }
        return null;
    }

    /// <summary>A local initialised in this method from a constant-length buffer and never assigned again.</summary>
    private static int? LocalLength(ILocalReferenceOperation reference, CancellationToken cancellationToken, int depth)
    {
        var local = reference.Local;
        if (local.IsRef || local.DeclaringSyntaxReferences.Length != 1 || reference.SemanticModel is not { } model) return null;
        if (local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer.Value: { } value } declarator) return null;
        if (declarator.SyntaxTree != reference.Syntax.SyntaxTree) return null;

        var body = declarator.FirstAncestorOrSelf<SyntaxNode>(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or AccessorDeclarationSyntax or CompilationUnitSyntax);
        if (body is null || !body.Span.Contains(reference.Syntax.Span)) return null;
        if (IsReassigned(body, local, model, cancellationToken)) return null;

        var initializer = model.GetOperation(value, cancellationToken);
        return initializer is null ? null : ConstantLength(initializer, cancellationToken, depth + 1);
    }

    private static bool IsReassigned(SyntaxNode body, ILocalSymbol local, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var node in body.DescendantNodes())
        {
            ExpressionSyntax? target = node switch
            {
                AssignmentExpressionSyntax assignment => assignment.Left,
                ArgumentSyntax { RefKindKeyword.RawKind: (int)SyntaxKind.RefKeyword or (int)SyntaxKind.OutKeyword } argument => argument.Expression,
                RefExpressionSyntax refExpression => refExpression.Expression,
                _ => null,
            };
            if (target is IdentifierNameSyntax name && name.Identifier.ValueText == local.Name
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, local))
            {
                return true;
            }
        }
        return false;
    }

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
