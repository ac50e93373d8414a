using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NeuralNet.Gen.Onnx;

namespace NeuralNet.Gen.Weights;

/// <summary>
/// One layer with parameters as the importers see it: which tensors a file must hold for it and where each lands in
/// the network's parameters (and buffers). One subclass per layer family lives next to its layer file in
/// <c>Layers/</c> (<c>DenseImport.cs</c>, <c>RecurrentImport.cs</c>, ...); the importers only loop over layers and ask
/// them. Number is 1-based, as in the generated comments ("layer 2"); Activation is a member name of
/// <c>Activation</c> ("Linear" for kinds without one). Shared by the generator, the analyzers and the runtime.
/// </summary>
internal abstract class ImportedLayer
{
    protected ImportedLayer(int number, int units, string activation, int parameterOffset)
    {
        Number = number;
        Units = units;
        Activation = activation;
        ParameterOffset = parameterOffset;
    }

    public int Number { get; }

    /// <summary>Its outputs per position: a Dense's units, a convolution's filters, a normalisation's channels.</summary>
    public int Units { get; }

    public string Activation { get; }

    public int ParameterOffset { get; }

    /// <summary>Every weight of the layer; its biases (if any) follow.</summary>
    public abstract int WeightCount { get; }

    /// <summary>Its non-trainable values in the network's buffers (BatchNorm's running statistics).</summary>
    public virtual int BufferCount => 0;

    /// <summary>"layer 2 (Dense 4 -> 1, Sigmoid)": how every problem names it.</summary>
    public abstract string Describe();

    // ---- safetensors (PyTorch's state_dict names) ----

    /// <summary>
    /// Its tensors, named relative to the module prefix, in file order. <paramref name="stackIndex"/> counts the
    /// layers before it under the same prefix when <see cref="StacksUnderOnePrefix"/> (nn.LSTM's num_layers).
    /// </summary>
    public abstract IEnumerable<TensorSlot> Tensors(int stackIndex);

    /// <summary>Tensors its module writes that carry nothing we use (BatchNorm's num_batches_tracked): not extra.</summary>
    public virtual IEnumerable<string> IgnoredTensors => Array.Empty<string>();

    /// <summary>Whether consecutive layers named by one prefix are one module's num_layers (_l0, _l1, ...).</summary>
    public virtual bool StacksUnderOnePrefix => false;

    /// <summary>Called once every tensor landed: a change of layout PyTorch's order needs (Dense after an image's Flatten).</summary>
    public virtual void AfterImport(double[] parameters)
    {
    }

    // ---- ONNX (the normaliser's candidates) ----

    /// <summary>What ONNX node this layer expects, for messages: "a Gemm or MatMul", "an ONNX GRU".</summary>
    public abstract string OnnxExpectation { get; }

    /// <summary>Whether <paramref name="candidate"/> is the node this layer is exported as.</summary>
    public abstract bool Accepts(OnnxLayerCandidate candidate);

    /// <summary>Whether an activation node may follow it in the file (Dense, Conv: theirs is a separate node).</summary>
    public virtual bool TakesOnnxActivation => false;

    /// <summary>Copies an accepted candidate's initializers into place, or adds to <paramref name="fill"/> why it cannot.</summary>
    public abstract void Fill(OnnxLayerCandidate candidate, OnnxFill fill);

    protected static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A tensor of a layer: its name, its shape, and where it lands.</summary>
/// <param name="Name">As the layer's module names it, relative to its prefix ("weight", "weight_ih_l0").</param>
/// <param name="Shape">As PyTorch's module stores it.</param>
/// <param name="Offset">Where its first value lands.</param>
/// <param name="InBuffers">Lands in the buffers (running statistics) rather than the parameters.</param>
internal sealed record TensorSlot(string Name, long[] Shape, int Offset, bool InBuffers = false);

/// <summary>
/// The family of a weight tensor and an optional bias [units] right after it: Dense, Conv1D, Conv2D, LayerNorm. The
/// ONNX node holds them as "weight" and "bias".
/// </summary>
internal abstract class WeightAndBiasImport : ImportedLayer
{
    protected WeightAndBiasImport(int number, int units, string activation, int parameterOffset, bool useBias)
        : base(number, units, activation, parameterOffset)
    {
        UseBias = useBias;
    }

    public bool UseBias { get; }

    /// <summary>The weight tensor's shape, as PyTorch's module stores it.</summary>
    public abstract long[] WeightShape { get; }

    public override int WeightCount => (int)WeightShape.Aggregate(1L, (a, b) => a * b);

    public override IEnumerable<TensorSlot> Tensors(int stackIndex)
    {
        yield return new TensorSlot("weight", WeightShape, ParameterOffset);
        if (UseBias) yield return new TensorSlot("bias", new long[] { Units }, ParameterOffset + WeightCount);
    }

    public override void Fill(OnnxLayerCandidate candidate, OnnxFill fill)
    {
        if (!candidate.Tensors.TryGetValue("weight", out var weight) || !weight.HasFloatValues)
        {
            fill.Problem($"has no constant weight; expected {OnnxFill.Shape(WeightShape)} for {Describe()}");
            return;
        }
        if (!fill.Copy(weight, WeightShape, ParameterOffset, this)) return;
        if (!fill.ColumnsInOurOrder) AfterImport(fill.Parameters);
        bool hasBias = candidate.Tensors.TryGetValue("bias", out var bias);
        if (hasBias && !UseBias)
            fill.Problem($"has a bias {bias!.DescribeShape()}; expected none for {Describe()}");
        else if (!hasBias && UseBias)
            fill.Problem($"has no bias; expected [{N(Units)}] for {Describe()} (declare UseBias = false for a layer without one)");
        else if (hasBias)
            fill.Copy(bias!, new long[] { Units }, ParameterOffset + WeightCount, this);
    }

    protected string NoBias => UseBias ? "" : ", no bias";
}

/// <summary>
/// Where an ONNX candidate's initializers land: the parameters and buffers being filled, the node being read (for
/// messages), and the problems so far.
/// </summary>
internal sealed class OnnxFill
{
    public OnnxFill(int elementSize, double[] parameters, double[] buffers, List<string> problems)
    {
        ElementSize = elementSize;
        Parameters = parameters;
        Buffers = buffers;
        Problems = problems;
    }

    /// <summary>4 for a float network, 8 for a double one.</summary>
    public int ElementSize { get; }

    public double[] Parameters { get; }

    public double[] Buffers { get; }

    public List<string> Problems { get; }

    /// <summary>
    /// The weight being read already follows our layout, not PyTorch's: it reads a channels-last image flattened
    /// (tf2onnx, our own exporter), so <see cref="ImportedLayer.AfterImport"/> reorders nothing.
    /// </summary>
    public bool ColumnsInOurOrder { get; set; }

    /// <summary>"node 'Gemm_3'": the candidate being read.</summary>
    public string Node { get; set; } = "";

    /// <summary>Adds "{node} {text}".</summary>
    public void Problem(string text) => Problems.Add(Node + " " + text);

    /// <summary>Copies <paramref name="tensor"/> to <paramref name="offset"/> when its shape and type fit, else adds why not.</summary>
    public bool Copy(OnnxTensor tensor, long[] shape, int offset, ImportedLayer layer, bool toBuffers = false)
    {
        if (!tensor.Dims.SequenceEqual(shape))
        {
            Problems.Add($"{Node}: initializer '{tensor.Name}' has shape {tensor.DescribeShape()}; expected {Shape(shape)} for {layer.Describe()}");
            return false;
        }
        if (!HasUsableType(tensor)) return false;
        tensor.CopyFloatsTo(toBuffers ? Buffers : Parameters, offset);
        return true;
    }

    /// <summary>
    /// Any floating-point tensor: float32 widens to double exactly, and a double file's values are rounded to the
    /// nearest float in a float network, as PyTorch's load_state_dict copies across dtypes.
    /// </summary>
    public bool HasUsableType(OnnxTensor tensor)
    {
        if (!tensor.HasFloatValues)
        {
            Problems.Add($"{Node}: initializer '{tensor.Name}' has element type {tensor.DataType}; expected Float or Double");
            return false;
        }
        return true;
    }

    public static string Shape(IEnumerable<long> shape) => "[" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
}
