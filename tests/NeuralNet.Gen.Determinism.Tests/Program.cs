using System;

namespace NeuralNet.Gen.Determinism.Tests;

/// <summary>The child process of <see cref="ReproducibleBitsTests"/>: prints the instruction sets and both hashes.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length != 1 || args[0] != "train")
        {
            Console.Error.WriteLine("usage: dotnet NeuralNet.Gen.Determinism.Tests.dll train");
            return 2;
        }
        Console.WriteLine("isa " + ReproducibleTraining.InstructionSets());
        Console.WriteLine("mlp " + ReproducibleTraining.MlpHash());
        Console.WriteLine("cnn " + ReproducibleTraining.CnnHash());
        Console.WriteLine("step " + ReproducibleTraining.StepHash());
        return 0;
    }
}
