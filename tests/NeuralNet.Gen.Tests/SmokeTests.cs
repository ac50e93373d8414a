using System;
using Xunit;

namespace NeuralNet.Gen.Tests;

public class SmokeTests
{
    [Fact]
    public void Constants_match_the_architecture()
    {
        Assert.Equal(2, CirclesNet.InputSize);
        Assert.Equal(1, CirclesNet.OutputSize);
        Assert.Equal(2 * 4 + 4 + 4 * 6 + 6 + 6 * 6 + 6 + 6 * 4 + 4 + 4 * 1 + 1, CirclesNet.ParameterCount);
        Assert.Equal(784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10, Fashion256Net.ParameterCount);
    }

    [Fact]
    public void Softmax_output_sums_to_one()
    {
        var net = new Mnist50Net();
        var x = new float[Mnist50Net.InputSize];
        for (int i = 0; i < x.Length; i++) x[i] = (i % 17) / 17f;
        var y = new float[Mnist50Net.OutputSize];
        net.Forward(x, y);
        float sum = 0;
        foreach (var v in y) sum += v;
        Assert.Equal(1f, sum, 5);
    }
}
