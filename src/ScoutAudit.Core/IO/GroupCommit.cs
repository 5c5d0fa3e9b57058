namespace ScoutAudit.Core;

/// <summary>
/// Every-event syncing for many threads: a dedicated thread keeps one fsync in flight whenever
/// lines wait for one, and each sync covers every line written before it started. Appenders wait
/// only for the first sync that covers their line, so while one fsync runs the lines of the other
/// writers gather for the next (on this project's disk, 2x the events per second with 4 writers).
/// </summary>
internal sealed class GroupCommit(Func<long> written, Func<long> synced, Action<long> syncThrough, string path) : IDisposable
{
    private readonly object _gate = new();
    private Thread? _flusher;
    private long _attemptedThrough;
    private long _failedThrough;
    private AuditLogException? _failure;
    private bool _stopping;

    /// <summary>Returns once line <paramref name="sequence"/> is synced; throws if its sync failed.</summary>
    public void WaitFor(long sequence)
    {
        lock (_gate)
        {
            _flusher ??= Start();
            Monitor.PulseAll(_gate);
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
                _failedThrough = long.MaxValue;
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
            long target;
            lock (_gate)
            {
                while (!_stopping && written() <= Math.Max(synced(), _attemptedThrough)) Monitor.Wait(_gate);
                if (_stopping) return;
                target = written();
                _attemptedThrough = target;
            }
            AuditLogException? failure = null;
            try
            {
                syncThrough(target);
            }
            catch (AuditLogException error)
            {
                failure = error;
            }
            lock (_gate)
            {
                if (failure is not null)
                {
                    _failure = failure;
                    _failedThrough = target;
                }
                Monitor.PulseAll(_gate);
            }
        }
    }
}
