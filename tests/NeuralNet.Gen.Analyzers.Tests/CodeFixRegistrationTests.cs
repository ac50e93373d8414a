using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis.CodeFixes;
using NeuralNet.Gen.Analyzers;
using NeuralNet.Gen.CodeFixes;
using Xunit;

namespace NeuralNet.Gen.Analyzers.Tests;

/// <summary>Every code fix registers one way: through <see cref="NetworkCodeFix"/>, for ids that have descriptors.</summary>
public sealed class CodeFixRegistrationTests
{
    private static System.Type[] Providers() => typeof(NetworkCodeFix).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
        .ToArray();

    [Fact]
    public void Every_code_fix_derives_from_the_one_base_class()
    {
        var providers = Providers();
        Assert.True(providers.Length >= 10, $"found only {providers.Length} code fixes");
        Assert.All(providers, t => Assert.True(typeof(NetworkCodeFix).IsAssignableFrom(t), $"{t.Name} registers its fixes on its own"));
    }

    [Fact]
    public void Every_fixable_id_has_a_descriptor_and_is_exported()
    {
        foreach (var type in Providers())
        {
            Assert.NotNull(type.GetCustomAttribute<ExportCodeFixProviderAttribute>());
            var provider = (CodeFixProvider)System.Activator.CreateInstance(type)!;
            Assert.NotEmpty(provider.FixableDiagnosticIds);
            Assert.All(provider.FixableDiagnosticIds, id => Assert.NotNull(DiagnosticDescriptors.Find(id)));
        }
    }
}
