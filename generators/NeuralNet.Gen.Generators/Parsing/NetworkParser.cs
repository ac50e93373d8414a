using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NeuralNet.Gen.Generators.Layers;
using NeuralNet.Gen.Generators.Model;
using static NeuralNet.Gen.Generators.Parsing.AttributeArguments;

namespace NeuralNet.Gen.Generators.Parsing;

/// <summary>
/// Reads a network class's attributes into a <see cref="NetworkSpec"/> and its findings. The generator and
/// every analyzer call this one parser, so a network the analyzers accept is exactly one the generator emits.
/// It never throws on incomplete code: attributes the compiler cannot bind give no spec and no finding.
/// </summary>
internal static class NetworkParser
{
    public const string AttributeNamespace = "NeuralNet.Gen";
    public const string NetworkAttributeMetadataName = "NeuralNet.Gen.NetworkAttribute";

    /// <summary>The attribute names that describe the network's structure (all but [Network]).</summary>
    private static readonly ImmutableHashSet<string> StructureAttributes = ImmutableHashSet.Create(
        "InputAttribute", "LossAttribute", "OptimizerAttribute", "WeightsAttribute").Union(LayerRegistry.AttributeNames);

    private static readonly ParseResult Incomplete = new(null, EquatableArray<ParseDiagnostic>.Empty);

    public static bool IsNetworkAttribute(AttributeData attribute, string name) =>
        attribute.AttributeClass is { } cls && cls.Name == name && cls.ContainingNamespace?.ToDisplayString() == AttributeNamespace;

    public static ParseResult Parse(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var attributes = type.GetAttributes();
        if (IsIncomplete(attributes, cancellationToken)) return Incomplete;
        int networkIndex = -1;
        for (int i = 0; i < attributes.Length && networkIndex < 0; i++)
        {
            if (IsNetworkAttribute(attributes[i], "NetworkAttribute")) networkIndex = i;
        }
        if (networkIndex < 0) return Incomplete;

        var findings = new List<ParseDiagnostic>();
        CheckDeclaration(type, findings, cancellationToken);
        CheckSingleDeclaration(type, attributes, findings, cancellationToken);

        var network = attributes[networkIndex];
        var precision = CheckEnum<Precision>(GetNamedInt(network, "Precision", 0), networkIndex, -1, "Precision", findings);
        int seed = GetNamedInt(network, "Seed", 0);
        int maxBatchSize = GetNamedInt(network, "MaxBatchSize", 0);
        if (maxBatchSize < 0)
            findings.Add(NamedError(DiagnosticIds.InvalidArgument, networkIndex, "MaxBatchSize", $"MaxBatchSize must be positive (or absent: buffers then grow with the largest batch), but it is {maxBatchSize}"));

        // Pass 1: the attributes in source order, by role.
        var declared = Collect(attributes, cancellationToken);
        // Pass 2: [Input] first, exactly once, and at least one layer after it.
        CheckOrder(type, attributes, declared, findings);
        // Pass 3: the input's shape folded through each layer kind's shape rule.
        var inputShape = ReadInput(attributes, declared.InputIndex, findings, out bool shapesKnown);
        var layers = FoldShapes(attributes, declared, inputShape, ref shapesKnown, findings, cancellationToken);
        // Pass 4: what the layers imply together, then loss, optimizer and weights.
        LossFunction? loss = declared.LossIndex >= 0 ? CheckEnum<LossFunction>(FirstInt(attributes[declared.LossIndex]), declared.LossIndex, 0, null, findings) : null;
        if (layers.Count > 0 && shapesKnown)
        {
            CheckSoftmax(layers, findings);
            if (loss is { } l) CheckLoss(l, declared.LossIndex, layers[layers.Count - 1], findings);
        }
        var optimizer = ParseOptimizer(declared.OptimizerIndex >= 0 ? attributes[declared.OptimizerIndex] : null, declared.OptimizerIndex, findings);
        var weights = declared.WeightsIndex < 0 ? null : ReadWeights(attributes[declared.WeightsIndex], declared.WeightsIndex);

        var diagnostics = new EquatableArray<ParseDiagnostic>(findings);
        if (findings.Any(f => f.IsError) || layers.Count == 0 || !shapesKnown)
        {
            return new ParseResult(null, diagnostics, Broken(type, attributes, declared, precision, findings));
        }

        var spec = new NetworkSpec(
            Namespace: type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "",
            ContainingTypes: new EquatableArray<string>(ContainingTypeDeclarations(type)),
            ClassName: type.Name,
            Precision: precision,
            Seed: seed,
            HasUserConstructor: HasParameterlessConstructor(type),
            InputShape: inputShape,
            Layers: new EquatableArray<LayerSpec>(layers),
            Loss: loss,
            Optimizer: optimizer,
            Weights: weights) { MaxBatchSize = maxBatchSize };
        return new ParseResult(spec, diagnostics);
    }

    /// <summary>
    /// Incomplete code (unbound attribute, unfinished or non-constant argument): the compiler already reports it;
    /// we stay quiet and emit nothing rather than guess.
    /// </summary>
    private static bool IsIncomplete(ImmutableArray<AttributeData> attributes, CancellationToken cancellationToken)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.AttributeClass is null or IErrorTypeSymbol || attribute.AttributeConstructor is null) return true;
            if (attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error)) return true;
            if (attribute.NamedArguments.Any(a => a.Value.Kind == TypedConstantKind.Error)) return true;
            // A missing ')' or ']' still binds (the parser recovers), but the user is not done typing.
            if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).Parent is { ContainsDiagnostics: true }) return true;
        }
        return false;
    }

    /// <summary>Where each role's attribute is: every [Input] and layer in order, the last [Loss], [Optimizer], [Weights].</summary>
    private sealed class DeclaredAttributes
    {
        public List<int> Inputs { get; } = new();

        /// <summary>Layer attributes with their kind, in source order.</summary>
        public List<(int Index, Layer Kind)> Layers { get; } = new();

        public int InputIndex => Inputs.Count > 0 ? Inputs[0] : -1;

        public int LossIndex { get; set; } = -1;

        public int OptimizerIndex { get; set; } = -1;

        public int WeightsIndex { get; set; } = -1;
    }

    private static DeclaredAttributes Collect(ImmutableArray<AttributeData> attributes, CancellationToken cancellationToken)
    {
        var declared = new DeclaredAttributes();
        for (int index = 0; index < attributes.Length; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var cls = attributes[index].AttributeClass!;
            if (cls.ContainingNamespace?.ToDisplayString() != AttributeNamespace) continue;
            switch (cls.Name)
            {
                case "InputAttribute": declared.Inputs.Add(index); break;
                case "LossAttribute": declared.LossIndex = index; break;
                case "OptimizerAttribute": declared.OptimizerIndex = index; break;
                // Only recorded here: the file is read by the generator and checked by the analyzer (NNG0012).
                case "WeightsAttribute": declared.WeightsIndex = index; break;
                default:
                    if (LayerRegistry.ForAttribute(cls.Name) is { } kind) declared.Layers.Add((index, kind));
                    break;
            }
        }
        return declared;
    }

    private static void CheckOrder(INamedTypeSymbol type, ImmutableArray<AttributeData> attributes, DeclaredAttributes declared, List<ParseDiagnostic> findings)
    {
        foreach (int repeated in declared.Inputs.Skip(1))
        {
            findings.Add(Error(DiagnosticIds.InputPlacement, repeated, "The network has two [Input] attributes; keep exactly one, as the first layer"));
        }
        if (declared.InputIndex < 0)
        {
            findings.Add(new ParseDiagnostic(DiagnosticIds.InputPlacement, DiagnosticTarget.ClassName, -1, -1, null,
                $"Network '{type.Name}' has no [Input]; add one, e.g. [Input(2)], as its first layer", true));
            return;
        }
        if (declared.Layers.Count > 0 && declared.Layers[0].Index < declared.InputIndex)
        {
            findings.Add(new ParseDiagnostic(DiagnosticIds.InputPlacement, DiagnosticTarget.Attribute, declared.InputIndex, -1, null,
                $"[Input] must be the first layer, but it comes after '{DescribeAttribute(attributes[declared.Layers[0].Index])}'; move it before every other layer", true,
                declared.Layers[0].Index, FixKinds.MoveInputFirst));
        }
        if (!declared.Layers.Any(l => l.Index > declared.InputIndex))
        {
            findings.Add(Error(DiagnosticIds.NoLayers, declared.InputIndex, "The network has no layer after [Input]; add at least one, e.g. [Dense(1)]"));
        }
    }

    /// <summary>The shape [Input] declares; <paramref name="known"/> false when it is missing or invalid.</summary>
    private static Shape ReadInput(ImmutableArray<AttributeData> attributes, int inputIndex, List<ParseDiagnostic> findings, out bool known)
    {
        known = false;
        if (inputIndex < 0) return default;
        var args = attributes[inputIndex].ConstructorArguments;
        bool valid = true;
        long size = 1;
        for (int a = 0; a < args.Length; a++)
        {
            size *= Math.Max(1, AsInt(args[a]));
            if (AsInt(args[a]) <= 0)
            {
                findings.Add(ArgumentError(DiagnosticIds.InvalidArgument, inputIndex, a, $"Input sizes must be positive, but {InputArgumentName(args.Length, a)} is {AsInt(args[a])}"));
                valid = false;
            }
        }
        if (valid && size > MaxSize)
        {
            findings.Add(Error(DiagnosticIds.InvalidArgument, inputIndex, $"The input has {size} values, more than the {MaxSize} a network can hold; use a smaller input"));
            valid = false;
        }
        known = valid;
        return args.Length switch
        {
            3 => Shape.Image(AsInt(args[0]), AsInt(args[1]), AsInt(args[2])),
            2 => Shape.Sequence(AsInt(args[0]), AsInt(args[1])),
            _ => Shape.Vector(args.Length > 0 ? AsInt(args[0]) : 0),
        };
    }

    /// <summary>As the user wrote [Input], for messages about the layer after it.</summary>
    internal static string InputDescription(Shape shape) => shape.Rank switch
    {
        1 => $"Input({shape.Size})",
        2 => $"Input({shape.Steps}, {shape.Channels})",
        _ => $"Input({shape.Height}, {shape.Width}, {shape.Channels})",
    };

    /// <summary>
    /// Each layer reads the shape the layer before produced (the input's for the first) and gives its own; after an
    /// error the rest of the layers have only their own arguments checked.
    /// </summary>
    private static List<LayerSpec> FoldShapes(ImmutableArray<AttributeData> attributes, DeclaredAttributes declared, Shape inputShape, ref bool shapesKnown, List<ParseDiagnostic> findings, CancellationToken cancellationToken)
    {
        var layers = new List<LayerSpec>();
        bool inputValid = shapesKnown, inputSeen = false, known = false;
        Shape current = default;
        string previous = "";
        long offset = 0;
        var names = new LayerNames(declared.Layers
            .Select(l => (Name: GetNamedString(attributes[l.Index], "Name"), AttributeIndex: l.Index))
            .Where(l => l.Name is not null)
            .Select(l => (l.Name!, l.AttributeIndex)));
        foreach (var (index, kind) in declared.Layers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Layers before [Input] read nothing known: only their own arguments are checked (NNG0002 is reported for them).
            if (!inputSeen && declared.InputIndex >= 0 && index > declared.InputIndex)
            {
                inputSeen = true;
                current = inputShape;
                known = inputValid;
                previous = InputDescription(inputShape);
                names.DeclareInput(inputShape, previous, inputValid);
            }
            string? name = GetNamedString(attributes[index], "Name");
            bool nameValid = name is not null && names.Check(name, index, findings);
            var layer = kind.Read(new LayerReader(attributes[index], index, layers.Count + 1, current, previous, known, (int)offset, findings, names));
            if (layer is null)
            {
                // Still a name later layers may refer to, with an unknown shape: no second finding for them.
                if (nameValid) names.Declare(name!, layers.Count + 1, default, DescribeAttribute(attributes[index]), false);
                known = false;
                continue;
            }
            if (name is not null) layer = layer with { Name = name };
            if (nameValid) names.Declare(name!, layer.Index, layer.OutputShape, layer.Description, known);
            layers.Add(layer);
            current = layer.OutputShape;
            previous = layer.Description;
            offset += layer.ParameterCount;
        }
        shapesKnown = inputSeen ? known : inputValid;
        return layers;
    }

    private static int FirstInt(AttributeData attribute) => attribute.ConstructorArguments.Length > 0 ? AsInt(attribute.ConstructorArguments[0]) : 0;

    private static WeightsSpec ReadWeights(AttributeData attribute, int index) =>
        new(attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0].Value as string ?? "" : "", GetNamedString(attribute, "Names"), index);

    private static string InputArgumentName(int count, int position) =>
        count switch
        {
            3 => position switch { 0 => "the height", 1 => "the width", _ => "the channel count" },
            2 => position == 0 ? "the step count" : "the feature count",
            _ => "the size",
        };

    /// <summary>An attribute as written, e.g. <c>Dense(3, Relu)</c>, for messages about layers that have no spec.</summary>
    private static string DescribeAttribute(AttributeData attribute)
    {
        var name = attribute.AttributeClass!.Name;
        if (name.EndsWith("Attribute", StringComparison.Ordinal)) name = name.Substring(0, name.Length - "Attribute".Length);
        if (attribute.ConstructorArguments.Length == 0) return name;
        var parts = attribute.ConstructorArguments.Select(a => a.Value switch
        {
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            double d => AttributeArguments.FromFloatLiteral(d).ToString("R", CultureInfo.InvariantCulture),
            int i when a.Type?.TypeKind == TypeKind.Enum => a.Type is INamedTypeSymbol e
                ? e.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(m => m.HasConstantValue && Equals(m.ConstantValue, i))?.Name ?? i.ToString(CultureInfo.InvariantCulture)
                : i.ToString(CultureInfo.InvariantCulture),
            IFormattable v => v.ToString(null, CultureInfo.InvariantCulture),
            var v => v?.ToString() ?? "null",
        });
        return $"{name}({string.Join(", ", parts)})";
    }

    private static void CheckSoftmax(List<LayerSpec> layers, List<ParseDiagnostic> findings)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (layer.Activation != Activation.Softmax) continue;
            if (!LayerRegistry.For(layer.Kind).SupportsSoftmax)
            {
                findings.Add(ArgumentError(DiagnosticIds.ShapeMismatch, layer.AttributeIndex, 2, $"Softmax is not supported on Conv2D layer '{layer.Description}'; use it on a Dense output layer"));
            }
            else if (i < layers.Count - 1 && !layers.Skip(i + 1).All(l => LayerRegistry.For(l.Kind).AliasesInput(training: false)))
            {
                findings.Add(Warning(DiagnosticIds.SoftmaxPlacement, layer.AttributeIndex, SoftmaxPosition(layer), $"Softmax on hidden layer '{layer.Description}' squashes its units to a distribution before layer '{layers[i + 1].Description}'; Softmax usually belongs on the output layer only"));
            }
            else if (layer.Units == 1)
            {
                findings.Add(Warning(DiagnosticIds.SoftmaxPlacement, layer.AttributeIndex, SoftmaxPosition(layer), "Softmax on a single unit always outputs 1; use Sigmoid for one unit, or give the layer 2 or more units"));
            }
        }
    }

    /// <summary>The argument that holds a layer's activation: an [Activation] layer's first, a Dense layer's second.</summary>
    private static int SoftmaxPosition(LayerSpec layer) => layer.Kind == LayerKind.Activation ? 0 : 1;

    /// <summary>
    /// Whether the output applies <paramref name="activation"/> to logits a fused loss can read: a Dense layer's, or an
    /// [Activation] layer's (not over an image, whose loss is not per row of the last axis).
    /// </summary>
    private static bool OutputApplies(LayerSpec output, Activation activation) =>
        output.Activation == activation && (output.Kind == LayerKind.Dense || (output.Kind == LayerKind.Activation && !output.OutputShape.IsImage));

    private static void CheckLoss(LossFunction loss, int lossIndex, LayerSpec output, List<ParseDiagnostic> findings)
    {
        if (loss == LossFunction.BinaryCrossEntropy && !OutputApplies(output, Activation.Sigmoid))
        {
            findings.Add(new ParseDiagnostic(DiagnosticIds.LossMismatch, DiagnosticTarget.Argument, lossIndex, 0, null,
                $"BinaryCrossEntropy expects a Sigmoid output layer, but the output layer is '{output.Description}'; "
                    + (output.Kind == LayerKind.Dense && output.Activation == Activation.Softmax && output.Units >= 2
                        ? $"for one class out of {output.Units} use LossFunction.CategoricalCrossEntropy with this Softmax, or Activation.Sigmoid for {output.Units} independent yes/no outputs"
                        : "use Activation.Sigmoid on it"), true,
                output.AttributeIndex, output.Kind == LayerKind.Dense ? FixKinds.UseSigmoid : null));
        }
        else if (loss is LossFunction.CategoricalCrossEntropy or LossFunction.SparseCategoricalCrossEntropy
            && !(OutputApplies(output, Activation.Softmax) && output.Units >= 2))
        {
            bool fixable = output.Kind == LayerKind.Dense && output.Units >= 2;
            findings.Add(new ParseDiagnostic(DiagnosticIds.LossMismatch, DiagnosticTarget.Argument, lossIndex, 0, null,
                $"{loss} expects a Softmax output layer of 2 or more units, but the output layer is '{output.Description}'; "
                    + (fixable || output.Kind != LayerKind.Dense ? "use Activation.Softmax on it" : "give it 2 or more units and Activation.Softmax"), true,
                output.AttributeIndex, fixable ? FixKinds.UseSoftmax : null));
        }
        else if (loss == LossFunction.SparseCategoricalCrossEntropy && !output.OutputShape.IsVector)
        {
            findings.Add(new ParseDiagnostic(DiagnosticIds.LossMismatch, DiagnosticTarget.Argument, lossIndex, 0, null,
                $"SparseCategoricalCrossEntropy takes one class index per sample, but the output is a sequence ({output.OutputShape.Steps} steps of {output.OutputShape.Channels} classes); "
                    + "use CategoricalCrossEntropy with one-hot targets for each step, or end the network with one vector output", true,
                output.AttributeIndex, null));
        }
    }

    private static OptimizerSpec ParseOptimizer(AttributeData? attribute, int index, List<ParseDiagnostic> findings)
    {
        var kind = attribute is not null && attribute.ConstructorArguments.Length > 0
            ? CheckEnum<OptimizerKind>(AsInt(attribute.ConstructorArguments[0]), index, 0, null, findings)
            : OptimizerKind.Adam;
        double lr = GetNamedFloat(attribute, "LearningRate", kind is OptimizerKind.Adam or OptimizerKind.AdamW ? 0.001 : 0.01);
        // Plain SGD unless a momentum is given, as torch.optim.SGD; Momentum and Nesterov default to 0.9.
        double momentum = GetNamedFloat(attribute, "Momentum", kind == OptimizerKind.Sgd ? 0.0 : 0.9);
        double beta1 = GetNamedFloat(attribute, "Beta1", 0.9);
        double beta2 = GetNamedFloat(attribute, "Beta2", kind == OptimizerKind.RmsProp ? 0.99 : 0.999);
        double epsilon = GetNamedFloat(attribute, "Epsilon", kind == OptimizerKind.Adagrad ? 1e-10 : 1e-8);
        double decay = GetNamedFloat(attribute, "WeightDecay", kind == OptimizerKind.AdamW ? 0.01 : 0.0);

        void Check(bool ok, string name, string message)
        {
            if (!ok) findings.Add(NamedError(DiagnosticIds.InvalidOptimizer, index, name, message));
        }
        string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        Check(lr > 0 && !double.IsInfinity(lr), "LearningRate", $"LearningRate must be positive and finite, but it is {F(lr)}");
        Check(momentum >= 0 && momentum < 1, "Momentum", $"Momentum must be in [0, 1), but it is {F(momentum)}");
        Check(beta1 >= 0 && beta1 < 1, "Beta1", $"Beta1 must be in [0, 1), but it is {F(beta1)}");
        Check(beta2 >= 0 && beta2 < 1, "Beta2", $"Beta2 must be in [0, 1), but it is {F(beta2)}");
        Check(epsilon > 0 && !double.IsInfinity(epsilon), "Epsilon", $"Epsilon must be positive and finite, but it is {F(epsilon)}");
        Check(decay >= 0 && !double.IsInfinity(decay), "WeightDecay", $"WeightDecay must be zero or positive and finite, but it is {F(decay)}");
        if (attribute is not null) CheckUnusedSettings(attribute, index, kind, findings);
        return new OptimizerSpec(kind, lr, momentum, beta1, beta2, epsilon, decay);
    }

    /// <summary>The settings each optimizer reads; any other one given is NNG0015, since it would change nothing.</summary>
    private static string[] SettingsUsedBy(OptimizerKind kind) => kind switch
    {
        OptimizerKind.Sgd or OptimizerKind.Momentum or OptimizerKind.Nesterov => new[] { "LearningRate", "Momentum", "WeightDecay" },
        OptimizerKind.RmsProp => new[] { "LearningRate", "Beta2", "Epsilon", "WeightDecay" },
        OptimizerKind.Adagrad => new[] { "LearningRate", "Epsilon", "WeightDecay" },
        _ => new[] { "LearningRate", "Beta1", "Beta2", "Epsilon", "WeightDecay" },
    };

    private static void CheckUnusedSettings(AttributeData attribute, int index, OptimizerKind kind, List<ParseDiagnostic> findings)
    {
        var used = SettingsUsedBy(kind);
        foreach (var pair in attribute.NamedArguments)
        {
            if (Array.IndexOf(used, pair.Key) >= 0) continue;
            string hint = pair.Key switch
            {
                "Momentum" => "; OptimizerKind.Sgd, Momentum or Nesterov use it",
                "Beta1" => "; OptimizerKind.Adam and AdamW use it",
                "Beta2" => "; OptimizerKind.Adam and AdamW use it (RmsProp as its alpha)",
                "Epsilon" => "; OptimizerKind.Adam, AdamW, RmsProp and Adagrad use it",
                _ => "",
            };
            findings.Add(new ParseDiagnostic(DiagnosticIds.UnusedOptimizerSetting, DiagnosticTarget.Argument, index, -1, pair.Key,
                $"{kind} does not use {pair.Key}, so this setting changes nothing (it uses {string.Join(", ", used)}){hint}", false));
        }
    }

    private static void CheckDeclaration(INamedTypeSymbol type, List<ParseDiagnostic> findings, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                findings.Add(new ParseDiagnostic(DiagnosticIds.NotPartial, DiagnosticTarget.ClassName, -1, -1, null,
                    $"Network class '{type.Name}' must be declared partial so the generator can add its members; add the 'partial' modifier", true,
                    -1, FixKinds.AddPartial));
                break;
            }
        }
        // The generated members go inside a partial declaration of every containing type too; without it C# says
        // CS0260 at the generated file. The finding names the containing type, and the analyzer points at it.
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            foreach (var reference in outer.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    findings.Add(new ParseDiagnostic(DiagnosticIds.NotPartial, DiagnosticTarget.ClassName, -1, -1, outer.Name,
                        $"'{outer.Name}' contains network class '{type.Name}', so it must be declared partial too: the generator adds the network's members inside it; add the 'partial' modifier to '{outer.Name}'", true,
                        -1, FixKinds.AddPartial));
                    break;
                }
            }
        }
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            if (t.TypeParameters.Length > 0)
            {
                var what = SymbolEqualityComparer.Default.Equals(t, type) ? $"Network class '{type.Name}' is generic" : $"Network class '{type.Name}' is nested in generic type '{t.Name}'";
                findings.Add(new ParseDiagnostic(DiagnosticIds.UnsupportedType, DiagnosticTarget.ClassName, -1, -1, null,
                    $"{what}; a generated network needs fixed types, so declare it as a non-generic class", true));
                break;
            }
        }
        // The generator writes instance members into a 'partial class': a static class or a record cannot take them.
        if (type.IsStatic)
        {
            findings.Add(new ParseDiagnostic(DiagnosticIds.UnsupportedType, DiagnosticTarget.ClassName, -1, -1, null,
                $"Network class '{type.Name}' is static, but a network has instance members (parameters, Forward); remove 'static'", true));
        }
        else if (type.IsRecord)
        {
            findings.Add(new ParseDiagnostic(DiagnosticIds.UnsupportedType, DiagnosticTarget.ClassName, -1, -1, null,
                $"Network '{type.Name}' is a record; the generator writes a partial class, so declare it as 'partial class {type.Name}'", true));
        }
    }

    private static void CheckSingleDeclaration(INamedTypeSymbol type, ImmutableArray<AttributeData> attributes, List<ParseDiagnostic> findings, CancellationToken cancellationToken)
    {
        if (type.DeclaringSyntaxReferences.Length < 2) return;
        SyntaxNode? first = null;
        for (int index = 0; index < attributes.Length; index++)
        {
            var attribute = attributes[index];
            if (attribute.AttributeClass is not { } cls || cls.ContainingNamespace?.ToDisplayString() != AttributeNamespace || !StructureAttributes.Contains(cls.Name)) continue;
            var declaration = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).FirstAncestorOrSelf<TypeDeclarationSyntax>();
            if (declaration is null) continue;
            if (first is null)
            {
                first = declaration;
            }
            else if (declaration != first)
            {
                findings.Add(Error(DiagnosticIds.SplitDeclaration, index, $"Layer attributes of network '{type.Name}' are spread over more than one partial declaration, so their order is undefined; put every layer attribute on one declaration"));
                return;
            }
        }
    }

    /// <summary>
    /// The public surface of a network with an error, or null when there is no error or the declaration cannot take
    /// generated members (not partial, split, generic, static, a record: then the compiler would add errors of its own).
    /// </summary>
    private static BrokenNetwork? Broken(INamedTypeSymbol type, ImmutableArray<AttributeData> attributes, DeclaredAttributes declared, Precision precision, List<ParseDiagnostic> findings)
    {
        var error = findings.FirstOrDefault(f => f.IsError);
        if (error is null || findings.Any(f => f.Id is DiagnosticIds.NotPartial or DiagnosticIds.SplitDeclaration or DiagnosticIds.UnsupportedType)) return null;
        return new BrokenNetwork(
            Namespace: type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "",
            ContainingTypes: new EquatableArray<string>(ContainingTypeDeclarations(type)),
            ClassName: type.Name,
            Precision: precision,
            IsTrainable: declared.LossIndex >= 0,
            UsesDropout: attributes.Any(a => IsNetworkAttribute(a, "DropoutAttribute")),
            HasWeights: declared.WeightsIndex >= 0,
            HasUserConstructor: HasParameterlessConstructor(type),
            Error: error.Id + ": " + error.Message);
    }

    /// <summary>The user wrote a parameterless constructor, so the generator writes none.</summary>
    private static bool HasParameterlessConstructor(INamedTypeSymbol type) =>
        type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && !c.IsImplicitlyDeclared);

    private static IEnumerable<string> ContainingTypeDeclarations(INamedTypeSymbol type)
    {
        var chain = new List<string>();
        for (var t = type.ContainingType; t is not null; t = t.ContainingType)
        {
            var keyword = t.TypeKind switch
            {
                TypeKind.Struct => t.IsRecord ? "record struct" : "struct",
                TypeKind.Interface => "interface",
                _ => t.IsRecord ? "record" : "class",
            };
            chain.Insert(0, $"partial {keyword} {t.Name}");
        }
        return chain;
    }
}
