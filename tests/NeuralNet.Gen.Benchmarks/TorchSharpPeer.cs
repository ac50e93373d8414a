using System;
using System.Collections.Generic;
using NeuralNet.Gen;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralNet.Gen.Benchmarks;

/// <summary>
/// TorchSharp-cpu (libtorch) as a PyTorch user writes it: nn.Sequential of Linear and activation modules,
/// torch.optim, the loss from torch.nn.functional; inference under no_grad. Inputs are tensors made once.
/// </summary>
public sealed class TorchSharpPeer : Peer
{
    private readonly Sequential _model;
    private readonly optim.Optimizer _optimizer;
    private readonly Tensor[] _samples, _batchInputs, _batchTargets;
    private readonly Tensor _inferenceInputs;

    public TorchSharpPeer(Dataset data, ReadOnlySpan<float> parameters, int threads) : base(data)
    {
        Threads = threads;
        torch.set_num_threads(threads);
        var arch = data.Architecture;
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int l = 0; l < arch.LayerCount; l++)
        {
            int inputs = arch.Sizes[l], outputs = arch.Sizes[l + 1];
            var linear = nn.Linear(inputs, outputs);
            using (torch.no_grad())
            {
                using var w = torch.tensor(parameters.Slice(arch.WeightOffset(l), outputs * inputs).ToArray(), [outputs, inputs]);
                using var b = torch.tensor(parameters.Slice(arch.BiasOffset(l), outputs).ToArray(), [outputs]);
                linear.weight!.copy_(w);
                linear.bias!.copy_(b);
            }
            modules.Add(($"dense{l}", linear));
            modules.Add(($"activation{l}", arch.Activations[l] switch
            {
                Activation.Relu => nn.ReLU(),
                Activation.Sigmoid => nn.Sigmoid(),
                Activation.Softmax => nn.Softmax(1),
                var other => throw new NotSupportedException($"{other} is not used by the benchmark networks."),
            }));
        }
        _model = nn.Sequential(modules);
        _optimizer = arch.Optimizer == OptimizerKind.Adam
            ? optim.Adam(_model.parameters(), arch.LearningRate)
            : optim.SGD(_model.parameters(), arch.LearningRate);

        _samples = new Tensor[Dataset.SampleCount];
        for (int s = 0; s < Dataset.SampleCount; s++) _samples[s] = torch.tensor(data.Sample(s).ToArray(), [1, arch.InputSize]);
        _inferenceInputs = torch.tensor(data.InferenceInputs, [Dataset.InferenceBatch, arch.InputSize]);
        _batchInputs = new Tensor[data.BatchCount];
        _batchTargets = new Tensor[data.BatchCount];
        for (int b = 0; b < data.BatchCount; b++)
        {
            _batchInputs[b] = torch.tensor(data.BatchInputs(b).ToArray(), [arch.BatchSize, arch.InputSize]);
            _batchTargets[b] = torch.tensor(data.BatchTargets(b).ToArray(), [arch.BatchSize, arch.OutputSize]);
        }
    }

    public int Threads { get; }
    public override bool CanTrain => true;

    public override void Forward(int sample, Span<float> output)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        _model.forward(_samples[sample]).data<float>().CopyTo(output);
    }

    public override void ForwardBatch(Span<float> outputs)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        _model.forward(_inferenceInputs).data<float>().CopyTo(outputs);
    }

    public override float TrainStep(int batch)
    {
        using var scope = torch.NewDisposeScope();
        _optimizer.zero_grad();
        Tensor y = _model.forward(_batchInputs[batch]), t = _batchTargets[batch];
        Tensor loss = Architecture.Loss switch
        {
            LossFunction.BinaryCrossEntropy => nn.functional.binary_cross_entropy(y, t),
            LossFunction.MeanSquaredError => nn.functional.mse_loss(y, t),
            _ => -(t * y.log()).sum(1).mean(), // cross-entropy on the Softmax output, as CategoricalCrossEntropy
        };
        loss.backward();
        _optimizer.step();
        return loss.item<float>();
    }

    public override void Dispose()
    {
        foreach (var t in _samples) t.Dispose();
        foreach (var t in _batchInputs) t.Dispose();
        foreach (var t in _batchTargets) t.Dispose();
        _inferenceInputs.Dispose();
        _optimizer.Dispose();
        _model.Dispose();
        base.Dispose();
    }
}
