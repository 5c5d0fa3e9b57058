using System.Buffers;

namespace ScoutAudit.Core;

/// <summary>
/// Appends events to the active file: one complete line per write call, thread-safe, synced as the
/// <see cref="SyncPolicy"/> says. Concurrent appends that need a sync share one (group commit): a sync
/// covers every line written before it started.
/// <para>
/// Appends happen under a lease: the log's append lock held shared for at most
/// <see cref="LeaseDuration"/> or <see cref="LeaseAppends"/> appends, whichever ends first (a timer
/// ends an idle lease). Taking a lease checks that the handle still refers to the file at the log's
/// path (a rotation, here or in another process, renames it) and reopens the path if not. A sealer
/// waits at most one lease; the lease spares every append the lock and identity system calls.
/// The file is sealed first when it has reached the rotation size. See <see cref="LogRotation"/>.
/// </para>
/// <para>
/// Taking a lease also checks that the lock files are still those this writer holds: a log whose
/// directory was deleted (a test's cleanup, a cleanup job) is made again, directory and lock files,
/// and written as a new log, with one report that its earlier files are gone.
/// </para>
/// </summary>
internal sealed class AuditLogWriter : IDisposable
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_line;

    private static readonly TimeSpan RotationBackOff = TimeSpan.FromMinutes(1);

    /// <summary>Longest a writer holds the append lock without giving a sealer its turn.</summary>
    internal static readonly TimeSpan LeaseDuration = TimeSpan.FromMilliseconds(2);

    /// <summary>Most appends under one lease.</summary>
    internal const int LeaseAppends = 256;

    private readonly LogFiles _files;
    private readonly AuditLogOptions _options;
    private readonly TimeProvider _time;
    private readonly IAuditDiagnostics _diagnostics;
    private readonly LogRotation _rotation;
    private readonly Action _sealed;
    private CrossProcessLock _appendLock;
    private CrossProcessLock _sealIntent;
    private readonly ITimer _leaseEnd;
    private readonly ITimer? _intervalEnd;
    private readonly object _writeLock = new();
    private AppendOnlyFile? _file;
    private FileIdentity _fileIdentity;
    private readonly SyncLedger _ledger;
    private readonly SyncStrategy _sync;
    private DateTimeOffset _rotationPausedUntil;
    private bool _leased;
    private long _leaseTakenAt;
    private int _leaseAppends;
    private long _activeSize;

    /// <summary>With a rotation interval: when the interval of the active file's oldest line ends (null: the file holds no line yet).</summary>
    private DateTimeOffset? _intervalEndsAt;
    private bool _disposed;
    private bool _toldReadableByOthers;

    /// <summary>The processes (ids) a seal last waited for, so that the warning is said once while they hold the file.</summary>
    private string? _sealDeferredBy;

    private AuditLogWriter(LogFiles files, AuditLogOptions options, LogRotation rotation, Action onSealed, CrossProcessLock appendLock, CrossProcessLock sealIntent)
    {
        _files = files;
        _options = options;
        _time = options.Time;
        _diagnostics = options.Diagnostics;
        _rotation = rotation;
        _sealed = onSealed;
        _appendLock = appendLock;
        _sealIntent = sealIntent;
        _ledger = new SyncLedger(files.Active, options);
        _leaseEnd = _time.CreateTimer(_ => EndIdleLease(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (options.RotationInterval != RotationInterval.None)
            _intervalEnd = _time.CreateTimer(_ => SealAtIntervalEnd(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _sync = SyncStrategy.For(_ledger, options, files.Active);
    }

    /// <summary>
    /// Prepares appending: creates the directory (0700) when missing and opens the append lock.
    /// The active file itself is opened (0600) by the first append. <paramref name="onSealed"/> is
    /// called after this writer sealed the active file, to archive it in the background.
    /// </summary>
    public static AuditLogWriter Open(LogFiles files, AuditLogOptions options, LogRotation rotation, Action onSealed)
    {
        try
        {
            OwnerOnly.CreateDirectory(files.Directory);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new AuditLogException(files.Active, $"The audit log '{files.Active}' cannot be opened for writing: {error.Message}", error);
        }
        if (FileSafety.WhyShared(files.Directory, forWriting: true) is { } shared)
        {
            if (!options.AllowSharedDirectory)
                throw new AuditLogException(files.Active, $"The audit log '{files.Active}' is not written: its directory '{files.Directory}' is not yours alone ({shared}), " +
                    "and whoever may change it may put a link or a file of theirs in place of the log's files between two writes. Keep the log in a directory only you may write, " +
                    "or allow this one knowingly (Set-ScoutAuditLog -AllowSharedDirectory; about_ScoutAuditSecurity).", new UnsafeFileException(files.Directory, shared));
            options.Diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.SharedDirectory, files.Active,
                $"The audit log '{files.Active}' is written in a directory that is not yours alone: '{files.Directory}' ({shared}). It is allowed for this log (-AllowSharedDirectory)."));
        }
        CrossProcessLock? appendLock = null;
        try
        {
            appendLock = CrossProcessLock.Open(files.AppendLock, options.LockWaitLimit);
            return new AuditLogWriter(files, options, rotation, onSealed, appendLock, CrossProcessLock.Open(files.SealIntent, options.LockWaitLimit));
        }
        catch (UnsafeFileException error)
        {
            appendLock?.Dispose();
            throw new AuditLogException(files.Active, $"The audit log '{files.Active}' cannot be opened for writing: {error.Message}", error);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            appendLock?.Dispose();
            throw new AuditLogException(files.Active, CannotOpenLocks(files, error), error);
        }
    }

    /// <summary>
    /// Why the lock files could not be opened, said of the log: they are the first files a writer makes
    /// beside it, so when they are missing the fault is the directory's (read-only, immutable, or a file
    /// system such as /proc that makes no files), and naming a lock file the user never asked for would
    /// only puzzle. Existing lock files that cannot be opened (a read-only file system) are named.
    /// The inner exception keeps the call that failed.
    /// </summary>
    private static string CannotOpenLocks(LogFiles files, Exception error)
    {
        var reason = error.InnerException is System.ComponentModel.Win32Exception system ? system.Message : error.Message;
        return File.Exists(files.AppendLock) && File.Exists(files.SealIntent)
            ? $"The audit log '{files.Active}' cannot be opened for writing: its lock files '{files.AppendLock}' and '{files.SealIntent}' cannot be opened ({reason})."
            : $"The audit log '{files.Active}' cannot be opened for writing: no file can be created in '{files.Directory}' ({reason}).";
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
    public void Append(AuditEvent auditEvent)
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
                if (_leased && LeaseIsOver()) EndLease();
                if (!_leased) TakeLease();
                if (!IsFull())
                {
                    Write(line.WrittenSpan);
                    if (_intervalEnd is not null && _intervalEndsAt is null) StartInterval(_time.GetUtcNow());
                    _leaseAppends++;
                    sequence = _ledger.NextLine();
                    break;
                }
                EndLease(); // sealing takes the append lock exclusive
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
            _leaseEnd.Dispose();
            _intervalEnd?.Dispose();
            try
            {
                _ledger.SyncAll();
                _sync.Finish(null);
                if (AtRiskLines is > 0 and var atRisk)
                    throw new AuditLogException(Path,
                        $"{atRisk} line{(atRisk == 1 ? "" : "s")} written to '{Path}' before a sync that failed may not be on disk: after a failed sync the system may drop written data and report success later, so no later sync vouches for them. Check the log with Test-ScoutAuditLog and keep the events elsewhere if they matter.");
            }
            catch (AuditLogException error)
            {
                _sync.Finish(error);
                throw;
            }
            finally
            {
                if (_leased) EndLease();
                _file?.Dispose();
                _appendLock.Dispose();
                _sealIntent.Dispose();
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
            if (_leased) EndLease(); // a lease taken before the delete still sees the old file
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

    /// <summary>
    /// Takes the append lock shared (passing the seal-intent lock, so a waiting sealer goes first)
    /// and makes sure this writer appends to the file now at the log's path.
    /// </summary>
    private void TakeLease()
    {
        while (true)
        {
            try
            {
                using (_sealIntent.Acquire(exclusive: false)) _appendLock.Take(exclusive: false);
            }
            catch (IOException error)
            {
                throw new AuditLogException(Path, $"The audit log '{Path}' cannot be locked for appending: {error.Message}", error);
            }
            _leased = true;
            _leaseTakenAt = _time.GetTimestamp();
            _leaseAppends = 0;
            if (!LocksAreAtTheirPaths())
            {
                EndLease();
                ReopenDeletedLocks();
                continue;
            }
            bool tailTorn;
            try
            {
                _activeSize = CurrentFile(out tailTorn).Size;
            }
            catch
            {
                EndLease();
                throw;
            }
            if (!tailTorn) break;
            // Another writer's lease may cover a write in progress; only with every lease ended is the tail really torn.
            EndLease();
            RepairTornTail();
        }
        _leaseEnd.Change(LeaseDuration, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Whether the append lock this writer holds is the file at its path (called under the lease).</summary>
    private bool LocksAreAtTheirPaths()
    {
        try
        {
            return _appendLock.IsAt(_files.AppendLock);
        }
        catch (IOException error)
        {
            EndLease();
            throw new AuditLogException(Path, $"The audit log '{Path}' cannot be opened for writing: {error.Message}", error);
        }
    }

    /// <summary>
    /// The lock files were deleted, with the log's directory or on their own (ScoutAudit never deletes
    /// them): this writer's locks no longer exclude a writer or sealer that opened the files now at
    /// their paths. Makes the directory again when it is gone (owner-only, as for a new log), opens the
    /// lock files there, and reports it once. The active file follows with the lease (CurrentFile).
    /// </summary>
    private void ReopenDeletedLocks()
    {
        var directoryWasGone = !Directory.Exists(_files.Directory);
        CrossProcessLock? appendLock = null;
        try
        {
            OwnerOnly.CreateDirectory(_files.Directory);
            appendLock = CrossProcessLock.Open(_files.AppendLock, _options.LockWaitLimit);
            var sealIntent = CrossProcessLock.Open(_files.SealIntent, _options.LockWaitLimit);
            _appendLock.Dispose();
            _sealIntent.Dispose();
            (_appendLock, _sealIntent) = (appendLock, sealIntent);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            appendLock?.Dispose();
            throw new AuditLogException(Path, $"The audit log '{Path}' cannot be opened for writing again after its files were deleted: {error.Message}", error);
        }
        _diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.LogFilesDeleted, Path, directoryWasGone
            ? $"The directory '{_files.Directory}' of the audit log '{Path}' was deleted since this process last wrote to it, and its earlier files are gone with it. It was made again (readable by its owner only) and the log is written anew from this event on."
            : $"The lock files of the audit log '{Path}' were deleted since this process last wrote to it (with the log's directory, made again by another process, or on their own): if the directory went, the log's earlier files are gone. This process writes on with the new lock files."));
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

    private bool LeaseIsOver() => _leaseAppends >= LeaseAppends || _time.GetElapsedTime(_leaseTakenAt) >= LeaseDuration;

    /// <summary>Called under the write lock.</summary>
    private void EndLease()
    {
        _leased = false;
        try
        {
            _appendLock.Release();
        }
        catch (IOException error)
        {
            _diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.RotationFailed, Path, $"The append lock of '{Path}' could not be released: {error.Message}", Exception: error));
        }
    }

    /// <summary>The timer: a writer that stopped appending gives up its lease, so a sealer can go on. Never throws.</summary>
    private void EndIdleLease()
    {
        lock (_writeLock)
        {
            if (!_leased || _disposed) return;
            // The clock is read once: read twice, a thread descheduled in between saw a lease not yet
            // over, then a negative time left, which Timer.Change throws on (a crash in a timer callback).
            var left = LeaseDuration - _time.GetElapsedTime(_leaseTakenAt);
            if (left <= TimeSpan.Zero) EndLease();
            else _leaseEnd.Change(left, Timeout.InfiniteTimeSpan);
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
            ReportIfReadableByOthers(file);
            tailTorn = file.EndsWithoutNewline();
            if (_intervalEnd is not null)
            {
                _intervalEndsAt = null;
                if (file.Identity.Size > 0) StartInterval(OldestLineTime(file));
            }
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
    /// Says once per writer that the active file may be read by group or others. Their read permission
    /// is left as it is: the owner may have given it on purpose (a log shipper's group), and the
    /// original creates the file so under umask 022; their write permission was already taken away
    /// (<see cref="FileSafety.RequireWritable"/>).
    /// </summary>
    private void ReportIfReadableByOthers(AppendOnlyFile file)
    {
        if (OperatingSystem.IsWindows() || _toldReadableByOthers) return;
        var status = NativeFile.StatusOf(file.Handle);
        if ((status.Mode & FileSafety.ReadableByOthers) == 0) return;
        _toldReadableByOthers = true;
        _diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.LogReadableByOthers, Path,
            $"The audit log '{Path}' may be read by {((status.Mode & UnixFileMode.OtherRead) != 0 ? "every user" : "its group")} (mode {status.ModeText}): " +
            $"its events, costs and reasons are theirs to read. 'chmod 600 {Path}' makes it yours alone (ScoutAudit makes its own files so)."));
    }

    private bool IsFull() =>
        ((_options.RotationSize is { } limit && _activeSize >= limit) || IntervalIsOver()) && _time.GetUtcNow() >= _rotationPausedUntil;

    private bool IntervalIsOver() => _activeSize > 0 && _intervalEndsAt is { } end && _time.GetUtcNow() >= end;

    /// <summary>Starts the interval of the active file's oldest line, and arms the timer that seals it when it ends.</summary>
    private void StartInterval(DateTimeOffset oldest)
    {
        var end = _options.RotationInterval.Next(oldest);
        _intervalEndsAt = end;
        var due = end - _time.GetUtcNow();
        _intervalEnd!.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// The timer: seals an idle active file when its interval ends, so that no event waits unsealed
    /// longer than an interval because no later one came. Never throws (Seal reports failures).
    /// </summary>
    private void SealAtIntervalEnd()
    {
        lock (_writeLock)
        {
            if (_disposed || !IntervalIsOver() || _time.GetUtcNow() < _rotationPausedUntil) return;
            if (_leased) EndLease(); // sealing takes the append lock exclusive
            Seal();
            _intervalEndsAt = null; // the next lease finds the new active file and starts its interval
        }
    }

    /// <summary>The time of the file's first line, or now when it has none that reads in its first 4 KiB (called with a file just opened).</summary>
    private DateTimeOffset OldestLineTime(AppendOnlyFile file)
    {
        var start = new byte[4096];
        var read = file.ReadAt(start, 0);
        var end = start.AsSpan(0, read).IndexOf((byte)'\n');
        // Any JSON form the original reads (another tool may have written the first line), not only its own header.
        return end > 0 && AuditLineParser.TryParse(start.AsSpan(0, end), out var first, out _) ? first!.Timestamp : _time.GetUtcNow();
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
            // An interval seals whatever the size; the size limit is checked again under the lock, where another writer may have sealed first.
            if (_rotation.Seal(IntervalIsOver() ? null : _options.RotationSize) is not null)
            {
                _sealDeferredBy = null;
                _sealed();
            }
        }
        catch (SealDeferredException deferred)
        {
            // Looked for again after the back-off; said once for as long as the same processes hold the file.
            _rotationPausedUntil = _time.GetUtcNow() + RotationBackOff;
            var holders = string.Join(",", deferred.Writers.Select(w => w.ProcessId));
            if (holders == _sealDeferredBy) return;
            _sealDeferredBy = holders;
            _diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.RotationFailed, Path, deferred.Message, Exception: deferred));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            _rotationPausedUntil = _time.GetUtcNow() + RotationBackOff;
            _diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.RotationFailed, Path,
                $"'{Path}' could not be rotated; it goes on growing, and rotation is tried again in {RotationBackOff.TotalMinutes:0} minute(s): {error.Message}", Exception: error));
        }
    }
}
