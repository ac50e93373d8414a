using System;
using System.Threading.Tasks;

namespace NeuralNet.Gen.Benchmarks;

/// <summary>
/// <c>-- --math-accuracy</c>: <see cref="NeuralMath"/>'s float Exp and Tanh on every float they compute (not the early
/// returns), each against the platform's double-precision function rounded to float, counted by distance in ulps.
/// The claim in NeuralMath's documentation (the correctly rounded value or a neighbour) rests on this run; the
/// determinism tests keep a dense stride of it.
/// </summary>
public static class MathAccuracy
{
    public static int Run()
    {
        int worst = 0;
        worst = Math.Max(worst, Check("Tanh(x), 2^-12 <= |x| <= 9.1", 2.44140625e-4f, 9.1f, x => NeuralMath.Tanh(x), x => Math.Tanh(x), bothSigns: true));
        worst = Math.Max(worst, Check("Exp(x), 0 <= x <= 88.72283", 0f, 88.72283f, x => NeuralMath.Exp(x), x => Math.Exp(x), bothSigns: false));
        worst = Math.Max(worst, Check("Exp(-x), 0 <= x <= 103.9 (subnormal results included)", 0f, 103.9f, x => NeuralMath.Exp(-x), x => Math.Exp(-x), bothSigns: false));
        Console.WriteLine(worst <= 1 ? "every float within 1 ulp of the correctly rounded value" : $"worst distance {worst} ulps");
        return worst <= 1 ? 0 : 1;
    }

    private static int Check(string name, float from, float to, Func<float, float> ours, Func<double, double> exact, bool bothSigns)
    {
        int first = BitConverter.SingleToInt32Bits(from), last = BitConverter.SingleToInt32Bits(to);
        int parts = Environment.ProcessorCount;
        var counts = new long[parts, 3];
        var worst = new int[parts];
        Parallel.For(0, parts, part =>
        {
            for (int bits = first + part; bits <= last; bits += parts)
            {
                float x = BitConverter.Int32BitsToSingle(bits);
                for (int sign = 0; sign < (bothSigns ? 2 : 1); sign++)
                {
                    float v = sign == 0 ? x : -x;
                    int distance = (int)Math.Min(int.MaxValue, Math.Abs((long)BitConverter.SingleToInt32Bits(ours(v)) - BitConverter.SingleToInt32Bits((float)exact(v))));
                    counts[part, Math.Min(distance, 2)]++;
                    worst[part] = Math.Max(worst[part], distance);
                }
            }
        });
        long[] total = new long[3];
        int max = 0;
        for (int p = 0; p < parts; p++)
        {
            for (int d = 0; d < 3; d++) total[d] += counts[p, d];
            max = Math.Max(max, worst[p]);
        }
        Console.WriteLine($"{name}: {total[0] + total[1] + total[2]:N0} floats, correctly rounded {total[0]:N0}, 1 ulp away {total[1]:N0}, farther {total[2]:N0} (worst {max})");
        return max;
    }
}
