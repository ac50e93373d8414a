using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using NeuralNet.Gen.Weights;

namespace NeuralNet.Gen;

/// <summary>
/// Loads weights trained elsewhere into a generated network: PyTorch's safetensors and Keras-style JSON. The same
/// readers and checks as <c>[Weights]</c> at build time (one shared source), here at run time: every tensor is
/// checked (name, shape, element type, activation) into a temporary buffer before <see cref="INetwork{T}.Parameters"/>
/// is touched, so a file that does not fit throws <see cref="InvalidDataException"/> and leaves the network unchanged.
/// </summary>
public static class WeightsLoader
{
    /// <summary>
    /// Reads a safetensors file in PyTorch's layout: Dense layer k takes <c>&lt;prefix&gt;.weight</c> [units, in] and
    /// <c>&lt;prefix&gt;.bias</c> [units], a SimpleRNN, GRU or LSTM <c>&lt;prefix&gt;.weight_ih_lN</c>, <c>weight_hh_lN</c>,
    /// <c>bias_ih_lN</c>, <c>bias_hh_lN</c> (N counts the earlier recurrent layers of the same prefix: one
    /// <c>nn.GRU(num_layers = 2)</c> is two layers) (float32, or float64 for a double network).
    /// </summary>
    /// <param name="network">A generated network (it implements <see cref="IDescribedNetwork"/>).</param>
    /// <param name="path">The .safetensors file.</param>
    /// <param name="names">The prefixes, one per layer with parameters, comma-separated (e.g. <c>"encoder.0, encoder.2"</c>, <c>"rnn, rnn, head"</c>); null takes the file's
    /// numeric prefixes in increasing order, as <c>nn.Sequential</c> writes them (<c>0</c>, <c>2</c>, ...).</param>
    /// <exception cref="InvalidDataException">A tensor is missing, extra, of another shape or element type, or the file is damaged; the message names each.</exception>
    public static void LoadSafetensors<T>(this INetwork<T> network, string path, string? names = null) where T : unmanaged =>
        Load(network, ReadFile(path), WeightsFormat.Safetensors, names, path);

    /// <summary>Reads safetensors from <paramref name="stream"/> (from its position to its end); see <see cref="LoadSafetensors{T}(INetwork{T}, string, string?)"/>.</summary>
    public static void LoadSafetensors<T>(this INetwork<T> network, Stream stream, string? names = null) where T : unmanaged =>
        Load(network, ReadStream(stream), WeightsFormat.Safetensors, names, "The stream");

    /// <summary>
    /// Reads Keras-style JSON: <c>{"layers": [{"type": "dense", "activation": "tanh", "weights": [kernel [in][out], bias [out]]}, ...]}</c>,
    /// activations on the dense layer or in an <c>"activation"</c> layer right after it. Kernels are transposed into the
    /// network's [units, in] layout; a dense layer without a bias (use_bias=False) gets zeros.
    /// </summary>
    /// <exception cref="InvalidDataException">A layer is missing or extra, a kernel or bias has another shape, an activation differs, or the JSON is malformed; the message names each.</exception>
    public static void LoadKerasJson<T>(this INetwork<T> network, string path) where T : unmanaged =>
        Load(network, ReadFile(path), WeightsFormat.KerasJson, null, path);

    /// <summary>Reads Keras-style JSON from <paramref name="stream"/>; see <see cref="LoadKerasJson{T}(INetwork{T}, string)"/>.</summary>
    public static void LoadKerasJson<T>(this INetwork<T> network, Stream stream) where T : unmanaged =>
        Load(network, ReadStream(stream), WeightsFormat.KerasJson, null, "The stream");

    /// <summary>
    /// Reads an ONNX model (as <c>torch.onnx.export</c>, tf2onnx or <c>ExportOnnx</c> write it) into the network's
    /// declared layers: Gemm or MatMul+Add into Dense, Conv into Conv1D and Conv2D, RNN/GRU/LSTM into the recurrent
    /// layers, BatchNormalization into BatchNorm, LayerNormalization (or its decomposition) into LayerNorm, each
    /// activation checked against the layer it follows or the [Activation] layer declared there; Flatten, Reshape,
    /// pools and layout Transposes pass; a Linear after the Flatten of a channels-first map gets its columns permuted
    /// to our channels-last order.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is damaged or not ONNX, holds an operator no declared layer takes, or a node or initializer does not fit; the network is unchanged.</exception>
    public static void LoadOnnx<T>(this INetwork<T> network, string path) where T : unmanaged =>
        Load(network, ReadFile(path), WeightsFormat.Onnx, null, path);

    /// <summary>Reads an ONNX model from <paramref name="stream"/>; see <see cref="LoadOnnx{T}(INetwork{T}, string)"/>.</summary>
    public static void LoadOnnx<T>(this INetwork<T> network, Stream stream) where T : unmanaged =>
        Load(network, ReadStream(stream), WeightsFormat.Onnx, null, "The stream");

    private static byte[] ReadFile(string path)
    {
        Requires.NotNullOrEmpty(path, nameof(path));
        return File.ReadAllBytes(path);
    }

    private static byte[] ReadStream(Stream stream)
    {
        Requires.NotNull(stream, nameof(stream));
        if (!stream.CanRead) throw new ArgumentException("The stream must be readable.", nameof(stream));
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static void Load<T>(INetwork<T> network, byte[] data, WeightsFormat format, string? names, string source) where T : unmanaged
    {
        Requires.NotNull(network, nameof(network));
        var layout = Layout(network);
        var import = WeightsImporter.Import(format, data, layout, names);
        if (!import.Succeeded)
            throw new InvalidDataException($"{source} does not fit the network: {string.Join("; ", import.Problems)}.");
        var parameters = new T[layout.ParameterCount];
        for (int i = 0; i < parameters.Length; i++) parameters[i] = Scalar<T>.FromDouble(import.Parameters![i]);
        var buffers = new T[import.Buffers?.Length ?? 0];
        for (int i = 0; i < buffers.Length; i++) buffers[i] = Scalar<T>.FromDouble(import.Buffers![i]);
        parameters.CopyTo(network.Parameters);
        if (import.Buffers is not null) buffers.CopyTo(network.Buffers);
    }

    private static WeightsLayout Layout<T>(INetwork<T> network) where T : unmanaged
    {
        if (network is not IDescribedNetwork described)
            throw new ArgumentException($"The network {network.GetType().Name} does not describe its layers (IDescribedNetwork); generated networks do.", nameof(network));
        var description = described.Description;
        if (description.ParameterCount != network.ParameterCount)
            throw new ArgumentException($"The network's description has {description.ParameterCount} parameters but the network has {network.ParameterCount}.", nameof(network));
        var layers = new List<ImportedLayer>(description.Layers.Count);
        var merges = new List<MergeLayout>();
        var activations = new List<ActivationLayout>();
        (int Height, int Width)? flattened = null;
        // Per layer: whether PyTorch holds its output channels-first (a Conv1d's [channels, steps]; our sequences are [steps, channels]).
        var channelsFirst = new bool[description.Layers.Count];
        for (int i = 0; i < description.Layers.Count; i++)
        {
            var layer = description.Layers[i];
            bool inputChannelsFirst = ChannelsFirstAt(channelsFirst, layer.Input ?? i - 1);
            channelsFirst[i] = ChannelsFirstInTorch(layer, inputChannelsFirst) && (layer.SecondInput is not int operand || ChannelsFirstAt(channelsFirst, operand));
            if (layer.SecondInput is int second)
            {
                int source = description.Layers.Take(second + 1).Count(l => l.ParameterCount > 0);
                merges.Add(new MergeLayout(i + 1, layer.Kind == LayerKind.Concatenate, second + 1, layers.Count, source));
            }
            if (layer.Kind == LayerKind.Activation) activations.Add(new ActivationLayout(i + 1, layer.Activation.ToString(), layers.Count));
            if (layer.ParameterCount == 0)
            {
                // PyTorch's state_dict for a Dense after Flatten of an image, or of a Conv1d's sequence (an image
                // one pixel wide), has channels-first columns; that stays the Dense input's layout through
                // shape-keeping layers (Dropout).
                if (layer.Kind == LayerKind.Flatten && layer.InputShape.Count == 3) flattened = (layer.InputShape[0], layer.InputShape[1]);
                else if (layer.Kind == LayerKind.Flatten && inputChannelsFirst) flattened = (layer.InputShape[0], 1);
                else if (!layer.InputShape.SequenceEqual(layer.OutputShape)) flattened = null;
                continue;
            }
            // The same import descriptions the generator's layer kinds give (generators/.../Layers/*Import.cs).
            layers.Add(layer.Kind switch
            {
                LayerKind.Dense => new DenseImport(i + 1, layer.InputShape[layer.InputShape.Count - 1], layer.Units, layer.Activation.ToString(), layer.ParameterOffset, layer.UseBias,
                    flattened?.Height ?? 0, flattened?.Width ?? 0),
                LayerKind.Conv2D => new Conv2DImport(i + 1, layer.InputShape[2], layer.Units, layer.KernelSize, layer.Activation.ToString(), layer.ParameterOffset, layer.UseBias),
                LayerKind.BatchNorm => new BatchNormImport(i + 1, layer.Units, layer.ParameterOffset, layer.BufferOffset, layer.Epsilon),
                _ when layer.IsRecurrent => new RecurrentImport(i + 1, layer.InputShape[1], layer.Units, layer.Activation.ToString(), layer.ParameterOffset, layer.Gates, layer.ReturnSequences),
                LayerKind.Conv1D => new Conv1DImport(i + 1, layer.InputShape[1], layer.Units, layer.KernelSize, layer.Activation.ToString(), layer.ParameterOffset, layer.UseBias),
                LayerKind.LayerNorm => new LayerNormImport(i + 1, layer.Units, layer.ParameterOffset, layer.Epsilon),
                _ => throw new NotSupportedException($"Loading weights at run time does not support layer {i + 1} ({layer}) yet."),
            });
            flattened = null;
        }
        return new WeightsLayout(Unsafe.SizeOf<T>(), network.ArchitectureFingerprint, network.ParameterCount, layers, merges, network.BufferCount, activations);
    }

    private static bool ChannelsFirstAt(bool[] channelsFirst, int index) => index >= 0 && index < channelsFirst.Length && channelsFirst[index];

    /// <summary>
    /// The generator's <c>Layer.ChannelsFirstInTorch</c>: a Conv1d writes [channels, steps]; a layer writing a sequence
    /// keeps its input's layout (pools, Dropout, BatchNorm, activations, merges) except a per-step Linear, a
    /// batch_first recurrent layer and LayerNorm, which work on the last axis and write channels-last.
    /// </summary>
    private static bool ChannelsFirstInTorch(LayerDescription layer, bool inputChannelsFirst) =>
        layer.Kind == LayerKind.Conv1D
        || inputChannelsFirst && layer.OutputShape.Count == 2 && layer.Kind is not (LayerKind.Dense or LayerKind.LayerNorm) && !layer.IsRecurrent;
}

/// <summary>
/// Used by generated code to copy parameters baked in by <c>[Weights]</c>; not meant to be called directly. The data
/// is a string literal holding the parameters' little-endian bytes two per char, low byte first.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class BakedParameters
{
    /// <summary>Copies float32 parameters packed as little-endian bytes, two per char, into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">The data do not hold exactly <paramref name="destination"/>'s length.</exception>
    public static void CopyTo(ReadOnlySpan<char> source, Span<float> destination)
    {
        if (source.Length != destination.Length * 2)
            throw new ArgumentException($"Expected {destination.Length * 2} chars of data, got {source.Length}.", nameof(source));
        if (BitConverter.IsLittleEndian)
        {
            System.Runtime.InteropServices.MemoryMarshal.Cast<char, float>(source).CopyTo(destination);
            return;
        }
        for (int i = 0; i < destination.Length; i++)
            destination[i] = BitConverter.Int32BitsToSingle(source[2 * i] | source[2 * i + 1] << 16);
    }

    /// <summary>Copies float64 parameters packed as little-endian bytes, two per char, into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">The data do not hold exactly <paramref name="destination"/>'s length.</exception>
    public static void CopyTo(ReadOnlySpan<char> source, Span<double> destination)
    {
        if (source.Length != destination.Length * 4)
            throw new ArgumentException($"Expected {destination.Length * 4} chars of data, got {source.Length}.", nameof(source));
        if (BitConverter.IsLittleEndian)
        {
            System.Runtime.InteropServices.MemoryMarshal.Cast<char, double>(source).CopyTo(destination);
            return;
        }
        for (int i = 0; i < destination.Length; i++)
            destination[i] = BitConverter.Int64BitsToDouble((long)source[4 * i] | (long)source[4 * i + 1] << 16 | (long)source[4 * i + 2] << 32 | (long)source[4 * i + 3] << 48);
    }
}
