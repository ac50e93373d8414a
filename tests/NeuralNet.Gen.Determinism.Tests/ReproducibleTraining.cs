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

    public static string MlpHash() => TrainAndHash(new Mlp200(), batch: 32, steps: 12, seed: 11, single: 5);

    public static string CnnHash() => TrainAndHash(new SmallCnn(), batch: 8, steps: 6, seed: 13, single: 3);

    /// <summary>TrainStep over <paramref name="steps"/> batches, then a batch Forward and a single-sample Forward of sample <paramref name="single"/>.</summary>
    private static string TrainAndHash(ITrainableNetwork<float> net, int batch, int steps, long seed, int single)
    {
        int n = net.InputSize, m = net.OutputSize;
        var (inputs, targets) = Data(n, m, batch * steps, seed);
        for (int s = 0; s < steps; s++) net.TrainStep(inputs.AsSpan(s * batch * n, batch * n), targets.AsSpan(s * batch * m, batch * m), batch);
        var outputs = new float[batch * m + m];
        net.Forward(inputs.AsSpan(0, batch * n), outputs.AsSpan(0, batch * m), batch);
        net.Forward(inputs.AsSpan(single * n, n), outputs.AsSpan(batch * m));
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

    /// <summary>Step's outputs over 300 steps of random rows (past the declared steps), float and double, and the span activations over 10,000 values.</summary>
    public static string StepHash()
    {
        var random = new DeterministicRandom(17);
        var model = new StreamingModel();
        var floats = new float[300 + 10_000];
        var row = new float[1];
        for (int t = 0; t < 300; t++)
        {
            row[0] = (float)(2 * random.NextDouble() - 1);
            model.Step(row, floats.AsSpan(t, 1));
        }
        // Tanh and Sigmoid over values from the tiny to the saturated, the vector lanes and the scalar tail.
        for (int i = 300; i < floats.Length; i++) floats[i] = (float)((2 * random.NextDouble() - 1) * (1 << (i % 8)));
        NeuralMath.Tanh(floats.AsSpan(300, 5_001));
        NeuralMath.Sigmoid(floats.AsSpan(5_301));
        var lstm = new StreamingLstm();
        var doubles = new double[300 * 3];
        var input = new double[3];
        for (int t = 0; t < 300; t++)
        {
            for (int i = 0; i < 3; i++) input[i] = 4 * random.NextDouble() - 2;
            lstm.Step(input, doubles.AsSpan(t * 3, 3));
        }
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(MemoryMarshal.AsBytes(floats.AsSpan()));
        sha.AppendData(MemoryMarshal.AsBytes(doubles.AsSpan()));
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private static string Hash(ReadOnlySpan<float> parameters, ReadOnlySpan<float> outputs)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(MemoryMarshal.AsBytes(parameters));
        sha.AppendData(MemoryMarshal.AsBytes(outputs));
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
