using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Threading;

namespace NeuralNet.Gen;

/// <summary>
/// The threads a network's batch calls may use (<c>MaxDegreeOfParallelism</c>): a few background threads that
/// live as long as the network and run the chunks of one call with the calling thread. A chunk is a fixed range of
/// samples (<see cref="ChunkSize"/>), and every sum across chunks is taken in chunk order after all have run, so the
/// result does not depend on which thread ran which chunk, nor on how many threads there are. Allocation-free after
/// the first call: the chunk body is a delegate the network creates once, and the threads wait on a monitor.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public sealed class BatchWorkers
{
    /// <summary>Samples per chunk: gradients and losses are summed within a chunk in sample order, then across chunks in chunk order.</summary>
    public const int ChunkSize = 32;

    private readonly WorkerGroup _group;

    /// <summary>Starts <paramref name="threads"/> background threads (the calling thread makes one more).</summary>
    public BatchWorkers(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "Expected at least one worker thread.");
        _group = new WorkerGroup(threads);
    }

    /// <summary>Background threads besides the caller's.</summary>
    public int Threads => _group.Threads;

    /// <summary>Chunks of <see cref="ChunkSize"/> samples in a batch (the last may be shorter).</summary>
    public static int ChunkCount(int batchSize) => (batchSize + ChunkSize - 1) / ChunkSize;

    /// <summary>
    /// Runs <paramref name="body"/>(chunk, worker) for chunk 0 .. <paramref name="count"/> - 1 on the workers and the calling
    /// thread and returns when every call has finished; an exception from a call is rethrown here. <c>worker</c> is 0 on the
    /// calling thread and 1 .. <see cref="Threads"/> on the others: no two calls at once share one, so it indexes scratch.
    /// </summary>
    public void Run(int count, Action<int, int> body)
    {
        if (body is null) throw new ArgumentNullException(nameof(body));
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "Expected a non-negative count.");
        _group.Run(count, body);
    }

    /// <summary>
    /// Lets the threads end. They hold the group, never this object, so a network that is no longer referenced is
    /// collected with its workers, and the threads go with them.
    /// </summary>
    ~BatchWorkers() => _group.Stop();

    private sealed class WorkerGroup
    {
        private readonly object _gate = new();
        private readonly Thread[] _threads;
        private Action<int, int>? _body;
        // Between calls _next stays far above any count, so a thread still looking for work from an ended call finds none.
        private const int Idle = int.MaxValue / 2;
        private int _count, _next = Idle, _pending;
        private long _generation;
        private bool _stopping;
        private Exception? _failure;

        public WorkerGroup(int threads)
        {
            _threads = new Thread[threads];
            for (int i = 0; i < threads; i++)
            {
                int worker = i + 1;
                _threads[i] = new Thread(() => Work(worker)) { IsBackground = true, Name = "NeuralNet.Gen batch worker" };
                _threads[i].Start();
            }
        }

        public int Threads => _threads.Length;

        public void Run(int count, Action<int, int> body)
        {
            if (count == 0) return;
            lock (_gate)
            {
                _body = body;
                _count = count;
                _pending = count;
                _failure = null;
                Volatile.Write(ref _next, 0);
                _generation++;
                Monitor.PulseAll(_gate);
            }
            RunChunks(0);
            for (long start = Stopwatch.GetTimestamp(); Volatile.Read(ref _pending) > 0 && Spinning(start);) Thread.SpinWait(16);
            lock (_gate)
            {
                while (_pending > 0) Monitor.Wait(_gate);
                Volatile.Write(ref _next, Idle);
                _body = null; // the network may be collected between calls
            }
            if (_failure is { } failure) throw new AggregateException("A batch chunk failed.", failure);
        }

        /// <summary>
        /// Whether a wait that began at <paramref name="start"/> still spins (about 50 microseconds) before it blocks: a
        /// training step hands work over three times in a row, and a thread woken from Monitor.Wait starts tens of
        /// microseconds later.
        /// </summary>
        private static bool Spinning(long start) => Stopwatch.GetTimestamp() - start < SpinTicks;

        private static readonly long SpinTicks = Stopwatch.Frequency / 20_000;

        public void Stop()
        {
            lock (_gate)
            {
                _stopping = true;
                Monitor.PulseAll(_gate);
            }
        }

        private void Work(int worker)
        {
            long seen = 0;
            while (true)
            {
                for (long start = Stopwatch.GetTimestamp(); Volatile.Read(ref _generation) == seen && !Volatile.Read(ref _stopping) && Spinning(start);) Thread.SpinWait(16);
                lock (_gate)
                {
                    while (_generation == seen && !_stopping) Monitor.Wait(_gate);
                    if (_stopping) return;
                    seen = _generation;
                }
                RunChunks(worker);
            }
        }

        /// <summary>Takes chunks until none is left.</summary>
        private void RunChunks(int worker)
        {
            while (true)
            {
                int chunk = Interlocked.Increment(ref _next) - 1;
                if (chunk >= Volatile.Read(ref _count)) return;
                var body = Volatile.Read(ref _body);
                if (body is null) return;
                try
                {
                    body(chunk, worker);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _failure, e, null);
                }
                if (Interlocked.Decrement(ref _pending) == 0)
                {
                    lock (_gate) Monitor.PulseAll(_gate);
                }
            }
        }
    }
}
