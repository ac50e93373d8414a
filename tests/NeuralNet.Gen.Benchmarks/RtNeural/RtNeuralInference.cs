using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace NeuralNet.Gen.Benchmarks;

/// <summary>
/// RTNeural's compile-time <c>ModelT</c> of each benchmark network (<c>rtneural_inference.cpp</c>, ours), built at
/// start with <c>--rtneural /path/to/RTNeural</c> once per back end (Eigen, and xsimd when the checkout has it).
/// Every back end must compute each network as we do before it is timed; of those that do, the faster on this machine
/// is kept for that network (RTNeural's users pick a back end per build the same way).
/// </summary>
internal static unsafe class RtNeuralInference
{
    private const float Tolerance = 1e-5f;
    private const int CheckedSamples = 32;

    private static readonly Dictionary<string, RtNeuralModel> s_models = new();

    /// <summary>Whether <see cref="Prepare"/> ran: then RTNeural is an inference peer.</summary>
    public static bool Available => s_models.Count > 0;

    /// <summary>The back end kept for each network, for the table's footnote.</summary>
    public static string Backends => string.Join(", ", Architecture.All.Where(a => s_models.ContainsKey(a.Name)).Select(a => $"{a.Name} {s_models[a.Name].Backend}"));

    public static RtNeuralModel Model(string network) =>
        s_models.TryGetValue(network, out var model) ? model : throw new InvalidOperationException($"RTNeural was not prepared for {network} (pass --rtneural /path/to/RTNeural).");

    /// <summary>Builds, checks and picks a back end per network; throws if a network has no back end that computes it as we do.</summary>
    public static void Prepare(string checkout)
    {
        var backends = new List<RtNeuralBackend> { RtNeuralBackend.Eigen };
        if (RtNeuralBuild.XsimdInclude(checkout) is null) Console.WriteLine($"{checkout} has no modules/xsimd (not cloned with --recursive): only the Eigen back end is built.");
        else backends.Add(RtNeuralBackend.Xsimd);

        var libraries = backends.Select(b =>
        {
            var watch = Stopwatch.StartNew();
            string path = RtNeuralBuild.Compile(checkout, "rtneural_inference.cpp", b);
            Console.WriteLine($"RTNeural {b}: built {Path.GetFileName(path)} ({RtNeuralBuild.Flags}, {watch.Elapsed.TotalSeconds:F0} s)");
            nint handle = NativeLibrary.Load(path);
            File.Delete(path); // loaded: the mapping outlives the file
            return (Backend: b, Handle: handle);
        }).ToList();

        foreach (var arch in Architecture.All)
        {
            var ours = PeerFactory.CreateOurs(arch.Name);
            var data = PeerFactory.DataFor(arch.Name);
            float[] parameters = ours.Parameters.ToArray();
            float[] expected = new float[CheckedSamples * arch.OutputSize];
            for (int s = 0; s < CheckedSamples; s++) ours.Forward(data.Sample(s), expected.AsSpan(s * arch.OutputSize, arch.OutputSize));

            var correct = new List<RtNeuralModel>();
            foreach (var (backend, handle) in libraries)
            {
                var model = new RtNeuralModel(handle, backend, arch);
                model.Load(parameters, data);
                float[] actual = new float[expected.Length];
                model.Run(0, CheckedSamples, actual);
                float difference = Validation.MaxDifference(expected, actual);
                // A back end that computes something else (a Softmax over padding lanes, say) is reported and never timed.
                Console.WriteLine($"{arch.Name,-10} RTNeural {backend,-6} max |difference| over {CheckedSamples} samples {difference:E2}" +
                    (difference <= Tolerance ? "" : $" — DOES NOT compute {arch.Name} as we do (> {Tolerance:E0}): not used"));
                if (difference <= Tolerance) correct.Add(model);
            }
            if (correct.Count == 0)
                throw new InvalidOperationException($"No RTNeural back end computes {arch.Name} as we do: the weights did not map or an activation differs.");
            s_models[arch.Name] = Fastest(arch, correct);
        }
    }

    /// <summary>
    /// Per-sample time of Dataset.InferenceBatch forward calls, back ends alternated, best of seven rounds of about
    /// 2 ms each (the machine is shared: the best round is the one least disturbed).
    /// </summary>
    private static RtNeuralModel Fastest(Architecture arch, List<RtNeuralModel> models)
    {
        if (models.Count == 1) return models[0];
        float[] outputs = new float[Dataset.InferenceBatch * arch.OutputSize];
        var best = new double[models.Count];
        Array.Fill(best, double.MaxValue);
        for (int round = 0; round < 7; round++)
        {
            for (int m = 0; m < models.Count; m++)
            {
                models[m].Run(0, Dataset.InferenceBatch, outputs);
                long start = Stopwatch.GetTimestamp();
                int blocks = 0;
                do
                {
                    models[m].Run(0, Dataset.InferenceBatch, outputs);
                    blocks++;
                }
                while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < 2);
                best[m] = Math.Min(best[m], Stopwatch.GetElapsedTime(start).TotalNanoseconds / (blocks * Dataset.InferenceBatch));
            }
        }
        int fastest = Array.IndexOf(best, best.Min());
        Console.WriteLine($"{arch.Name,-10} RTNeural per sample, best of 7 alternated rounds: " +
            $"{string.Join(", ", models.Select((m, i) => $"{m.Backend} {best[i]:F1} ns"))}; kept {models[fastest].Backend}");
        return models[fastest];
    }
}

/// <summary>One network's <c>ModelT</c> in one back end's library: the shim's exports for it.</summary>
internal sealed unsafe class RtNeuralModel
{
    private readonly delegate* unmanaged<float*, void> _load;
    private readonly delegate* unmanaged<float*, int, void> _stage;
    private readonly delegate* unmanaged<int, int, float*, void> _run;
    private readonly int _outputs;

    public RtNeuralModel(nint library, RtNeuralBackend backend, Architecture architecture)
    {
        Backend = backend;
        string prefix = "nng_rtneural_" + architecture.Name;
        var layout = (delegate* unmanaged<int*, int*, int*, void>)NativeLibrary.GetExport(library, prefix + "_layout");
        _load = (delegate* unmanaged<float*, void>)NativeLibrary.GetExport(library, prefix + "_load");
        _stage = (delegate* unmanaged<float*, int, void>)NativeLibrary.GetExport(library, prefix + "_stage");
        _run = (delegate* unmanaged<int, int, float*, void>)NativeLibrary.GetExport(library, prefix + "_run");
        int inputs, outputs, parameters;
        layout(&inputs, &outputs, &parameters);
        int expected = architecture.BiasOffset(architecture.LayerCount - 1) + architecture.OutputSize;
        if (inputs != architecture.InputSize || outputs != architecture.OutputSize || parameters != expected)
            throw new InvalidOperationException($"The shim's {architecture.Name} is {inputs} -> {outputs} with {parameters} parameters; " +
                $"the benchmark's is {architecture.InputSize} -> {architecture.OutputSize} with {expected}.");
        _outputs = outputs;
        ParameterCount = parameters;
    }

    public RtNeuralBackend Backend { get; }
    public int ParameterCount { get; }

    /// <summary>Gives the model our parameters (through RTNeural's setters) and stages the dataset's inputs as RTNeural reads them.</summary>
    public void Load(ReadOnlySpan<float> parameters, Dataset data)
    {
        if (parameters.Length != ParameterCount) throw new ArgumentException($"Expected {ParameterCount} parameters, got {parameters.Length}.", nameof(parameters));
        fixed (float* p = parameters) _load(p);
        fixed (float* x = data.Inputs) _stage(x, Dataset.SampleCount);
    }

    /// <summary>Samples <paramref name="first"/> .. first + count - 1, one <c>ModelT::forward</c> call each, in one P/Invoke.</summary>
    public void Run(int first, int count, Span<float> outputs)
    {
        if (outputs.Length < count * _outputs) throw new ArgumentException($"Expected {count * _outputs} outputs, got {outputs.Length}.", nameof(outputs));
        if (first < 0 || count < 0 || first + count > Dataset.SampleCount) throw new ArgumentOutOfRangeException(nameof(count), $"Samples {first}..{first + count} are not all staged.");
        fixed (float* y = outputs) _run(first, count, y);
    }
}

/// <summary>
/// RTNeural as an inference peer: <see cref="Forward"/> is one P/Invoke per sample (the transition included);
/// <see cref="ForwardEach"/> is the fair per-sample figure, 256 forward calls in one P/Invoke. RTNeural has no batch API.
/// </summary>
internal sealed class RtNeuralInferencePeer : Peer
{
    private readonly RtNeuralModel _model;

    public RtNeuralInferencePeer(Dataset data, ReadOnlySpan<float> parameters) : base(data)
    {
        _model = RtNeuralInference.Model(data.Architecture.Name);
        _model.Load(parameters, data);
    }

    public override void Forward(int sample, Span<float> output) => _model.Run(sample, 1, output);

    /// <summary>256 single-sample forward calls (RTNeural has no batch API); not timed as a batch.</summary>
    public override void ForwardBatch(Span<float> outputs) => _model.Run(0, Dataset.InferenceBatch, outputs);

    public override void ForwardEach(Span<float> outputs) => _model.Run(0, Dataset.InferenceBatch, outputs);
}
