using System.Buffers;

namespace ScoutAudit.Core;

/// <summary>
/// Appends events to the active file: one complete line per write call, thread-safe, synced as
/// the <see cref="SyncPolicy"/> says. Concurrent appends that need a sync share one (group commit):
/// a sync covers every line written before it started.
/// </summary>
internal sealed class AuditLogWriter : IDisposable
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_line;

    private readonly AppendOnlyFile _file;
    private readonly SyncPolicy _policy;
    private readonly TimeProvider _time;
    private readonly IAuditDiagnostics _diagnostics;
    private readonly ITimer? _idleSync;
    private readonly object _writeLock = new();
    private readonly object _syncLock = new();
    private long _written;
    private long _synced;
    private long _syncedAt;
    private int _idleSyncArmed;
    private bool _disposed;

    private AuditLogWriter(AppendOnlyFile file, SyncPolicy policy, TimeProvider time, IAuditDiagnostics diagnostics)
    {
        _file = file;
        _policy = policy;
        _time = time;
        _diagnostics = diagnostics;
        _syncedAt = time.GetTimestamp();
        if (policy.Mode == SyncMode.Cadence)
            _idleSync = time.CreateTimer(_ => SyncIdleTail(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Opens the active file for appending, creating it (0600) and its directory (0700) when
    /// missing, and terminating a torn last line.
    /// </summary>
    public static AuditLogWriter Open(string path, SyncPolicy policy, TimeProvider time, IAuditDiagnostics diagnostics)
    {
        AppendOnlyFile file;
        try
        {
            OwnerOnly.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            file = AppendOnlyFile.Open(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new AuditLogException(path, $"The audit log '{path}' cannot be opened for writing: {error.Message}", error);
        }
        try
        {
            if (file.TerminateTornTail())
                diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.TornTailRepaired, path,
                    $"The last line of '{path}' was torn (no final newline, as after a crash); it was terminated so new events start on their own line."));
        }
        catch (IOException error)
        {
            file.Dispose();
            throw new AuditLogException(path, $"The torn last line of '{path}' cannot be repaired: {error.Message}", error);
        }
        return new AuditLogWriter(file, policy, time, diagnostics);
    }

    public string Path => _file.Path;

    public SyncPolicy Policy => _policy;

    /// <summary>Lines written but not yet known to be on stable storage.</summary>
    public long UnsyncedLines => Volatile.Read(ref _written) - Volatile.Read(ref _synced);

    /// <summary>Writes the event's line; syncs when the policy says so.</summary>
    /// <exception cref="ArgumentException">The event cannot be written (too large, a value JSON cannot hold); nothing was written.</exception>
    /// <exception cref="AuditLogException">The write failed (nothing of the event stays in the file), or with <see cref="SyncMode.EveryEvent"/> the sync failed.</exception>
    public void Append(AuditEvent auditEvent)
    {
        var line = t_line ??= new ArrayBufferWriter<byte>(1024);
        line.ResetWrittenCount();
        AuditLineFormatter.Write(auditEvent, line);

        long sequence;
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                _file.Append(line.WrittenSpan);
            }
            catch (IOException error)
            {
                throw new AuditLogException(Path, $"The event could not be written to '{Path}': {error.Message}", error);
            }
            sequence = ++_written;
        }
        if (line.Capacity > 64 * 1024) t_line = null; // do not keep a huge buffer per thread

        switch (_policy.Mode)
        {
            case SyncMode.EveryEvent:
                SyncThrough(sequence, throwOnFailure: true);
                break;
            case SyncMode.Cadence when sequence - Volatile.Read(ref _synced) >= _policy.EveryLines
                                       || _time.GetElapsedTime(Volatile.Read(ref _syncedAt)) >= _policy.Interval:
                SyncThrough(sequence, throwOnFailure: false);
                break;
            case SyncMode.Cadence:
                ArmIdleSync();
                break;
        }
    }

    /// <summary>Syncs everything written so far.</summary>
    public void Flush()
    {
        lock (_syncLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            SyncNow(Volatile.Read(ref _written));
        }
    }

    /// <summary>Syncs and closes. The file is closed even when the final sync fails, which then throws.</summary>
    /// <exception cref="AuditLogException">The final sync failed: lines written may not be on disk.</exception>
    public void Close()
    {
        lock (_writeLock)
        lock (_syncLock)
        {
            if (_disposed) return;
            _disposed = true;
            _idleSync?.Dispose();
            try
            {
                SyncNow(_written);
            }
            finally
            {
                _file.Dispose();
            }
        }
    }

    /// <summary>Like <see cref="Close"/>, but a failed final sync is reported to the diagnostics listener instead of thrown.</summary>
    public void Dispose()
    {
        try
        {
            Close();
        }
        catch (AuditLogException error)
        {
            _diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.SyncFailed, Path, error.Message, Exception: error));
        }
    }

    private void SyncThrough(long sequence, bool throwOnFailure)
    {
        lock (_syncLock)
        {
            if (_disposed || Volatile.Read(ref _synced) >= sequence) return; // an earlier sync covered it
            try
            {
                SyncNow(Volatile.Read(ref _written));
            }
            catch (AuditLogException error) when (!throwOnFailure)
            {
                _diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.SyncFailed, Path, error.Message, Exception: error));
                ArmIdleSync();
            }
        }
    }

    /// <summary>Must be called under the sync lock. <paramref name="through"/> was read before the sync starts.</summary>
    private void SyncNow(long through)
    {
        try
        {
            _file.Sync();
        }
        catch (IOException error)
        {
            throw new AuditLogException(Path, $"'{Path}' could not be synced to disk: {error.Message}", error);
        }
        Volatile.Write(ref _synced, Math.Max(_synced, through));
        Volatile.Write(ref _syncedAt, _time.GetTimestamp());
    }

    private void ArmIdleSync()
    {
        if (_idleSync is not null && Interlocked.Exchange(ref _idleSyncArmed, 1) == 0)
            _idleSync.Change(_policy.Interval, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The timer: syncs a tail that no further write came to sync. Never throws.</summary>
    private void SyncIdleTail()
    {
        Volatile.Write(ref _idleSyncArmed, 0);
        try
        {
            lock (_syncLock)
            {
                if (_disposed || UnsyncedLines == 0) return;
                SyncNow(Volatile.Read(ref _written));
            }
        }
        catch (Exception error)
        {
            _diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.SyncFailed, Path,
                $"The background sync of '{Path}' failed; the lines are written but may not be on disk yet: {error.Message}", Exception: error));
        }
    }
}
