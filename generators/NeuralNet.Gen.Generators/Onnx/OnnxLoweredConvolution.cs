using System.Collections.Generic;
using System.Linq;

namespace NeuralNet.Gen.Onnx;

/// <summary>
/// A convolution written as the im2col product it is, as ExportOnnx writes double networks (ONNX Runtime's CPU
/// provider has no double Conv): an optional zero Pad of the channels-last data's spatial axes, one strided Slice
/// per kernel position, their Concat along the channels, a MatMul by the weight as [positions · channels, filters]
/// and an optional Add of the bias. It becomes what the float export writes: Transpose to channels-first, Conv with
/// the weight as [filters, channels, kernel...], Transpose back.
/// </summary>
internal static partial class OnnxGraphNormalizer
{
    private const string LoweredConvolutionPattern =
        "a convolution written as strided Slices of the channels-last data's spatial axes, their Concat along the channels and a MatMul by a [kernel positions · channels, filters] initializer";

    /// <summary>A constant, strided Slice of the data along its spatial axes: one kernel position's window, not yet a layer.</summary>
    private sealed class WindowValue : Value
    {
        public WindowValue(DataValue source, OnnxNode node, long[] starts, long[] ends, long[] axes, long[] steps)
        {
            Source = source;
            Node = node;
            Starts = starts;
            Ends = ends;
            Axes = axes;
            Steps = steps;
        }

        public DataValue Source { get; }

        public OnnxNode Node { get; }

        public long[] Starts { get; }

        public long[] Ends { get; }

        public long[] Axes { get; }

        public long[] Steps { get; }
    }

    /// <summary>The windows concatenated along the channels: the im2col matrix a MatMul turns into a convolution.</summary>
    private sealed class ColumnsValue : Value
    {
        public ColumnsValue(WindowValue[] windows, OnnxNode node)
        {
            Windows = windows;
            Node = node;
        }

        public WindowValue[] Windows { get; }

        public OnnxNode Node { get; }
    }

    private sealed partial class Walker
    {
        private void Window(OnnxNode node, Value?[] inputs)
        {
            DataValue x = Data(node, inputs, 0);
            long[]? Input(int index, string attribute) => Opset < 10
                ? node.Attribute(attribute)?.Ints.ToArray()
                : index < inputs.Length && inputs[index] is ConstantValue { Tensor.IntValues: { } values } ? values : null;
            long[]? starts = Input(1, "starts"), ends = Input(2, "ends"), axes = Input(3, "axes");
            long[] steps = Input(4, "steps") ?? Enumerable.Repeat(1L, axes?.Length ?? 0).ToArray();
            if (starts is null || ends is null || axes is null || x.TimeMajor || x.DirectionAxis >= 0
                || starts.Length != axes.Length || ends.Length != axes.Length || steps.Length != axes.Length)
            {
                throw Unsupported(node, $"Slice of the network's data is supported only with constant starts, ends, axes and steps, in {LoweredConvolutionPattern}");
            }
            _values[node.Outputs[0]] = new WindowValue(x, node, starts, ends, axes, steps);
        }

        private void Columns(OnnxNode node, Value?[] inputs) =>
            _values[node.Outputs[0]] = new ColumnsValue(inputs.Cast<WindowValue>().ToArray(), node);

        private void LoweredConvolution(OnnxNode node, ColumnsValue columns, Value?[] inputs)
        {
            WindowValue[] windows = columns.Windows;
            WindowValue first = windows[0];
            int spatial = first.Axes.Length;
            OnnxTensor? w = inputs.Length > 1 && inputs[1] is ConstantValue { Tensor: { Dims.Count: 2, FloatValues: not null } matrix } ? matrix : null;
            long concatAxis = columns.Node.Attribute("axis")?.Int ?? 0;
            var kernel = new long[spatial];
            var dilations = new long[spatial];
            bool fits = w is not null && spatial is 1 or 2 && (concatAxis == -1 || concatAxis == spatial + 1) && w.Dims[0] % windows.Length == 0
                && windows.All(v => v.Source.Name == first.Source.Name && v.Axes.SequenceEqual(Enumerable.Range(1, spatial).Select(a => (long)a))
                    && v.Steps.SequenceEqual(first.Steps) && v.Steps.All(s => s > 0));
            for (int a = 0; fits && a < spatial; a++)
            {
                // The kernel's taps along axis a start at 0, d, 2d, ...: d is the dilation.
                long[] offsets = windows.Select(v => v.Starts[a]).Distinct().OrderBy(s => s).ToArray();
                kernel[a] = offsets.Length;
                dilations[a] = offsets.Length > 1 ? offsets[1] - offsets[0] : 1;
                fits = dilations[a] > 0 && offsets.Select((s, i) => s == i * dilations[a]).All(b => b);
            }
            // Window t is kernel position t in row-major order: the order of the weight's row blocks.
            fits = fits && kernel.Aggregate(1L, (p, k) => p * k) == windows.Length
                && windows.Select((v, t) => Enumerable.Range(0, spatial).All(a => v.Starts[a] == KernelIndex(t, kernel, a) * dilations[a])).All(b => b);
            if (!fits)
            {
                throw Unsupported(node, $"it reads Slices of the data; only {LoweredConvolutionPattern} may");
            }

            long positions = windows.Length, channels = w!.Dims[0] / positions, filters = w.Dims[1];
            var nodes = new List<string>();
            var pads = new long[2 * spatial];
            string input = first.Source.Name;
            if (first.Source.Producer is { Kind: OnnxLayerKind.Pad } pad && _readers[pad.Output] == windows.Length && pad.Floats["value"] == 0
                && pad.Strings["mode"] == "constant" && pad.Ints["pads"] is { } p && p.Count == 2 * (spatial + 2)
                && p[0] == 0 && p[spatial + 1] == 0 && p[spatial + 2] == 0 && p[2 * spatial + 3] == 0)
            {
                // [N, spatial..., C] padded with zeros along the spatial axes only: the convolution's own pads.
                for (int a = 0; a < spatial; a++)
                {
                    pads[a] = p[1 + a];
                    pads[spatial + a] = p[spatial + 3 + a];
                }
                _layers.Remove(pad);
                input = pad.Inputs[0];
                nodes.AddRange(pad.Nodes);
            }

            // Row (t, c), column f of the matrix is ONNX's Conv weight [f, c, t] (t the kernel position).
            var values = new double[w.FloatValues!.Length];
            for (long t = 0; t < positions; t++)
                for (long c = 0; c < channels; c++)
                    for (long f = 0; f < filters; f++)
                        values[(f * channels + c) * positions + t] = w.FloatValues[(t * channels + c) * filters + f];

            var weight = new OnnxTensor(w.Name, w.DataType, new[] { filters, channels }.Concat(kernel).ToArray(), values, null);

            nodes.AddRange(windows.Select(v => v.Node.Name));
            nodes.Add(columns.Node.Name);
            nodes.Add(node.Name);
            string output = node.Outputs[0];
            OnnxTensor? bias = null;
            if (TryNext(node, "Add") is { } add && VectorInput(add, node) is { } b && b.ElementCount == filters && b.Dims.Count(d => d != 1) <= 1)
            {
                bias = new OnnxTensor(b.Name, b.DataType, new[] { filters }, b.FloatValues, null);
                _absorbed.Add(add);
                nodes.Add(add.Name);
                output = add.Outputs[0];
            }

            var inward = Add(new LayerBuilder(OnnxLayerKind.Transpose, "Transpose", new[] { input }, output + "/channels-first", first.Node));
            inward.Ints["perm"] = spatial == 1 ? new long[] { 0, 2, 1 } : new long[] { 0, 3, 1, 2 };
            var conv = Add(new LayerBuilder(OnnxLayerKind.Conv, "Conv", new[] { inward.Output }, output + "/conv", first.Node));
            conv.Nodes.Clear();
            conv.Nodes.AddRange(nodes);
            conv.Tensors["weight"] = weight;
            if (bias is not null)
            {
                conv.Tensors["bias"] = bias;
            }
            conv.Ints["kernel_shape"] = kernel;
            conv.Ints["strides"] = first.Steps;
            conv.Ints["dilations"] = dilations;
            conv.Ints["pads"] = pads;
            conv.Ints["group"] = new[] { 1L };
            conv.Strings["auto_pad"] = "NOTSET";
            // Where each window's Slice starts and ends, checked against the convolution's output size with the shapes.
            conv.Ints["window_starts"] = windows.SelectMany(v => v.Starts).ToArray();
            conv.Ints["window_ends"] = windows.SelectMany(v => v.Ends).ToArray();
            var outward = Add(new LayerBuilder(OnnxLayerKind.Transpose, "Transpose", new[] { conv.Output }, output, node));
            outward.Ints["perm"] = spatial == 1 ? new long[] { 0, 2, 1 } : new long[] { 0, 2, 3, 1 };
        }
    }

    /// <summary>Position <paramref name="t"/>'s index along axis <paramref name="axis"/> of a row-major <paramref name="kernel"/>.</summary>
    private static long KernelIndex(long t, long[] kernel, int axis)
    {
        for (int a = kernel.Length - 1; a > axis; a--) t /= kernel[a];
        return t % kernel[axis];
    }

    /// <summary>Each window a lowered convolution Slices must hold exactly the output's positions along each axis: no more, no fewer.</summary>
    private static bool WindowsFit(IReadOnlyList<long> starts, IReadOnlyList<long> ends, IReadOnlyList<long> strides, IReadOnlyList<long> padded, IReadOnlyList<long> output)
    {
        int spatial = padded.Count;
        for (int i = 0; i < starts.Count; i++)
        {
            int a = i % spatial;
            long end = ends[i] < 0 ? ends[i] + padded[a] : System.Math.Min(ends[i], padded[a]);
            long count = end > starts[i] ? (end - starts[i] + strides[a] - 1) / strides[a] : 0;
            if (count != output[a]) return false;
        }
        return true;
    }
}
