using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NeuralNet.Gen.Onnx;

namespace NeuralNet.Gen.Weights;

/// <summary>
/// An ONNX model's initializers in a declared network's layout: the normaliser's candidates (Gemm or MatMul+Add as
/// Dense, Conv, with exporters' decompositions of activations folded) are matched in order to the layers with
/// parameters, each activation to the layer it follows. Shape-only candidates (Flatten, Reshape, MaxPool) pass;
/// anything else is a problem naming its first node. Pure and shared by the generator, the analyzers and the runtime.
/// </summary>
internal static class OnnxWeights
{
    private static readonly Dictionary<string, string> Activations = new()
    {
        ["Relu"] = "Relu", ["Sigmoid"] = "Sigmoid", ["Tanh"] = "Tanh", ["LeakyRelu"] = "LeakyRelu", ["Elu"] = "Elu",
        ["Gelu"] = "Gelu", ["Softplus"] = "Softplus", ["Swish"] = "Swish", ["Softmax"] = "Softmax",
    };

    public static WeightsImport Import(byte[] data, WeightsLayout layout)
    {
        if (!OnnxReader.TryRead(data, out var model, out string? problem))
            return WeightsImport.Failure("the file is not a readable ONNX model: " + problem);
        OnnxLayerGraph graph;
        try
        {
            graph = OnnxGraphNormalizer.Normalize(model!);
        }
        catch (OnnxFormatException e)
        {
            return WeightsImport.Failure("the ONNX graph cannot be read as layers: " + e.Message);
        }

        var problems = new List<string>();
        var parameters = new double[layout.ParameterCount];
        var buffers = new double[layout.BufferCount];
        var found = new string?[layout.Layers.Count];
        int k = -1;
        bool activationAllowed = false;
        var flow = new OnnxDataFlow(graph.Input.Name, layout.Merges);
        foreach (var candidate in graph.Layers)
        {
            string node = $"node '{candidate.Nodes.FirstOrDefault() ?? candidate.Output}'";
            if (candidate.Kind is not (OnnxLayerKind.Add or OnnxLayerKind.Concat)) flow.CheckReadsPrevious(candidate, node, problems);
            switch (candidate.Kind)
            {
                case OnnxLayerKind.Add:
                case OnnxLayerKind.Concat:
                    activationAllowed = false;
                    flow.Merge(candidate, k + 1, node, problems);
                    continue;
                case OnnxLayerKind.Dense:
                case OnnxLayerKind.Conv:
                    k++;
                    activationAllowed = k < layout.Layers.Count;
                    if (k >= layout.Layers.Count)
                    {
                        problems.Add($"{node} ({candidate.Kind}) is extra: the network has {N(layout.Layers.Count)} layers with parameters");
                        break;
                    }
                    Fill(candidate, layout.Layers[k], node);
                    break;
                case OnnxLayerKind.Recurrent:
                    k++;
                    activationAllowed = false;
                    if (k >= layout.Layers.Count)
                    {
                        problems.Add($"{node} ({candidate.Operator}) is extra: the network has {N(layout.Layers.Count)} layers with parameters");
                        break;
                    }
                    OnnxRecurrentWeights.Fill(candidate, layout.Layers[k], parameters, layout.ElementSize, node, problems);
                    break;
                case OnnxLayerKind.BatchNormalization:
                    k++;
                    activationAllowed = false;
                    if (k >= layout.Layers.Count)
                    {
                        problems.Add($"{node} (BatchNormalization) is extra: the network has {N(layout.Layers.Count)} layers with parameters");
                        break;
                    }
                    FillBatchNorm(candidate, layout.Layers[k], node);
                    break;
                case OnnxLayerKind.Activation:
                case OnnxLayerKind.Softmax:
                    if (!activationAllowed)
                    {
                        problems.Add($"{node} ({candidate.Operator}) does not follow a Dense or Conv2D layer; expected activations only right after them");
                        break;
                    }
                    found[k] = candidate.Operator;
                    activationAllowed = false;
                    break;
                case OnnxLayerKind.Flatten:
                case OnnxLayerKind.Reshape:
                case OnnxLayerKind.MaxPool:
                    activationAllowed = false;
                    break;
                default:
                    problems.Add($"{node} is {candidate.Kind}{(candidate.Operator.Length > 0 ? $" ({candidate.Operator})" : "")}, which no declared layer can take here");
                    activationAllowed = false;
                    break;
            }
            // A Dense or Conv whose activation is still to come is not yet the layer's output (a skip cannot start there).
            flow.Produced(candidate, k + 1, complete: !activationAllowed || layout.Layers[k].Activation == "Linear");
        }
        flow.CheckEveryMergeFound(problems);
        for (int i = 0; i < layout.Layers.Count; i++)
        {
            var layer = layout.Layers[i];
            if (i > k)
            {
                problems.Add($"{layer.Describe()} is missing: the file has {N(k + 1)} Gemm, MatMul, Conv or recurrent layers, the network {N(layout.Layers.Count)}");
                continue;
            }
            if (layer.IsRecurrent || layer.IsBatchNorm) continue; // no activation follows them (a recurrent one's is its operator's)
            string activation = found[i] is { } op ? (Activations.TryGetValue(op, out var ours) ? ours : op) : "Linear";
            if (activation != layer.Activation)
                problems.Add($"{layer.Describe()} is followed in the file by {(found[i] is null ? "no activation" : $"'{found[i]}'")}; expected {layer.Activation}");
        }
        return problems.Count == 0 ? WeightsImport.Success(parameters, layout.BufferCount > 0 ? buffers : null) : WeightsImport.Failure(problems);

        // BatchNormalization: scale and B into weight and bias, mean and var into the running statistics (buffers).
        void FillBatchNorm(OnnxLayerCandidate candidate, DenseLayout layer, string node)
        {
            if (!layer.IsBatchNorm)
            {
                problems.Add($"{node} is a BatchNormalization; expected {(layer.IsRecurrent ? "an ONNX " + (layer.Gates == 1 ? "RNN" : layer.RecurrentKind) : layer.IsConvolution ? "a Conv" : "a Gemm or MatMul")} for {layer.Describe()}");
                return;
            }
            float epsilon = candidate.Floats.TryGetValue("epsilon", out float e) ? e : 1e-5f;
            if (epsilon != (float)layer.Epsilon)
                problems.Add($"{node} has epsilon {epsilon.ToString("R", CultureInfo.InvariantCulture)}; expected {layer.Epsilon.ToString("R", CultureInfo.InvariantCulture)} for {layer.Describe()} (declare [BatchNorm(Epsilon = ...)])");
            var shape = new long[] { layer.Units };
            foreach (var (role, target, offset) in new[] { ("scale", parameters, layer.ParameterOffset), ("bias", parameters, layer.ParameterOffset + layer.Units),
                         ("mean", buffers, layer.BufferOffset), ("variance", buffers, layer.BufferOffset + layer.Units) })
            {
                if (!candidate.Tensors.TryGetValue(role, out var tensor) || tensor.FloatValues is null)
                    problems.Add($"{node} has no constant {role}; expected [{N(layer.Units)}] for {layer.Describe()}");
                else if (Copy(tensor, shape, offset, node, layer, target) && role == "variance" && tensor.FloatValues.Any(v => !(v >= 0)))
                    problems.Add($"{node}: initializer '{tensor.Name}' (variance) has a negative or NaN value; expected running variances >= 0");
            }
        }

        void Fill(OnnxLayerCandidate candidate, DenseLayout layer, string node)
        {
            bool conv = candidate.Kind == OnnxLayerKind.Conv;
            if (layer.IsRecurrent || layer.IsBatchNorm)
            {
                problems.Add($"{node} is {(conv ? "a Conv" : "a Gemm/MatMul")}; expected {(layer.IsBatchNorm ? "a BatchNormalization" : "an ONNX " + (layer.Gates == 1 ? "RNN" : layer.RecurrentKind))} for {layer.Describe()}");
                return;
            }
            if (conv != layer.IsConvolution)
            {
                problems.Add($"{node} is {(conv ? "a Conv" : "a Gemm/MatMul")}; expected {(layer.IsConvolution ? "a Conv" : "a Gemm or MatMul")} for {layer.Describe()}");
                return;
            }
            if (!candidate.Tensors.TryGetValue("weight", out var weight) || weight.FloatValues is null)
            {
                problems.Add($"{node} has no constant weight; expected {Shape(layer.WeightShape)} for {layer.Describe()}");
                return;
            }
            if (!Copy(weight, layer.WeightShape, layer.ParameterOffset, node, layer)) return;
            if (layer.ImageHeight > 0) WeightsImporter.ToChannelsLastColumns(parameters, layer);
            bool hasBias = candidate.Tensors.TryGetValue("bias", out var bias);
            if (hasBias && !layer.UseBias)
                problems.Add($"{node} has a bias {bias!.DescribeShape()}; expected none for {layer.Describe()}");
            else if (!hasBias && layer.UseBias)
                problems.Add($"{node} has no bias; expected [{N(layer.Units)}] for {layer.Describe()} (declare UseBias = false for a layer without one)");
            else if (hasBias)
                Copy(bias!, new long[] { layer.Units }, layer.ParameterOffset + layer.WeightCount, node, layer);
        }

        bool Copy(OnnxTensor tensor, long[] shape, int offset, string node, DenseLayout layer, double[]? target = null)
        {
            if (!tensor.Dims.SequenceEqual(shape))
            {
                problems.Add($"{node}: initializer '{tensor.Name}' has shape {tensor.DescribeShape()}; expected {Shape(shape)} for {layer.Describe()}");
                return false;
            }
            // float32 widens to double exactly; a double file would lose bits in a float network.
            if (tensor.DataType == OnnxDataType.Double && layout.ElementSize == 4 || tensor.FloatValues is null)
            {
                problems.Add($"{node}: initializer '{tensor.Name}' has element type {tensor.DataType}; expected {(layout.ElementSize == 4 ? "Float" : "Float or Double")}");
                return false;
            }
            System.Array.Copy(tensor.FloatValues, 0, target ?? parameters, offset, tensor.FloatValues.Length);
            return true;
        }
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Shape(long[] shape) => "[" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
}
