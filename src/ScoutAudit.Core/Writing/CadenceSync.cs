namespace ScoutAudit.Core;

/// <summary>
/// <see cref="SyncMode.Cadence"/>: a sync after every <see cref="SyncPolicy.EveryLines"/>th line or
/// once <see cref="SyncPolicy.Interval"/> passed since the last one, run off the writer's thread; an
/// idle timer syncs a tail that no further write comes to sync. An append that finds twice the
/// cadence unsynced waits for a sync, which bounds what a power loss can take.
/// <para>
/// No lock of its own: the two flags below are taken and given back with Interlocked, and every
/// sync runs under the ledger's lock.
/// </para>
/// </summary>
internal sealed class CadenceSync : SyncStrategy
{
    private readonly SyncLedger _ledger;
    private readonly SyncPolicy _policy;
    private readonly TimeProvider _time;
    private readonly IAuditDiagnostics _diagnostics;
    private readonly string _path;
    private readonly ITimer _idleSync;
    private int _idleSyncArmed; // 1 while the idle timer is armed
    private int _backgroundSyncQueued; // 1 while a background sync is queued or running

    public CadenceSync(SyncLedger ledger, AuditLogOptions options, string path)
    {
        _ledger = ledger;
        _policy = options.SyncPolicy;
        _time = options.Time;
        _diagnostics = options.Diagnostics;
        _path = path;
        _idleSync = _time.CreateTimer(_ => SyncIdleTail(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public override void AfterAppend(long sequence)
    {
        if (sequence - _ledger.Synced >= 2L * _policy.EveryLines)
        {
            // The sync in flight has not caught up: wait for it, and sync what it did not cover.
            CatchUp(sequence);
        }
        else if (sequence - _ledger.Synced >= _policy.EveryLines || _time.GetElapsedTime(_ledger.SyncedAt) >= _policy.Interval)
        {
            SyncInBackground();
            ArmIdleSync(); // a sync already in flight may have started before this line
        }
        else
        {
            ArmIdleSync();
        }
    }

    public override void StopTimers() => _idleSync.Dispose();

    private void CatchUp(long sequence)
    {
        try
        {
            _ledger.SyncUnlessCovered(sequence);
        }
        catch (AuditLogException error)
        {
            _diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.SyncFailed, _path, error.Message, Exception: error));
            ArmIdleSync();
        }
    }

    /// <summary>
    /// The cadence's sync, off the writer's thread: the append that makes a sync due returns while it
    /// runs, as Serilog's flush interval does, instead of waiting an fsync (about as long as the rest
    /// of a PowerShell call). At most one is queued or running. Never throws: a failure is reported
    /// and the idle timer tries again.
    /// </summary>
    private void SyncInBackground()
    {
        if (Interlocked.CompareExchange(ref _backgroundSyncQueued, 1, 0) != 0) return;
        ThreadPool.UnsafeQueueUserWorkItem(static cadence =>
        {
            try
            {
                cadence._ledger.SyncUnsynced();
            }
            catch (AuditLogException error)
            {
                cadence._diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.SyncFailed, cadence._path,
                    $"The background sync of '{cadence._path}' failed; the lines are written but may not be on disk yet: {error.Message}", Exception: error));
                cadence.ArmIdleSync();
            }
            finally
            {
                Volatile.Write(ref cadence._backgroundSyncQueued, 0);
            }
        }, this, preferLocal: false);
    }

    private void ArmIdleSync()
    {
        if (Interlocked.Exchange(ref _idleSyncArmed, 1) == 0)
            _idleSync.Change(_policy.Interval, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The timer: syncs a tail that no further write came to sync. Never throws.</summary>
    private void SyncIdleTail()
    {
        Volatile.Write(ref _idleSyncArmed, 0);
        try
        {
            _ledger.SyncUnsynced();
        }
        catch (Exception error)
        {
            _diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.SyncFailed, _path,
                $"The background sync of '{_path}' failed; the lines are written but may not be on disk yet: {error.Message}", Exception: error));
        }
    }
}
