using System;
using Xunit;

namespace NeuralNet.Gen.Tests;

/// <summary>The convolution weight packings against their layouts written out, and unpacking as packing's inverse.</summary>
public class ConvolutionPackingTests
{
    // 3 channels, 5 filters, 2x2 kernel: every dimension different, so a swapped index cannot pass.
    private static readonly Conv2DGeometry Geometry = new(4, 4, 3, 5, 2, 1, 0, 0, 3, 3);
    private const int C = 3, F = 5, K = 2;

    private static float[] Weights()
    {
        var w = new float[Geometry.WeightCount];
        for (int i = 0; i < w.Length; i++) w[i] = i + 1; // [f, c, kh, kw], each value its own index + 1
        return w;
    }

    [Theory]
    [InlineData(ConvolutionPacking.AcrossFilters)]
    [InlineData(ConvolutionPacking.ByWindowRows)]
    public void Pack_puts_each_weight_where_the_layout_says(ConvolutionPacking packing)
    {
        var weights = Weights();
        var packed = new float[weights.Length];
        ConvolutionKernels.Pack<float>(weights, packed, Geometry, packing);
        for (int o = 0; o < F; o++)
            for (int i = 0; i < C; i++)
                for (int y = 0; y < K; y++)
                    for (int x = 0; x < K; x++)
                    {
                        int index = packing == ConvolutionPacking.AcrossFilters
                            ? ((y * K + x) * C + i) * F + o   // [kh][kw][c][f]
                            : ((o * K + y) * K + x) * C + i;  // [f][kh][kw·c]
                        Assert.Equal(weights[((o * C + i) * K + y) * K + x], packed[index]);
                    }
    }

    [Theory]
    [InlineData(ConvolutionPacking.AcrossFilters)]
    [InlineData(ConvolutionPacking.ByWindowRows)]
    public void UnpackAdd_adds_packed_gradients_back_in_the_PyTorch_layout(ConvolutionPacking packing)
    {
        var weights = Weights();
        var packed = new float[weights.Length];
        ConvolutionKernels.Pack<float>(weights, packed, Geometry, packing);
        var gradients = Weights();
        ConvolutionKernels.UnpackAdd<float>(packed, gradients, Geometry, packing);
        Assert.Equal(Array.ConvertAll(weights, w => 2 * w), gradients);
    }

    [Fact]
    public void A_wrong_buffer_length_names_the_expected_size()
    {
        var e = Assert.Throws<ArgumentException>(() => ConvolutionKernels.Pack<float>(new float[3], new float[Geometry.WeightCount], Geometry, ConvolutionPacking.ByWindowRows));
        Assert.Contains(Geometry.WeightCount.ToString(), e.Message);
    }
}
