using System.Diagnostics;

namespace ScoutAudit.Core;

/// <summary>
/// Every-event syncing for many threads (group commit): one sync covers every line written before
/// it started, and an appender returns once a sync that covers its line has completed.
/// <para>
/// There is no flushing thread: an appender that finds no sync in flight runs the next one itself
/// (the leader), and the others wait for it. A lone appender therefore syncs on its own thread,
/// with no hand-off and no waiting. With several, two things keep the batches full. After a sync
/// that covered k lines, the next leader waits up to one sync for k lines to be written, so the
/// appenders just released share one sync instead of the first of them starting it alone (a
/// commit delay that adapts to the last batch: a lone appender never waits). And waking a
/// sleeping thread costs tens of microseconds on a VM, as much as the sync itself (~125 µs on
/// this project's disk), so while syncs are fast the followers spin, yielding the core, for up to
/// two syncs before they sleep.
/// </para>
/// </summary>
internal sealed class GroupCommit(Func<long> written, Func<long> synced, Action<long> syncThrough, string path)
{
    /// <summary>Syncs slower than this are waited for asleep: a wake-up is small against them.</summary>
    private static readonly long SpinOnlyBelow = Stopwatch.Frequency / 2000; // 500 µs

    private readonly object _gate = new();
    private int _leading; // 1 while an appender runs a sync
    private readonly List<FailedSync> _failedSyncs = []; // under _gate; consecutive failures merge into one
    private int _failures; // how many times a sync failed
    private long _lastBatch;
    private long _averageSyncTicks; // 0 until the first sync is measured

    /// <summary>Lines <c>From</c> (exclusive) to <c>Through</c> (inclusive) were to be covered by a sync that failed.</summary>
    private sealed record FailedSync(long From, long Through, AuditLogException Error);

    /// <summary>
    /// Returns once line <paramref name="sequence"/> is synced; throws if the sync that was to cover
    /// it failed, even when a later one succeeded: after a failed fsync the kernel may have dropped
    /// the pages it could not write, and a later fsync does not bring them back.
    /// </summary>
    public void WaitFor(long sequence)
    {
        while (true)
        {
            ThrowIfFailed(sequence);
            if (synced() >= sequence) return;
            if (Interlocked.CompareExchange(ref _leading, 1, 0) == 0) Lead();
            else WaitForLeader(sequence);
        }
    }

    /// <summary>After the writer's final sync: wakes the waiters, failing those it did not cover.</summary>
    public void Finish(AuditLogException? failure)
    {
        lock (_gate)
        {
            if (failure is not null) RecordFailure(synced(), long.MaxValue, failure);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Runs one sync for every line written so far, then wakes the followers.</summary>
    private void Lead()
    {
        try
        {
            var batch = Volatile.Read(ref _lastBatch);
            if (batch > 1) SpinUntil(() => written() - synced() >= batch, Volatile.Read(ref _averageSyncTicks));
            var before = synced();
            var target = written();
            var started = Stopwatch.GetTimestamp();
            try
            {
                syncThrough(target);
            }
            catch (AuditLogException error)
            {
                lock (_gate) RecordFailure(before, target, error);
            }
            var took = Stopwatch.GetTimestamp() - started;
            var average = Volatile.Read(ref _averageSyncTicks);
            Volatile.Write(ref _averageSyncTicks, average == 0 ? took : (average * 7 + took) / 8);
            Volatile.Write(ref _lastBatch, target - before);
        }
        finally
        {
            Volatile.Write(ref _leading, 0);
            lock (_gate) Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Waits until the leader's sync is over (its own line may be covered, or it leads next).</summary>
    private void WaitForLeader(long sequence)
    {
        var failures = Volatile.Read(ref _failures);
        bool Done() => synced() >= sequence || Volatile.Read(ref _leading) == 0 || Volatile.Read(ref _failures) != failures;
        if (SpinUntil(Done, SpinBudget())) return;
        lock (_gate)
        {
            while (!Done()) Monitor.Wait(_gate);
        }
    }

    /// <summary>Under the gate.</summary>
    private void RecordFailure(long from, long through, AuditLogException error)
    {
        if (_failedSyncs.Count > 0 && _failedSyncs[^1] is var last && from <= last.Through)
            _failedSyncs[^1] = last with { Through = Math.Max(last.Through, through), Error = error };
        else
            _failedSyncs.Add(new FailedSync(from, through, error));
        Interlocked.Increment(ref _failures);
    }

    private void ThrowIfFailed(long sequence)
    {
        if (Volatile.Read(ref _failures) == 0) return;
        AuditLogException? failure = null;
        lock (_gate)
        {
            foreach (var failed in _failedSyncs)
            {
                if (sequence > failed.From && sequence <= failed.Through) failure = failed.Error;
            }
        }
        if (failure is not null)
            throw new AuditLogException(path, $"The event was written to '{path}' but could not be synced: {failure.Message}", failure);
    }

    /// <summary>How long to spin before sleeping: about two syncs while they are fast; not at all when they are slow or not yet measured.</summary>
    private long SpinBudget()
    {
        var average = Volatile.Read(ref _averageSyncTicks);
        return average == 0 || average >= SpinOnlyBelow ? 0 : 2 * average;
    }

    /// <summary>
    /// Yields the core until <paramref name="done"/> or <paramref name="ticks"/> have passed.
    /// Yields at every turn, never spins in place: the sync needs the cores too (the file
    /// system's journal thread). Measured once on this project's VM: with followers spinning in
    /// place an fsync took 430 µs instead of 125; with <see cref="SpinWait"/>'s mix, about 8% fewer
    /// events per second than this (docs/benchmarks.md).
    /// </summary>
    private static bool SpinUntil(Func<bool> done, long ticks)
    {
        if (done()) return true;
        if (ticks <= 0) return false;
        var deadline = Stopwatch.GetTimestamp() + ticks;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            Thread.Yield();
            if (done()) return true;
        }
        return false;
    }
}
