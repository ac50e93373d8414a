using System;
using NeuralNet.Gen.Onnx;

namespace NeuralNet.Gen.Weights;

/// <summary>
/// A Dense layer's import: PyTorch's nn.Linear <c>weight</c> [units, inputs] (our layout) and <c>bias</c> [units]; in
/// ONNX a Gemm, or a MatMul and Add. A Dense that reads a flattened <paramref name="imageHeight"/> x
/// <paramref name="imageWidth"/> image has its PyTorch weight columns in channels-first order (c, h, w), which are
/// permuted to ours (h, w, c); a flattened Conv1d sequence ([channels, steps] in PyTorch) is the image
/// <paramref name="imageHeight"/> steps high and 1 wide.
/// </summary>
internal sealed class DenseImport(int number, int inputSize, int units, string activation, int parameterOffset, bool useBias = true, int imageHeight = 0, int imageWidth = 0)
    : WeightAndBiasImport(number, units, activation, parameterOffset, useBias)
{
    public int InputSize { get; } = inputSize;

    public override long[] WeightShape => new long[] { Units, InputSize };

    public override string OnnxExpectation => "a Gemm or MatMul";

    public override bool Accepts(OnnxLayerCandidate candidate) => candidate.Kind == OnnxLayerKind.Dense;

    public override bool TakesOnnxActivation => true;

    public override string Describe() => $"layer {N(Number)} (Dense {N(InputSize)} -> {N(Units)}, {Activation}{NoBias})";

    /// <summary>
    /// PyTorch flattens [C, H, W], we flatten [H, W, C]: column (c, h, w) of its weight becomes our column (h, w, c),
    /// so the same trained layer reads our channels-last images.
    /// </summary>
    public override void AfterImport(double[] parameters)
    {
        if (imageHeight == 0) return;
        int channels = InputSize / (imageHeight * imageWidth);
        var row = new double[InputSize];
        for (int u = 0; u < Units; u++)
        {
            int rowStart = ParameterOffset + u * InputSize;
            Array.Copy(parameters, rowStart, row, 0, row.Length);
            for (int c = 0; c < channels; c++)
                for (int h = 0; h < imageHeight; h++)
                    for (int w = 0; w < imageWidth; w++)
                        parameters[rowStart + (h * imageWidth + w) * channels + c] = row[(c * imageHeight + h) * imageWidth + w];
        }
    }
}
