using System;
using System.Diagnostics;

namespace NeuralNet.Gen;

/// <summary>Argument checks and timing that read the same on net8.0 and netstandard2.1 (which lacks ThrowIfNull and Stopwatch.GetElapsedTime).</summary>
internal static class Requires
{
    public static void NotNull(object? value, string name)
    {
        if (value is null) throw new ArgumentNullException(name);
    }

    public static void NotNullOrEmpty(string? value, string name)
    {
        if (value is null) throw new ArgumentNullException(name);
        if (value.Length == 0) throw new ArgumentException("The value cannot be an empty string.", name);
    }

    public static TimeSpan ElapsedSince(long timestamp) =>
        TimeSpan.FromTicks((long)((Stopwatch.GetTimestamp() - timestamp) * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
}
