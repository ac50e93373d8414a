using System;
using System.Collections.Generic;
using System.Linq;

namespace NeuralNet.Gen.Onnx;

/// <summary>
/// ONNX's images and 1-D feature maps are channels-first ([channels, height, width], [channels, steps]); ours are
/// channels-last ([height, width, channels], [steps, channels]), as Keras. Convolution weights need nothing (both
/// are [filters, channels, kernel...]), but a Dense after a Flatten reads the flattened elements in the other
/// order, so its weight columns move.
/// </summary>
internal static class OnnxLayout
{
    /// <summary>
    /// The weight [units, C·S] of a Dense reading a channels-first map of <paramref name="channelsFirstShape"/>
    /// ([C, spatial...]) flattened, rewritten to read the same map flattened channels-last.
    /// </summary>
    public static OnnxTensor DenseWeightForChannelsLast(OnnxTensor weight, IReadOnlyList<long> channelsFirstShape)
    {
        long channels = channelsFirstShape[0];
        long spatial = channelsFirstShape.Skip(1).Aggregate(1L, (a, b) => a * b);
        if (weight.Dims.Count != 2 || weight.FloatValues is null || channels * spatial != weight.Dims[1])
        {
            throw new ArgumentException($"a Dense weight [units, {channels * spatial}] was expected for a map [{string.Join(", ", channelsFirstShape)}], not {weight.DescribeShape()}", nameof(weight));
        }
        int units = (int)weight.Dims[0], columns = (int)weight.Dims[1];
        var values = new double[weight.FloatValues.Length];
        for (int u = 0; u < units; u++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int s = 0; s < spatial; s++)
                {
                    // Element (c, s) is column c·S + s channels-first and s·C + c channels-last.
                    values[u * columns + s * channels + c] = weight.FloatValues[u * columns + c * spatial + s];
                }
            }
        }
        return new OnnxTensor(weight.Name, weight.DataType, weight.Dims, values, null);
    }
}
