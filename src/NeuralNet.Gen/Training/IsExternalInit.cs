#if !NET5_0_OR_GREATER
namespace System.Runtime.CompilerServices;

/// <summary>Lets netstandard2.1 compile <c>init</c> accessors and records (the type ships with .NET 5 and later).</summary>
internal static class IsExternalInit { }
#endif
