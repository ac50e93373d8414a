using System;
using System.Linq;
using NameGenerator;
using Xunit;
using Xunit.Abstractions;

namespace NeuralNet.Gen.Samples.Tests;

/// <summary>
/// The NameGenerator sample in a small configuration: a character-level GRU trained on 1,500 words of Debian's word list
/// for two epochs gets well below uniform guessing (ln 27 = 3.30 nats) and invents words most of which are not in the list.
/// </summary>
public class NameGeneratorTests(ITestOutputHelper output)
{
    [Fact]
    public void Gru_learns_the_word_list_and_invents_new_names()
    {
        var words = NameModel.ReadWords();
        Assert.True(words.Count > 20000, $"{words.Count} words");
        var shuffled = words.ToArray();
        var random = new DeterministicRandom(7);
        random.Shuffle(shuffled.AsSpan());
        var (inputs, targets) = NameModel.Examples(shuffled.Take(1500).ToList());
        var net = new NameNet();
        var losses = NameModel.Train(net, inputs, targets, epochs: 2, batchSize: 64, seed: 3);
        output.WriteLine($"losses {string.Join(", ", losses)}");
        Assert.True(losses[^1] < losses[0], "the loss falls");
        Assert.True(losses[^1] < 2.45f, $"final loss {losses[^1]}");

        var known = words.ToHashSet();
        var sampler = new DeterministicRandom(11);
        var names = Enumerable.Range(0, 20).Select(i => NameModel.Generate(net, i % 2 == 0 ? "ka" : "mor", ref sampler)).ToArray();
        output.WriteLine(string.Join(" ", names));
        Assert.All(names, n => Assert.True(n.All(ch => ch is >= 'a' and <= 'z') && n.Length >= 2));
        int novel = names.Count(n => !known.Contains(n));
        Assert.True(novel >= 14, $"{novel} of 20 names are new");
    }
}
