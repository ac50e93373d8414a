using System;

namespace NeuralNet.Gen;

/// <summary>What every generated network offers: inference over its contiguous parameter buffer.</summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public interface INetwork<T> where T : unmanaged
{
    /// <summary>Values per input sample.</summary>
    int InputSize { get; }
    /// <summary>Values per output sample.</summary>
    int OutputSize { get; }
    /// <summary>Length of <see cref="Parameters"/>.</summary>
    int ParameterCount { get; }
    /// <summary>A stable text that identifies the architecture (layers, shapes, precision); equal fingerprints mean compatible parameter layouts.</summary>
    string ArchitectureFingerprint { get; }
    /// <summary>All parameters, layer by layer, weights then biases.</summary>
    Span<T> Parameters { get; }
    /// <summary>Length of <see cref="Buffers"/>.</summary>
    int BufferCount { get; }
    /// <summary>Non-trainable state (BatchNorm's running statistics, layer by layer, running mean then running variance), saved and loaded with the parameters; empty when there is none.</summary>
    Span<T> Buffers { get; }
    /// <summary>Re-initialises every parameter; the same seed gives the same bits.</summary>
    void InitializeParameters(int seed);
    /// <summary>One sample. Allocation-free and safe to call from several threads at once.</summary>
    void Forward(ReadOnlySpan<T> input, Span<T> output);
    /// <summary>A row-major batch of <paramref name="batchSize"/> samples.</summary>
    void Forward(ReadOnlySpan<T> inputs, Span<T> outputs, int batchSize);
    /// <summary>Keras-style table of layers, output shapes and parameter counts.</summary>
    string Summary();
}

/// <summary>A generated network with a <c>[Loss]</c>: gradients and an optimizer.</summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public interface ITrainableNetwork<T> : INetwork<T> where T : unmanaged
{
    /// <summary>The training objective.</summary>
    LossFunction Loss { get; }
    /// <summary>The update rule.</summary>
    OptimizerKind Optimizer { get; }
    /// <summary>The optimizer's step size; learning-rate schedules set it between epochs.</summary>
    T LearningRate { get; set; }
    /// <summary>The batch-mean loss gradient of the last <see cref="ComputeGradients"/> or <see cref="TrainStep"/>, laid out as <see cref="INetwork{T}.Parameters"/>.</summary>
    Span<T> Gradients { get; }
    /// <summary>Batch-mean loss of the network's predictions against <paramref name="targets"/>, without gradients or training-only layers.</summary>
    T ComputeLoss(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batchSize);
    /// <summary>Fills <see cref="Gradients"/> with the batch-mean gradient and returns the batch-mean loss; parameters are not changed.</summary>
    T ComputeGradients(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batchSize);
    /// <summary>Gradients plus one optimizer update; returns the batch-mean loss before the update.</summary>
    T TrainStep(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batchSize);
    /// <summary>Forgets the optimizer's moments and step count.</summary>
    void ResetOptimizerState();
}
