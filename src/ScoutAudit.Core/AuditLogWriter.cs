using System.Buffers;

namespace ScoutAudit.Core;

/// <summary>
/// Appends events to the active file: one complete line per write call, thread-safe; seals the file
/// when it is due, and closes. What it leaves to others, each in its own type:
/// <list type="bullet">
/// <item><see cref="AppendLease"/>: appends happen under a lease on the log's cross-process append
/// lock. Taking one checks that the handle still refers to the file at the log's path (a rotation,
/// here or in another process, renames it) and reopens the path if not (<see cref="CurrentFile"/>).</item>
/// <item><see cref="SealSchedule"/>: when the file is sealed, by size and by interval.</item>
/// <item><see cref="SyncStrategy"/> and <see cref="SyncLedger"/>: when lines are synced, and what
/// is unsynced or at risk.</item>
/// </list>
/// <para>
/// Two locks. The write lock (<c>_writeLock</c>) guards <c>_file</c>, <c>_fileIdentity</c>,
/// <c>_activeSize</c> and <c>_disposed</c>, and with them the state of the lease, the seal
/// schedule and the readable-by-others notice, which have no lock of their own. The sync lock is the
/// ledger's (<see cref="SyncLedger.Gate"/>); Close takes it after the write lock, the only order
/// in which the two are held together.
/// </para>
/// <para>
/// Over 300 lines on purpose: append, the rewrite of a line that landed on a fragment, the reopening
/// of the file at the log's path under a new lease, sealing and close all read and change the
/// write lock's fields; kept in one type, the lock and everything it guards are seen together.
/// </para>
/// </summary>
internal sealed class AuditLogWriter : IDisposable
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_line;

    private readonly LogFiles _files;
    private readonly IAuditDiagnostics _diagnostics;
    private readonly LogRotation _rotation;
    private readonly Action _sealed;
    private readonly AppendLease _lease;
    private readonly SealSchedule _sealing;
    private readonly SyncLedger _ledger;
    private readonly SyncStrategy _sync;
    private readonly ReadableByOthersNotice _readableByOthers;
    private readonly object _writeLock = new();
    private AppendOnlyFile? _file;
    private FileIdentity _fileIdentity;
    private long _activeSize;
    private bool _disposed;

    private AuditLogWriter(LogFiles files, AuditLogOptions options, LogRotation rotation, Action onSealed, AppendLease lease)
    {
        _files = files;
        _diagnostics = options.Diagnostics;
        _rotation = rotation;
        _sealed = onSealed;
        _lease = lease;
        _ledger = new SyncLedger(files.Active, options);
        _sealing = new SealSchedule(files.Active, options, SealAtIntervalEnd);
        _sync = SyncStrategy.For(_ledger, options, files.Active);
        _readableByOthers = new ReadableByOthersNotice(files.Active, options.Diagnostics);
    }

    /// <summary>
    /// Prepares appending: creates the directory (0700) when missing and opens the append lock.
    /// The active file itself is opened (0600) by the first append. <paramref name="onSealed"/> is
    /// called after this writer sealed the active file, to archive it in the background.
    /// </summary>
    public static AuditLogWriter Open(LogFiles files, AuditLogOptions options, LogRotation rotation, Action onSealed)
    {
        WritableDirectory.Prepare(files, options);
        AuditLogWriter? writer = null;
        // The lease's idle timer is armed by the first lease, after the writer exists.
        var lease = AppendLease.Open(files, options, () => writer!.EndIdleLease());
        return writer = new AuditLogWriter(files, options, rotation, onSealed, lease);
    }

    public string Path => _files.Active;

    /// <summary>Lines written but not yet known to be on stable storage.</summary>
    public long UnsyncedLines => _ledger.Unsynced;

    /// <summary>Lines written before a sync that failed (<see cref="SyncLedger.AtRisk"/>). Close reports them.</summary>
    public long AtRiskLines => _ledger.AtRisk;

    /// <summary>Lines written so far (a sequence number).</summary>
    public long WrittenLines => _ledger.Written;

    /// <inheritdoc cref="SyncLedger.CoveredBySeal"/>
    public void CoveredBySeal(long writtenBefore) => _ledger.CoveredBySeal(writtenBefore);

    /// <summary>Writes the event's line; rotates first when the active file is full; syncs when the policy says so.</summary>
    /// <exception cref="ArgumentException">The event cannot be written (too large, a value JSON cannot hold); nothing was written.</exception>
    /// <exception cref="AuditLogException">The write failed (nothing of the event stays in the file), or with <see cref="SyncMode.EveryEvent"/> the sync failed.</exception>
    public void Append(LogEvent auditEvent)
    {
        var line = t_line ??= new ArrayBufferWriter<byte>(1024);
        line.ResetWrittenCount();
        AuditLineFormatter.Write(auditEvent, line);

        long sequence;
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            while (true)
            {
                if (_lease.Held && _lease.IsOver) _lease.End();
                if (!_lease.Held) TakeLease();
                if (!_sealing.IsDue(_activeSize))
                {
                    Write(line.WrittenSpan);
                    _sealing.LineWritten();
                    _lease.CountAppend();
                    sequence = _ledger.NextLine();
                    break;
                }
                _lease.End(); // sealing takes the append lock exclusive
                Seal();
            }
        }
        if (line.Capacity > 64 * 1024) t_line = null; // do not keep a huge buffer per thread

        _sync.AfterAppend(sequence);
    }

    /// <summary>Syncs everything written so far.</summary>
    public void Flush() => ObjectDisposedException.ThrowIf(!_ledger.SyncAllUnlessClosed(), this);

    /// <summary>
    /// Syncs and closes. The file is closed even when the final sync fails, which then throws, as it
    /// throws when an earlier sync failed (<see cref="AtRiskLines"/>).
    /// </summary>
    /// <exception cref="AuditLogException">The final sync, or an earlier one, failed: lines written may not be on disk.</exception>
    public void Close()
    {
        lock (_writeLock)
        lock (_ledger.Gate)
        {
            if (_disposed) return;
            _disposed = true;
            _ledger.Close();
            CarryStrandedLines(); // before the timers go: it may take a lease
            _sync.StopTimers();
            _lease.StopIdleTimer();
            _sealing.Dispose();
            try
            {
                _ledger.SyncAll();
                _sync.Finish(null);
                _ledger.ThrowIfAnyAtRisk();
            }
            catch (AuditLogException error)
            {
                _sync.Finish(error);
                throw;
            }
            finally
            {
                _lease.EndIfHeld();
                _file?.Dispose();
                _lease.Dispose();
            }
        }
    }

    /// <summary>
    /// At close, lines this writer appended to a file another tool deleted since (the original's
    /// rotation) would be lost with the handle: a last lease finds the new file and carries them
    /// (<see cref="StrandedLines"/>). Called under the write and sync locks.
    /// </summary>
    private void CarryStrandedLines()
    {
        // Only where the original begun a new file, as it does at once: a log deleted on purpose
        // (its file, or its folder at the end of a test) is not made again by closing it.
        if (_file is null || NativeFile.LinkCountOf(_file.Handle) != 0 || !File.Exists(Path)) return;
        try
        {
            _lease.EndIfHeld(); // a lease taken before the delete still sees the old file
            TakeLease();
        }
        catch (AuditLogException error)
        {
            _diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.RotationFailed, Path,
                $"Lines written to '{Path}' after another tool deleted it could not be carried into the new file: {error.Message}", Exception: error));
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

    /// <summary>Takes a lease (<see cref="AppendLease"/>) and makes sure this writer appends to the file now at the log's path, its last line whole.</summary>
    private void TakeLease()
    {
        while (true)
        {
            _lease.Take();
            bool tailTorn;
            try
            {
                _activeSize = CurrentFile(out tailTorn).Size;
            }
            catch
            {
                _lease.End();
                throw;
            }
            if (!tailTorn) break;
            // Another writer's lease may cover a write in progress; only with every lease ended is the tail really torn.
            _lease.End();
            RepairTornTail();
        }
        _lease.ArmIdleEnd();
    }

    private void RepairTornTail()
    {
        try
        {
            if (_rotation.TerminateTornTail())
                _diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.TornTailRepaired, Path,
                    $"The last line of '{Path}' was torn (no final newline, as after a crash); it was terminated so new events start on their own line."));
        }
        catch (IOException error)
        {
            throw new AuditLogException(Path, $"The audit log '{Path}' cannot be opened for writing: {error.Message}", error);
        }
    }

    /// <summary>The lease's idle timer: a writer that stopped appending gives up its lease, so a sealer can go on. Never throws.</summary>
    private void EndIdleLease()
    {
        lock (_writeLock)
        {
            if (!_disposed) _lease.EndIfIdle();
        }
    }

    /// <summary>
    /// The active file as it is now, (re)opening it when this writer has none yet or its file was
    /// rotated or replaced. Called under the write lock and the shared append lock.
    /// <paramref name="tailTorn"/> says that the file's last line lacks its newline.
    /// </summary>
    private FileIdentity CurrentFile(out bool tailTorn)
    {
        tailTorn = false;
        try
        {
            if (_file is not null && NativeFile.IdentityOf(Path) is { } atPath && atPath.SameFileAs(_fileIdentity))
            {
                // Another process may have died inside a write since this writer last held the lock:
                // its fragment must not swallow this writer's next line.
                tailTorn = _file.EndsWithoutNewline(atPath.Size);
                return atPath;
            }

            var file = AppendOnlyFile.Open(Path);
            _readableByOthers.CheckOnce(file);
            tailTorn = file.EndsWithoutNewline();
            _sealing.FileOpened(file);
            // The original's rotation deletes the file after reading it: what this writer (or another
            // process) appended in between is only in the deleted file until carried into the new one.
            if (_file is not null) StrandedLines.Carry(_files, _file.Handle, file, _diagnostics);
            _ledger.SwitchTo(file);
            _file = file;
            _fileIdentity = file.Identity;
            return _fileIdentity;
        }
        catch (IOException error)
        {
            throw new AuditLogException(Path, $"The audit log '{Path}' cannot be opened for writing: {error.Message}", error);
        }
    }

    /// <summary>
    /// The interval timer: seals an idle active file when its interval ends, so that no event waits unsealed
    /// longer than an interval because no later one came. Never throws (Seal reports failures).
    /// </summary>
    private void SealAtIntervalEnd()
    {
        lock (_writeLock)
        {
            if (_disposed || !_sealing.IntervalSealIsDue(_activeSize)) return;
            _lease.EndIfHeld(); // sealing takes the append lock exclusive
            Seal();
            _sealing.IntervalSealed();
        }
    }

    /// <summary>
    /// Appends one line. Writers of other processes append under their own leases at the same time;
    /// one that dies inside a write leaves a fragment without its newline, which the line written
    /// next would extend. So when the file grew by more than this line since this writer last knew
    /// its size, the byte before the line is checked, and a line that landed on a fragment is
    /// written again on a line of its own: the glued copy reads as one damaged line, the event once.
    /// The check costs one lseek per append, and one 1-byte read only when another writer came between.
    /// </summary>
    private void Write(ReadOnlySpan<byte> line)
    {
        try
        {
            var end = _file!.Append(line);
            var expected = _activeSize + line.Length;
            _activeSize = end ?? expected;
            if (end is { } landed && landed != expected && !_file.StartsALine(landed - line.Length))
            {
                var again = new byte[line.Length + 1];
                again[0] = (byte)'\n';
                line.CopyTo(again.AsSpan(1));
                _activeSize = _file.Append(again) ?? _activeSize + again.Length;
                _diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.TornTailRepaired, Path,
                    $"Another writer of '{Path}' died inside a write and left a fragment that this writer's event was appended to; the event was written again on a line of its own, and the fragment with the first copy reads as one damaged line."));
            }
        }
        catch (IOException error)
        {
            throw new AuditLogException(Path, $"The event could not be written to '{Path}': {error.Message}", error);
        }
    }

    /// <summary>Seals the full active file. A failure is reported and pauses rotation; the event is still written.</summary>
    private void Seal()
    {
        try
        {
            if (_rotation.Seal(_sealing.SealAtLeast(_activeSize)) is not null)
            {
                _sealing.Sealed();
                _sealed();
            }
        }
        catch (SealDeferredException deferred)
        {
            _sealing.Deferred(deferred);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            _sealing.Failed(error);
        }
    }
}
