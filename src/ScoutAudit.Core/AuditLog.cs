namespace ScoutAudit.Core;

/// <summary>
/// One Scout audit log: the active file <c>&lt;dir&gt;/&lt;stem&gt;.jsonl</c> and its archives beside it.
/// Appends go through one writer opened on first use; queries stream the whole history, oldest
/// first. Thread-safe, and safe with other processes appending and rotating the same log
/// (see <see cref="LogRotation"/>). Dispose syncs and closes.
/// <para>The one public door to a log, and so one file over 300 lines of mostly documentation: each
/// member hands the work to the part that does it (<see cref="AuditLogWriter"/>, <see cref="HistoryReader"/>,
/// <see cref="LastEvents"/>, <see cref="LogRotation"/>, <see cref="ArchiveUpkeep"/>, <see cref="BackgroundArchiver"/>, <see cref="LogVerifier"/>).</para>
/// </summary>
public sealed class AuditLog : IDisposable
{
    private readonly object _openLock = new();
    private readonly LogFiles _files;
    private readonly LogRotation _rotation;
    private readonly ArchiveUpkeep _upkeep;
    private readonly BackgroundArchiver _archiver;
    private readonly HistoryReader _history;
    private AuditLogWriter? _writer;
    private bool _disposed;

    /// <param name="path">The active file, such as <c>~/.scout/audit.jsonl</c> (already expanded).</param>
    /// <param name="options">Sync policy, rotation size, diagnostics and clock; the original's defaults when null.</param>
    public AuditLog(string path, AuditLogOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(Path))
            throw new ArgumentException($"The audit log path '{Path}' is a directory; give the path of a .jsonl file.", nameof(path));
        Options = options ?? AuditLogOptions.Default;
        _files = new LogFiles(Path);
        _rotation = new LogRotation(_files, Options);
        _upkeep = new ArchiveUpkeep(_files, Options);
        _archiver = new BackgroundArchiver(Path, _rotation, _upkeep, Options);
        _history = new HistoryReader(_files, _upkeep, Options);
    }

    /// <summary>The default log: <c>$SCOUT_AUDIT_PATH</c>, else <c>~/.scout/audit.jsonl</c>.</summary>
    public static string DefaultPath =>
        Environment.GetEnvironmentVariable("SCOUT_AUDIT_PATH") is { Length: > 0 } configured
            ? configured
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".scout", "audit.jsonl");

    /// <summary>The active file's full path.</summary>
    public string Path { get; }

    public AuditLogOptions Options { get; }

    /// <summary>Lines this process wrote that are not yet known to be on stable storage.</summary>
    public long UnsyncedLines => Volatile.Read(ref _writer)?.UnsyncedLines ?? 0;

    /// <summary>Lines this log's writer wrote before a sync that failed: no later sync vouches for them (see Close).</summary>
    public long AtRiskLines => Volatile.Read(ref _writer)?.AtRiskLines ?? 0;

    /// <summary>
    /// Whether there is anything to read: the active file, a sealed segment or an archive. Touches no
    /// file; a query of a log without any reads as empty, so a caller can tell a mistyped path apart.
    /// </summary>
    public bool HasFiles => _files.AnyExist;

    /// <summary>Size of the active file in bytes (0 when it does not exist).</summary>
    public long ActiveFileSize => new FileInfo(Path) is { Exists: true } active ? active.Length : 0;

    /// <summary>
    /// Appends one event as one line, rotating first when the active file has reached the rotation size.
    /// Secrets in its config and extra fields are redacted first unless <see cref="AuditLogOptions.RedactSecrets"/> is off.
    /// </summary>
    /// <exception cref="ArgumentException">The event cannot be written as it is; nothing was written.</exception>
    /// <exception cref="AuditLogException">The log cannot be written; nothing of the event stays in it.</exception>
    public void Append(LogEvent auditEvent) => Append(auditEvent, Options.RedactSecrets);

    /// <summary>
    /// Appends one event as one line, with its secrets redacted (<see cref="SecretRedactor"/>) when
    /// <paramref name="redactSecrets"/> is true, and returns the event as written.
    /// </summary>
    /// <exception cref="ArgumentException">The event cannot be written as it is; nothing was written.</exception>
    /// <exception cref="AuditLogException">The log cannot be written; nothing of the event stays in it.</exception>
    public LogEvent Append(LogEvent auditEvent, bool redactSecrets)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        var written = redactSecrets ? SecretRedactor.Redact(auditEvent) : auditEvent;
        Writer().Append(written);
        return written;
    }

    /// <summary>Syncs every line written so far to stable storage.</summary>
    public void Flush() => Volatile.Read(ref _writer)?.Flush();

    /// <summary>
    /// Rotates now: seals the active file and archives it (and finishes any interrupted rotation).
    /// Returns the new archive, or null when the active file was empty.
    /// </summary>
    /// <exception cref="AuditLogException">Sealing or archiving failed (a full disk, a read-only directory); no event was lost.</exception>
    public ArchiveDescription? Rotate(CancellationToken cancellation = default) => Rotate(_ => true, cancellation).Archive;

    /// <summary>
    /// Rotates now, as <see cref="Rotate(CancellationToken)"/> does, and then removes the archives the
    /// log's retention (<see cref="AuditLogOptions.Retention"/>) no longer keeps as far as
    /// <paramref name="shouldRemove"/> agrees, each removal recorded in the chain. An archive declined
    /// stays until the next rotation asks again. Returns the new archive (null when the active file
    /// was empty) and the archives removed.
    /// </summary>
    /// <exception cref="AuditLogException">Sealing, archiving or a removal failed (a full disk, a read-only directory); no event was lost.</exception>
    public RotationResult Rotate(Func<ArchiveDescription, bool> shouldRemove, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(shouldRemove);
        if (!HasFiles) return new(null, []); // no log yet: nothing to rotate, and no lock file to create for it
        var (sealedName, removed) = ChangeFiles(() =>
        {
            var writer = Volatile.Read(ref _writer);
            var writtenBefore = writer?.WrittenLines ?? 0; // these lines are in the file the seal syncs
            var sealedName = _rotation.Seal(minimumSize: null);
            if (sealedName is not null) writer?.CoveredBySeal(writtenBefore);
            return (sealedName, _archiver.RunNow(shouldRemove, cancellation));
        }, $"Rotating '{Path}' failed; no event was lost, and what was sealed stays readable and is archived by the next rotation or open");
        var archive = sealedName is null ? null : Archives().FirstOrDefault(a => System.IO.Path.GetFileName(a.Path) == sealedName + ArchiveName.ArchiveSuffix);
        return new(archive, removed);
    }

    /// <summary>
    /// The archives the log's retention would remove if the log were rotated now (oldest first), counting
    /// the archive the rotation would make when the active file holds anything: what
    /// <see cref="Rotate(Func{ArchiveDescription, bool}, CancellationToken)"/> would ask about, for a
    /// rotation that is only described (-WhatIf). Reads only.
    /// </summary>
    public IReadOnlyList<ArchiveDescription> ArchivesRetentionWouldRemove()
    {
        if (Options.Retention is not { } retention) return [];
        var now = Options.Time.GetUtcNow();
        var archives = Archives().ToList();
        ArchiveDescription? next = null;
        if (ActiveFileSize > 0) archives.Add(next = new ArchiveDescription(Path, 0, now, now));
        return [.. ArchiveRetention.Select(archives, now - retention.MaxAge, retention.Keep, _files.Stem).Where(a => !ReferenceEquals(a, next))];
    }

    /// <summary>
    /// Verifies the log (see <see cref="LogVerifier"/>): the archive index's chain, with
    /// <paramref name="publicKey"/> its signatures, every archive, and every line of the sealed
    /// segments and the active file. Each problem goes to <paramref name="report"/> as it is found.
    /// Without an error, what was verified is recorded for the next verification to compare with,
    /// unless <paramref name="record"/> is false.
    /// </summary>
    public LogVerificationSummary Verify(ChainKey? publicKey, Action<IntegrityFinding> report, bool record = true, CancellationToken cancellation = default,
        string? statePath = null) =>
        Verify(publicKey, report, VerificationStateLocation(statePath), record, cancellation);

    /// <summary>
    /// <see cref="Verify(ChainKey?, Action{IntegrityFinding}, bool, CancellationToken, string?)"/> with its state
    /// at <paramref name="state"/> (see <see cref="VerificationStateLocation"/>).
    /// </summary>
    public LogVerificationSummary Verify(ChainKey? publicKey, Action<IntegrityFinding> report, StateLocation state, bool record = true,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new LogVerifier(_files, state, publicKey, report, cancellation).Verify(record);
    }

    /// <summary>
    /// Where a verification keeps its state: <paramref name="statePath"/> when given; else
    /// <c>&lt;active&gt;.verified</c> beside the log in a directory the caller owns, and in the caller's
    /// cache (<see cref="CallersCache"/>) when the directory is another user's, where a command that
    /// reads writes nothing; nowhere when that cache may not be used (<see cref="StateLocation.Note"/> says why).
    /// </summary>
    public StateLocation VerificationStateLocation(string? statePath = null) =>
        statePath is not null ? StateLocation.Given(statePath)
            : CallersCache.Locate(Path, _files.Verified, LogFileNames.VerifiedSuffix, "the verification state (what this verification saw, for the next one to compare with)");

    /// <summary>
    /// Starts or extends the chain over the archives that have no chained entry (the original's, or
    /// older than the chain), oldest first, each read whole first: one that is not a complete gzip
    /// stream is left out and reported. <paramref name="shouldAdopt"/> is asked for each.
    /// Returns the archives adopted.
    /// </summary>
    /// <exception cref="AuditLogException">The index could not be written.</exception>
    public IReadOnlyList<ArchiveDescription> Adopt(Func<ArchiveDescription, bool> shouldAdopt, Action<string, Exception> skipped, CancellationToken cancellation = default) =>
        ChangeFiles(() => _upkeep.Adopt(shouldAdopt, skipped, cancellation), $"Adding archives to the chain of '{Path}' failed");

    /// <summary>
    /// Removes archives (retention by hand): those whose newest event is before <paramref name="before"/>
    /// and that are not among the newest <paramref name="keep"/> (a null criterion does not restrict),
    /// as far as <paramref name="shouldRemove"/> agrees, oldest first. Each removal, with
    /// <paramref name="reason"/>, is recorded in the archive index's chain before the file goes, so
    /// that verification tells retention from deletion. Returns the archives removed.
    /// </summary>
    /// <exception cref="AuditLogException">An archive could not be removed or its removal recorded.</exception>
    public IReadOnlyList<ArchiveDescription> RemoveArchives(DateTimeOffset? before, int? keep, string reason, Func<ArchiveDescription, bool> shouldRemove, CancellationToken cancellation = default) =>
        ChangeFiles(() => _upkeep.Remove(before, keep, reason, shouldRemove, cancellation), RemovalFailed);

    /// <summary>
    /// Removes the archives named by <paramref name="archivePaths"/> (full paths; a path that is not one
    /// of the log's archives now is passed over), as far as <paramref name="shouldRemove"/> agrees, oldest
    /// first, each removal recorded in the chain as <see cref="RemoveArchives(DateTimeOffset?, int?, string, Func{ArchiveDescription, bool}, CancellationToken)"/>
    /// records it. Returns the archives removed.
    /// </summary>
    /// <exception cref="AuditLogException">An archive could not be removed or its removal recorded.</exception>
    public IReadOnlyList<ArchiveDescription> RemoveArchives(IReadOnlySet<string> archivePaths, string reason, Func<ArchiveDescription, bool> shouldRemove, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(archivePaths);
        return ChangeFiles(() => _upkeep.Remove(Archives().Where(a => archivePaths.Contains(a.Path)), reason, shouldRemove, cancellation), RemovalFailed);
    }

    private string RemovalFailed => $"Removing archives of '{Path}' failed; the chain records each removal made before the failure";

    /// <summary>Runs a change to the log's files; a file system failure becomes an <see cref="AuditLogException"/> that begins with <paramref name="failed"/>.</summary>
    private T ChangeFiles<T>(Func<T> change, string failed)
    {
        try
        {
            return change();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException && error is not AuditLogException)
        {
            throw new AuditLogException(Path, $"{failed}: {error.Message}", error);
        }
    }

    /// <summary>The log's archives, oldest first.</summary>
    public IReadOnlyList<ArchiveDescription> Archives() => _upkeep.Archives();

    /// <summary>The events that pass <paramref name="filter"/>, oldest file first, in file order.</summary>
    public IEnumerable<LogEvent> Query(EventFilter? filter = null, CancellationToken cancellation = default) =>
        ReadHistory(filter ?? EventFilter.All, LineValues.Events, cancellation);

    /// <summary>What aggregates need of the events that pass the filter, read without building events; negative costs reported when <paramref name="sumsCost"/>.</summary>
    private IEnumerable<EventSummary> Summaries(EventFilter filter, CancellationToken cancellation, bool sumsCost) =>
        ReadHistory(filter, sumsCost ? LineValues.CostSummaries : LineValues.Summaries, cancellation);

    private IEnumerable<T> ReadHistory<T>(EventFilter filter, LineValues<T> values, CancellationToken cancellation)
    {
        using var snapshot = TakeSnapshot();
        _history.ReportAfterPastEnd(snapshot, filter);
        foreach (var item in _history.Read(snapshot, filter, values, lineNumbers: null, cancellation)) yield return item;
    }

    /// <summary>The files of the log now, opened: what one query reads (see <see cref="LogSnapshot"/>), as far as <see cref="AuditLogOptions.ReadsFile"/> says.</summary>
    internal LogSnapshot TakeSnapshot() => _history.TakeSnapshot();

    /// <summary>
    /// Why the log's directory may be changed by another user than its owner (writable by everyone, or
    /// by a group with other members, without the sticky bit), or null when it may not: then any of its
    /// files may have been put there by that user (about_ScoutAuditSecurity).
    /// </summary>
    public string? SharedDirectory() => FileSafety.WhyShared(_files.Directory, forWriting: false);

    /// <summary>
    /// The events of the snapshot that pass the filter, for a follower: <paramref name="lineNumbers"/>
    /// carries the active file's line count from one read to the next, and archives skipped for
    /// being at or before <see cref="EventFilter.After"/> are not reported (a follower skips them all, every time).
    /// </summary>
    internal IEnumerable<LogEvent> Query(LogSnapshot snapshot, EventFilter filter, LineNumbers lineNumbers, CancellationToken cancellation) =>
        _history.Read(snapshot, filter, LineValues.Events, lineNumbers, cancellation);

    /// <summary>The directory and file name stem of the log's files, for watching them.</summary>
    internal (string Directory, string Stem) Location => (_files.Directory, _files.Stem);

    /// <summary>
    /// The last <paramref name="count"/> events that pass the filter, oldest first (the original's
    /// <c>last_events</c>). The active file and sealed segments are read backwards from their end and
    /// archives (gzip reads forwards only) one by one from the newest, until enough are found: the
    /// cost follows <paramref name="count"/>, not the history. Problems are reported for what was read.
    /// </summary>
    public IReadOnlyList<LogEvent> Last(int count, EventFilter? filter = null, CancellationToken cancellation = default)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"The number of last events must be 1 or more; got {count}.");
        filter ??= EventFilter.All;
        using var snapshot = TakeSnapshot();
        _history.ReportAfterPastEnd(snapshot, filter);
        return Last(snapshot, count, filter, cancellation);
    }

    /// <summary>The last <paramref name="count"/> events of the snapshot that pass the filter, oldest first.</summary>
    internal IReadOnlyList<LogEvent> Last(LogSnapshot snapshot, int count, EventFilter filter, CancellationToken cancellation) =>
        LastEvents.Read(snapshot, count, filter, Options, cancellation);

    /// <summary>Spend in the window, computed while streaming; one row, or one per group.</summary>
    public IReadOnlyList<SpendTotals> Spend(EventFilter? filter = null, SpendGrouping? grouping = null, CancellationToken cancellation = default)
    {
        filter ??= EventFilter.All;
        var spend = new SpendCalculator(grouping, filter);
        foreach (var e in Summaries(filter, cancellation, sumsCost: true)) spend.Add(e);
        return spend.Result();
    }

    /// <summary>Navigation accuracy in the window (the original's <c>accuracy_metrics</c>).</summary>
    public AccuracyMetrics Accuracy(EventFilter? filter = null, CancellationToken cancellation = default)
    {
        filter ??= EventFilter.All;
        return AccuracyMetrics.Of(Summaries(filter, cancellation, sumsCost: false), filter);
    }

    /// <summary>Syncs and closes the writer, after waiting for background archiving. Queries still work afterwards; appends do not.</summary>
    /// <exception cref="AuditLogException">The final sync failed (the file is closed all the same).</exception>
    public void Close()
    {
        var writer = Detach();
        _archiver.Wait();
        writer?.Close();
    }

    /// <summary>Like <see cref="Close"/>; a failed final sync goes to the diagnostics listener instead of being thrown.</summary>
    public void Dispose()
    {
        var writer = Detach();
        _archiver.Wait();
        writer?.Dispose();
    }

    private AuditLogWriter? Detach()
    {
        lock (_openLock)
        {
            _disposed = true;
            var writer = _writer;
            _writer = null;
            return writer;
        }
    }

    private AuditLogWriter Writer()
    {
        var writer = Volatile.Read(ref _writer);
        if (writer is not null) return writer;
        lock (_openLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_writer is not null) return _writer;
            _writer = AuditLogWriter.Open(_files, Options, _rotation, _archiver.Schedule);
            // A rotation interrupted by a crash (here or in another process) is finished in the background.
            if (RotatedSegments.List(_files).Any(s => s.HasSealed || s.HasTemporary)) _archiver.Schedule();
            return _writer;
        }
    }
}
