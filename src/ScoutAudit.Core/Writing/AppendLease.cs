namespace ScoutAudit.Core;

/// <summary>
/// A writer's hold on the log's append lock: held shared for at most <see cref="Duration"/> or
/// <see cref="MostAppends"/> appends, whichever ends first, and given up by a timer when the
/// writer goes idle. A sealer takes the seal-intent lock and then the append lock exclusive
/// (<see cref="LogRotation"/>), so it waits at most one lease, and the lease spares every append
/// the lock system calls. Taking a lease passes the seal-intent lock, so a waiting sealer goes first.
/// <para>
/// Taking a lease also checks that the lock files are still those this writer holds: when they
/// were deleted (with the log's directory, or on their own) the directory and lock files are made
/// again and reported once.
/// </para>
/// <para>
/// No lock of its own: every member is called under the writer's write lock, which guards
/// <c>_appendLock</c>, <c>_sealIntent</c>, <c>_held</c>, <c>_takenAt</c> and <c>_appends</c>;
/// the idle timer's callback takes that lock before it calls <see cref="EndIfIdle"/>.
/// </para>
/// </summary>
internal sealed class AppendLease : IDisposable
{
    /// <summary>Longest a writer holds the append lock without giving a sealer its turn.</summary>
    internal static readonly TimeSpan Duration = TimeSpan.FromMilliseconds(2);

    /// <summary>Most appends under one lease.</summary>
    internal const int MostAppends = 256;

    private readonly LogFiles _files;
    private readonly AuditLogOptions _options;
    private readonly TimeProvider _time;
    private readonly ITimer _idleEnd;
    private CrossProcessLock _appendLock;
    private CrossProcessLock _sealIntent;
    private bool _held;
    private long _takenAt;
    private int _appends;

    private AppendLease(LogFiles files, AuditLogOptions options, CrossProcessLock appendLock, CrossProcessLock sealIntent, Action onIdle)
    {
        _files = files;
        _options = options;
        _time = options.Time;
        _appendLock = appendLock;
        _sealIntent = sealIntent;
        _idleEnd = _time.CreateTimer(_ => onIdle(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Opens the log's lock files (the directory exists). <paramref name="onIdle"/> is the idle
    /// timer's callback: it takes the writer's write lock and calls <see cref="EndIfIdle"/>.
    /// </summary>
    /// <exception cref="AuditLogException">A lock file cannot be opened or made.</exception>
    public static AppendLease Open(LogFiles files, AuditLogOptions options, Action onIdle)
    {
        CrossProcessLock? appendLock = null;
        try
        {
            appendLock = CrossProcessLock.Open(files.AppendLock, options.LockWaitLimit);
            return new AppendLease(files, options, appendLock, CrossProcessLock.Open(files.SealIntent, options.LockWaitLimit), onIdle);
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

    private string Path => _files.Active;

    public bool Held => _held;

    /// <summary>The lease has had its appends or its time: the writer ends it and takes a new one.</summary>
    public bool IsOver => _appends >= MostAppends || _time.GetElapsedTime(_takenAt) >= Duration;

    public void CountAppend() => _appends++;

    /// <summary>Takes the append lock shared, after making the lock files again if they were deleted.</summary>
    /// <exception cref="AuditLogException">The lock cannot be taken, or its files cannot be made again.</exception>
    public void Take()
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
            _held = true;
            _takenAt = _time.GetTimestamp();
            _appends = 0;
            if (LocksAreAtTheirPaths()) return;
            End();
            ReopenDeletedLocks();
        }
    }

    /// <summary>Starts the idle timer: called once the writer has made sure of the file it appends to.</summary>
    public void ArmIdleEnd() => _idleEnd.Change(Duration, Timeout.InfiniteTimeSpan);

    public void End()
    {
        _held = false;
        try
        {
            _appendLock.Release();
        }
        catch (IOException error)
        {
            _options.Diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.RotationFailed, Path, $"The append lock of '{Path}' could not be released: {error.Message}", Exception: error));
        }
    }

    public void EndIfHeld()
    {
        if (_held) End();
    }

    /// <summary>The idle timer's work: a writer that stopped appending gives up its lease, so a sealer can go on. Never throws.</summary>
    public void EndIfIdle()
    {
        if (!_held) return;
        // The clock is read once: read twice, a thread descheduled in between saw a lease not yet
        // over, then a negative time left, which Timer.Change throws on (a crash in a timer callback).
        var left = Duration - _time.GetElapsedTime(_takenAt);
        if (left <= TimeSpan.Zero) End();
        else _idleEnd.Change(left, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The writer closes: the idle timer fires no more (the lease itself may still be taken and ended).</summary>
    public void StopIdleTimer() => _idleEnd.Dispose();

    /// <summary>Closes the lock files (the lease ended).</summary>
    public void Dispose()
    {
        _appendLock.Dispose();
        _sealIntent.Dispose();
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
            End();
            throw new AuditLogException(Path, $"The audit log '{Path}' cannot be opened for writing: {error.Message}", error);
        }
    }

    /// <summary>
    /// The lock files were deleted, with the log's directory or on their own (ScoutAudit never deletes
    /// them): this writer's locks no longer exclude a writer or sealer that opened the files now at
    /// their paths. Makes the directory again when it is gone (owner-only, as for a new log), opens the
    /// lock files there, and reports it once. The active file follows with the lease (the writer's CurrentFile).
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
        _options.Diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.LogFilesDeleted, Path, directoryWasGone
            ? $"The directory '{_files.Directory}' of the audit log '{Path}' was deleted since this process last wrote to it, and its earlier files are gone with it. It was made again (readable by its owner only) and the log is written anew from this event on."
            : $"The lock files of the audit log '{Path}' were deleted since this process last wrote to it (with the log's directory, made again by another process, or on their own): if the directory went, the log's earlier files are gone. This process writes on with the new lock files."));
    }
}
