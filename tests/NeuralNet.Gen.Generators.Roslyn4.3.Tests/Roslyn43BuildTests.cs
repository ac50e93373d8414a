extern alias analyzers;

using System;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using analyzers::NeuralNet.Gen.Analyzers;
using Xunit;

namespace NeuralNet.Gen.Generators.Tests;

/// <summary>
/// What only the Roslyn 4.3 build needs: that it asks Unity's compiler for nothing newer than Microsoft.CodeAnalysis 4.3,
/// and that its analyzers (the generator has every test of the 4.8 build here) report the architecture errors.
/// </summary>
public class Roslyn43BuildTests
{
    private static readonly Version Roslyn43 = new(4, 3, 0, 0);

    [Theory]
    [InlineData(typeof(NetworkGenerator))]
    [InlineData(typeof(NetworkAnalyzer))]
    public void References_no_Roslyn_newer_than_4_3(Type component)
    {
        var roslyn = component.Assembly.GetReferencedAssemblies()
            .Where(name => name.Name is "Microsoft.CodeAnalysis" or "Microsoft.CodeAnalysis.CSharp")
            .ToList();

        Assert.Equal(2, roslyn.Count);
        Assert.All(roslyn, name => Assert.Equal(Roslyn43, name.Version));
    }

    [Fact]
    public async System.Threading.Tasks.Task Analyzers_report_architecture_errors_and_call_site_lengths()
    {
        const string source = """
            using NeuralNet.Gen;
            using static NeuralNet.Gen.Activation;

            public static class Use
            {
                public static void Run() => new Fine().Forward(new float[3], new float[1]);
            }

            [Network, Input(28, 28, 1), Conv2D(8, 3), Dense(10)]
            public partial class NoFlatten { }

            [Network, Input(2), Dense(1, Relu), Loss(LossFunction.BinaryCrossEntropy)]
            public partial class WrongLoss { }

            [Network, Input(2), Dense(1)]
            public class NotPartial { }

            [Network, Input(2), Dense(1)]
            public partial class Fine { }
            """;
        var (_, _, output) = GeneratorHarness.Run(source);
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new NetworkAnalyzer(), new BufferLengthAnalyzer());

        var found = await output.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();

        var ids = found.Select(d => $"{d.Severity} {d.Id}").Distinct().OrderBy(s => s, StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "Error NNG0001", "Error NNG0005", "Error NNG0006", "Warning NNG0009" }, ids);
    }
}
