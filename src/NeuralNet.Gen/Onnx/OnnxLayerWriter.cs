using System;

namespace NeuralNet.Gen.Onnx;

/// <summary>
/// How one layer kind becomes ONNX nodes. Each kind has its writer in its own file under <c>Onnx/Layers/</c>; a new
/// kind adds its file and one line to <see cref="For"/>. Writers read and write channels-last tensors [N, …] and
/// transpose around the operators that want channels-first images.
/// </summary>
internal abstract class OnnxLayerWriter
{
    /// <summary>Writes the nodes (and initializers) of <paramref name="layer"/> from tensor <paramref name="input"/> to tensor <paramref name="output"/>; names start with <paramref name="prefix"/>.</summary>
    public abstract void Write(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string output);

    /// <summary>
    /// For a layer with a <see cref="LayerDescription.SecondInput"/> (Add, Concatenate): the same, with
    /// <paramref name="second"/> the tensor of its second operand.
    /// </summary>
    public virtual void Write(OnnxGraphBuilder graph, LayerDescription layer, string prefix, string input, string second, string output) =>
        throw new NotSupportedException($"ONNX export of {layer.Kind} layers takes one input.");

    public static OnnxLayerWriter For(LayerKind kind) => kind switch
    {
        LayerKind.Dense => DenseOnnxWriter.Instance,
        LayerKind.Conv2D => Conv2DOnnxWriter.Instance,
        LayerKind.MaxPool2D => MaxPool2DOnnxWriter.Instance,
        LayerKind.Flatten => FlattenOnnxWriter.Instance,
        LayerKind.Dropout => DropoutOnnxWriter.Instance,
        LayerKind.Activation => ActivationOnnxWriter.Instance,
        LayerKind.BatchNorm => BatchNormOnnxWriter.Instance,
        LayerKind.LayerNorm => LayerNormOnnxWriter.Instance,
        LayerKind.Add => MergeOnnxWriter.Add,
        LayerKind.Concatenate => MergeOnnxWriter.Concat,
        LayerKind.MaxPool1D or LayerKind.AveragePool1D or LayerKind.AveragePool2D => PoolOnnxWriter.Instance,
        LayerKind.GlobalAveragePool or LayerKind.GlobalMaxPool => GlobalPoolOnnxWriter.Instance,
        LayerKind.SimpleRNN or LayerKind.GRU or LayerKind.LSTM => RecurrentOnnxWriter.Instance,
        LayerKind.Conv1D => Conv1DOnnxWriter.Instance,
        _ => throw new NotSupportedException($"ONNX export does not support {kind} layers."),
    };
}
