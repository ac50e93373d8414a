using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using NeuralNet.Gen.Generators.Model;
using NeuralNet.Gen.Generators.Parsing;

namespace NeuralNet.Gen.Analyzers;

/// <summary>
/// NNG0027: <c>Fit</c> or <c>Evaluate</c> with inputs and targets whose lengths the compiler knows, where the targets
/// hold class indices for a one-hot loss (one value per sample for a Softmax output of K classes trained with
/// CategoricalCrossEntropy), one-hot rows for sparse labels (SparseCategoricalCrossEntropy) or one-hot rows for a single Sigmoid output (two values per sample with
/// BinaryCrossEntropy). The run would throw; this says why, in the terms of the encoding.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TargetEncodingAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(DiagnosticDescriptors.TargetEncoding);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var specs = new ConcurrentDictionary<INamedTypeSymbol, NetworkSpec?>(SymbolEqualityComparer.Default);
            start.RegisterOperationAction(c => AnalyzeInvocation(c, specs), OperationKind.Invocation);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, ConcurrentDictionary<INamedTypeSymbol, NetworkSpec?> specs)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod is not { Name: "Fit" or "Evaluate", ContainingType.Name: "NetworkTraining" } method
            || method.ContainingType.ContainingNamespace?.ToDisplayString() != NetworkParser.AttributeNamespace) return;

        IOperation? Argument(string name) => invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == name)?.Value;
        var network = Argument("network");
        while (network is IConversionOperation conversion) network = conversion.Operand;
        if (network?.Type is not INamedTypeSymbol { TypeKind: TypeKind.Class } type
            || !type.GetAttributes().Any(a => NetworkParser.IsNetworkAttribute(a, "NetworkAttribute"))) return;
        if (specs.GetOrAdd(type, t => NetworkParser.Parse(t, context.CancellationToken).Spec) is not { Loss: { } loss } spec) return;

        Check(context, type, spec, loss, Argument("inputs"), invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "targets"));
        Check(context, type, spec, loss, Argument("validationInputs"), invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "validationTargets"));
    }

    private static void Check(OperationAnalysisContext context, INamedTypeSymbol type, NetworkSpec spec, LossFunction loss, IOperation? inputs, IArgumentOperation? targets)
    {
        if (inputs is null || targets is null) return;
        if (BufferLengthAnalyzer.ConstantLength(inputs, context.CancellationToken, 0) is not { } inputLength
            || BufferLengthAnalyzer.ConstantLength(targets.Value, context.CancellationToken, 0) is not { } targetLength) return;
        if (inputLength == 0 || inputLength % spec.InputSize != 0) return; // not whole samples: the call's own check says so
        int samples = inputLength / spec.InputSize;
        int classes = spec.OutputSize;

        string? message = null;
        if (loss == LossFunction.CategoricalCrossEntropy && classes >= 2 && targetLength == samples)
        {
            message = $"'{targets.Parameter!.Name}' has {Num(targetLength)} values for {Num(samples)} samples, one per sample, like class indices; "
                + $"{type.Name} is trained with CategoricalCrossEntropy over {Num(classes)} classes, which wants {Num(classes)} values per sample, "
                + $"a one-hot row ({Num(samples * classes)} in all): use Preprocessing.OneHot<float>(labels, {Num(classes)}), "
                + "or train with LossFunction.SparseCategoricalCrossEntropy, which takes one class index per sample";
        }
        else if (loss == LossFunction.SparseCategoricalCrossEntropy && classes >= 2 && targetLength == samples * classes)
        {
            message = $"'{targets.Parameter!.Name}' has {Num(targetLength)} values for {Num(samples)} samples, {Num(classes)} per sample, like one-hot rows; "
                + $"{type.Name} is trained with SparseCategoricalCrossEntropy, which wants one class index per sample ({Num(samples)} in all): "
                + "pass the class indices, or train with LossFunction.CategoricalCrossEntropy to keep one-hot rows";
        }
        else if (loss == LossFunction.BinaryCrossEntropy && classes == 1 && targetLength == 2 * samples)
        {
            message = $"'{targets.Parameter!.Name}' has {Num(targetLength)} values for {Num(samples)} samples, two per sample, like one-hot rows of two classes; "
                + $"{type.Name} has one Sigmoid output trained with BinaryCrossEntropy, which wants one label per sample, 0 or 1 ({Num(samples)} in all)";
        }
        if (message is null) return;
        context.ReportDiagnostic(Diagnostic.Create(HelpLinks.For(DiagnosticDescriptors.TargetEncoding, context.Options), targets.Syntax.GetLocation(), message));
    }

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
