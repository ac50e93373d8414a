using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NeuralNet.Gen.Generators.Model;

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
        "InputAttribute", "DenseAttribute", "Conv2DAttribute", "MaxPool2DAttribute", "FlattenAttribute",
        "DropoutAttribute", "LossAttribute", "OptimizerAttribute", "WeightsAttribute");

    private static readonly ParseResult Incomplete = new(null, EquatableArray<ParseDiagnostic>.Empty);

    public static bool IsNetworkAttribute(AttributeData attribute, string name) =>
        attribute.AttributeClass is { } cls && cls.Name == name && cls.ContainingNamespace?.ToDisplayString() == AttributeNamespace;

    public static ParseResult Parse(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var attributes = type.GetAttributes();
        var findings = new List<ParseDiagnostic>();

        // Incomplete code (unbound attribute, unfinished or non-constant argument): the compiler already
        // reports it; we stay quiet and emit nothing rather than guess.
        foreach (var attribute in attributes)
        {
            if (attribute.AttributeClass is null or IErrorTypeSymbol || attribute.AttributeConstructor is null) return Incomplete;
            if (attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error)) return Incomplete;
            if (attribute.NamedArguments.Any(a => a.Value.Kind == TypedConstantKind.Error)) return Incomplete;
            // A missing ')' or ']' still binds (the parser recovers), but the user is not done typing.
            if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).Parent is { ContainsDiagnostics: true }) return Incomplete;
        }

        if (!attributes.Any(a => IsNetworkAttribute(a, "NetworkAttribute"))) return Incomplete;

        CheckDeclaration(type, findings, cancellationToken);
        CheckSingleDeclaration(type, attributes, findings, cancellationToken);

        int networkIndex = attributes.IndexOf(attributes.First(a => IsNetworkAttribute(a, "NetworkAttribute")));
        var network = attributes[networkIndex];
        var precision = (Precision)CheckEnum(GetNamedInt(network, "Precision", 0), PrecisionCount, "Precision", networkIndex, -1, "Precision", findings);
        int seed = GetNamedInt(network, "Seed", 0);

        var layers = new List<LayerSpec>();
        int inputIndex = -1;
        Shape inputShape = default;
        Shape current = default;
        string previousDescription = "";
        int firstLayerIndex = -1;
        int layersAfterInput = 0;
        string firstLayerDescription = "";
        long offset = 0;
        int lossIndex = -1;
        LossFunction? loss = null;
        int optimizerIndex = -1;
        WeightsSpec? weights = null;
        bool shapesKnown = false; // until [Input] is read

        for (int index = 0; index < attributes.Length; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var attribute = attributes[index];
            var cls = attribute.AttributeClass!;
            if (cls.ContainingNamespace?.ToDisplayString() != AttributeNamespace) continue;
            var args = attribute.ConstructorArguments;
            switch (cls.Name)
            {
                case "InputAttribute":
                {
                    if (inputIndex >= 0)
                    {
                        findings.Add(Error("NNG0002", index, "The network has two [Input] attributes; keep exactly one, as the first layer"));
                        continue;
                    }
                    inputIndex = index;
                    if (firstLayerIndex >= 0)
                    {
                        findings.Add(new ParseDiagnostic("NNG0002", DiagnosticTarget.Attribute, index, -1, null,
                            $"[Input] must be the first layer, but it comes after '{firstLayerDescription}'; move it before every other layer", true,
                            firstLayerIndex, FixKinds.MoveInputFirst));
                    }
                    bool valid = true;
                    long size = 1;
                    for (int a = 0; a < args.Length; a++)
                    {
                        size *= Math.Max(1, AsInt(args[a]));
                        if (AsInt(args[a]) <= 0)
                        {
                            findings.Add(ArgumentError("NNG0004", index, a, $"Input sizes must be positive, but {InputArgumentName(args.Length, a)} is {AsInt(args[a])}"));
                            valid = false;
                        }
                    }
                    if (valid && size > MaxSize)
                    {
                        findings.Add(Error("NNG0004", index, $"The input has {size} values, more than the {MaxSize} a network can hold; use a smaller input"));
                        valid = false;
                    }
                    inputShape = args.Length == 3 ? Shape.Image(AsInt(args[0]), AsInt(args[1]), AsInt(args[2])) : Shape.Vector(args.Length > 0 ? AsInt(args[0]) : 0);
                    current = inputShape;
                    previousDescription = inputShape.Rank == 1 ? $"Input({inputShape.Size})" : $"Input({inputShape.Height}, {inputShape.Width}, {inputShape.Channels})";
                    shapesKnown = valid;
                    break;
                }
                case "DenseAttribute":
                case "Conv2DAttribute":
                case "MaxPool2DAttribute":
                case "FlattenAttribute":
                case "DropoutAttribute":
                {
                    if (inputIndex >= 0) layersAfterInput++;
                    if (firstLayerIndex < 0)
                    {
                        firstLayerIndex = index;
                        firstLayerDescription = DescribeAttribute(attribute);
                    }
                    var layer = ParseLayer(attribute, index, layers.Count + 1, current, previousDescription, shapesKnown, (int)offset, findings);
                    if (layer is null)
                    {
                        shapesKnown = false;
                        continue;
                    }
                    layers.Add(layer);
                    current = layer.OutputShape;
                    previousDescription = layer.Description;
                    offset += layer.ParameterCount;
                    break;
                }
                case "LossAttribute":
                    lossIndex = index;
                    loss = (LossFunction)CheckEnum(args.Length > 0 ? AsInt(args[0]) : 0, LossCount, "LossFunction", index, 0, null, findings);
                    break;
                case "OptimizerAttribute":
                    optimizerIndex = index;
                    break;
                case "WeightsAttribute":
                    // Only recorded here: the file is read by the generator and checked by the analyzer (NNG0012).
                    weights = new WeightsSpec(args.Length > 0 ? args[0].Value as string ?? "" : "", GetNamedString(attribute, "Names"), index);
                    break;
            }
        }

        if (inputIndex < 0)
        {
            findings.Add(new ParseDiagnostic("NNG0002", DiagnosticTarget.ClassName, -1, -1, null,
                $"Network '{type.Name}' has no [Input]; add one, e.g. [Input(2)], as its first layer", true));
        }
        else if (layersAfterInput == 0)
        {
            findings.Add(Error("NNG0003", inputIndex, "The network has no layer after [Input]; add at least one, e.g. [Dense(1)]"));
        }

        if (layers.Count > 0 && shapesKnown)
        {
            CheckSoftmax(layers, findings);
            if (loss is { } l) CheckLoss(l, lossIndex, layers[layers.Count - 1], findings);
        }

        var optimizer = ParseOptimizer(optimizerIndex >= 0 ? attributes[optimizerIndex] : null, optimizerIndex, findings);

        var diagnostics = new EquatableArray<ParseDiagnostic>(findings);
        if (findings.Any(f => f.IsError) || layers.Count == 0 || !shapesKnown) return new ParseResult(null, diagnostics);

        var spec = new NetworkSpec(
            Namespace: type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "",
            ContainingTypes: new EquatableArray<string>(ContainingTypeDeclarations(type)),
            ClassName: type.Name,
            Precision: precision,
            Seed: seed,
            HasUserConstructor: type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && !c.IsImplicitlyDeclared),
            InputShape: inputShape,
            Layers: new EquatableArray<LayerSpec>(layers),
            Loss: loss,
            Optimizer: optimizer,
            Weights: weights);
        return new ParseResult(spec, diagnostics);
    }

    private const int ActivationCount = 10, LossCount = 5, OptimizerCount = 7, WeightInitCount = 6, PrecisionCount = 2, PaddingCount = 2;

    /// <summary>Largest size of a layer output and largest parameter count: what one span can hold.</summary>
    private const long MaxSize = int.MaxValue;

    /// <summary>
    /// An enum argument outside its defined values (e.g. <c>(Activation)42</c>) is reported under NNG0004 and read
    /// as the default, so the rest of the network is still checked.
    /// </summary>
    private static int CheckEnum(int value, int count, string enumName, int attributeIndex, int position, string? name, List<ParseDiagnostic> findings)
    {
        if (value >= 0 && value < count) return value;
        var members = enumName switch
        {
            "Activation" => Enum.GetNames(typeof(Activation)),
            "LossFunction" => Enum.GetNames(typeof(LossFunction)),
            "OptimizerKind" => Enum.GetNames(typeof(OptimizerKind)),
            "WeightInit" => Enum.GetNames(typeof(WeightInit)),
            "Precision" => Enum.GetNames(typeof(Precision)),
            _ => Enum.GetNames(typeof(Padding)),
        };
        var message = $"{value} is not a defined {enumName} value; use one of {string.Join(", ", members)}";
        findings.Add(name is null ? ArgumentError("NNG0004", attributeIndex, position, message) : NamedError("NNG0004", attributeIndex, name, message));
        return 0;
    }

    private static string InputArgumentName(int count, int position) =>
        count == 3 ? position switch { 0 => "the height", 1 => "the width", _ => "the channel count" } : "the size";

    /// <summary>An attribute as written, e.g. <c>Dense(3, Relu)</c>, for messages about layers that have no spec.</summary>
    private static string DescribeAttribute(AttributeData attribute)
    {
        var name = attribute.AttributeClass!.Name;
        if (name.EndsWith("Attribute", StringComparison.Ordinal)) name = name.Substring(0, name.Length - "Attribute".Length);
        if (attribute.ConstructorArguments.Length == 0) return name;
        var parts = attribute.ConstructorArguments.Select(a => a.Value switch
        {
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            int i when a.Type?.TypeKind == TypeKind.Enum => a.Type is INamedTypeSymbol e
                ? e.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(m => m.HasConstantValue && Equals(m.ConstantValue, i))?.Name ?? i.ToString(CultureInfo.InvariantCulture)
                : i.ToString(CultureInfo.InvariantCulture),
            IFormattable v => v.ToString(null, CultureInfo.InvariantCulture),
            var v => v?.ToString() ?? "null",
        });
        return $"{name}({string.Join(", ", parts)})";
    }

    private static LayerSpec? ParseLayer(AttributeData attribute, int index, int layerIndex, Shape input, string previous, bool inputKnown, int offset, List<ParseDiagnostic> findings)
    {
        var args = attribute.ConstructorArguments;
        var name = attribute.AttributeClass!.Name;
        bool valid = true;
        int Positive(int position, string what)
        {
            int value = position < args.Length ? AsInt(args[position]) : 0;
            if (value <= 0)
            {
                findings.Add(ArgumentError("NNG0004", index, position, $"{what} must be positive, but it is {value}"));
                valid = false;
            }
            return value;
        }

        int Enum(int value, int count, string enumName, int position) => CheckEnum(value, count, enumName, index, position, null, findings);
        int NamedEnum(string argument, int fallback, int count, string enumName) => CheckEnum(GetNamedInt(attribute, argument, fallback), count, enumName, index, -1, argument, findings);

        LayerSpec Make(LayerKind kind, int units, int kernel, int stride, Padding padding, double rate, Activation activation, WeightInit init, Shape output) =>
            new(kind, layerIndex, index, units, kernel, stride, padding, rate, activation, init, input, output, offset);

        switch (name)
        {
            case "DenseAttribute":
            {
                int units = Positive(0, "Dense units");
                var activation = Enum(args.Length > 1 ? AsInt(args[1]) : 0, ActivationCount, "Activation", 1);
                var init = NamedEnum("WeightInit", (int)DefaultInit((Activation)activation), WeightInitCount, "WeightInit");
                if (!valid || !inputKnown) return null;
                if (input.Rank != 1)
                {
                    findings.Add(new ParseDiagnostic("NNG0005", DiagnosticTarget.Attribute, index, -1, null,
                        $"Dense expects a vector input but the previous layer '{previous}' outputs {input}; add [Flatten] before it", true,
                        -1, FixKinds.InsertFlatten));
                    return null;
                }
                if ((long)units * input.Size + units + offset > MaxSize)
                {
                    findings.Add(ArgumentError("NNG0004", index, 0, $"Dense({units}) on {input.Size} inputs brings the network to more than {MaxSize} parameters; use fewer units"));
                    return null;
                }
                return Make(LayerKind.Dense, units, 0, 1, Padding.Valid, 0, (Activation)activation, (WeightInit)init, Shape.Vector(units));
            }
            case "Conv2DAttribute":
            {
                int filters = Positive(0, "Conv2D filters");
                int kernel = Positive(1, "Conv2D kernel size");
                var activation = (Activation)Enum(args.Length > 2 ? AsInt(args[2]) : 0, ActivationCount, "Activation", 2);
                int stride = GetNamedInt(attribute, "Stride", 1);
                var padding = (Padding)NamedEnum("Padding", 0, PaddingCount, "Padding");
                var init = (WeightInit)NamedEnum("WeightInit", (int)DefaultInit(activation), WeightInitCount, "WeightInit");
                if (stride <= 0)
                {
                    findings.Add(NamedError("NNG0004", index, "Stride", $"Conv2D stride must be positive, but it is {stride}"));
                    valid = false;
                }
                if (!valid || !inputKnown) return null;
                if (input.Rank != 3)
                {
                    findings.Add(Error("NNG0005", index, $"Conv2D expects a height x width x channels input but the previous layer '{previous}' outputs a vector of {input}; use [Input(height, width, channels)]"));
                    return null;
                }
                if (padding == Padding.Valid && (kernel > input.Height || kernel > input.Width))
                {
                    findings.Add(ArgumentError("NNG0005", index, 1, $"Conv2D kernel {kernel}x{kernel} is larger than its input {input} from '{previous}'; use a kernel of at most {Math.Min(input.Height, input.Width)} or Padding = Padding.Same"));
                    return null;
                }
                var output = Shape.Image(
                    ShapeMath.ConvolutionOutput(input.Height, kernel, stride, padding),
                    ShapeMath.ConvolutionOutput(input.Width, kernel, stride, padding),
                    filters);
                long weights = (long)filters * input.Channels * kernel * kernel;
                if ((long)output.Height * output.Width * filters > MaxSize || weights + filters + offset > MaxSize)
                {
                    findings.Add(ArgumentError("NNG0004", index, 0, $"Conv2D({filters}, {kernel}) on {input} is larger than a network can hold ({MaxSize} values or parameters); use fewer filters or a smaller kernel"));
                    return null;
                }
                return Make(LayerKind.Conv2D, filters, kernel, stride, padding, 0, activation, init, output);
            }
            case "MaxPool2DAttribute":
            {
                int pool = Positive(0, "MaxPool2D pool size");
                int stride = GetNamedInt(attribute, "Stride", pool);
                if (stride <= 0 && attribute.NamedArguments.Any(n => n.Key == "Stride"))
                {
                    findings.Add(NamedError("NNG0004", index, "Stride", $"MaxPool2D stride must be positive, but it is {stride}"));
                    valid = false;
                }
                if (!valid || !inputKnown) return null;
                if (input.Rank != 3)
                {
                    findings.Add(Error("NNG0005", index, $"MaxPool2D expects a height x width x channels input but the previous layer '{previous}' outputs a vector of {input}"));
                    return null;
                }
                if (pool > input.Height || pool > input.Width)
                {
                    findings.Add(ArgumentError("NNG0005", index, 0, $"MaxPool2D pool {pool}x{pool} is larger than its input {input} from '{previous}'; use a pool of at most {Math.Min(input.Height, input.Width)}"));
                    return null;
                }
                var output = Shape.Image(ShapeMath.PoolOutput(input.Height, pool, stride), ShapeMath.PoolOutput(input.Width, pool, stride), input.Channels);
                return Make(LayerKind.MaxPool2D, 0, pool, stride, Padding.Valid, 0, Activation.Linear, WeightInit.Zeros, output);
            }
            case "FlattenAttribute":
            {
                if (!inputKnown) return null;
                if (input.Rank != 3)
                {
                    findings.Add(Error("NNG0005", index, $"Flatten expects a height x width x channels input but the previous layer '{previous}' already outputs a vector of {input}; remove [Flatten]"));
                    return null;
                }
                return Make(LayerKind.Flatten, 0, 0, 1, Padding.Valid, 0, Activation.Linear, WeightInit.Zeros, Shape.Vector(input.Size));
            }
            default: // DropoutAttribute
            {
                double rate = args.Length > 0 ? AsDouble(args[0]) : 0;
                if (!(rate >= 0 && rate < 1))
                {
                    findings.Add(ArgumentError("NNG0004", index, 0, $"Dropout rate must be in [0, 1), but it is {rate.ToString("R", CultureInfo.InvariantCulture)}"));
                    return null;
                }
                if (!inputKnown) return null;
                return Make(LayerKind.Dropout, 0, 0, 1, Padding.Valid, rate, Activation.Linear, WeightInit.Zeros, input);
            }
        }
    }

    private static WeightInit DefaultInit(Activation activation) =>
        activation is Activation.Relu or Activation.LeakyRelu or Activation.Elu ? WeightInit.HeUniform : WeightInit.GlorotUniform;

    private static void CheckSoftmax(List<LayerSpec> layers, List<ParseDiagnostic> findings)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (layer.Activation != Activation.Softmax) continue;
            if (layer.Kind == LayerKind.Conv2D)
            {
                findings.Add(ArgumentError("NNG0005", layer.AttributeIndex, 2, $"Softmax is not supported on Conv2D layer '{layer.Description}'; use it on a Dense output layer"));
            }
            else if (i < layers.Count - 1 && !layers.Skip(i + 1).All(l => l.Kind == LayerKind.Dropout))
            {
                findings.Add(Warning("NNG0007", layer.AttributeIndex, 1, $"Softmax on hidden layer '{layer.Description}' squashes its units to a distribution before layer '{layers[i + 1].Description}'; Softmax usually belongs on the output layer only"));
            }
            else if (layer.Units == 1)
            {
                findings.Add(Warning("NNG0007", layer.AttributeIndex, 1, "Softmax on a single unit always outputs 1; use Sigmoid for one unit, or give the layer 2 or more units"));
            }
        }
    }

    private static void CheckLoss(LossFunction loss, int lossIndex, LayerSpec output, List<ParseDiagnostic> findings)
    {
        if (loss == LossFunction.BinaryCrossEntropy && !(output.Kind == LayerKind.Dense && output.Activation == Activation.Sigmoid))
        {
            findings.Add(new ParseDiagnostic("NNG0006", DiagnosticTarget.Argument, lossIndex, 0, null,
                $"BinaryCrossEntropy expects a Sigmoid output layer, but the output layer is '{output.Description}'; use Activation.Sigmoid on it", true,
                output.AttributeIndex, output.Kind == LayerKind.Dense ? FixKinds.UseSigmoid : null));
        }
        else if (loss == LossFunction.CategoricalCrossEntropy && !(output.Kind == LayerKind.Dense && output.Activation == Activation.Softmax && output.Units >= 2))
        {
            bool fixable = output.Kind == LayerKind.Dense && output.Units >= 2;
            findings.Add(new ParseDiagnostic("NNG0006", DiagnosticTarget.Argument, lossIndex, 0, null,
                $"CategoricalCrossEntropy expects a Softmax output layer of 2 or more units, but the output layer is '{output.Description}'; "
                    + (fixable || output.Kind != LayerKind.Dense ? "use Activation.Softmax on it" : "give it 2 or more units and Activation.Softmax"), true,
                output.AttributeIndex, fixable ? FixKinds.UseSoftmax : null));
        }
    }

    private static OptimizerSpec ParseOptimizer(AttributeData? attribute, int index, List<ParseDiagnostic> findings)
    {
        var kind = attribute is not null && attribute.ConstructorArguments.Length > 0
            ? (OptimizerKind)CheckEnum(AsInt(attribute.ConstructorArguments[0]), OptimizerCount, "OptimizerKind", index, 0, null, findings)
            : OptimizerKind.Adam;
        double lr = GetNamedFloat(attribute, "LearningRate", kind is OptimizerKind.Adam or OptimizerKind.AdamW ? 0.001 : 0.01);
        double momentum = GetNamedFloat(attribute, "Momentum", 0.9);
        double beta1 = GetNamedFloat(attribute, "Beta1", 0.9);
        double beta2 = GetNamedFloat(attribute, "Beta2", kind == OptimizerKind.RmsProp ? 0.99 : 0.999);
        double epsilon = GetNamedFloat(attribute, "Epsilon", kind == OptimizerKind.Adagrad ? 1e-10 : 1e-8);
        double decay = GetNamedFloat(attribute, "WeightDecay", kind == OptimizerKind.AdamW ? 0.01 : 0.0);

        void Check(bool ok, string name, string message)
        {
            if (!ok) findings.Add(NamedError("NNG0011", index, name, message));
        }
        string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        Check(lr > 0 && !double.IsInfinity(lr), "LearningRate", $"LearningRate must be positive and finite, but it is {F(lr)}");
        Check(momentum >= 0 && momentum < 1, "Momentum", $"Momentum must be in [0, 1), but it is {F(momentum)}");
        Check(beta1 >= 0 && beta1 < 1, "Beta1", $"Beta1 must be in [0, 1), but it is {F(beta1)}");
        Check(beta2 >= 0 && beta2 < 1, "Beta2", $"Beta2 must be in [0, 1), but it is {F(beta2)}");
        Check(epsilon > 0 && !double.IsInfinity(epsilon), "Epsilon", $"Epsilon must be positive and finite, but it is {F(epsilon)}");
        Check(decay >= 0 && !double.IsInfinity(decay), "WeightDecay", $"WeightDecay must be zero or positive and finite, but it is {F(decay)}");
        return new OptimizerSpec(kind, lr, momentum, beta1, beta2, epsilon, decay);
    }

    private static void CheckDeclaration(INamedTypeSymbol type, List<ParseDiagnostic> findings, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                findings.Add(new ParseDiagnostic("NNG0001", DiagnosticTarget.ClassName, -1, -1, null,
                    $"Network class '{type.Name}' must be declared partial so the generator can add its members; add the 'partial' modifier", true,
                    -1, FixKinds.AddPartial));
                break;
            }
        }
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            if (t.TypeParameters.Length > 0)
            {
                var what = SymbolEqualityComparer.Default.Equals(t, type) ? $"Network class '{type.Name}' is generic" : $"Network class '{type.Name}' is nested in generic type '{t.Name}'";
                findings.Add(new ParseDiagnostic("NNG0010", DiagnosticTarget.ClassName, -1, -1, null,
                    $"{what}; a generated network needs fixed types, so declare it as a non-generic class", true));
                break;
            }
        }
        // The generator writes instance members into a 'partial class': a static class or a record cannot take them.
        if (type.IsStatic)
        {
            findings.Add(new ParseDiagnostic("NNG0010", DiagnosticTarget.ClassName, -1, -1, null,
                $"Network class '{type.Name}' is static, but a network has instance members (parameters, Forward); remove 'static'", true));
        }
        else if (type.IsRecord)
        {
            findings.Add(new ParseDiagnostic("NNG0010", DiagnosticTarget.ClassName, -1, -1, null,
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
                findings.Add(Error("NNG0008", index, $"Layer attributes of network '{type.Name}' are spread over more than one partial declaration, so their order is undefined; put every layer attribute on one declaration"));
                return;
            }
        }
    }

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

    private static ParseDiagnostic Error(string id, int attributeIndex, string message) =>
        new(id, DiagnosticTarget.Attribute, attributeIndex, -1, null, message, true);

    private static ParseDiagnostic ArgumentError(string id, int attributeIndex, int position, string message) =>
        new(id, DiagnosticTarget.Argument, attributeIndex, position, null, message, true);

    private static ParseDiagnostic NamedError(string id, int attributeIndex, string name, string message) =>
        new(id, DiagnosticTarget.Argument, attributeIndex, -1, name, message, true);

    private static ParseDiagnostic Warning(string id, int attributeIndex, int position, string message) =>
        new(id, DiagnosticTarget.Argument, attributeIndex, position, null, message, false);

    private static int AsInt(TypedConstant constant) => constant.Value switch
    {
        int i => i,
        short s => s,
        byte b => b,
        long l => (int)Math.Max(int.MinValue, Math.Min(int.MaxValue, l)),
        _ => 0,
    };

    private static double AsDouble(TypedConstant constant) => constant.Value switch
    {
        // A float argument such as 0.25f becomes the double 0.25, not 0.25000000372529, by way of its shortest text.
        float f => double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        double d => d,
        int i => i,
        _ => double.NaN,
    };

    private static int GetNamedInt(AttributeData attribute, string name, int fallback)
    {
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name) return AsInt(pair.Value);
        }
        return fallback;
    }

    private static string? GetNamedString(AttributeData attribute, string name)
    {
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name) return pair.Value.Value as string;
        }
        return null;
    }

    private static double GetNamedFloat(AttributeData? attribute, string name, double fallback)
    {
        if (attribute is null) return fallback;
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name) return AsDouble(pair.Value);
        }
        return fallback;
    }
}
