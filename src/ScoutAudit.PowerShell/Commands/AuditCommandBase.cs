using System.Management.Automation;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Session;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// What every ScoutAudit cmdlet shares: resolving -Path through PowerShell's providers, a
/// cancellation token that <see cref="StopProcessing"/> cancels (Ctrl+C, Select-Object -First),
/// and turning Core's exceptions and diagnostics into PowerShell's errors, warnings and verbose
/// messages on the pipeline thread.
/// </summary>
public abstract partial class AuditCommandBase : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled when the pipeline stops; passed to every streaming Core call.</summary>
    protected CancellationToken PipelineStopping => _stopping.Token;

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>
    /// The full file-system path of a log: relative to the current PowerShell location, <c>~</c>
    /// expanded, provider-qualified paths accepted. Null or empty means the default log
    /// (<c>$env:SCOUT_AUDIT_PATH</c>, else <c>~/.scout/audit.jsonl</c>). Anything else, an archive
    /// or another file of a log included, is a terminating error that names the path.
    /// </summary>
    private protected string ResolveLogPath(string? path) =>
        OnlyALog(string.IsNullOrEmpty(path) ? DefaultLogs.GetOrAdd(AuditLog.DefaultPath, Resolve) : Resolve(path), path);

    /// <summary>
    /// The default log's full path when it is a file-system path, else null; unlike <see cref="ResolveLogPath"/>,
    /// never an error: for a command that only needs to know which file the default log is, not to use it.
    /// </summary>
    private protected string? DefaultLogPathIfAny()
    {
        if (DefaultLogs.TryGetValue(AuditLog.DefaultPath, out var known)) return known;
        try
        {
            var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(AuditLog.DefaultPath, out var provider, out _);
            return provider.Name == "FileSystem" ? System.IO.Path.GetFullPath(resolved) : null;
        }
        catch (Exception error) when (error is SessionStateException or ProviderInvocationException or ArgumentException or NotSupportedException or IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// The default log as first resolved for each value of <c>$env:SCOUT_AUDIT_PATH</c>: the original
    /// resolves a relative one once, when it starts, so a later Set-Location must not move the log.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> DefaultLogs = new(StringComparer.Ordinal);

    /// <summary>
    /// File-system paths already resolved, by the location they were resolved in and the path given:
    /// resolving through the providers costs about 40 µs, which a runbook's <c>foreach</c> of
    /// Write-ScoutAuditEvent would pay for every event. The location is part of the key, so a relative
    /// path still follows Set-Location; only resolutions to a file-system path are kept, and none of a
    /// drive-qualified path (<c>X:\log.jsonl</c>), whose drive may be removed and made anew elsewhere.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Location, string Given), string> Resolved = new();

    private string Resolve(string given)
    {
        var key = (SessionState.Path.CurrentLocation.Path, given);
        if (!Resolved.TryGetValue(key, out var resolved))
        {
            resolved = ResolveThroughProvider(given);
            if (Resolved.Count > 1024) Resolved.Clear(); // a script that makes paths as it goes: keep the cache small
            if (!given.Contains(':')) Resolved[key] = resolved;
        }
        if (Directory.Exists(resolved))
        {
            throw Terminate(
                new ArgumentException($"The audit log path '{given}' is a directory; give the path of a .jsonl file, such as '{System.IO.Path.Combine(resolved, "audit.jsonl")}'.", "Path"),
                ErrorIds.AuditLogPathIsDirectory, ErrorCategory.InvalidArgument, given);
        }
        return resolved;
    }

    private string ResolveThroughProvider(string given)
    {
        string resolved;
        ProviderInfo provider;
        try
        {
            resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(given, out provider, out _);
        }
        catch (Exception error) when (error is SessionStateException or ProviderInvocationException or ArgumentException or NotSupportedException or IOException)
        {
            throw Terminate(
                new ArgumentException($"The audit log path '{given}' cannot be resolved: {error.Message}", "Path", error),
                ErrorIds.AuditLogPathInvalid, ErrorCategory.InvalidArgument, given);
        }
        if (provider.Name != "FileSystem")
        {
            throw Terminate(
                new ArgumentException($"The audit log path '{given}' is in the {provider.Name} provider; an audit log is a file, so give a file-system path.", "Path"),
                ErrorIds.AuditLogPathNotFileSystem, ErrorCategory.InvalidArgument, given);
        }
        return System.IO.Path.GetFullPath(resolved);
    }

    /// <summary>
    /// An error record whose message is one line that says the value once: PowerShell shows
    /// ErrorDetails.Message in place of the exception's message, which for an ArgumentException ends
    /// with " (Parameter 'x')" in .NET's naming and for an ArgumentOutOfRangeException has a second
    /// line repeating the value. The exception itself is kept, with its ParamName and inner exception.
    /// </summary>
    private protected static ErrorRecord Failure(Exception error, string errorId, ErrorCategory category, object? target, string? message = null)
    {
        var record = new ErrorRecord(error, errorId, category, target);
        // What the host shows: a path, a process's command line or a line of the log in the message
        // reaches the terminal with its control and bidirectional characters made visible.
        var text = Inert(message ?? OneLine(error));
        if (text != error.Message) record.ErrorDetails = new ErrorDetails(text);
        return record;
    }

    /// <summary>
    /// Stops the command with the error record <see cref="Failure"/> makes: the one way every
    /// terminating error of the module is raised. ThrowTerminatingError never returns; this returns
    /// an exception only so that a call reads <c>throw Terminate(...)</c> and the compiler knows the
    /// path ends there.
    /// </summary>
    private protected Exception Terminate(Exception error, string errorId, ErrorCategory category, object? target, string? message = null)
    {
        ThrowTerminatingError(Failure(error, errorId, category, target, message));
        return new System.Diagnostics.UnreachableException();
    }

    /// <summary>An invalid argument, named as PowerShell's binder names one.</summary>
    private protected static string InvalidArgument(string parameter, Exception error) =>
        $"Cannot validate argument on parameter '{parameter}'. {OneLine(error)}";

    /// <summary>An exception's own message: its first line, without .NET's " (Parameter 'x')" suffix.</summary>
    internal static string OneLine(Exception error)
    {
        var text = error.Message;
        var lineEnd = text.AsSpan().IndexOfAny('\r', '\n');
        if (lineEnd >= 0) text = text[..lineEnd];
        if (error is ArgumentException { ParamName: { Length: > 0 } name })
        {
            var suffix = $" (Parameter '{name}')";
            if (text.EndsWith(suffix, StringComparison.Ordinal)) text = text[..^suffix.Length];
        }
        return text;
    }

    /// <summary>A time window; -Since after -Until is a terminating error.</summary>
    private protected EventFilter TimeWindow(DateTimeOffset? since, DateTimeOffset? until)
    {
        try
        {
            return new EventFilter { Since = since, Until = until };
        }
        catch (ArgumentException error)
        {
            throw Terminate(error, ErrorIds.InvalidTimeWindow, ErrorCategory.InvalidArgument, since, InvalidArgument("Since", error));
        }
    }

    /// <summary>A reader of the log whose problems land in <paramref name="diagnostics"/> and whose reads are counted in <paramref name="progress"/>. Opening one touches no file.</summary>
    private protected static AuditLog OpenForReading(string path, QueryDiagnostics diagnostics, QueryProgress progress) =>
        new(path, LogEntry.ReadOptions(diagnostics) with { ReadProgress = progress.Counter });

    /// <summary>
    /// Runs a Core query or aggregate on a worker thread while this, the pipeline thread, writes its
    /// progress and verbose messages: a stopped pipeline ends it quietly, an unreadable log is a
    /// terminating error, and skipped lines are reported once at the end.
    /// </summary>
    private protected T Read<T>(string path, string? givenPath, Func<AuditLog, T> query) => Read(new ReadTarget(path, path), givenPath, query, once: false);

    /// <summary>
    /// <see cref="Read{T}(string, string, Func{AuditLog, T})"/> of a log or an archive alone; with
    /// <paramref name="once"/>, the files this command read already are left out.
    /// </summary>
    private protected T Read<T>(ReadTarget target, string? givenPath, Func<AuditLog, T> query, bool once = true)
    {
        var path = target.Path;
        var diagnostics = new QueryDiagnostics();
        var progress = new QueryProgress(path);
        var log = OpenForReading(target, diagnostics, progress, once);
        WarnWhenNothingToRead(log, target, givenPath);
        var work = Task.Run(() => query(log));
        var result = Reading(diagnostics, (Command: this, Work: work, Diagnostics: diagnostics, Progress: progress),
            static read => read.Command.Await(read.Work, read.Diagnostics, read.Progress));
        WriteQueryDiagnostics(diagnostics);
        WriteProgressCompleted(progress, diagnostics);
        WriteSkippedLinesSummary(diagnostics, path);
        return result;
    }

    private T Await<T>(Task<T> work, QueryDiagnostics diagnostics, QueryProgress progress)
    {
        while (!((IAsyncResult)work).AsyncWaitHandle.WaitOne(QueryProgress.Interval))
        {
            WriteQueryDiagnostics(diagnostics);
            WriteProgressIfDue(progress, diagnostics);
        }
        return work.GetAwaiter().GetResult();
    }

    /// <summary>Refreshes the progress bar of a read when it is due (pipeline thread only).</summary>
    private protected void WriteProgressIfDue(QueryProgress progress, QueryDiagnostics diagnostics)
    {
        if (progress.Due(diagnostics.SkippedLines) is { } record) WriteProgress(record);
    }

    /// <summary>Removes the progress bar of a read, when one was shown.</summary>
    private protected void WriteProgressCompleted(QueryProgress progress, QueryDiagnostics diagnostics)
    {
        if (progress.Completed(diagnostics.SkippedLines) is { } record) WriteProgress(record);
    }

    /// <summary>
    /// A read of a -Path where no log exists answers nothing at all, which must not pass unnoticed: a
    /// budget guard with a mistyped path would be switched off without a word. The default log that
    /// was never written is simply empty.
    /// </summary>
    private protected void WarnWhenNoLog(AuditLog log, string? givenPath, bool waiting = false)
    {
        if (givenPath is null || log.HasFiles) return;
        WriteWarning(Inert(waiting
            ? $"No audit log at '{log.Path}' yet: neither the file nor an archive of it exists. Waiting for events to be written there; check -Path '{givenPath}'."
            : $"No audit log at '{log.Path}': neither the file nor an archive of it exists, so there is nothing to read. Check -Path '{givenPath}'."));
    }

    /// <summary>
    /// One step of a read (a whole aggregate, or the next event of a stream): a stopped pipeline
    /// ends it quietly, an unreadable log is a terminating error after what was met so far.
    /// </summary>
    private protected T Reading<TState, T>(QueryDiagnostics diagnostics, TState state, Func<TState, T> step)
    {
        try
        {
            return step(state);
        }
        catch (OperationCanceledException) when (PipelineStopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (AuditLogException error)
        {
            WriteQueryDiagnostics(diagnostics);
            throw Terminate(error, ErrorIds.AuditLogReadFailed, ErrorCategory.ReadError, error.Path);
        }
    }

    /// <summary>
    /// What a query met so far: skipped lines and which files were read as verbose messages (skipped
    /// lines as warnings when <paramref name="skippedLinesAsWarnings"/>: a follower's, one by one), damage as warnings.
    /// </summary>
    private protected void WriteQueryDiagnostics(QueryDiagnostics diagnostics, bool skippedLinesAsWarnings = false)
    {
        while (diagnostics.TryTake(out var diagnostic))
        {
            if (skippedLinesAsWarnings && diagnostic.Kind is AuditDiagnosticKind.LineSkipped)
                WriteWarning(Inert(diagnostic.Message));
            else if (diagnostic.Kind is AuditDiagnosticKind.LineSkipped or AuditDiagnosticKind.SegmentRead or AuditDiagnosticKind.ArchiveSkipped
                or AuditDiagnosticKind.FieldsInvalid or AuditDiagnosticKind.NegativeCost or AuditDiagnosticKind.ExtraFieldsOmitted)
                WriteVerbose(Inert(diagnostic.Message));
            else
                WriteWarning(Inert(diagnostic.Message));
        }
    }

    /// <summary>
    /// A message as it may reach the terminal (<see cref="InertText"/>): a damaged line's message may
    /// quote the line, a finding's the archive index, and the host writes warnings and verbose
    /// messages as they are.
    /// </summary>
    private protected static string Inert(string message) => InertText.Of(message);

    /// <summary>One warning for all the lines a query skipped, not one per line.</summary>
    private protected void WriteSkippedLinesSummary(QueryDiagnostics diagnostics, string path)
    {
        var skipped = diagnostics.SkippedLines;
        if (skipped > 0)
            WriteWarning(Inert($"Skipped {skipped} line{(skipped == 1 ? "" : "s")} of '{path}' that {(skipped == 1 ? "is" : "are")} not valid events; run the command with -Verbose to see each one."));
        WriteOddValuesSummary(diagnostics, path);
    }

    /// <summary>What a log's writer reported since a command last looked (possibly from a timer thread), as warnings.</summary>
    private protected void WritePendingDiagnostics(LogEntry entry)
    {
        var (reports, dropped) = entry.Diagnostics.Drain();
        foreach (var report in reports) WriteWarning(Inert(report.Message));
        if (dropped > 0) WriteWarning(Inert($"{dropped} further problems with '{entry.Path}' were reported and not kept."));
    }
}
