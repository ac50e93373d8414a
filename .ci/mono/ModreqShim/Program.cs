using System;
using System.Linq;
using Mono.Cecil;

// Debian's Mono 6.8 class libraries declare `ref readonly` returns (ReadOnlySpan<T>'s indexer, its enumerator's Current,
// GetPinnableReference) with [IsReadOnly] but without the modreq(InAttribute) that the netstandard2.1 reference
// assemblies, .NET and C# put in the signature. A call compiled against netstandard2.1 then fails there with
// MissingMethodException. This tool removes that modifier from the signatures of the framework members an assembly calls
// (never from its own members), so Debian's Mono can bind them; the IL of every method body stays as compiled.
// Usage: ModreqShim <assembly>... ; rewrites each in place and prints what it changed.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: ModreqShim <assembly.dll>...");
    return 2;
}
foreach (string path in args)
{
    byte[] original = System.IO.File.ReadAllBytes(path);
    using var module = ModuleDefinition.ReadModule(new System.IO.MemoryStream(original));
    int changed = 0;
    // Through the method bodies: the references the writer emits are the instances their instructions hold.
    var calls = module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody)
        .SelectMany(m => m.Body.Instructions).Select(i => i.Operand).OfType<MethodReference>()
        .Select(r => r is GenericInstanceMethod generic ? generic.ElementMethod : r)
        .Where(r => r is not MethodDefinition && IsFramework(r.DeclaringType.Scope))
        .Distinct();
    foreach (var reference in calls)
    {
        if (Strip(reference.ReturnType) is { } ret) { reference.ReturnType = ret; changed++; }
        foreach (var parameter in reference.Parameters)
        {
            if (Strip(parameter.ParameterType) is { } type) { parameter.ParameterType = type; changed++; }
        }
    }
    module.Write(path);
    Console.WriteLine($"{System.IO.Path.GetFileName(path)}: modreq(InAttribute) removed from {changed} framework call signature(s)");
}
return 0;

static bool IsFramework(IMetadataScope scope) =>
    scope.Name is "netstandard" or "mscorlib" or "System.Runtime" or "System.Memory";

// `modreq(InAttribute) T&` (Cecil reads it either way round) becomes `T&`; anything else is left alone (null).
static TypeReference? Strip(TypeReference type) => type switch
{
    RequiredModifierType { ModifierType.FullName: InAttribute } modified => modified.ElementType,
    ByReferenceType { ElementType: RequiredModifierType { ModifierType.FullName: InAttribute } modified } => new ByReferenceType(modified.ElementType),
    _ => null,
};

internal static partial class Program
{
    private const string InAttribute = "System.Runtime.InteropServices.InAttribute";
}
