namespace ScoutAudit.Core;

/// <summary>
/// The books of a writer's syncs: how many lines were written, how many are known to be on stable
/// storage, and how many a failed sync left at risk; and the sync itself, which moves them. When to
/// sync is a <see cref="SyncStrategy"/>'s question; this ledger only syncs when told and counts.
/// <para>
/// Its lock (<see cref="Gate"/>, the sync lock) guards <c>_file</c>, <c>_closed</c> and
/// <c>_atRiskThrough</c>, and orders the writes of <c>_synced</c>, <c>_syncedAt</c> and
/// <c>_atRiskLines</c>, which are read without it. <c>_written</c> is advanced under the writer's
/// write lock (<see cref="NextLine"/>); readers of all counters use Volatile reads.
/// </para>
/// </summary>
internal sealed class SyncLedger(string path, AuditLogOptions options)
{
    private readonly TimeProvider _time = options.Time;
    private AppendOnlyFile? _file;
    private bool _closed;
    private long _written;
    private long _synced;
    private long _syncedAt = options.Time.GetTimestamp();

    /// <summary>Lines that were unsynced when a sync of them failed, and the highest line such a sync tried to cover.</summary>
    private long _atRiskLines, _atRiskThrough;

    /// <summary>
    /// The sync lock. The writer's Close holds it across its last steps, from marking the ledger
    /// closed to the final sync, so that no background sync runs among them.
    /// </summary>
    public object Gate { get; } = new();

    /// <summary>Lines written so far (a sequence number).</summary>
    public long Written => Volatile.Read(ref _written);

    /// <summary>Lines known to be on stable storage: every line up to this one.</summary>
    public long Synced => Volatile.Read(ref _synced);

    /// <summary>Lines written but not yet known to be on stable storage.</summary>
    public long Unsynced => Volatile.Read(ref _written) - Volatile.Read(ref _synced);

    /// <summary>
    /// Lines written before a sync that failed. They stay counted for as long as the writer lives:
    /// after a failed fsync Linux may have dropped their pages and cleared the error, so a later
    /// sync that succeeds cannot vouch for them (PostgreSQL's "fsyncgate").
    /// </summary>
    public long AtRisk => Volatile.Read(ref _atRiskLines);

    /// <summary>When the last sync ended (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long SyncedAt => Volatile.Read(ref _syncedAt);

    /// <summary>Counts a line just written and returns its sequence number. Called under the writer's write lock.</summary>
    public long NextLine() => ++_written;

    /// <summary>
    /// The writer appends to <paramref name="file"/> from now on. The file syncs went to until now is
    /// synced (rotation synced it before renaming it; a foreign tool may not have) and closed, and
    /// its lines are counted synced: a failure there could no longer be told apart from the rename.
    /// </summary>
    public void SwitchTo(AppendOnlyFile file)
    {
        lock (Gate)
        {
            if (_file is not null)
            {
                TrySync(_file);
                _file.Dispose();
                Volatile.Write(ref _synced, _written);
            }
            _file = file;
        }
    }

    /// <summary>
    /// A seal made by this process synced the active file before renaming it: the lines written
    /// before <paramref name="writtenBefore"/> was read are on disk, and no longer counted unsynced.
    /// </summary>
    public void CoveredBySeal(long writtenBefore)
    {
        lock (Gate)
        {
            if (writtenBefore > Volatile.Read(ref _synced)) Volatile.Write(ref _synced, writtenBefore);
        }
    }

    /// <summary>From now on only <see cref="SyncAll"/> syncs (the writer's final sync); the others do nothing.</summary>
    public void Close()
    {
        lock (Gate) _closed = true;
    }

    /// <summary>Syncs everything written so far, closed or not.</summary>
    /// <exception cref="AuditLogException">The sync failed.</exception>
    public void SyncAll()
    {
        lock (Gate) SyncNow(Volatile.Read(ref _written));
    }

    /// <summary>Syncs everything written so far; false, and nothing done, once closed.</summary>
    /// <exception cref="AuditLogException">The sync failed.</exception>
    public bool SyncAllUnlessClosed()
    {
        lock (Gate)
        {
            if (_closed) return false;
            SyncNow(Volatile.Read(ref _written));
            return true;
        }
    }

    /// <summary>Syncs everything written so far when some of it is unsynced (the background syncs).</summary>
    /// <exception cref="AuditLogException">The sync failed.</exception>
    public void SyncUnsynced()
    {
        lock (Gate)
        {
            if (!_closed && Unsynced > 0) SyncNow(Volatile.Read(ref _written));
        }
    }

    /// <summary>Syncs everything written so far unless an earlier sync covered line <paramref name="sequence"/>.</summary>
    /// <exception cref="AuditLogException">The sync failed.</exception>
    public void SyncUnlessCovered(long sequence)
    {
        lock (Gate)
        {
            if (_closed || Volatile.Read(ref _synced) >= sequence) return; // an earlier sync covered it
            SyncNow(Volatile.Read(ref _written));
        }
    }

    /// <summary>Syncs the lines up to <paramref name="through"/> (read before the call) unless they are synced (the group commit's sync).</summary>
    /// <exception cref="AuditLogException">The sync failed.</exception>
    public void SyncThrough(long through)
    {
        lock (Gate)
        {
            if (!_closed && Volatile.Read(ref _synced) < through) SyncNow(through);
        }
    }

    /// <summary>Throws when a sync failed since the writer opened (<see cref="AtRisk"/>): its lines may not be on disk, whatever later syncs said.</summary>
    /// <exception cref="AuditLogException">Some lines are at risk.</exception>
    public void ThrowIfAnyAtRisk()
    {
        if (AtRisk is > 0 and var atRisk)
            throw new AuditLogException(path,
                $"{atRisk} line{(atRisk == 1 ? "" : "s")} written to '{path}' before a sync that failed may not be on disk: after a failed sync the system may drop written data and report success later, so no later sync vouches for them. Check the log with Test-ScoutAuditLog and keep the events elsewhere if they matter.");
    }

    /// <summary>Must be called under the gate. <paramref name="through"/> was read before the sync starts.</summary>
    private void SyncNow(long through)
    {
        try
        {
            options.SyncStarting?.Invoke();
            _file?.Sync();
        }
        catch (IOException error)
        {
            var from = Math.Max(Volatile.Read(ref _synced), _atRiskThrough);
            if (through > from)
            {
                Volatile.Write(ref _atRiskLines, _atRiskLines + (through - from));
                _atRiskThrough = through;
            }
            throw new AuditLogException(path, $"'{path}' could not be synced to disk: {error.Message}", error);
        }
        Volatile.Write(ref _synced, Math.Max(_synced, through));
        Volatile.Write(ref _syncedAt, _time.GetTimestamp());
    }

    private static void TrySync(AppendOnlyFile file)
    {
        try
        {
            file.Sync();
        }
        catch (IOException)
        {
        }
    }
}
