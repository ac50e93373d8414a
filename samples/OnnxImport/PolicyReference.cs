using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace OnnxImport;

/// <summary>Observations and PyTorch's action probabilities for them, as make_policy.py wrote them.</summary>
public sealed record PolicyReference(float[][] Observations, float[][] Probabilities)
{
    public static readonly string[] Actions = { "idle", "chase", "attack", "flee" };

    public static PolicyReference Read(string path)
    {
        var rows = File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return new PolicyReference(rows.Select(r => r[..Policy.InputSize]).ToArray(), rows.Select(r => r[Policy.InputSize..]).ToArray());
    }

    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best]) best = i;
        }
        return best;
    }
}
