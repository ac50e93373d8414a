using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace NeuralNet.Gen.Analyzers;

/// <summary>
/// NNG0025: <c>MinMaxScaler&lt;T&gt;.Fit(data.Inputs, …)</c> or <c>StandardScaler&lt;T&gt;.Fit(…)</c> on a data set that the
/// same method splits afterwards (<c>data.Split()</c>): the scaler has seen the test samples, so the test score is
/// measured on data that leaked into training. Fires only when the fitted data and the split data are the same local
/// or parameter, and the split comes later in the same body.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ScalerLeakAnalyzer : DiagnosticAnalyzer
{
    private const string DataNamespace = "NeuralNet.Gen.Data";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(DiagnosticDescriptors.ScalerFittedBeforeSplit);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(AnalyzeInvocation, OperationKind.Invocation);
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context)
    {
        var fit = (IInvocationOperation)context.Operation;
        if (fit.TargetMethod is not { Name: "Fit", IsStatic: true, ContainingType: { Name: "MinMaxScaler" or "StandardScaler" } scaler }
            || scaler.ContainingNamespace?.ToDisplayString() != DataNamespace || fit.Arguments.Length == 0) return;
        var data = fit.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0);
        if (data is null || RootSymbol(data.Value) is not { } fitted) return;

        IOperation top = fit;
        while (top.Parent is not null) top = top.Parent;
        foreach (var split in top.Descendants().OfType<IInvocationOperation>())
        {
            if (split.Syntax.SpanStart <= fit.Syntax.SpanStart || split.Syntax.SyntaxTree != fit.Syntax.SyntaxTree) continue;
            if (split.TargetMethod is not { Name: "Split", ContainingType: { Name: "Dataset" } dataset } || dataset.ContainingNamespace?.ToDisplayString() != DataNamespace) continue;
            if (split.Instance is null || !SymbolEqualityComparer.Default.Equals(RootSymbol(split.Instance), fitted)) continue;

            string message = $"{scaler.Name}.Fit learns its ranges from '{fitted.Name}', which is split afterwards, so the scaler has seen the "
                + "validation and test samples and their scores are measured on data that leaked into training; split first, then fit the scaler on the training part only";
            context.ReportDiagnostic(Diagnostic.Create(HelpLinks.For(DiagnosticDescriptors.ScalerFittedBeforeSplit, context.Options),
                fit.Syntax.GetLocation(), new[] { split.Syntax.GetLocation() }, message));
            return;
        }
    }

    /// <summary>The local or parameter a value is read from: <c>data</c> for <c>data.Inputs</c>, <c>data.Inputs.AsSpan()</c> or <c>data</c>.</summary>
    private static ISymbol? RootSymbol(IOperation operation)
    {
        for (int depth = 0; depth < 8; depth++)
        {
            switch (operation)
            {
                case IConversionOperation conversion: operation = conversion.Operand; break;
                case IPropertyReferenceOperation { Instance: { } instance }: operation = instance; break;
                case IInvocationOperation { Instance: { } instance, Arguments.Length: 0 }: operation = instance; break;
                case IInvocationOperation { TargetMethod: { IsExtensionMethod: true, Name: "AsSpan" or "AsMemory" }, Arguments.Length: 1 } extension:
                    operation = extension.Arguments[0].Value; break;
                case ILocalReferenceOperation local: return local.Local;
                case IParameterReferenceOperation parameter: return parameter.Parameter;
                default: return null;
            }
        }
        return null;
    }
}
