using System;
using System.Collections.Generic;
using System.Linq;

namespace NeuralNet.Gen.Onnx.Tests;

/// <summary>A tensor in double: dims (batch first, ONNX's layout) and row-major values.</summary>
internal sealed record Tensor(long[] Dims, double[] Data)
{
    public int Count => Data.Length;
}

/// <summary>
/// Runs layer candidates with ONNX's own definitions (gate orders included), written here from the operator
/// specifications, independently of the normaliser, so that PyTorch's recorded outputs check that the candidates
/// keep the graph's meaning: folded pads, transposed weights, recognised decompositions, folded Transposes.
/// </summary>
internal static class CandidateInterpreter
{
    /// <summary>The graph's output; <paramref name="observe"/> sees each layer's output as it is computed.</summary>
    public static Tensor Run(OnnxLayerGraph graph, Tensor input, Action<OnnxLayerCandidate, Tensor>? observe = null)
    {
        var values = new Dictionary<string, Tensor> { [graph.Input.Name] = input };
        foreach (OnnxLayerCandidate layer in graph.Layers)
        {
            Tensor[] inputs = layer.Inputs.Select(i => values[i]).ToArray();
            values[layer.Output] = Apply(layer, inputs);
            observe?.Invoke(layer, values[layer.Output]);
        }
        return values[graph.Output];
    }

    private static Tensor Apply(OnnxLayerCandidate layer, Tensor[] inputs)
    {
        Tensor x = inputs[0];
        return layer.Kind switch
        {
            OnnxLayerKind.Dense => Dense(x, layer.Tensors["weight"], layer.Tensors.TryGetValue("bias", out var b) ? b : null),
            OnnxLayerKind.Conv => Conv(x, layer),
            OnnxLayerKind.MaxPool or OnnxLayerKind.AveragePool => Pool(x, layer),
            OnnxLayerKind.GlobalAveragePool or OnnxLayerKind.GlobalMaxPool => GlobalPool(x, layer.Kind == OnnxLayerKind.GlobalMaxPool,
                layer.Ints.TryGetValue("keepdims", out var keep) && keep[0] == 0),
            OnnxLayerKind.Flatten => new Tensor(new[] { x.Dims[0], x.Count / x.Dims[0] }, x.Data),
            OnnxLayerKind.Transpose => Transpose(x, layer.Ints["perm"].ToArray()),
            OnnxLayerKind.Activation => new Tensor(x.Dims, x.Data.Select(Activation(layer)).ToArray()),
            OnnxLayerKind.Softmax => Softmax(x),
            OnnxLayerKind.BatchNormalization => BatchNormalization(x, layer),
            OnnxLayerKind.LayerNormalization => LayerNormalization(x, layer),
            OnnxLayerKind.Recurrent => Recurrent(x, layer),
            OnnxLayerKind.Add => new Tensor(x.Dims, x.Data.Zip(inputs[1].Data, (a, c) => a + c).ToArray()),
            OnnxLayerKind.Concat => Concat(inputs),
            _ => throw new NotSupportedException(layer.Kind.ToString()),
        };
    }

    private static Tensor Dense(Tensor x, OnnxTensor weight, OnnxTensor? bias)
    {
        // Every row of the last axis (a per-step Dense on [batch, steps, features] too).
        int inputs = (int)weight.Dims[1], units = (int)weight.Dims[0], n = x.Count / inputs;
        var y = new double[n * units];
        for (int s = 0; s < n; s++)
        {
            for (int u = 0; u < units; u++)
            {
                double sum = bias?.FloatValues![u] ?? 0;
                for (int i = 0; i < inputs; i++)
                {
                    sum += weight.FloatValues![u * inputs + i] * x.Data[s * inputs + i];
                }
                y[s * units + u] = sum;
            }
        }
        return new Tensor(x.Dims.Take(x.Dims.Length - 1).Append(units).ToArray(), y);
    }

    /// <summary>1-D as 2-D with height 1.</summary>
    private static (int N, int C, int H, int W) Image(Tensor x) => x.Dims.Length == 3
        ? ((int)x.Dims[0], (int)x.Dims[1], 1, (int)x.Dims[2])
        : ((int)x.Dims[0], (int)x.Dims[1], (int)x.Dims[2], (int)x.Dims[3]);

    /// <summary>Per spatial axis (height first; a 1-D layer has height 1): kernel, stride, dilation, pad begin, pad end.</summary>
    private static (int K, int S, int D, int Begin, int End)[] Windows(OnnxLayerCandidate layer, int rank)
    {
        long[] k = layer.Ints["kernel_shape"].ToArray(), s = layer.Ints["strides"].ToArray(), d = layer.Ints["dilations"].ToArray(), p = layer.Ints["pads"].ToArray();
        var axes = Enumerable.Range(0, rank).Select(a => ((int)k[a], (int)s[a], (int)d[a], (int)p[a], (int)p[rank + a])).ToList();
        if (rank == 1)
        {
            axes.Insert(0, (1, 1, 1, 0, 0));
        }
        return axes.ToArray();
    }

    private static int OutputSize(int size, (int K, int S, int D, int Begin, int End) w) =>
        (size + w.Begin + w.End - (w.D * (w.K - 1) + 1)) / w.S + 1;

    private static Tensor Conv(Tensor x, OnnxLayerCandidate layer)
    {
        OnnxTensor weight = layer.Tensors["weight"];
        double[]? bias = layer.Tensors.TryGetValue("bias", out var b) ? b.FloatValues : null;
        var (n, c, h, w) = Image(x);
        var win = Windows(layer, x.Dims.Length - 2);
        int filters = (int)weight.Dims[0], oh = OutputSize(h, win[0]), ow = OutputSize(w, win[1]);
        var y = new double[n * filters * oh * ow];
        for (int s = 0; s < n; s++)
        for (int f = 0; f < filters; f++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            double sum = bias?[f] ?? 0;
            for (int ch = 0; ch < c; ch++)
            for (int ki = 0; ki < win[0].K; ki++)
            for (int kj = 0; kj < win[1].K; kj++)
            {
                int r = i * win[0].S + ki * win[0].D - win[0].Begin, q = j * win[1].S + kj * win[1].D - win[1].Begin;
                if (r >= 0 && r < h && q >= 0 && q < w)
                {
                    sum += weight.FloatValues![((f * c + ch) * win[0].K + ki) * win[1].K + kj] * x.Data[((s * c + ch) * h + r) * w + q];
                }
            }
            y[((s * filters + f) * oh + i) * ow + j] = sum;
        }
        return new Tensor(x.Dims.Length == 3 ? new long[] { n, filters, ow } : new long[] { n, filters, oh, ow }, y);
    }

    private static Tensor Pool(Tensor x, OnnxLayerCandidate layer)
    {
        bool max = layer.Kind == OnnxLayerKind.MaxPool;
        bool includePad = layer.Ints.TryGetValue("count_include_pad", out var cip) && cip[0] == 1;
        var (n, c, h, w) = Image(x);
        var win = Windows(layer, x.Dims.Length - 2);
        int oh = OutputSize(h, win[0]), ow = OutputSize(w, win[1]);
        var y = new double[n * c * oh * ow];
        for (int s = 0; s < n * c; s++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            double acc = max ? double.NegativeInfinity : 0;
            int count = 0;
            for (int ki = 0; ki < win[0].K; ki++)
            for (int kj = 0; kj < win[1].K; kj++)
            {
                int r = i * win[0].S + ki * win[0].D - win[0].Begin, q = j * win[1].S + kj * win[1].D - win[1].Begin;
                if (r >= 0 && r < h && q >= 0 && q < w)
                {
                    double v = x.Data[(s * h + r) * w + q];
                    acc = max ? Math.Max(acc, v) : acc + v;
                    count++;
                }
            }
            y[(s * oh + i) * ow + j] = max ? acc : acc / (includePad ? win[0].K * win[1].K : count);
        }
        return new Tensor(x.Dims.Length == 3 ? new long[] { n, c, ow } : new long[] { n, c, oh, ow }, y);
    }

    private static Tensor GlobalPool(Tensor x, bool max, bool dropAxes = false)
    {
        int n = (int)x.Dims[0], c = (int)x.Dims[1], size = x.Count / (n * c);
        double[] y = Enumerable.Range(0, n * c).Select(s =>
        {
            var window = x.Data.Skip(s * size).Take(size);
            return max ? window.Max() : window.Average();
        }).ToArray();
        return new Tensor(dropAxes ? x.Dims.Take(2).ToArray() : x.Dims.Select((d, i) => i < 2 ? d : 1).ToArray(), y);
    }

    private static Tensor Transpose(Tensor x, long[] perm)
    {
        long[] dims = perm.Select(p => x.Dims[p]).ToArray();
        var y = new double[x.Count];
        var index = new long[dims.Length];
        long[] strides = new long[x.Dims.Length];
        for (int d = x.Dims.Length - 1, stride = 1; d >= 0; stride *= (int)x.Dims[d], d--)
        {
            strides[d] = stride;
        }
        for (int o = 0; o < y.Length; o++)
        {
            long rest = o, offset = 0;
            for (int d = dims.Length - 1; d >= 0; d--)
            {
                offset += rest % dims[d] * strides[perm[d]];
                rest /= dims[d];
            }
            y[o] = x.Data[offset];
        }
        return new Tensor(dims, y);
    }

    private static Func<double, double> Activation(OnnxLayerCandidate layer)
    {
        double F(string name) => layer.Floats[name];
        return layer.Operator switch
        {
            "Relu" => v => Math.Max(0, v),
            "Relu6" => v => Math.Min(6, Math.Max(0, v)),
            "Sigmoid" => Sigmoid,
            "Tanh" => Math.Tanh,
            "LeakyRelu" => v => v >= 0 ? v : F("alpha") * v,
            "Elu" => v => v >= 0 ? v : F("alpha") * (Math.Exp(v) - 1),
            "Selu" => v => F("gamma") * (v > 0 ? v : F("alpha") * (Math.Exp(v) - 1)),
            "Softplus" => v => Math.Log(1 + Math.Exp(v)),
            "HardSigmoid" => v => Math.Clamp(F("alpha") * v + F("beta"), 0, 1),
            "HardSwish" => v => v * Math.Clamp(v / 6 + 0.5, 0, 1),
            "Mish" => v => v * Math.Tanh(Math.Log(1 + Math.Exp(v))),
            "Swish" => v => v * Sigmoid(v),
            "Gelu" when layer.Strings["approximate"] == "tanh" =>
                v => 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))),
            "Gelu" => v => 0.5 * v * (1 + Erf(v / Math.Sqrt(2))),
            _ => throw new NotSupportedException(layer.Operator),
        };
    }

    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));

    /// <summary>erf by its Taylor series, exact to double rounding for the |x| &lt; 5 the models produce.</summary>
    private static double Erf(double x)
    {
        if (Math.Abs(x) > 5)
        {
            return Math.Sign(x);
        }
        double sum = 0, term = x;
        for (int k = 0; k < 200; k++)
        {
            sum += term / (2 * k + 1);
            term *= -x * x / (k + 1);
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    private static Tensor Softmax(Tensor x)
    {
        int units = (int)x.Dims[^1];
        var y = new double[x.Count];
        for (int s = 0; s < x.Count / units; s++)
        {
            var row = x.Data.Skip(s * units).Take(units).ToArray();
            double max = row.Max(), total = row.Sum(v => Math.Exp(v - max));
            for (int u = 0; u < units; u++)
            {
                y[s * units + u] = Math.Exp(row[u] - max) / total;
            }
        }
        return new Tensor(x.Dims, y);
    }

    private static Tensor BatchNormalization(Tensor x, OnnxLayerCandidate layer)
    {
        int n = (int)x.Dims[0], c = (int)x.Dims[1], size = x.Count / (n * c);
        double[] scale = layer.Tensors["scale"].FloatValues!, bias = layer.Tensors["bias"].FloatValues!;
        double[] mean = layer.Tensors["mean"].FloatValues!, variance = layer.Tensors["variance"].FloatValues!;
        double epsilon = layer.Floats["epsilon"];
        var y = new double[x.Count];
        for (int i = 0; i < y.Length; i++)
        {
            int ch = i / size % c;
            y[i] = (x.Data[i] - mean[ch]) / Math.Sqrt(variance[ch] + epsilon) * scale[ch] + bias[ch];
        }
        return new Tensor(x.Dims, y);
    }

    private static Tensor LayerNormalization(Tensor x, OnnxLayerCandidate layer)
    {
        int units = (int)x.Dims[^1];
        double[] scale = layer.Tensors["scale"].FloatValues!;
        double[]? bias = layer.Tensors.TryGetValue("bias", out var b) ? b.FloatValues : null;
        double epsilon = layer.Floats["epsilon"];
        var y = new double[x.Count];
        for (int s = 0; s < x.Count / units; s++)
        {
            var row = x.Data.Skip(s * units).Take(units).ToArray();
            double mean = row.Average(), variance = row.Average(v => (v - mean) * (v - mean));
            for (int u = 0; u < units; u++)
            {
                y[s * units + u] = (row[u] - mean) / Math.Sqrt(variance + epsilon) * scale[u] + (bias?[u] ?? 0);
            }
        }
        return new Tensor(x.Dims, y);
    }

    /// <summary>ONNX's RNN, GRU (gates z, r, h) and LSTM (gates i, o, f, c) on a batch-first input, zero initial state.</summary>
    private static Tensor Recurrent(Tensor x, OnnxLayerCandidate layer)
    {
        int n = (int)x.Dims[0], steps = (int)x.Dims[1], features = (int)x.Dims[2];
        int hidden = (int)layer.Ints["hidden_size"][0];
        double[] w = layer.Tensors["W"].FloatValues!, r = layer.Tensors["R"].FloatValues!, bias = layer.Tensors["B"].FloatValues!;
        int gates = w.Length / (hidden * features);
        bool linearBeforeReset = layer.Ints.TryGetValue("linear_before_reset", out var lbr) && lbr[0] == 1;
        bool sequences = layer.Ints["return_sequences"][0] == 1;
        var y = new double[sequences ? n * steps * hidden : n * hidden];
        for (int s = 0; s < n; s++)
        {
            var h = new double[hidden];
            var cell = new double[hidden];
            for (int t = 0; t < steps; t++)
            {
                // Per gate g and unit u: X·W[g] + Wb[g] and H·R[g] + Rb[g], kept apart for GRU's linear_before_reset.
                double Input(int g, int u)
                {
                    double sum = bias[g * hidden + u];
                    for (int i = 0; i < features; i++)
                    {
                        sum += w[(g * hidden + u) * features + i] * x.Data[(s * steps + t) * features + i];
                    }
                    return sum;
                }
                double Hidden(int g, int u, double[] state)
                {
                    double sum = bias[(gates + g) * hidden + u];
                    for (int i = 0; i < hidden; i++)
                    {
                        sum += r[(g * hidden + u) * hidden + i] * state[i];
                    }
                    return sum;
                }
                var next = new double[hidden];
                for (int u = 0; u < hidden; u++)
                {
                    switch (layer.Operator)
                    {
                        case "RNN":
                            next[u] = Math.Tanh(Input(0, u) + Hidden(0, u, h));
                            break;
                        case "GRU":
                        {
                            double z = Sigmoid(Input(0, u) + Hidden(0, u, h)), reset = Sigmoid(Input(1, u) + Hidden(1, u, h));
                            double candidate;
                            if (linearBeforeReset)
                            {
                                candidate = Math.Tanh(Input(2, u) + reset * Hidden(2, u, h));
                            }
                            else
                            {
                                double[] gated = Enumerable.Range(0, hidden).Select(i => Sigmoid(Input(1, i) + Hidden(1, i, h)) * h[i]).ToArray();
                                candidate = Math.Tanh(Input(2, u) + Hidden(2, u, gated));
                            }
                            next[u] = (1 - z) * candidate + z * h[u];
                            break;
                        }
                        default:
                        {
                            double i = Sigmoid(Input(0, u) + Hidden(0, u, h)), o = Sigmoid(Input(1, u) + Hidden(1, u, h));
                            double f = Sigmoid(Input(2, u) + Hidden(2, u, h)), c = Math.Tanh(Input(3, u) + Hidden(3, u, h));
                            cell[u] = f * cell[u] + i * c;
                            next[u] = o * Math.Tanh(cell[u]);
                            break;
                        }
                    }
                }
                h = next;
                if (sequences)
                {
                    h.CopyTo(y, (s * steps + t) * hidden);
                }
            }
            if (!sequences)
            {
                h.CopyTo(y, s * hidden);
            }
        }
        return new Tensor(sequences ? new long[] { n, steps, hidden } : new long[] { n, hidden }, y);
    }

    /// <summary>Rank-2 inputs along the feature axis.</summary>
    private static Tensor Concat(Tensor[] parts)
    {
        int n = (int)parts[0].Dims[0];
        long width = parts.Sum(p => p.Dims[1]);
        var y = new List<double>();
        for (int s = 0; s < n; s++)
        {
            foreach (Tensor part in parts)
            {
                int w = (int)part.Dims[1];
                y.AddRange(part.Data.Skip(s * w).Take(w));
            }
        }
        return new Tensor(new[] { (long)n, width }, y.ToArray());
    }
}
