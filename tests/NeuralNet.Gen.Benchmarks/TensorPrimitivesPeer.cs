using System;
using System.Numerics.Tensors;
using NeuralNet.Gen;

namespace NeuralNet.Gen.Benchmarks;

/// <summary>
/// A competent hand-written network: one flat parameter buffer in our layout, every buffer allocated once,
/// and the inner loops on <see cref="TensorPrimitives"/> (SIMD dot products, multiply-adds, activations).
/// </summary>
public sealed class TensorPrimitivesPeer : Peer
{
    private readonly float[] _parameters, _gradients, _m, _v, _scratch;
    private readonly float[][] _activations; // [layer + 1][batch·units]; [0] unused (inputs are read in place)
    private readonly float[][] _deltas;      // [layer][units] for one sample
    private int _step;

    public TensorPrimitivesPeer(Dataset data, ReadOnlySpan<float> parameters) : base(data)
    {
        var arch = data.Architecture;
        _parameters = parameters.ToArray();
        _gradients = new float[_parameters.Length];
        _m = new float[_parameters.Length];
        _v = new float[_parameters.Length];
        _scratch = new float[_parameters.Length];
        int rows = Math.Max(Dataset.InferenceBatch, arch.BatchSize);
        _activations = new float[arch.LayerCount + 1][];
        _deltas = new float[arch.LayerCount][];
        for (int l = 0; l < arch.LayerCount; l++)
        {
            _activations[l + 1] = new float[rows * arch.Sizes[l + 1]];
            _deltas[l] = new float[arch.Sizes[l + 1]];
        }
        _activations[0] = [];
    }

    public override bool CanTrain => true;

    public override void Forward(int sample, Span<float> output)
    {
        ReadOnlySpan<float> x = Data.Sample(sample);
        int last = Architecture.LayerCount - 1;
        for (int l = 0; l < last; l++)
        {
            Span<float> y = _activations[l + 1].AsSpan(0, Architecture.Sizes[l + 1]);
            Layer(l, x, y);
            x = y;
        }
        Layer(last, x, output);
    }

    public override void ForwardBatch(Span<float> outputs)
    {
        int inputSize = Architecture.InputSize, outputSize = Architecture.OutputSize;
        for (int s = 0; s < Dataset.InferenceBatch; s++)
            ForwardSample(Data.InferenceInputs.AsSpan(s * inputSize, inputSize), outputs.Slice(s * outputSize, outputSize), s);
    }

    /// <summary>One sample; keeps every layer's output in row <paramref name="row"/> of the activation buffers.</summary>
    private void ForwardSample(ReadOnlySpan<float> x, Span<float> output, int row)
    {
        int layers = Architecture.LayerCount;
        for (int l = 0; l < layers; l++)
        {
            int units = Architecture.Sizes[l + 1];
            Span<float> y = _activations[l + 1].AsSpan(row * units, units);
            Layer(l, x, y);
            x = y;
        }
        x.CopyTo(output);
    }

    private void Layer(int l, ReadOnlySpan<float> x, Span<float> y)
    {
        int inputs = Architecture.Sizes[l];
        ReadOnlySpan<float> weights = _parameters.AsSpan(Architecture.WeightOffset(l), inputs * y.Length);
        ReadOnlySpan<float> bias = _parameters.AsSpan(Architecture.BiasOffset(l), y.Length);
        for (int o = 0; o < y.Length; o++)
            y[o] = TensorPrimitives.Dot(weights.Slice(o * inputs, inputs), x) + bias[o];
        switch (Architecture.Activations[l])
        {
            case Activation.Relu: TensorPrimitives.Max(y, 0f, y); break;
            case Activation.Sigmoid: TensorPrimitives.Sigmoid(y, y); break;
            case Activation.Softmax: TensorPrimitives.SoftMax(y, y); break;
            case Activation.Linear: break;
            default: throw new NotSupportedException($"{Architecture.Activations[l]} is not used by the benchmark networks.");
        }
    }

    public override float TrainStep(int batch)
    {
        var arch = Architecture;
        int layers = arch.LayerCount, batchSize = arch.BatchSize;
        ReadOnlySpan<float> inputs = Data.BatchInputs(batch), targets = Data.BatchTargets(batch);
        Span<float> output = stackalloc float[arch.OutputSize];
        _gradients.AsSpan().Clear();
        float loss = 0;
        for (int s = 0; s < batchSize; s++)
        {
            ReadOnlySpan<float> input = inputs.Slice(s * arch.InputSize, arch.InputSize);
            ForwardSample(input, output, s);
            loss += Math32.OutputDelta(arch, output, targets.Slice(s * arch.OutputSize, arch.OutputSize), _deltas[layers - 1], batchSize);
            for (int l = layers - 1; l >= 0; l--)
            {
                int fanIn = arch.Sizes[l], units = arch.Sizes[l + 1];
                ReadOnlySpan<float> previous = l == 0 ? input : _activations[l].AsSpan(s * fanIn, fanIn);
                Span<float> delta = _deltas[l];
                Span<float> gradWeights = _gradients.AsSpan(arch.WeightOffset(l), units * fanIn);
                TensorPrimitives.Add(_gradients.AsSpan(arch.BiasOffset(l), units), delta, _gradients.AsSpan(arch.BiasOffset(l), units));
                for (int o = 0; o < units; o++)
                {
                    Span<float> row = gradWeights.Slice(o * fanIn, fanIn);
                    TensorPrimitives.MultiplyAdd(previous, delta[o], row, row);
                }
                if (l == 0) break;
                // delta_prev = Wᵀ·delta ⊙ activation'(previous)
                Span<float> back = _deltas[l - 1];
                back.Clear();
                ReadOnlySpan<float> weights = _parameters.AsSpan(arch.WeightOffset(l), units * fanIn);
                for (int o = 0; o < units; o++)
                    TensorPrimitives.MultiplyAdd(weights.Slice(o * fanIn, fanIn), delta[o], back, back);
                for (int i = 0; i < fanIn; i++) back[i] *= Math32.Derivative(arch.Activations[l - 1], previous[i]);
            }
        }

        _step++;
        float lr = arch.LearningRate;
        if (arch.Optimizer == OptimizerKind.Sgd)
        {
            TensorPrimitives.MultiplyAdd(_gradients, -lr, _parameters, _parameters);
        }
        else
        {
            // Adam as torch.optim: p -= lr/bc1 · m / (√v / √bc2 + eps)
            float bc1 = 1 - MathF.Pow(0.9f, _step), bc2 = 1 - MathF.Pow(0.999f, _step);
            TensorPrimitives.Multiply(_m, 0.9f, _m);
            TensorPrimitives.MultiplyAdd(_gradients, 0.1f, _m, _m);
            TensorPrimitives.Multiply(_gradients, _gradients, _scratch);
            TensorPrimitives.Multiply(_v, 0.999f, _v);
            TensorPrimitives.MultiplyAdd(_scratch, 0.001f, _v, _v);
            TensorPrimitives.Sqrt(_v, _scratch);
            TensorPrimitives.Multiply(_scratch, 1 / MathF.Sqrt(bc2), _scratch);
            TensorPrimitives.Add(_scratch, 1e-8f, _scratch);
            TensorPrimitives.Divide(_m, _scratch, _scratch);
            TensorPrimitives.MultiplyAdd(_scratch, -lr / bc1, _parameters, _parameters);
        }
        return loss / batchSize;
    }
}
