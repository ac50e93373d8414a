using System;
using CartPole;
using Xunit;

namespace NeuralNet.Gen.Samples.Tests;

public class CartPoleEnvironmentTests
{
    [Fact]
    public void FirstStepsFromRestMatchTheEquationsSolvedByHand()
    {
        // From rest (sin 0 = 0, cos 0 = 1) a 10 N push right gives, in exact fractions:
        // temp = 10 / 1.1 = 100/11, thetaAcc = -(100/11) / (0.5 (4/3 - 0.1/1.1)) = -600/41,
        // xAcc = 100/11 + 0.05 (600/41) / 1.1 = 400/41. Euler moves positions with the old velocities.
        var environment = new CartPoleEnvironment();
        environment.Reset(0, 0, 0, 0);

        environment.Step(pushRight: true);
        AssertState(environment, x: 0, xDot: 0.02 * 400 / 41, theta: 0, thetaDot: 0.02 * -600 / 41);

        // Theta is still 0, so the accelerations repeat; the positions take the first step's velocities.
        environment.Step(pushRight: true);
        AssertState(environment, x: 0.02 * (0.02 * 400 / 41), xDot: 0.04 * 400 / 41, theta: 0.02 * (0.02 * -600 / 41), thetaDot: 0.04 * -600 / 41);
        Assert.Equal(2, environment.Steps);
    }

    [Fact]
    public void StepsFromATiltedStateMatchGymsCartPoleV1()
    {
        // Reference values from Gym's CartPole-v1 step() equations evaluated in Python (float64), actions 0, 1, 1.
        var environment = new CartPoleEnvironment();
        environment.Reset(0.01, -0.02, 0.03, 0.04);

        environment.Step(pushRight: false);
        AssertState(environment, 0.009600000000000001, -0.21553901710278936, 0.030799999999999998, 0.34199522377603914);
        environment.Step(pushRight: true);
        AssertState(environment, 0.005289219657944213, -0.020868498014729647, 0.03763990447552078, 0.059181706756417596);
        environment.Step(pushRight: true);
        AssertState(environment, 0.0048718496976496205, 0.1736941202746195, 0.038823538610649126, -0.22139198924408143);
    }

    [Fact]
    public void MirroredStateAndPushGiveTheMirroredStep()
    {
        var right = new CartPoleEnvironment();
        var left = new CartPoleEnvironment();
        right.Reset(0.3, 0.2, 0.05, -0.1);
        left.Reset(-0.3, -0.2, -0.05, 0.1);
        for (int i = 0; i < 20; i++)
        {
            right.Step(pushRight: i % 3 != 0);
            left.Step(pushRight: i % 3 == 0);
            AssertState(left, -right.X, -right.XDot, -right.Theta, -right.ThetaDot);
        }
    }

    [Theory]
    [InlineData(2.41, 0, false)]
    [InlineData(-2.41, 0, false)]
    [InlineData(0, 0.2095, false)] // 12 degrees is 0.20944 rad
    [InlineData(0, -0.2095, false)]
    [InlineData(2.39, 0.2094, true)]
    public void TerminatesWhenTheCartLeavesTheTrackOrThePoleFallsPast12Degrees(double x, double theta, bool alive)
    {
        var environment = new CartPoleEnvironment();
        environment.Reset(x, 0, theta, 0);
        Assert.Equal(!alive, environment.IsTerminated);
        Assert.Equal(!alive, environment.IsDone);
    }

    [Fact]
    public void EpisodeIsDoneAfter500Steps()
    {
        var environment = new CartPoleEnvironment();
        environment.Reset(0, 0, 0, 0);
        // Put the episode one step before the time limit, upright, so only the limit can end it.
        environment.Steps = CartPoleEnvironment.MaxSteps - 1;
        Assert.False(environment.IsDone);
        Assert.True(environment.Step(pushRight: true));
        Assert.False(environment.IsTerminated);
        Assert.Equal(500, environment.Steps);
    }

    [Fact]
    public void ResetDrawsEachStateVariableFromPlusMinus005()
    {
        var random = new DeterministicRandom(11);
        var environment = new CartPoleEnvironment();
        for (int i = 0; i < 1000; i++)
        {
            environment.Steps = 7;
            environment.Reset(ref random);
            Assert.Equal(0, environment.Steps);
            foreach (double v in new[] { environment.X, environment.XDot, environment.Theta, environment.ThetaDot })
            {
                Assert.InRange(v, -0.05, 0.05);
            }
        }
    }

    [Fact]
    public void ObserveWritesTheStateAsFloatsAndRejectsAWrongBuffer()
    {
        var environment = new CartPoleEnvironment();
        environment.Reset(0.1, -0.2, 0.03, -0.04);
        Span<float> observation = stackalloc float[4];
        environment.Observe(observation);
        Assert.Equal(new[] { 0.1f, -0.2f, 0.03f, -0.04f }, observation.ToArray());

        var error = Assert.Throws<ArgumentException>(() => environment.Observe(new float[3]));
        Assert.Contains("length 4", error.Message);
    }

    private static void AssertState(in CartPoleEnvironment environment, double x, double xDot, double theta, double thetaDot)
    {
        const int Digits = 14;
        Assert.Equal(x, environment.X, Digits);
        Assert.Equal(xDot, environment.XDot, Digits);
        Assert.Equal(theta, environment.Theta, Digits);
        Assert.Equal(thetaDot, environment.ThetaDot, Digits);
    }
}
