using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NeuralNet.Gen.Generators.Model;
using Xunit;

namespace NeuralNet.Gen.Generators.Tests;

/// <summary>The pipeline reuses its cached output when nothing relevant changed, and its spec holds only data.</summary>
public class IncrementalTests
{
    [Fact]
    public void An_unrelated_file_change_reuses_every_cached_output()
    {
        var compilation = GeneratorHarness.Compile(TestSources.Circles, TestSources.LoopLayers);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        Assert.Equal(2, first.GeneratedSources.Length);

        var changed = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(TestSources.Unrelated, GeneratorHarness.ParseOptions, path: "Unrelated.cs"));
        var second = driver.RunGenerators(changed).GetRunResult().Results.Single();

        Assert.Null(second.Exception);
        GeneratorHarness.AssertAllCached(second);
        Assert.Equal(2, second.TrackedSteps[TrackingNames.ParseNetwork].Length);
        Assert.Equal(
            first.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())),
            second.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())));
    }

    [Fact]
    public void Editing_an_unrelated_method_in_the_network_file_keeps_the_output_cached()
    {
        string before = TestSources.Circles + "\nstatic class Other { static int F() => 1; }\n";
        string after = TestSources.Circles + "\nstatic class Other { static int F() => 2; }\n";
        var compilation = GeneratorHarness.Compile(before);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(after, GeneratorHarness.ParseOptions, path: tree.FilePath));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        // The transform reran (its tree changed) but produced an equal spec, so nothing downstream ran again.
        var parse = Assert.Single(result.TrackedSteps[TrackingNames.ParseNetwork]);
        Assert.All(parse.Outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached, o.Reason.ToString()));
        Assert.All(result.TrackedOutputSteps.SelectMany(p => p.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Changing_the_network_regenerates_it()
    {
        var compilation = GeneratorHarness.Compile(TestSources.Circles);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        string before = GeneratorHarness.SingleSource(driver.GetRunResult().Results.Single());
        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(TestSources.Circles.Replace("[Dense(4, Relu)]\n[Dense(1", "[Dense(5, Relu)]\n[Dense(1"), GeneratorHarness.ParseOptions, path: tree.FilePath));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Contains(result.TrackedSteps[TrackingNames.ParseNetwork].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(result.TrackedOutputSteps.SelectMany(p => p.Value).SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        string after = GeneratorHarness.SingleSource(result);
        Assert.NotEqual(before, after);
        Assert.Contains("Dense 6 -> 5, Relu", after);
    }

    [Fact]
    public void The_spec_is_equal_across_compilations_and_holds_no_Roslyn_objects()
    {
        var first = ParsedSpec(TestSources.Nested);
        var second = ParsedSpec(TestSources.Nested);
        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());

        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var types = new HashSet<Type>();
        Walk(first, "spec", visited, types);
        // The walk did reach the layers and the optimizer (it is not vacuous).
        Assert.Contains(typeof(LayerSpec), types);
        Assert.Contains(typeof(OptimizerSpec), types);
        Assert.Contains(typeof(Shape), types);
    }

    private static NetworkSpec ParsedSpec(string source)
    {
        var (_, result, _) = GeneratorHarness.Run(source);
        var output = Assert.Single(result.TrackedSteps[TrackingNames.ParseNetwork].SelectMany(s => s.Outputs));
        return Assert.IsType<NetworkSpec>(output.Value);
    }

    private static readonly Type[] Forbidden =
    {
        typeof(ISymbol), typeof(Compilation), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location),
        typeof(SemanticModel), typeof(AttributeData), typeof(SyntaxToken), typeof(SyntaxReference),
    };

    /// <summary>Every field of every object reachable from the spec, by reflection.</summary>
    private static void Walk(object? value, string path, HashSet<object> visited, HashSet<Type> types)
    {
        if (value is null) return;
        var type = value.GetType();
        types.Add(type);
        foreach (var forbidden in Forbidden)
        {
            Assert.False(forbidden.IsAssignableFrom(type), $"{path} is a {type.FullName}, a {forbidden.Name}");
        }
        if (type.IsPrimitive || type.IsEnum || value is string || value is decimal) return;
        if (!type.IsValueType && !visited.Add(value)) return;
        if (value is Array array)
        {
            int i = 0;
            foreach (var item in array) Walk(item, $"{path}[{i++}]", visited, types);
            return;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Nullable<>)) return;
        // Everything else must be the generator's own model (records, EquatableArray), not a framework object.
        Assert.True(type.Namespace == typeof(NetworkSpec).Namespace, $"{path} is a {type.FullName}, not a model type");
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                Walk(field.GetValue(value), $"{path}.{field.Name}", visited, types);
            }
        }
    }
}
