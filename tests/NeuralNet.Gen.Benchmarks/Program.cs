using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace NeuralNet.Gen.Benchmarks;

/// <summary>
/// Issue 5's benchmark. <c>dotnet run -c Release --project tests/NeuralNet.Gen.Benchmarks</c> runs everything
/// (about ten minutes); <c>-- --quick</c> runs a short job (under two minutes); <c>--rtneural /path/to/RTNeural</c> adds RTNeural's compile-time
/// <c>ModelT</c> of each network as an inference peer (<see cref="RtNeuralInference"/>) and the single-sample loop rows
/// (<see cref="SampleLoopBenchmarks"/>); <c>-- --cnn-epoch [images]</c> times
/// the Fashion-MNIST CNN against TorchSharp (<see cref="CnnEpoch"/>); <c>-- --batchnorm-folding</c> (with or without
/// <c>--quick</c>) times inference with a BatchNorm folded and unfolded (<see cref="BatchNormFoldingBenchmarks"/>); <c>-- --streaming</c> times RTNeural's model streamed through Step (<see cref="StreamingStepBenchmarks"/>; with <c>--rtneural /path/to/RTNeural</c> also RTNeural's own <c>ModelT</c> of it); <c>-- --build-cost</c> times the generator with a 1 MB safetensors or ONNX file (<see cref="BuildCostBenchmarks"/>), <c>-- --build-cost-allocations</c> prints the bytes one generator run allocates in each of those configurations; <c>-- --math-accuracy</c> checks the float Exp and Tanh on every float they compute (<see cref="MathAccuracy"/>); other arguments go to BenchmarkDotNet
/// (e.g. <c>--filter *Training*</c>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        bool quick = args.Contains("--quick");
        args = args.Where(a => a != "--quick").ToArray();
        int rtneuralAt = Array.IndexOf(args, "--rtneural");
        string? rtneural = rtneuralAt >= 0 && rtneuralAt + 1 < args.Length ? args[rtneuralAt + 1] : null;
        if (rtneuralAt >= 0) args = args.Where((_, i) => i != rtneuralAt && i != rtneuralAt + 1).ToArray();

        Console.WriteLine("== Machine");
        string vectors = Vector512.IsHardwareAccelerated ? "512-bit vectors (AVX-512)" : Vector256.IsHardwareAccelerated ? "256-bit vectors (AVX2)" : Vector128.IsHardwareAccelerated ? "128-bit vectors" : "no vectors";
        string machine = $"{CpuName()}, {Environment.ProcessorCount} logical cores, {vectors}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}";
        string loadBefore = LoadAverage();
        Console.WriteLine($"CPU: {machine}; load average before the run: {loadBefore}");
        Console.WriteLine($"Vector512 accelerated: {Vector512.IsHardwareAccelerated}; Vector256 accelerated: {Vector256.IsHardwareAccelerated}; Vector<float>.Count = {System.Numerics.Vector<float>.Count}" +
            " (DOTNET_EnableAVX512=0 measures the AVX2 path on an AVX-512 machine)");

        Console.WriteLine("== TorchSharp");
        PeerFactory.TorchAvailable = PrepareTorch(out string torchNote);
        Console.WriteLine(torchNote);

        if (args.Contains("--math-accuracy")) return MathAccuracy.Run();

        int cnn = Array.IndexOf(args, "--cnn-epoch");
        if (cnn >= 0) return CnnEpoch.Run(cnn + 1 < args.Length ? int.Parse(args[cnn + 1], System.Globalization.CultureInfo.InvariantCulture) : 60_000, PeerFactory.TorchAvailable);

        var job = quick
            ? Job.Default.WithWarmupCount(4).WithIterationCount(3).WithIterationTime(TimeInterval.FromMilliseconds(30)).WithLaunchCount(1).WithId("Quick")
            : Job.Default.WithWarmupCount(3).WithIterationCount(15).WithIterationTime(TimeInterval.FromMilliseconds(150)).WithLaunchCount(1).WithId("Full");
        // In process: the patched TorchSharp shim under bin/ is the one loaded, and every peer shares one runtime.
        var config = DefaultConfig.Instance
            .AddJob(job.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.JoinSummary)
            .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(24));
        if (args.Contains("--parallel-training"))
        {
            BenchmarkRunner.Run<ParallelTrainingBenchmarks>(config);
            return 0;
        }
        if (args.Contains("--streaming"))
        {
            if (rtneural is not null)
            {
                Console.WriteLine($"== RTNeural: building the ModelT shim against {rtneural}");
                RtNeuralPeer.Library = RtNeuralPeer.Build(rtneural);
            }
            // Without an RTNeural checkout its row is left out.
            BenchmarkRunner.Run<StreamingStepBenchmarks>(RtNeuralPeer.Library is null
                ? config.AddFilter(new BenchmarkDotNet.Filters.NameFilter(name => name != nameof(StreamingStepBenchmarks.RtNeuralBlock)))
                : config);
            return 0;
        }
        if (args.Contains("--build-cost-allocations")) return BuildCostBenchmarks.PrintAllocations();
        if (args.Contains("--build-cost"))
        {
            BenchmarkRunner.Run<BuildCostBenchmarks>(config);
            return 0;
        }
        if (args.Contains("--batchnorm-folding"))
        {
            BenchmarkRunner.Run<BatchNormFoldingBenchmarks>(config);
            return 0;
        }

        Console.WriteLine("== FP32 FMA peak, one core (register-resident FMA loop, best of 300 short runs, so a time slice without interruption is found on a busy machine)");
        double peak512 = FmaPeak.Measure512(), peak256 = FmaPeak.Measure256();
        double peak = double.IsNaN(peak512) ? peak256 : peak512;
        Console.WriteLine($"512-bit: {peak512:F1} GFLOP/s, 256-bit: {peak256:F1} GFLOP/s (measured again after the benchmarks; the higher is used).");

        if (rtneural is not null)
        {
            Console.WriteLine($"== RTNeural: each network's ModelT built against {rtneural}, checked against ours, the faster back end kept");
            RtNeuralInference.Prepare(rtneural);
        }

        Console.WriteLine("== Every peer computes what we compute (same initial parameters, same data)");
        Validation.Run();

        // RTNeural has no batch API: its batch-256 cell stays empty, and its fair single-sample figure is SampleLoopBenchmarks'.
        config = config.AddFilter(new BenchmarkDotNet.Filters.SimpleFilter(b =>
            !(b.Descriptor.WorkloadMethod.Name == nameof(InferenceBenchmarks.Batch256) && Equals(b.Parameters["Peer"], PeerFactory.RtNeural))));
        Type[] types = RtNeuralInference.Available
            ? [typeof(InferenceBenchmarks), typeof(SampleLoopBenchmarks), typeof(TrainingBenchmarks)]
            : [typeof(InferenceBenchmarks), typeof(TrainingBenchmarks)];
        var summaries = BenchmarkSwitcher.FromTypes(types).Run(args.Length == 0 ? ["--filter", "*"] : args, config).ToArray();

        // Other processes share this machine: the peak is measured before and after, and the better figure kept.
        double after512 = FmaPeak.Measure512(), after256 = FmaPeak.Measure256();
        Console.WriteLine($"FMA peak after the benchmarks: 512-bit {after512:F1} GFLOP/s, 256-bit {after256:F1} GFLOP/s.");
        peak = Math.Max(peak, double.IsNaN(after512) ? after256 : after512);

        string loadAfter = LoadAverage();
        Console.WriteLine($"Load average after the run: {loadAfter}");
        var table = $"Machine: {machine}. Load average (1, 5, 15 min) before: {loadBefore}, after: {loadAfter} " +
            $"(above 1 per core means other processes competed for the CPU).{Environment.NewLine}{Environment.NewLine}" + ResultTable.Build(summaries, peak, quick);
        Console.WriteLine();
        Console.WriteLine(table);
        string path = Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts", "results", "NeuralNet.Gen-summary.md");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, table);
        Console.WriteLine($"Summary written to {path}");
        return 0;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException) { return "unknown"; }
        catch (UnauthorizedAccessException) { return "unknown"; }
    }

    private static string CpuName()
    {
        try
        {
            string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>Patches the bin/ copy of TorchSharp's shim if needed (see <see cref="ElfVersionPatch"/>) and tries libtorch once.</summary>
    private static bool PrepareTorch(out string note)
    {
        var lines = new List<string>();
        try
        {
            if (OperatingSystem.IsLinux())
                lines.AddRange(ElfVersionPatch.Apply(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so")));
            using var a = TorchSharp.torch.ones(2, 2);
            float sum = (a.matmul(a)).sum().item<float>();
            if (sum != 8) throw new InvalidOperationException($"libtorch computed {sum} for sum(ones(2,2)·ones(2,2)), expected 8.");
            lines.Add($"TorchSharp loaded (libtorch works: sum(ones(2,2)·ones(2,2)) = {sum}).");
            note = string.Join(Environment.NewLine, lines);
            return true;
        }
        catch (Exception e)
        {
            lines.Add($"TorchSharp is NOT measured: {e.GetType().Name}: {e.Message} {e.InnerException?.Message}");
            note = string.Join(Environment.NewLine, lines);
            return false;
        }
    }
}
