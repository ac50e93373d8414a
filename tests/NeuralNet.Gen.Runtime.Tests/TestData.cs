using System;

namespace NeuralNet.Gen.Runtime.Tests;

internal static class TestData
{
    /// <summary>Points inside radius 0.5 (class 1) and in a ring from 0.8 to 1.2 (class 0), as in the Circles tutorial.</summary>
    public static (float[] X, float[] Y) Circles(int count, int seed)
    {
        var random = new DeterministicRandom(seed);
        var x = new float[count * 2];
        var y = new float[count];
        for (int i = 0; i < count; i++)
        {
            bool inner = i % 2 == 0;
            double r = inner ? 0.5 * Math.Sqrt(random.NextDouble()) : random.NextDouble(0.8, 1.2);
            double a = random.NextDouble(0, 2 * Math.PI);
            x[2 * i] = (float)(r * Math.Cos(a));
            x[2 * i + 1] = (float)(r * Math.Sin(a));
            y[i] = inner ? 1 : 0;
        }
        return (x, y);
    }

    /// <summary>Three Gaussian blobs with one-hot targets.</summary>
    public static (float[] X, float[] Y) Blobs(int count, int seed)
    {
        var random = new DeterministicRandom(seed);
        var centres = new[] { (-1.5, 0.0), (1.5, 0.0), (0.0, 1.8) };
        var x = new float[count * 2];
        var y = new float[count * 3];
        for (int i = 0; i < count; i++)
        {
            int c = i % 3;
            x[2 * i] = (float)(centres[c].Item1 + 0.4 * random.NextNormal());
            x[2 * i + 1] = (float)(centres[c].Item2 + 0.4 * random.NextNormal());
            y[3 * i + c] = 1;
        }
        return (x, y);
    }

    /// <summary>y = 2x + 1 with a little noise, x in [-1, 1].</summary>
    public static (float[] X, float[] Y) Line(int count, int seed, double noise = 0.05)
    {
        var random = new DeterministicRandom(seed);
        var x = new float[count];
        var y = new float[count];
        for (int i = 0; i < count; i++)
        {
            x[i] = (float)random.NextDouble(-1, 1);
            y[i] = (float)(2 * x[i] + 1 + noise * random.NextNormal());
        }
        return (x, y);
    }
}
