using System;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading;
using FoodGatherer;

// A game that learns while it runs: an agent on a 10 × 10 field learns by deep Q-learning, one TrainStep per
// frame, to collect food and avoid wandering hazards.
//   dotnet run -c Release --project samples/FoodGatherer [-- --episodes N | --quick] [--seed N] [--watch]
int seed = 1, episodes = 150;
bool watch = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seed" when i + 1 < args.Length: seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--episodes" when i + 1 < args.Length: episodes = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--quick": episodes = 60; break;
        case "--watch": watch = true; break;
        default:
            Console.Error.WriteLine("Usage: FoodGatherer [--episodes N | --quick] [--seed N] [--watch]");
            return 2;
    }
}
const int BlockSize = 10, Window = 20, Evaluation = 100;
if (episodes < Window)
{
    Console.Error.WriteLine($"Expected at least {Window} episodes.");
    return 2;
}

var game = new LearningGame(seed);
Console.WriteLine(Invariant($"FoodGatherer: a {GatheringField.Width}x{GatheringField.Height} field, {GatheringField.FoodCount} food (+1), {GatheringField.HazardCount} wandering hazards (-1), {GatheringField.FramesPerEpisode} frames per episode."));
Console.WriteLine(Invariant($"Deep Q-learning: one TrainStep (batch {DqnAgent.BatchSize}) every frame, replay buffer, target network; seed {seed}, {episodes} episodes."));
Console.WriteLine(game.Agent.Online.Summary());
if (IsUnoptimized(typeof(GathererQNetwork)) || IsUnoptimized(typeof(NeuralNet.Gen.DenseKernels)))
{
    Console.WriteLine("This is an unoptimised (Debug) build: frames are about ten times slower. For the real frame rate: dotnet run -c Release --project samples/FoodGatherer");
}

int[] randomScores = PolicyComparison.RandomScores(seed, 0, episodes);
var scores = new int[episodes];
long allocated = 0, measuredFrames = 0;
Console.WriteLine("Learning curve (mean score per block of episodes; the random policy on the same layouts):");
Console.WriteLine(" episodes   learner   random   epsilon   frames/s   frame p99 (ms)");
for (int block = 0; block * BlockSize < episodes; block++)
{
    int first = block * BlockSize, last = Math.Min(first + BlockSize, episodes);
    game.FrameTimes.Clear();
    long before = GC.GetAllocatedBytesForCurrentThread();
    for (int e = first; e < last; e++) scores[e] = game.PlayEpisode();
    if (block > 0)
    {
        // The first block warms up the JIT and the networks' batch buffers; count every frame after it.
        allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        measuredFrames += game.FrameTimes.Count;
    }
    Console.WriteLine(Invariant(
        $"{first + 1,4}-{last,-4} {PolicyComparison.Mean(scores.AsSpan(first, last - first)),9:F1} {PolicyComparison.Mean(randomScores.AsSpan(first, last - first)),8:F1} {game.Agent.Exploration,9:F2} {game.FrameTimes.FramesPerSecond,10:N0} {game.FrameTimes.Percentile(0.99),16:F3}"));
}

int beatsAt = PolicyComparison.FirstEpisodeBeatingRandom(scores, randomScores, Window);
Console.WriteLine(beatsAt > 0
    ? Invariant($"Clearly beats the random policy from episode {beatsAt}: the first {Window}-episode window whose mean score exceeds the random policy's on the same layouts by more than 3 standard errors.")
    : Invariant($"Never clearly beat the random policy in {episodes} episodes."));

// Held-out layouts, never played while learning: the greedy policy against the random one.
int[] greedy = PolicyComparison.GreedyScores(game.Agent, seed, PolicyComparison.HeldOutEpisode, Evaluation);
int[] random = PolicyComparison.RandomScores(seed, PolicyComparison.HeldOutEpisode, Evaluation);
(double difference, double standardError) = PolicyComparison.PairedDifference(greedy, random);
Console.WriteLine(Invariant(
    $"{Evaluation} held-out layouts: greedy policy {PolicyComparison.Mean(greedy):F2}, random policy {PolicyComparison.Mean(random):F2} (difference {difference:F2} ± {standardError:F2})."));

FrameTimes times = game.FrameTimes;
Console.WriteLine(Invariant(
    $"Last block, learning on, one thread (game + decision + TrainStep): {times.FramesPerSecond:N0} frames/s by the clock, median frame {times.Percentile(0.5):F3} ms ({1000 / times.Percentile(0.5):N0} frames/s at the median), p99 {times.Percentile(0.99):F3} ms, max {times.MaxMilliseconds:F3} ms; {times.OverBudget} of {times.Count} frames over the {game.FrameBudget.TotalMilliseconds:F1} ms budget (on a busy machine, mostly the thread waiting for a core)."));
Console.WriteLine(Invariant(
    $"Allocated after the first block: {allocated:N0} bytes over {measuredFrames:N0} frames ({(measuredFrames == 0 ? 0 : (double)allocated / measuredFrames):F2} bytes per frame)."));

Console.WriteLine();
Console.WriteLine("A held-out episode played by the learned policy (@ agent, * food, X hazard), frame by frame:");
Console.Write(DrawEpisode(game.Agent, seed));
if (watch) Watch(game);
return beatsAt > 0 && difference > 0 ? 0 : 1;

static string DrawEpisode(DqnAgent agent, int seed)
{
    const int Columns = 6, Rows = 3;
    var field = new GatheringField();
    var observation = new float[GatheringField.ObservationSize];
    var boards = new char[Columns * FieldRenderer.BoardSize];
    var captions = new string[Columns];
    var text = new StringBuilder();
    field.Reset(LearningGame.EpisodeSeed(seed, PolicyComparison.HeldOutEpisode + 1_000));
    for (int row = 0; row < Rows; row++)
    {
        for (int column = 0; column < Columns; column++)
        {
            FieldRenderer.Draw(field, boards.AsSpan(column * FieldRenderer.BoardSize, FieldRenderer.BoardSize));
            captions[column] = Invariant($"f{field.Frame} s{field.Score:+0;-0;0}");
            field.Observe(observation);
            field.Step(agent.Greedy(observation));
        }
        FieldRenderer.AppendSideBySide(text, boards, Columns, captions);
    }
    while (!field.IsOver)
    {
        field.Observe(observation);
        field.Step(agent.Greedy(observation));
    }
    text.AppendLine(Invariant($"... after {field.Frame} frames: score {field.Score:+0;-0;0} ({field.FoodEaten} food, {field.HazardsTouched} hazards)."));
    return text.ToString();
}

// One more episode in real time, learning on: a fixed-timestep loop of 10 frames per second, redrawn in place.
static void Watch(LearningGame game)
{
    const int FramesPerSecond = 10;
    var board = new char[FieldRenderer.BoardSize];
    long period = Stopwatch.Frequency / FramesPerSecond, next = Stopwatch.GetTimestamp();
    game.BeginEpisode();
    Console.Write("\u001b[2J"); // clear the terminal once; each frame then returns the cursor home
    bool over;
    do
    {
        over = game.Frame();
        FieldRenderer.Draw(game.Field, board);
        Console.Write("\u001b[H");
        for (int row = 0; row < FieldRenderer.BoardHeight; row++)
        {
            Console.Out.WriteLine(board.AsSpan(row * FieldRenderer.BoardWidth, FieldRenderer.BoardWidth));
        }
        Console.WriteLine(Invariant($"frame {game.Field.Frame,3}  score {game.Field.Score,3}  epsilon {game.Agent.Exploration:F2}  training steps {game.Agent.TrainSteps:N0}   "));
        next += period;
        long wait = next - Stopwatch.GetTimestamp();
        if (wait > 0) Thread.Sleep(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
    }
    while (!over);
}

static bool IsUnoptimized(Type type) =>
    type.Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false) is [DebuggableAttribute { IsJITOptimizerDisabled: true }, ..];

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
