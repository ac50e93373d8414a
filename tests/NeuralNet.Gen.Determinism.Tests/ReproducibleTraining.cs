using System;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using System.Text;

namespace NeuralNet.Gen.Determinism.Tests;

/// <summary>
/// One fixed training run per network, summarised as a SHA-256 of the parameters after training and of the
/// outputs of a batch and a single-sample Forward. Data and initial parameters come from fixed seeds.
/// </summary>
public static class ReproducibleTraining
{
    /// <summary>What the JIT enabled in this process, so a test can check that an instruction-set limit took effect.</summary>
    public static string InstructionSets() =>
        $"Vector512={Vector512.IsHardwareAccelerated} Vector256={Vector256.IsHardwareAccelerated} Vector128={Vector128.IsHardwareAccelerated} Vector<float>={(Vector.IsHardwareAccelerated ? Vector<float>.Count : 0)}";

    public static string MlpHash()
    {
        var net = new Mlp200();
        const int batch = 32, steps = 12;
        var (inputs, targets) = Data(Mlp200.InputSize, Mlp200.OutputSize, batch * steps, seed: 11);
        for (int s = 0; s < steps; s++)
        {
            net.TrainStep(inputs.AsSpan(s * batch * Mlp200.InputSize, batch * Mlp200.InputSize), targets.AsSpan(s * batch * Mlp200.OutputSize, batch * Mlp200.OutputSize), batch);
        }
        var outputs = new float[batch * Mlp200.OutputSize + Mlp200.OutputSize];
        net.Forward(inputs.AsSpan(0, batch * Mlp200.InputSize), outputs.AsSpan(0, batch * Mlp200.OutputSize), batch);
        net.Forward(inputs.AsSpan(5 * Mlp200.InputSize, Mlp200.InputSize), outputs.AsSpan(batch * Mlp200.OutputSize));
        return Hash(net.Parameters, outputs);
    }

    public static string CnnHash()
    {
        var net = new SmallCnn();
        const int batch = 8, steps = 6;
        var (inputs, targets) = Data(SmallCnn.InputSize, SmallCnn.OutputSize, batch * steps, seed: 13);
        for (int s = 0; s < steps; s++)
        {
            net.TrainStep(inputs.AsSpan(s * batch * SmallCnn.InputSize, batch * SmallCnn.InputSize), targets.AsSpan(s * batch * SmallCnn.OutputSize, batch * SmallCnn.OutputSize), batch);
        }
        var outputs = new float[batch * SmallCnn.OutputSize + SmallCnn.OutputSize];
        net.Forward(inputs.AsSpan(0, batch * SmallCnn.InputSize), outputs.AsSpan(0, batch * SmallCnn.OutputSize), batch);
        net.Forward(inputs.AsSpan(3 * SmallCnn.InputSize, SmallCnn.InputSize), outputs.AsSpan(batch * SmallCnn.OutputSize));
        return Hash(net.Parameters, outputs);
    }

    /// <summary>Inputs uniform in [-1, 1), one-hot targets of a random class.</summary>
    private static (float[] Inputs, float[] Targets) Data(int inputSize, int classes, int samples, long seed)
    {
        var random = new DeterministicRandom(seed);
        var inputs = new float[samples * inputSize];
        var targets = new float[samples * classes];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = (float)(2 * random.NextDouble() - 1);
        for (int s = 0; s < samples; s++) targets[s * classes + random.NextInt32(classes)] = 1f;
        return (inputs, targets);
    }

    private static string Hash(ReadOnlySpan<float> parameters, ReadOnlySpan<float> outputs)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(MemoryMarshal.AsBytes(parameters));
        sha.AppendData(MemoryMarshal.AsBytes(outputs));
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
