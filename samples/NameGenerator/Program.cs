using System;
using System.Linq;
using NameGenerator;
using NeuralNet.Gen;

// A character-level GRU learns what English words sound like from Debian's word list, then invents new ones:
// procedural names for a game's towns, creatures or items. `--quick` trains on fewer words for fewer epochs.
bool quick = args.Contains("--quick");
var words = NameModel.ReadWords();
var random = new DeterministicRandom(7);
var shuffled = words.ToArray();
random.Shuffle(shuffled.AsSpan());
var training = shuffled.Take(quick ? 3000 : 20000).ToList();
var (inputs, targets) = NameModel.Examples(training);
Console.WriteLine($"{words.Count} words of 4-8 letters in {NameModel.WordList}; training on {training.Count} ({targets.Length / NameModel.Symbols} next-character examples)");

var net = new NameNet();
Console.WriteLine(net.Summary());
var losses = NameModel.Train(net, inputs, targets, epochs: quick ? 4 : 10, batchSize: 64, seed: 3,
    report: (epoch, loss) => Console.WriteLine($"epoch {epoch,2}: loss {loss:F4} (uniform guessing: {Math.Log(NameModel.Symbols):F4})"));

var known = words.ToHashSet();
var sampler = new DeterministicRandom(11);
int novel = 0, total = 0;
Console.WriteLine("Generated names:");
foreach (var seed in new[] { "a", "b", "ka", "mor", "el", "th", "s", "gr", "v", "lu" })
{
    for (int i = 0; i < 2; i++)
    {
        string name = NameModel.Generate(net, seed, ref sampler);
        bool isNew = !known.Contains(name);
        novel += isNew ? 1 : 0;
        total++;
        Console.WriteLine($"  {char.ToUpperInvariant(name[0])}{name[1..],-12}{(isNew ? "" : "(in the word list)")}");
    }
}
Console.WriteLine($"final loss {losses[^1]:F4}; {novel} of {total} names are not in the word list");
