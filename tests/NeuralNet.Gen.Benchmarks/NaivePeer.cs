using System;
using NeuralNet.Gen;

namespace NeuralNet.Gen.Benchmarks;

/// <summary>
/// What a tutorial translated to C# looks like: jagged float[][] weights, plain loops, a new array for every
/// layer's output and every gradient, per sample.
/// </summary>
public sealed class NaivePeer : Peer
{
    private readonly float[][][] _weights; // [layer][out][in]
    private readonly float[][] _biases;    // [layer][out]
    private readonly float[][][] _mWeights, _vWeights;
    private readonly float[][] _mBiases, _vBiases;
    private int _step;

    public NaivePeer(Dataset data, ReadOnlySpan<float> parameters) : base(data)
    {
        var arch = data.Architecture;
        int layers = arch.LayerCount;
        _weights = new float[layers][][];
        _biases = new float[layers][];
        _mWeights = new float[layers][][];
        _vWeights = new float[layers][][];
        _mBiases = new float[layers][];
        _vBiases = new float[layers][];
        for (int l = 0; l < layers; l++)
        {
            int inputs = arch.Sizes[l], outputs = arch.Sizes[l + 1];
            _weights[l] = new float[outputs][];
            _mWeights[l] = new float[outputs][];
            _vWeights[l] = new float[outputs][];
            for (int o = 0; o < outputs; o++)
            {
                _weights[l][o] = parameters.Slice(arch.WeightOffset(l) + o * inputs, inputs).ToArray();
                _mWeights[l][o] = new float[inputs];
                _vWeights[l][o] = new float[inputs];
            }
            _biases[l] = parameters.Slice(arch.BiasOffset(l), outputs).ToArray();
            _mBiases[l] = new float[outputs];
            _vBiases[l] = new float[outputs];
        }
    }

    public override bool CanTrain => true;

    public override void Forward(int sample, Span<float> output) => Predict(Data.Sample(sample).ToArray()).CopyTo(output);

    public override void ForwardBatch(Span<float> outputs)
    {
        int inputSize = Architecture.InputSize, outputSize = Architecture.OutputSize;
        for (int s = 0; s < Dataset.InferenceBatch; s++)
            Predict(Data.InferenceInputs.AsSpan(s * inputSize, inputSize).ToArray()).CopyTo(outputs.Slice(s * outputSize, outputSize));
    }

    public float[] Predict(float[] input)
    {
        float[] x = input;
        for (int l = 0; l < _weights.Length; l++) x = Layer(l, x);
        return x;
    }

    private float[] Layer(int l, float[] x)
    {
        var w = _weights[l];
        var y = new float[w.Length];
        for (int o = 0; o < w.Length; o++)
        {
            float sum = _biases[l][o];
            for (int i = 0; i < x.Length; i++) sum += w[o][i] * x[i];
            y[o] = sum;
        }
        var activation = Architecture.Activations[l];
        if (activation == Activation.Softmax)
        {
            float max = float.NegativeInfinity, total = 0;
            for (int o = 0; o < y.Length; o++) max = Math.Max(max, y[o]);
            for (int o = 0; o < y.Length; o++) total += y[o] = MathF.Exp(y[o] - max);
            for (int o = 0; o < y.Length; o++) y[o] /= total;
        }
        else
        {
            for (int o = 0; o < y.Length; o++) y[o] = Math32.Activate(activation, y[o]);
        }
        return y;
    }

    public override float TrainStep(int batch)
    {
        var arch = Architecture;
        int layers = arch.LayerCount, batchSize = arch.BatchSize;
        // Gradient arrays shaped like the weights, new for every step as the tutorial has them.
        var gradWeights = new float[layers][][];
        var gradBiases = new float[layers][];
        for (int l = 0; l < layers; l++)
        {
            gradWeights[l] = new float[_weights[l].Length][];
            for (int o = 0; o < _weights[l].Length; o++) gradWeights[l][o] = new float[_weights[l][o].Length];
            gradBiases[l] = new float[_weights[l].Length];
        }

        float loss = 0;
        ReadOnlySpan<float> inputs = Data.BatchInputs(batch), targets = Data.BatchTargets(batch);
        for (int s = 0; s < batchSize; s++)
        {
            var activations = new float[layers + 1][];
            activations[0] = inputs.Slice(s * arch.InputSize, arch.InputSize).ToArray();
            for (int l = 0; l < layers; l++) activations[l + 1] = Layer(l, activations[l]);

            var delta = new float[arch.OutputSize];
            loss += Math32.OutputDelta(arch, activations[layers], targets.Slice(s * arch.OutputSize, arch.OutputSize), delta, batchSize);
            for (int l = layers - 1; l >= 0; l--)
            {
                float[] previous = activations[l];
                for (int o = 0; o < delta.Length; o++)
                {
                    gradBiases[l][o] += delta[o];
                    for (int i = 0; i < previous.Length; i++) gradWeights[l][o][i] += delta[o] * previous[i];
                }
                if (l == 0) break;
                var next = new float[previous.Length];
                for (int i = 0; i < previous.Length; i++)
                {
                    float sum = 0;
                    for (int o = 0; o < delta.Length; o++) sum += _weights[l][o][i] * delta[o];
                    next[i] = sum * Math32.Derivative(arch.Activations[l - 1], previous[i]);
                }
                delta = next;
            }
        }

        _step++;
        for (int l = 0; l < layers; l++)
        {
            for (int o = 0; o < _weights[l].Length; o++)
            {
                for (int i = 0; i < _weights[l][o].Length; i++)
                    Update(ref _weights[l][o][i], gradWeights[l][o][i], ref _mWeights[l][o][i], ref _vWeights[l][o][i]);
                Update(ref _biases[l][o], gradBiases[l][o], ref _mBiases[l][o], ref _vBiases[l][o]);
            }
        }
        return loss / batchSize;
    }

    private void Update(ref float p, float g, ref float m, ref float v)
    {
        float lr = Architecture.LearningRate;
        if (Architecture.Optimizer == OptimizerKind.Sgd)
        {
            p -= lr * g;
            return;
        }
        m = 0.9f * m + 0.1f * g;
        v = 0.999f * v + 0.001f * g * g;
        float mHat = m / (1 - MathF.Pow(0.9f, _step)), vHat = v / (1 - MathF.Pow(0.999f, _step));
        p -= lr * mHat / (MathF.Sqrt(vHat) + 1e-8f);
    }
}
