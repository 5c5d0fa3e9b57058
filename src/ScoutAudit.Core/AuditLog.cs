namespace ScoutAudit.Core;

/// <summary>
/// One Scout audit log: the active file <c>&lt;dir&gt;/&lt;stem&gt;.jsonl</c> (and, with rotation,
/// its archives beside it). Appends go through one writer opened on first use; queries stream
/// the log's files in order. Thread-safe. Dispose syncs and closes.
/// </summary>
public sealed class AuditLog : IDisposable
{
    private readonly object _openLock = new();
    private AuditLogWriter? _writer;
    private bool _disposed;

    /// <param name="path">The active file, such as <c>~/.scout/audit.jsonl</c> (already expanded).</param>
    /// <param name="options">Sync policy, diagnostics and clock; the original's defaults when null.</param>
    public AuditLog(string path, AuditLogOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(Path))
            throw new ArgumentException($"The audit log path '{Path}' is a directory; give the path of a .jsonl file.", nameof(path));
        Options = options ?? AuditLogOptions.Default;
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

    /// <summary>Appends one event as one line.</summary>
    /// <exception cref="ArgumentException">The event cannot be written as it is; nothing was written.</exception>
    /// <exception cref="AuditLogException">The log cannot be written; nothing of the event stays in it.</exception>
    public void Append(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        Writer().Append(auditEvent);
    }

    /// <summary>Syncs every line written so far to stable storage.</summary>
    public void Flush() => Volatile.Read(ref _writer)?.Flush();

    /// <summary>The events that pass <paramref name="filter"/>, oldest file first, in file order.</summary>
    public IEnumerable<AuditEvent> Query(EventFilter? filter = null, CancellationToken cancellation = default)
    {
        filter ??= EventFilter.All;
        foreach (var segment in Segments())
        {
            foreach (var e in SegmentReader.Read(segment, Options.Diagnostics, cancellation))
            {
                if (filter.Matches(e)) yield return e;
            }
        }
    }

    /// <summary>The last <paramref name="count"/> events that pass the filter, oldest first (the original's <c>last_events</c>).</summary>
    public IReadOnlyList<AuditEvent> Last(int count, EventFilter? filter = null, CancellationToken cancellation = default)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"The number of last events must be 1 or more; got {count}.");
        var window = new Queue<AuditEvent>(Math.Min(count, 1024));
        foreach (var e in Query(filter, cancellation))
        {
            if (window.Count == count) window.Dequeue();
            window.Enqueue(e);
        }
        return window.ToArray();
    }

    /// <summary>Spend in the window, computed while streaming; one row, or one per group.</summary>
    public IReadOnlyList<SpendRow> Spend(EventFilter? filter = null, SpendGrouping grouping = SpendGrouping.None, CancellationToken cancellation = default)
    {
        filter ??= EventFilter.All;
        var spend = new SpendCalculator(grouping, filter);
        foreach (var e in Query(filter, cancellation)) spend.Add(e);
        return spend.Result();
    }

    /// <summary>Navigation accuracy in the window (the original's <c>accuracy_metrics</c>).</summary>
    public AccuracyReport Accuracy(EventFilter? filter = null, CancellationToken cancellation = default)
    {
        filter ??= EventFilter.All;
        long nav = 0, fails = 0;
        foreach (var e in Query(filter, cancellation))
        {
            if (e.Event == KnownEventTypes.Nav) nav++;
            else if (e.Event == KnownEventTypes.ValidationFail) fails++;
        }
        return AccuracyReport.From(nav, fails, filter);
    }

    /// <summary>Syncs and closes the writer. Queries still work afterwards; appends do not.</summary>
    /// <exception cref="AuditLogException">The final sync failed (the file is closed all the same).</exception>
    public void Close() => Detach()?.Close();

    /// <summary>Like <see cref="Close"/>; a failed final sync goes to the diagnostics listener instead of being thrown.</summary>
    public void Dispose() => Detach()?.Dispose();

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

    /// <summary>The files of the log, oldest first. Today the active file; archives join with rotation.</summary>
    private IEnumerable<string> Segments() => [Path];

    private AuditLogWriter Writer()
    {
        var writer = Volatile.Read(ref _writer);
        if (writer is not null) return writer;
        lock (_openLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _writer ??= AuditLogWriter.Open(Path, Options.SyncPolicy, Options.Time, Options.Diagnostics);
        }
    }
}
