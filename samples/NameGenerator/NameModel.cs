using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using NeuralNet.Gen;

namespace NameGenerator;

/// <summary>Word list, training examples, training and sampling of the name generator.</summary>
public static class NameModel
{
    /// <summary>Characters the network sees before predicting the next.</summary>
    public const int Context = 6;

    /// <summary>a-z and '.', which marks both the start (padding) and the end of a word.</summary>
    public const int Symbols = 27;

    public const string WordList = "/usr/share/dict/american-english";

    private static int Index(char ch) => ch == '.' ? 26 : ch - 'a';

    private static char Symbol(int index) => index == 26 ? '.' : (char)('a' + index);

    /// <summary>Lower-case words of 4 to 8 letters a-z (no names with capitals, no possessives), in file order.</summary>
    public static List<string> ReadWords(string path = WordList) =>
        File.ReadLines(path).Where(w => w.Length is >= 4 and <= 8 && w.All(ch => ch is >= 'a' and <= 'z')).Distinct().ToList();

    /// <summary>Every (previous <see cref="Context"/> characters, next character) pair of the words, one-hot, row-major.</summary>
    public static (float[] Inputs, float[] Targets) Examples(IReadOnlyList<string> words)
    {
        int count = words.Sum(w => w.Length + 1);
        var inputs = new float[count * Context * Symbols];
        var targets = new float[count * Symbols];
        int e = 0;
        foreach (var word in words)
        {
            string padded = new string('.', Context) + word + ".";
            for (int i = Context; i < padded.Length; i++, e++)
            {
                for (int t = 0; t < Context; t++) inputs[(e * Context + t) * Symbols + Index(padded[i - Context + t])] = 1;
                targets[e * Symbols + Index(padded[i])] = 1;
            }
        }
        return (inputs, targets);
    }

    /// <summary>Minibatch training; returns each epoch's mean loss.</summary>
    public static List<float> Train(NameNet net, float[] inputs, float[] targets, int epochs, int batchSize, int seed, Action<int, float>? report = null)
    {
        int count = targets.Length / Symbols;
        var order = Enumerable.Range(0, count).ToArray();
        var random = new DeterministicRandom(seed);
        var xb = new float[batchSize * NameNet.InputSize];
        var tb = new float[batchSize * NameNet.OutputSize];
        var losses = new List<float>();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order.AsSpan());
            double sum = 0;
            int batches = 0;
            for (int start = 0; start + batchSize <= count; start += batchSize)
            {
                for (int b = 0; b < batchSize; b++)
                {
                    int e = order[start + b];
                    inputs.AsSpan(e * NameNet.InputSize, NameNet.InputSize).CopyTo(xb.AsSpan(b * NameNet.InputSize));
                    targets.AsSpan(e * NameNet.OutputSize, NameNet.OutputSize).CopyTo(tb.AsSpan(b * NameNet.OutputSize));
                }
                sum += net.TrainStep(xb, tb, batchSize);
                batches++;
            }
            losses.Add((float)(sum / batches));
            report?.Invoke(epoch + 1, losses[^1]);
        }
        return losses;
    }

    /// <summary>A new word that starts with <paramref name="seed"/>, drawn character by character (temperature below 1 is more conservative).</summary>
    public static string Generate(NameNet net, string seed, ref DeterministicRandom random, double temperature = 0.8, int maxLength = 10)
    {
        var text = new StringBuilder(seed);
        var x = new float[NameNet.InputSize];
        var p = new float[NameNet.OutputSize];
        while (text.Length < maxLength)
        {
            Array.Clear(x);
            string padded = new string('.', Context) + text;
            for (int t = 0; t < Context; t++) x[t * Symbols + Index(padded[padded.Length - Context + t])] = 1;
            net.Forward(x, p);
            double total = 0;
            var weights = new double[Symbols];
            for (int k = 0; k < Symbols; k++) total += weights[k] = Math.Pow(p[k], 1 / temperature);
            double pick = random.NextDouble() * total;
            int next = 0;
            while (next < Symbols - 1 && (pick -= weights[next]) > 0) next++;
            if (next == 26) break;
            text.Append(Symbol(next));
        }
        return text.ToString();
    }
}
