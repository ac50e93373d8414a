using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace NeuralNet.Gen.Determinism.Tests;

/// <summary>
/// DESIGN.md "Reproducible bits": the same seed, data and calls give the same parameters and outputs under AVX-512,
/// AVX2, 128-bit vectors and scalar code. Each limit runs the same training in a child process (the JIT reads the
/// DOTNET_Enable* variables at start-up only) and must print this process's hashes.
/// </summary>
public class ReproducibleBitsTests
{
    public static TheoryData<string, string, string> Limits => new()
    {
        // .NET 8 and 9 read EnableAVX512F; .NET 10 ignores it and reads EnableAVX512.
        { "no AVX-512", "DOTNET_EnableAVX512F=0;DOTNET_EnableAVX512=0", "Vector512=False" },
        { "128-bit vectors", "DOTNET_EnableAVX2=0", "Vector256=False Vector128=True" },
        { "scalar", "DOTNET_EnableHWIntrinsic=0", "Vector512=False Vector256=False Vector128=False Vector<float>=0" },
        { "no limit", "", "" },
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public void TrainingGivesTheSameBitsUnder(string name, string environment, string expectedInstructionSets)
    {
        var child = RunChild(environment);
        Assert.Contains(expectedInstructionSets, child["isa"]);
        Assert.True(ReproducibleTraining.MlpHash() == child["mlp"], $"200-96-48-10 MLP ({name}): {child["mlp"]}, this process {ReproducibleTraining.MlpHash()} ({ReproducibleTraining.InstructionSets()})");
        Assert.True(ReproducibleTraining.CnnHash() == child["cnn"], $"CNN ({name}): {child["cnn"]}, this process {ReproducibleTraining.CnnHash()} ({ReproducibleTraining.InstructionSets()})");
        Assert.True(ReproducibleTraining.StepHash() == child["step"], $"Step and the span activations ({name}): {child["step"]}, this process {ReproducibleTraining.StepHash()} ({ReproducibleTraining.InstructionSets()})");
    }

    [Fact]
    public void TrainingChangesTheHash()
    {
        // The hashes cover what training changes: two networks give two hashes, and a run repeats itself.
        Assert.NotEqual(ReproducibleTraining.MlpHash(), ReproducibleTraining.CnnHash());
        Assert.Equal(ReproducibleTraining.MlpHash(), ReproducibleTraining.MlpHash());
        Assert.Equal(ReproducibleTraining.StepHash(), ReproducibleTraining.StepHash());
        Assert.NotEqual(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(new Mlp200().Parameters))), ReproducibleTraining.MlpHash());
    }

    private static Dictionary<string, string> RunChild(string environment)
    {
        string assembly = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add("train");
        foreach (var variable in new[] { "DOTNET_EnableAVX512F", "DOTNET_EnableAVX512", "DOTNET_EnableAVX2", "DOTNET_EnableHWIntrinsic" }) start.Environment.Remove(variable);
        foreach (var pair in environment.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=');
            start.Environment[parts[0]] = parts[1];
        }
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "the child process did not finish in 2 minutes");
        Assert.True(process.ExitCode == 0, $"child exited with {process.ExitCode}: {error}");
        var lines = new Dictionary<string, string>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int space = line.IndexOf(' ');
            lines[line[..space]] = line[(space + 1)..];
        }
        return lines;
    }
}
