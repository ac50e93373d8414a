using System;
using System.Threading;

namespace NeuralNet.Gen.TestKit;

/// <summary>
/// Bytes allocated, measured with <see cref="GC.GetAllocatedBytesForCurrentThread"/> so that the result is the same
/// alone and in a full parallel run of the solution, Debug or Release. The runtime's own first-call work on the thread
/// (JIT, type initialisation, on-stack replacement) is done before anything is measured, and every figure is the
/// least of <see cref="Rounds"/> rounds: code that allocates does so in every round, while a one-off allocation of
/// the runtime's own shows in one round only and cannot fail a test.
/// </summary>
public static class Allocations
{
    public const int Rounds = 3;

    /// <summary>Bytes <paramref name="calls"/> calls allocate on this thread once <paramref name="call"/> is warm.</summary>
    public static long Steady(Action call, int calls = 1)
    {
        call(); // JIT, statics and lazily allocated buffers
        call();
        return Least(_ =>
        {
            for (int i = 0; i < calls; i++) call();
        });
    }

    /// <summary>
    /// Bytes the first call on a new object allocates (its lazily allocated buffers): the call is warmed up on one
    /// object, then measured on fresh ones, created before measuring so their construction does not count.
    /// </summary>
    public static long FirstCall<T>(Func<T> create, Action<T> call)
    {
        call(create());
        var fresh = new T[Rounds];
        for (int i = 0; i < Rounds; i++) fresh[i] = create();
        return Least(round => call(fresh[round]));
    }

    /// <summary>
    /// Bytes the first call on a new thread allocates (thread-static buffers): warmed up on this thread, then measured
    /// on fresh threads, each of which also pays the runtime's first thread-static storage (a few hundred bytes).
    /// </summary>
    public static long FirstCallOnNewThread(Action call)
    {
        call();
        long least = long.MaxValue;
        for (int round = 0; round < Rounds; round++)
        {
            long bytes = 0;
            var thread = new Thread(() =>
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                call();
                bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            });
            thread.Start();
            thread.Join();
            least = Math.Min(least, bytes);
        }
        return least;
    }

    private static long Least(Action<int> round)
    {
        long least = long.MaxValue;
        for (int i = 0; i < Rounds; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            round(i);
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }
}
