using System;
using System.Text;
using CartPole;
using Xunit;

namespace NeuralNet.Gen.Samples.Tests;

public class CartPoleRendererTests
{
    [Fact]
    public void DrawsTheCartAtItsTrackPositionWithThePolesLean()
    {
        var line = new StringBuilder(CartPoleRenderer.LineCapacity);
        var environment = new CartPoleEnvironment();

        environment.Reset(0, 0, 0, 0);
        CartPoleRenderer.Draw(line, environment);
        Assert.Equal("   0 [" + new string('-', 24) + "|" + new string('-', 24) + "] x   0.00 m  theta   0.00 deg", line.ToString());

        environment.Reset(-2.4, 0, -0.1, 0); // left end, leaning left
        CartPoleRenderer.Draw(line, environment);
        Assert.StartsWith("   0 [\\" + new string('-', 48) + "]", line.ToString());
        Assert.EndsWith("x  -2.40 m  theta  -5.73 deg", line.ToString());
    }

    [Fact]
    public void DrawingAFrameAllocatesNothingOnceWarm()
    {
        var line = new StringBuilder(CartPoleRenderer.LineCapacity);
        var environment = new CartPoleEnvironment();
        environment.Reset(0.5, 0, 0.05, 0);
        CartPoleRenderer.Draw(line, environment);

        int step = 0;
        Assert.Equal(0, Allocations.Steady(() =>
        {
            environment.Step(pushRight: step++ % 2 == 0);
            CartPoleRenderer.Draw(line, environment);
        }, 100));
    }
}
