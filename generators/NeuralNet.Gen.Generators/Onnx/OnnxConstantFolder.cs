using System;
using System.Collections.Generic;
using System.Linq;

namespace NeuralNet.Gen.Onnx;

/// <summary>
/// Evaluates the small constant computations exporters leave in a graph (torch builds a causal Pad's pads from
/// ConstantOfShape, Concat, Reshape, Slice, Transpose and Cast), so the normaliser sees the constant they make.
/// Only data movement and scalar arithmetic on constants; a result larger than <see cref="MaxElements"/> is refused,
/// so a tiny damaged file cannot ask for gigabytes.
/// </summary>
internal static class OnnxConstantFolder
{
    public const int MaxElements = 1 << 16;

    /// <summary>The node's first output from constant inputs (null for an input left out), or null when not foldable.</summary>
    public static OnnxTensor? Evaluate(OnnxNode node, IReadOnlyList<OnnxTensor?> inputs, long opset)
    {
        OnnxTensor? first = inputs.Count > 0 ? inputs[0] : null;
        switch (node.OpType)
        {
            case "Constant": return FromConstantNode(node);
            case "Identity": return first;
            case "Cast": return first is null ? null : Cast(first, (OnnxDataType)(node.Attribute("to")?.Int ?? 0));
            case "Shape": return first is null ? null : new OnnxTensor("", OnnxDataType.Int64, new[] { (long)first.Dims.Count }, null, first.Dims.ToArray());
            case "ConstantOfShape":
                if (first?.IntValues is not { } shape)
                {
                    return null;
                }
                OnnxTensor fill = node.Attribute("value")?.Tensor ?? new OnnxTensor("", OnnxDataType.Float, new[] { 1L }, new[] { 0.0 }, null);
                long count = Count(shape);
                if (fill.ElementCount != 1 || count < 0)
                {
                    return null;
                }
                return Make(fill.DataType, shape, (int)count, _ => 0, fill);
            case "Reshape":
                return first is null || inputs.Count < 2 || inputs[1]?.IntValues is not { } target ? null : Reshape(first, target);
            case "Squeeze":
            case "Unsqueeze":
                if (first is null)
                {
                    return null;
                }
                long[]? axes = node.Attribute("axes")?.Ints.ToArray() ?? (inputs.Count > 1 ? inputs[1]?.IntValues : null);
                return node.OpType == "Squeeze" ? Squeeze(first, axes) : axes is null ? null : Unsqueeze(first, axes);
            case "Concat":
                if (inputs.Any(i => i is null) || inputs.Count == 0)
                {
                    return null;
                }
                return Concat(inputs!, node.Attribute("axis")?.Int ?? 0);
            case "Transpose":
                return first is null ? null : Transpose(first, node.Attribute("perm")?.Ints.ToArray()
                    ?? Enumerable.Range(0, first.Dims.Count).Reverse().Select(i => (long)i).ToArray());
            case "Slice":
                return first is null ? null : Slice(first, node, inputs, opset);
            case "Gather":
                return first is null || inputs.Count < 2 || inputs[1]?.IntValues is not { } indices
                    ? null : Gather(first, inputs[1]!.Dims, indices, node.Attribute("axis")?.Int ?? 0);
            case "Add" or "Sub" or "Mul" or "Div":
                return inputs.Count == 2 && inputs[0] is { } a && inputs[1] is { } b ? Arithmetic(node.OpType, a, b) : null;
            default:
                return null;
        }
    }

    /// <summary>A Constant node's value, whichever of its attributes holds it.</summary>
    public static OnnxTensor? FromConstantNode(OnnxNode node)
    {
        foreach (OnnxAttribute attribute in node.Attributes)
        {
            switch (attribute.Name)
            {
                case "value": return attribute.Tensor;
                case "value_float": return new OnnxTensor("", OnnxDataType.Float, Array.Empty<long>(), new double[] { attribute.Float }, null);
                case "value_floats":
                    return new OnnxTensor("", OnnxDataType.Float, new[] { (long)attribute.Floats.Count }, attribute.Floats.Select(f => (double)f).ToArray(), null);
                case "value_int": return new OnnxTensor("", OnnxDataType.Int64, Array.Empty<long>(), null, new[] { attribute.Int });
                case "value_ints": return new OnnxTensor("", OnnxDataType.Int64, new[] { (long)attribute.Ints.Count }, null, attribute.Ints.ToArray());
            }
        }
        return null;
    }

    /// <summary>Every element as a double (integers included), or null for a tensor without values.</summary>
    public static double[]? AsDoubles(OnnxTensor tensor) =>
        tensor.FloatValues ?? tensor.IntValues?.Select(v => (double)v).ToArray();

    private static OnnxTensor? Cast(OnnxTensor source, OnnxDataType to)
    {
        if (OnnxTensor.IsFloatingPoint(to))
        {
            double[]? values = AsDoubles(source);
            return values is null ? null : new OnnxTensor("", to, source.Dims, values, null);
        }
        if (OnnxTensor.IsInteger(to))
        {
            long[]? values = source.IntValues ?? source.FloatValues?.Select(v => (long)Math.Truncate(v)).ToArray();
            return values is null ? null : new OnnxTensor("", to, source.Dims, null, values);
        }
        return null;
    }

    private static OnnxTensor? Reshape(OnnxTensor source, long[] target)
    {
        var dims = new long[target.Length];
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < target.Length; i++)
        {
            dims[i] = target[i] == 0 && i < source.Dims.Count ? source.Dims[i] : target[i];
            if (dims[i] == -1)
            {
                if (inferred >= 0)
                {
                    return null;
                }
                inferred = i;
            }
            else if (dims[i] < 0)
            {
                return null;
            }
            else
            {
                known *= dims[i];
            }
        }
        long total = source.ElementCount;
        if (inferred >= 0)
        {
            if (known == 0 || total % known != 0)
            {
                return null;
            }
            dims[inferred] = total / known;
        }
        return Count(dims) == total ? Make(source.DataType, dims, (int)total, i => i, source) : null;
    }

    private static OnnxTensor? Squeeze(OnnxTensor source, long[]? axes)
    {
        int rank = source.Dims.Count;
        var drop = axes?.Select(a => a < 0 ? a + rank : a).ToArray()
            ?? Enumerable.Range(0, rank).Where(i => source.Dims[i] == 1).Select(i => (long)i).ToArray();
        if (drop.Any(a => a < 0 || a >= rank || source.Dims[(int)a] != 1))
        {
            return null;
        }
        long[] dims = source.Dims.Where((_, i) => !drop.Contains(i)).ToArray();
        return Make(source.DataType, dims, (int)source.ElementCount, i => i, source);
    }

    private static OnnxTensor? Unsqueeze(OnnxTensor source, long[] axes)
    {
        int rank = source.Dims.Count + axes.Length;
        var inserted = axes.Select(a => a < 0 ? a + rank : a).ToArray();
        if (inserted.Any(a => a < 0 || a >= rank) || inserted.Distinct().Count() != inserted.Length)
        {
            return null;
        }
        var dims = new long[rank];
        int next = 0;
        for (int i = 0; i < rank; i++)
        {
            dims[i] = inserted.Contains(i) ? 1 : source.Dims[next++];
        }
        return Make(source.DataType, dims, (int)source.ElementCount, i => i, source);
    }

    private static OnnxTensor? Concat(IReadOnlyList<OnnxTensor?> parts, long axis)
    {
        OnnxTensor head = parts[0]!;
        int rank = head.Dims.Count;
        if (axis < 0)
        {
            axis += rank;
        }
        if (rank == 0 || axis < 0 || axis >= rank || parts.Any(p => p!.Dims.Count != rank || p.DataType != head.DataType
            || Enumerable.Range(0, rank).Any(d => d != axis && p.Dims[d] != head.Dims[d])))
        {
            return null;
        }
        long[] dims = head.Dims.ToArray();
        dims[axis] = parts.Sum(p => p!.Dims[(int)axis]);
        long count = Count(dims);
        if (count < 0)
        {
            return null;
        }
        long outer = Count(dims.Take((int)axis).ToArray()), inner = Count(dims.Skip((int)axis + 1).ToArray());
        var floats = head.FloatValues is null ? null : new List<double>();
        var ints = head.IntValues is null ? null : new List<long>();
        for (long o = 0; o < outer; o++)
        {
            foreach (OnnxTensor? part in parts)
            {
                long block = part!.Dims[(int)axis] * inner;
                for (long i = 0; i < block; i++)
                {
                    floats?.Add(part.FloatValues![o * block + i]);
                    ints?.Add(part.IntValues![o * block + i]);
                }
            }
        }
        return new OnnxTensor("", head.DataType, dims, floats?.ToArray(), ints?.ToArray());
    }

    private static OnnxTensor? Transpose(OnnxTensor source, long[] perm)
    {
        int rank = source.Dims.Count;
        if (perm.Length != rank || perm.Any(p => p < 0 || p >= rank) || perm.Distinct().Count() != rank)
        {
            return null;
        }
        long[] dims = perm.Select(p => source.Dims[(int)p]).ToArray();
        long[] sourceStrides = Strides(source.Dims.ToArray());
        return Make(source.DataType, dims, (int)source.ElementCount, index =>
        {
            long[] position = Unravel(index, dims);
            long offset = 0;
            for (int d = 0; d < rank; d++)
            {
                offset += position[d] * sourceStrides[perm[d]];
            }
            return offset;
        }, source);
    }

    /// <summary>ONNX Slice: starts, ends, axes, steps as inputs (opset 10+) or attributes (before), ends clamped.</summary>
    private static OnnxTensor? Slice(OnnxTensor source, OnnxNode node, IReadOnlyList<OnnxTensor?> inputs, long opset)
    {
        long[]? starts, ends, axes, steps = null;
        if (opset < 10)
        {
            starts = node.Attribute("starts")?.Ints.ToArray();
            ends = node.Attribute("ends")?.Ints.ToArray();
            axes = node.Attribute("axes")?.Ints.ToArray();
        }
        else
        {
            starts = inputs.Count > 1 ? inputs[1]?.IntValues : null;
            ends = inputs.Count > 2 ? inputs[2]?.IntValues : null;
            axes = inputs.Count > 3 ? inputs[3]?.IntValues : null;
            steps = inputs.Count > 4 ? inputs[4]?.IntValues : null;
        }
        int rank = source.Dims.Count;
        if (starts is null || ends is null || ends.Length != starts.Length)
        {
            return null;
        }
        axes ??= Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
        steps ??= Enumerable.Repeat(1L, starts.Length).ToArray();
        if (axes.Length != starts.Length || steps.Length != starts.Length)
        {
            return null;
        }
        long[] first = new long[rank], step = Enumerable.Repeat(1L, rank).ToArray(), dims = source.Dims.ToArray();
        for (int i = 0; i < starts.Length; i++)
        {
            long axis = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (axis < 0 || axis >= rank || steps[i] == 0)
            {
                return null;
            }
            long size = source.Dims[(int)axis];
            long s = starts[i] < 0 ? starts[i] + size : starts[i], e = ends[i] < 0 ? ends[i] + size : ends[i];
            if (steps[i] > 0)
            {
                s = Math.Max(0, Math.Min(size, s));
                e = Math.Max(0, Math.Min(size, e));
                dims[axis] = e > s ? (e - s + steps[i] - 1) / steps[i] : 0;
            }
            else
            {
                s = Math.Max(-1, Math.Min(size - 1, s));
                e = Math.Max(-1, Math.Min(size - 1, e));
                dims[axis] = s > e ? (s - e - steps[i] - 1) / -steps[i] : 0;
            }
            first[axis] = s;
            step[axis] = steps[i];
        }
        long[] strides = Strides(source.Dims.ToArray());
        return Make(source.DataType, dims, (int)Count(dims), index =>
        {
            long[] position = Unravel(index, dims);
            long offset = 0;
            for (int d = 0; d < rank; d++)
            {
                offset += (first[d] + position[d] * step[d]) * strides[d];
            }
            return offset;
        }, source);
    }

    private static OnnxTensor? Gather(OnnxTensor source, IReadOnlyList<long> indexDims, long[] indices, long axis)
    {
        int rank = source.Dims.Count;
        if (axis < 0)
        {
            axis += rank;
        }
        if (axis < 0 || axis >= rank)
        {
            return null;
        }
        long size = source.Dims[(int)axis];
        long[] wrapped = indices.Select(i => i < 0 ? i + size : i).ToArray();
        if (wrapped.Any(i => i < 0 || i >= size))
        {
            return null;
        }
        long[] dims = source.Dims.Take((int)axis).Concat(indexDims).Concat(source.Dims.Skip((int)axis + 1)).ToArray();
        long inner = Count(source.Dims.Skip((int)axis + 1).ToArray());
        return Make(source.DataType, dims, (int)Count(dims), index =>
        {
            long within = index % inner, rest = index / inner;
            long k = rest % wrapped.Length, outer = rest / wrapped.Length;
            return (outer * size + wrapped[k]) * inner + within;
        }, source);
    }

    private static OnnxTensor? Arithmetic(string op, OnnxTensor a, OnnxTensor b)
    {
        if (a.ElementCount != b.ElementCount && a.ElementCount != 1 && b.ElementCount != 1)
        {
            return null;
        }
        OnnxTensor shape = a.ElementCount >= b.ElementCount ? a : b;
        bool integer = a.IntValues is not null && b.IntValues is not null;
        double[]? x = AsDoubles(a), y = AsDoubles(b);
        if (x is null || y is null)
        {
            return null;
        }
        int count = (int)shape.ElementCount;
        var result = new double[count];
        for (int i = 0; i < count; i++)
        {
            double u = x[x.Length == 1 ? 0 : i], v = y[y.Length == 1 ? 0 : i];
            result[i] = op switch
            {
                "Add" => u + v,
                "Sub" => u - v,
                "Mul" => u * v,
                _ => integer ? (v == 0 ? double.NaN : Math.Floor(u / v)) : u / v,
            };
        }
        if (integer && result.Any(double.IsNaN))
        {
            return null;
        }
        return integer ? new OnnxTensor("", a.DataType, shape.Dims, null, result.Select(r => (long)r).ToArray())
            : new OnnxTensor("", OnnxTensor.IsFloatingPoint(a.DataType) ? a.DataType : b.DataType, shape.Dims, result, null);
    }

    /// <summary>A tensor of <paramref name="dims"/> whose element i is <paramref name="source"/>'s element at sourceIndex(i).</summary>
    private static OnnxTensor? Make(OnnxDataType type, IReadOnlyList<long> dims, int count, Func<long, long> sourceIndex,
        OnnxTensor source)
    {
        if (count < 0 || count > MaxElements || Count(dims.ToArray()) != count)
        {
            return null;
        }
        double[]? floats = source.FloatValues is null ? null : new double[count];
        long[]? ints = source.IntValues is null ? null : new long[count];
        if (floats is null && ints is null)
        {
            return null;
        }
        for (int i = 0; i < count; i++)
        {
            long from = source.ElementCount == 1 ? 0 : sourceIndex(i);
            if (floats is not null)
            {
                floats[i] = source.FloatValues![from];
            }
            else
            {
                ints![i] = source.IntValues![from];
            }
        }
        return new OnnxTensor("", type, dims.ToArray(), floats, ints);
    }

    /// <summary>The product of dims, or -1 when negative or beyond <see cref="MaxElements"/>.</summary>
    private static long Count(long[] dims)
    {
        long count = 1;
        foreach (long d in dims)
        {
            if (d < 0 || (d > 0 && count > MaxElements / d))
            {
                return -1;
            }
            count *= d;
        }
        return count;
    }

    private static long[] Strides(long[] dims)
    {
        var strides = new long[dims.Length];
        long stride = 1;
        for (int d = dims.Length - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= dims[d];
        }
        return strides;
    }

    private static long[] Unravel(long index, long[] dims)
    {
        var position = new long[dims.Length];
        for (int d = dims.Length - 1; d >= 0; d--)
        {
            position[d] = dims[d] == 0 ? 0 : index % dims[d];
            index = dims[d] == 0 ? 0 : index / dims[d];
        }
        return position;
    }
}
