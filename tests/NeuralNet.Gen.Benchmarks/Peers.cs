using System;
using System.Runtime.CompilerServices;
using NeuralNet.Gen;

namespace NeuralNet.Gen.Benchmarks;

/// <summary>One implementation under test, bound to one architecture, its data and the shared initial parameters.</summary>
public abstract class Peer : IDisposable
{
    protected Peer(Dataset data) => Data = data;

    public Dataset Data { get; }
    public Architecture Architecture => Data.Architecture;

    /// <summary>One sample of the dataset.</summary>
    public abstract void Forward(int sample, Span<float> output);
    /// <summary>The dataset's first 256 samples.</summary>
    public abstract void ForwardBatch(Span<float> outputs);
    /// <summary>The dataset's first 256 samples, one single-sample call each (timed beside a native peer that makes them in one P/Invoke).</summary>
    public virtual void ForwardEach(Span<float> outputs) => throw new NotSupportedException($"{GetType().Name} is not timed on a loop of single samples.");
    /// <summary>Forward, backward and optimizer update on one training batch; returns the batch-mean loss.</summary>
    public virtual float TrainStep(int batch) => throw new NotSupportedException($"{GetType().Name} does not train.");
    public virtual bool CanTrain => false;
    public virtual void Dispose() => GC.SuppressFinalize(this);
}

/// <summary>Our generated network.</summary>
public sealed class OursPeer : Peer
{
    private readonly ITrainableNetwork<float> _net;

    public OursPeer(Dataset data, ITrainableNetwork<float> net) : base(data) => _net = net;

    public ITrainableNetwork<float> Network => _net;
    public override bool CanTrain => true;
    public override void Forward(int sample, Span<float> output) => _net.Forward(Data.Sample(sample), output);
    public override void ForwardBatch(Span<float> outputs) => _net.Forward(Data.InferenceInputs, outputs, Dataset.InferenceBatch);
    // Called once per 256 samples: the quick job is too short for tiered compilation to reach it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void ForwardEach(Span<float> outputs)
    {
        int size = Architecture.OutputSize;
        for (int s = 0; s < Dataset.InferenceBatch; s++) _net.Forward(Data.Sample(s), outputs.Slice(s * size, size));
    }

    public override float TrainStep(int batch) => _net.TrainStep(Data.BatchInputs(batch), Data.BatchTargets(batch), Architecture.BatchSize);
}

/// <summary>Loss gradients and activation functions written once for the two hand-written peers.</summary>
internal static class Math32
{
    public static float Activate(Activation activation, float z) => activation switch
    {
        Activation.Relu => z > 0 ? z : 0,
        Activation.Sigmoid => 1f / (1f + MathF.Exp(-z)),
        Activation.Linear => z,
        _ => throw new NotSupportedException($"{activation} is not used by the benchmark networks."),
    };

    /// <summary>dA/dZ expressed through the activation's output a.</summary>
    public static float Derivative(Activation activation, float a) => activation switch
    {
        Activation.Relu => a > 0 ? 1 : 0,
        Activation.Sigmoid => a * (1 - a),
        Activation.Linear => 1,
        _ => throw new NotSupportedException($"{activation} is not used by the benchmark networks."),
    };

    /// <summary>Per-sample loss and dL/dz of the output layer, already divided by what the batch mean divides by (PyTorch's conventions).</summary>
    public static float OutputDelta(Architecture architecture, ReadOnlySpan<float> a, ReadOnlySpan<float> y, Span<float> delta, int batchSize)
    {
        float loss = 0;
        int n = a.Length;
        switch (architecture.Loss)
        {
            case LossFunction.BinaryCrossEntropy: // Sigmoid output: dL/dz = (a - y) / (n·batch); log clamped at -100 as torch does
                for (int i = 0; i < n; i++)
                {
                    loss -= y[i] * MathF.Max(MathF.Log(a[i]), -100f) + (1 - y[i]) * MathF.Max(MathF.Log(1 - a[i]), -100f);
                    delta[i] = (a[i] - y[i]) / (n * batchSize);
                }
                return loss / n;
            case LossFunction.MeanSquaredError: // dL/da = 2(a - y) / (n·batch), then through the output activation
                for (int i = 0; i < n; i++)
                {
                    float d = a[i] - y[i];
                    loss += d * d;
                    delta[i] = 2 * d / (n * batchSize) * Derivative(architecture.Activations[^1], a[i]);
                }
                return loss / n;
            case LossFunction.CategoricalCrossEntropy: // Softmax output: dL/dz = (a - y) / batch
                for (int i = 0; i < n; i++)
                {
                    if (y[i] != 0) loss -= y[i] * MathF.Log(a[i]);
                    delta[i] = (a[i] - y[i]) / batchSize;
                }
                return loss;
            default:
                throw new NotSupportedException($"{architecture.Loss} is not used by the benchmark networks.");
        }
    }
}
