using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis;
using NeuralNet.Gen.Generators.Model;

namespace NeuralNet.Gen.Generators.Parsing;

/// <summary>Reading constant attribute arguments, and the findings the parser and layer kinds report about them.</summary>
internal static class AttributeArguments
{
    /// <summary>Largest size of a layer output and largest parameter count: what one span can hold.</summary>
    public const long MaxSize = int.MaxValue;

    public static int AsInt(TypedConstant constant) => AsInt(constant.Value);

    /// <summary>An argument's value as Roslyn gives it (an enum as its underlying int).</summary>
    public static int AsInt(object? value) => value switch
    {
        int i => i,
        short s => s,
        byte b => b,
        long l => (int)Math.Max(int.MinValue, Math.Min(int.MaxValue, l)),
        _ => 0,
    };

    public static double AsDouble(TypedConstant constant) => AsDouble(constant.Value);

    public static double AsDouble(object? value) => value switch
    {
        float f => FromFloat(f),
        double d => FromFloatLiteral(d),
        int i => i,
        _ => double.NaN,
    };

    /// <summary>A float such as 0.3f becomes the double 0.3, not 0.30000001192092896, by way of its shortest text.</summary>
    public static double FromFloat(float f) => double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>
    /// Fractional arguments are typed double, so C# widens a float literal (<c>Dropout(0.3f)</c>) to
    /// 0.30000001192092896 before we see it. A double that is exactly a float whose shortest text is shorter is taken
    /// to be that literal: 0.3f and 0.3 then mean the same, and old float-typed code keeps its fingerprint.
    /// </summary>
    public static double FromFloatLiteral(double d)
    {
        if (double.IsNaN(d) || double.IsInfinity(d)) return d;
        float f = (float)d;
        return f == d ? FromFloat(f) : d;
    }

    public static bool HasNamed(AttributeData attribute, string name)
    {
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name) return true;
        }
        return false;
    }

    public static int GetNamedInt(AttributeData attribute, string name, int fallback)
    {
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name) return AsInt(pair.Value);
        }
        return fallback;
    }

    public static bool GetNamedBool(AttributeData attribute, string name, bool fallback)
    {
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name && pair.Value.Value is bool value) return value;
        }
        return fallback;
    }

    public static string? GetNamedString(AttributeData attribute, string name)
    {
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name) return pair.Value.Value as string;
        }
        return null;
    }

    public static double GetNamedFloat(AttributeData? attribute, string name, double fallback)
    {
        if (attribute is null) return fallback;
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name) return AsDouble(pair.Value);
        }
        return fallback;
    }

    /// <summary>
    /// An enum argument outside its defined values (e.g. <c>(Activation)42</c>) is reported under NNG0004 and read
    /// as the default, so the rest of the network is still checked. The defined values come from the enum itself.
    /// </summary>
    public static TEnum CheckEnum<TEnum>(int value, int attributeIndex, int position, string? name, List<ParseDiagnostic> findings)
        where TEnum : struct, Enum
    {
        if (Enum.IsDefined(typeof(TEnum), value)) return (TEnum)(object)value;
        var message = $"{value} is not a defined {typeof(TEnum).Name} value; use one of {string.Join(", ", Enum.GetNames(typeof(TEnum)))}";
        findings.Add(name is null ? ArgumentError(DiagnosticIds.InvalidArgument, attributeIndex, position, message) : NamedError(DiagnosticIds.InvalidArgument, attributeIndex, name, message));
        return default;
    }

    public static ParseDiagnostic Error(string id, int attributeIndex, string message) =>
        new(id, DiagnosticTarget.Attribute, attributeIndex, -1, null, message, true);

    public static ParseDiagnostic ArgumentError(string id, int attributeIndex, int position, string message) =>
        new(id, DiagnosticTarget.Argument, attributeIndex, position, null, message, true);

    public static ParseDiagnostic NamedError(string id, int attributeIndex, string name, string message) =>
        new(id, DiagnosticTarget.Argument, attributeIndex, -1, name, message, true);

    public static ParseDiagnostic Warning(string id, int attributeIndex, int position, string message) =>
        new(id, DiagnosticTarget.Argument, attributeIndex, position, null, message, false);
}

/// <summary>
/// What a layer kind reads its attribute through: the arguments, the shape it receives and from which layer, and
/// where its findings go. Keeps Roslyn's <see cref="AttributeData"/> out of the layer kinds' shape rules.
/// </summary>
internal sealed class LayerReader
{
    private readonly IReadOnlyList<object?> _arguments;
    private readonly IReadOnlyList<KeyValuePair<string, object?>> _named;
    private readonly List<ParseDiagnostic> _findings;
    private readonly LayerNames? _names;

    public LayerReader(AttributeData attribute, int attributeIndex, int layerIndex, Shape input, string previous, bool inputKnown, int parameterOffset, List<ParseDiagnostic> findings, LayerNames? names = null)
        : this(ValuesOf(attribute), attributeIndex, layerIndex, input, previous, inputKnown, parameterOffset, findings, names)
    {
    }

    /// <summary>
    /// A reader over argument values rather than source: constructor arguments in order (defaults included, enums as
    /// their int) and named ones, as Roslyn would bind them. Layers declared by a weights file are read this way.
    /// </summary>
    public LayerReader((IReadOnlyList<object?> Arguments, IReadOnlyList<KeyValuePair<string, object?>> Named) values, int attributeIndex, int layerIndex, Shape input, string previous, bool inputKnown, int parameterOffset, List<ParseDiagnostic> findings, LayerNames? names = null)
    {
        _names = names;
        _arguments = values.Arguments;
        _named = values.Named;
        AttributeIndex = attributeIndex;
        LayerIndex = layerIndex;
        Input = input;
        Previous = previous;
        InputKnown = inputKnown;
        ParameterOffset = parameterOffset;
        _findings = findings;
    }

    public int AttributeIndex { get; }

    /// <summary>The layer's number (1 for the first layer after the input).</summary>
    public int LayerIndex { get; }

    /// <summary>The shape the layer receives; meaningless unless <see cref="InputKnown"/>.</summary>
    public Shape Input { get; }

    /// <summary>The description of the layer that produces the input, for messages.</summary>
    public string Previous { get; }

    /// <summary>False after an earlier error: only the layer's own arguments can be checked.</summary>
    public bool InputKnown { get; }

    public int ParameterOffset { get; }

    /// <summary>False once an argument was reported.</summary>
    public bool Valid { get; private set; } = true;

    public int ArgumentCount => _arguments.Count;

    public int Int(int position) => position < ArgumentCount ? AttributeArguments.AsInt(_arguments[position]) : 0;

    public double Double(int position) => position < ArgumentCount ? AttributeArguments.AsDouble(_arguments[position]) : 0;

    public bool HasNamed(string name) => Named(name, out _);

    /// <summary>The string at <paramref name="position"/>, or null.</summary>
    public string? String(int position) => position < ArgumentCount ? _arguments[position] as string : null;

    /// <summary>
    /// The earlier layer (or the network's input) that constructor argument 0 names, for a layer that reads a second
    /// output (<paramref name="kind"/>: Add, Concatenate); null, reported (NNG0013), when it names no earlier layer.
    /// </summary>
    public LayerSource? Source(string kind)
    {
        var source = _names?.Resolve(String(0), kind, AttributeIndex, _findings);
        if (source is null) Valid = false;
        return source;
    }

    public int NamedInt(string name, int fallback) => Named(name, out var value) ? AttributeArguments.AsInt(value) : fallback;

    public bool NamedBool(string name, bool fallback) => Named(name, out var value) && value is bool b ? b : fallback;

    public double NamedDouble(string name, double fallback) => Named(name, out var value) ? AttributeArguments.AsDouble(value) : fallback;

    private bool Named(string name, out object? value)
    {
        foreach (var pair in _named)
        {
            if (pair.Key == name)
            {
                value = pair.Value;
                return true;
            }
        }
        value = null;
        return false;
    }

    private static (IReadOnlyList<object?>, IReadOnlyList<KeyValuePair<string, object?>>) ValuesOf(AttributeData attribute)
    {
        var arguments = new object?[attribute.ConstructorArguments.Length];
        for (int i = 0; i < arguments.Length; i++) arguments[i] = ValueOf(attribute.ConstructorArguments[i]);
        var named = new KeyValuePair<string, object?>[attribute.NamedArguments.Length];
        for (int i = 0; i < named.Length; i++) named[i] = new(attribute.NamedArguments[i].Key, ValueOf(attribute.NamedArguments[i].Value));
        return (arguments, named);
    }

    // Value throws for an array; no layer attribute takes one.
    private static object? ValueOf(TypedConstant constant) => constant.Kind == TypedConstantKind.Array ? null : constant.Value;

    /// <summary>A positive count at <paramref name="position"/>; reported (NNG0004) otherwise.</summary>
    public int Positive(int position, string what)
    {
        int value = Int(position);
        if (value <= 0) ArgumentError(DiagnosticIds.InvalidArgument, position, $"{what} must be positive, but it is {value}");
        return value;
    }

    public TEnum Enum<TEnum>(int position, TEnum fallback) where TEnum : struct, System.Enum =>
        AttributeArguments.CheckEnum<TEnum>(position < ArgumentCount ? Int(position) : Convert.ToInt32(fallback, CultureInfo.InvariantCulture), AttributeIndex, position, null, _findings);

    public TEnum NamedEnum<TEnum>(string name, TEnum fallback) where TEnum : struct, System.Enum =>
        AttributeArguments.CheckEnum<TEnum>(NamedInt(name, Convert.ToInt32(fallback, CultureInfo.InvariantCulture)), AttributeIndex, -1, name, _findings);

    public void Error(string id, string message, int relatedAttributeIndex = -1, string? fix = null)
    {
        _findings.Add(new ParseDiagnostic(id, DiagnosticTarget.Attribute, AttributeIndex, -1, null, message, true, relatedAttributeIndex, fix));
        Valid = false;
    }

    public void ArgumentError(string id, int position, string message)
    {
        _findings.Add(AttributeArguments.ArgumentError(id, AttributeIndex, position, message));
        Valid = false;
    }

    public void NamedError(string id, string name, string message)
    {
        _findings.Add(AttributeArguments.NamedError(id, AttributeIndex, name, message));
        Valid = false;
    }

    /// <summary>The layer as data, at this reader's position.</summary>
    public LayerSpec Create(LayerKind kind, Shape output, int units = 0, int kernelSize = 0, int stride = 1, Padding padding = Padding.Valid,
        double rate = 0, Activation activation = Activation.Linear, WeightInit weightInit = WeightInit.Zeros) =>
        new(kind, LayerIndex, AttributeIndex, units, kernelSize, stride, padding, rate, activation, weightInit, Input, output, ParameterOffset);
}
