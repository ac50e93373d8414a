using System;
using NeuralNet.Gen;

namespace CartPole;

/// <summary>
/// The cart-pole balancing task of Barto, Sutton and Anderson (1983), "Neuronlike adaptive elements that can solve
/// difficult learning control problems", IEEE Trans. SMC-13(5), with the constants, Euler integration, termination
/// and 500-step limit of Gym's CartPole-v1 (gym/envs/classic_control/cartpole.py).
/// </summary>
/// <remarks>
/// The state is kept in double, as Gym does with NumPy float64; observations are handed to the network as float,
/// as Gym hands out float32. A struct, so a game can keep thousands in an array with no per-frame allocation.
/// </remarks>
public struct CartPoleEnvironment
{
    public const double Gravity = 9.8;
    public const double MassCart = 1.0;
    public const double MassPole = 0.1;
    public const double TotalMass = MassCart + MassPole;
    /// <summary>Half the pole's length, as in Gym.</summary>
    public const double Length = 0.5;
    public const double PoleMassLength = MassPole * Length;
    public const double ForceMagnitude = 10.0;
    /// <summary>Seconds between state updates.</summary>
    public const double Tau = 0.02;
    public const double XThreshold = 2.4;
    /// <summary>12 degrees in radians.</summary>
    public const double ThetaThreshold = 12 * 2 * Math.PI / 360;
    /// <summary>CartPole-v1's time limit.</summary>
    public const int MaxSteps = 500;
    public const int ObservationSize = 4;

    /// <summary>Cart position (m).</summary>
    public double X;
    /// <summary>Cart velocity (m/s).</summary>
    public double XDot;
    /// <summary>Pole angle from vertical (rad).</summary>
    public double Theta;
    /// <summary>Pole angular velocity (rad/s).</summary>
    public double ThetaDot;
    /// <summary>Steps taken since the last reset.</summary>
    public int Steps;

    /// <summary>Gym's reset: every state variable uniform in [-0.05, 0.05).</summary>
    public void Reset(ref DeterministicRandom random)
    {
        X = random.NextDouble(-0.05, 0.05);
        XDot = random.NextDouble(-0.05, 0.05);
        Theta = random.NextDouble(-0.05, 0.05);
        ThetaDot = random.NextDouble(-0.05, 0.05);
        Steps = 0;
    }

    /// <summary>Starts an episode from a given state.</summary>
    public void Reset(double x, double xDot, double theta, double thetaDot)
    {
        X = x;
        XDot = xDot;
        Theta = theta;
        ThetaDot = thetaDot;
        Steps = 0;
    }

    /// <summary>Writes (x, x_dot, theta, theta_dot) as the network's input.</summary>
    public readonly void Observe(Span<float> observation)
    {
        if (observation.Length != ObservationSize)
            throw new ArgumentException($"Expected an observation buffer of length {ObservationSize}, got {observation.Length}.", nameof(observation));
        observation[0] = (float)X;
        observation[1] = (float)XDot;
        observation[2] = (float)Theta;
        observation[3] = (float)ThetaDot;
    }

    /// <summary>True once the cart left the track or the pole fell past 12 degrees.</summary>
    public readonly bool IsTerminated => X < -XThreshold || X > XThreshold || Theta < -ThetaThreshold || Theta > ThetaThreshold;

    /// <summary>True when the episode is over: terminated, or the 500-step limit reached.</summary>
    public readonly bool IsDone => IsTerminated || Steps >= MaxSteps;

    /// <summary>
    /// One 20 ms step pushing the cart right (<paramref name="pushRight"/>) or left with 10 N. Returns
    /// <see cref="IsDone"/>. The equations are Gym's, line for line.
    /// </summary>
    public bool Step(bool pushRight)
    {
        double force = pushRight ? ForceMagnitude : -ForceMagnitude;
        double cosTheta = Math.Cos(Theta);
        double sinTheta = Math.Sin(Theta);
        double temp = (force + PoleMassLength * ThetaDot * ThetaDot * sinTheta) / TotalMass;
        double thetaAcc = (Gravity * sinTheta - cosTheta * temp) / (Length * (4.0 / 3.0 - MassPole * cosTheta * cosTheta / TotalMass));
        double xAcc = temp - PoleMassLength * thetaAcc * cosTheta / TotalMass;

        // Explicit Euler, Gym's default "euler" kinematics integrator: positions use the old velocities.
        X += Tau * XDot;
        XDot += Tau * xAcc;
        Theta += Tau * ThetaDot;
        ThetaDot += Tau * thetaAcc;
        Steps++;
        return IsDone;
    }
}
