namespace NeuralNet.Gen.Unity
{
    /// <summary>
    /// The package's identity. This assembly is also what user assemblies reference: Unity applies the generator and
    /// analyzers under this folder to it and to the assemblies that reference it.
    /// </summary>
    public static class PackageInfo
    {
        /// <summary>The package's name in the Unity Package Manager.</summary>
        public const string Name = "com.neuralnet.gen";

        /// <summary>The version of the package, of the NeuralNet.Gen runtime and of its generator.</summary>
        public const string Version = "@VERSION@";

        /// <summary>The Microsoft.CodeAnalysis version the package's generator and analyzers are built against.</summary>
        public const string RoslynVersion = "4.3.1";
    }
}
