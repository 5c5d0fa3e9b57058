using System.Diagnostics;

namespace ScoutAudit.Core;

/// <summary>
/// Every-event syncing for many threads (group commit): a dedicated thread keeps one fsync in
/// flight whenever lines wait for one, and each sync covers every line written before it started.
/// An appender returns once the first sync that covers its line has completed.
/// <para>
/// Two things make the batches full. Waiting is short (an fsync takes ~125 µs on this project's
/// disk), and waking a blocked thread costs tens of microseconds on a VM, which is as long as the
/// writes themselves; so while syncs are fast, appenders and the flusher spin (yielding the core)
/// for a bounded time before they block. And after a sync that covered k lines, the flusher waits
/// a moment for k new lines before it starts the next one: the appenders it just released write
/// again within microseconds, and one sync then covers them all instead of one covering the first
/// and another the rest (what databases call a commit delay; here it adapts to the last batch,
/// so a lone appender never waits for it).
/// </para>
/// </summary>
internal sealed class GroupCommit(Func<long> written, Func<long> synced, Action<long> syncThrough, string path) : IDisposable
{
    /// <summary>Syncs slower than this are waited for blocked: a wake-up is small against them.</summary>
    private static readonly long SpinOnlyBelow = Stopwatch.Frequency / 2000; // 500 µs

    private readonly object _gate = new();
    private Thread? _flusher;
    private long _attemptedThrough;
    private long _failedThrough;
    private AuditLogException? _failure;
    private bool _stopping;
    private long _lastBatch;
    private long _averageSyncTicks; // 0 until the first sync is measured

    /// <summary>Returns once line <paramref name="sequence"/> is synced; throws if its sync failed.</summary>
    public void WaitFor(long sequence)
    {
        lock (_gate)
        {
            _flusher ??= Start();
            Monitor.PulseAll(_gate);
        }
        SpinUntil(() => synced() >= sequence || Volatile.Read(ref _failedThrough) >= sequence, SpinBudget());
        lock (_gate)
        {
            while (synced() < sequence)
            {
                if (_failure is { } failure && _failedThrough >= sequence)
                    throw new AuditLogException(path, $"The event was written to '{path}' but could not be synced: {failure.Message}", failure);
                Monitor.Wait(_gate);
            }
        }
    }

    /// <summary>Stops the flushing thread (before the writer's final sync).</summary>
    public void Dispose()
    {
        Thread? flusher;
        lock (_gate)
        {
            _stopping = true;
            flusher = _flusher;
            Monitor.PulseAll(_gate);
        }
        flusher?.Join();
    }

    /// <summary>After the writer's final sync: wakes the waiters, failing those it did not cover.</summary>
    public void Finish(AuditLogException? failure)
    {
        lock (_gate)
        {
            if (failure is not null)
            {
                _failure = failure;
                Volatile.Write(ref _failedThrough, long.MaxValue);
            }
            Monitor.PulseAll(_gate);
        }
    }

    private Thread Start()
    {
        var thread = new Thread(Flush) { IsBackground = true, Name = "ScoutAudit group commit" };
        thread.Start();
        return thread;
    }

    private void Flush()
    {
        while (true)
        {
            SpinUntil(() => HasWork || Volatile.Read(ref _stopping), SpinBudget());
            long target;
            lock (_gate)
            {
                while (!_stopping && !HasWork) Monitor.Wait(_gate);
                if (_stopping) return;
            }
            // The appenders released by the last sync are writing again: let one sync cover them all.
            var batch = Volatile.Read(ref _lastBatch);
            if (batch > 1) SpinUntil(() => written() - Math.Max(synced(), _attemptedThrough) >= batch, Volatile.Read(ref _averageSyncTicks) / 2);
            lock (_gate)
            {
                target = written();
                batch = target - Math.Max(synced(), _attemptedThrough);
                _attemptedThrough = target;
            }
            AuditLogException? failure = null;
            var started = Stopwatch.GetTimestamp();
            try
            {
                syncThrough(target);
            }
            catch (AuditLogException error)
            {
                failure = error;
            }
            var took = Stopwatch.GetTimestamp() - started;
            var average = Volatile.Read(ref _averageSyncTicks);
            Volatile.Write(ref _averageSyncTicks, average == 0 ? took : (average * 7 + took) / 8);
            Volatile.Write(ref _lastBatch, batch);
            lock (_gate)
            {
                if (failure is not null)
                {
                    _failure = failure;
                    Volatile.Write(ref _failedThrough, target);
                }
                Monitor.PulseAll(_gate);
            }
        }
    }

    private bool HasWork => written() > Math.Max(synced(), Volatile.Read(ref _attemptedThrough));

    /// <summary>How long to spin before blocking: about two syncs while they are fast; not at all when they are slow or not yet measured.</summary>
    private long SpinBudget()
    {
        var average = Volatile.Read(ref _averageSyncTicks);
        return average == 0 || average >= SpinOnlyBelow ? 0 : 2 * average;
    }

    /// <summary>Yields the core until <paramref name="done"/> or <paramref name="ticks"/> have passed.</summary>
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
