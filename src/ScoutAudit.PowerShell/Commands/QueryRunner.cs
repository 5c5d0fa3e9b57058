using System.Management.Automation;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Session;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// Runs a command's reads of logs: each on a worker thread while the pipeline thread writes its
/// progress and messages (<see cref="CommandDiagnostics"/>); a stopped pipeline ends it quietly, an
/// unreadable log is a terminating error. Within one command each file of a log is read once, so
/// that a log piped in with its archives (<c>Get-ChildItem *.jsonl* | Get-ScoutAuditEvent</c>)
/// yields each event once.
/// </summary>
internal sealed class QueryRunner(Cmdlet command, CommandDiagnostics reports, CancellationToken stopping)
{
    /// <summary>The files of logs this command has read so far (full paths).</summary>
    private readonly HashSet<string> _filesRead = new(LogPaths.PathComparer);

    /// <summary>A reader of the log whose problems land in <paramref name="diagnostics"/> and whose reads are counted in <paramref name="progress"/>. Opening one touches no file.</summary>
    public static AuditLog OpenForReading(string path, QueryDiagnostics diagnostics, QueryProgress progress) =>
        new(path, LogEntry.ReadOptions(diagnostics) with { ReadProgress = progress.Counter });

    /// <summary>
    /// Runs a Core query or aggregate on a worker thread while this, the pipeline thread, writes its
    /// progress and verbose messages: a stopped pipeline ends it quietly, an unreadable log is a
    /// terminating error, and skipped lines are reported once at the end.
    /// </summary>
    public T Read<T>(string path, string? givenPath, Func<AuditLog, T> query) => Read(new ReadTarget(path, path), givenPath, query, once: false);

    /// <summary>
    /// <see cref="Read{T}(string, string, Func{AuditLog, T})"/> of a log or an archive alone; with
    /// <paramref name="once"/>, the files this command read already are left out.
    /// </summary>
    public T Read<T>(ReadTarget target, string? givenPath, Func<AuditLog, T> query, bool once = true)
    {
        var path = target.Path;
        var diagnostics = new QueryDiagnostics();
        var progress = new QueryProgress(path);
        var log = OpenForReading(target, diagnostics, progress, once);
        WarnWhenNothingToRead(log, target, givenPath);
        var work = Task.Run(() => query(log));
        var result = Reading(diagnostics, (Runner: this, Work: work, Diagnostics: diagnostics, Progress: progress),
            static read => read.Runner.Await(read.Work, read.Diagnostics, read.Progress));
        reports.WriteQueryDiagnostics(diagnostics);
        reports.WriteProgressCompleted(progress, diagnostics);
        reports.WriteSkippedLinesSummary(diagnostics, path);
        return result;
    }

    private T Await<T>(Task<T> work, QueryDiagnostics diagnostics, QueryProgress progress)
    {
        while (!((IAsyncResult)work).AsyncWaitHandle.WaitOne(QueryProgress.Interval))
        {
            reports.WriteQueryDiagnostics(diagnostics);
            reports.WriteProgressIfDue(progress, diagnostics);
        }
        return work.GetAwaiter().GetResult();
    }

    /// <summary>
    /// A read of a -Path where no log exists answers nothing at all, which must not pass unnoticed: a
    /// budget guard with a mistyped path would be switched off without a word. The default log that
    /// was never written is simply empty.
    /// </summary>
    public void WarnWhenNoLog(AuditLog log, string? givenPath, bool waiting = false)
    {
        if (givenPath is null || log.HasFiles) return;
        command.WriteWarning(InertText.Of(waiting
            ? $"No audit log at '{log.Path}' yet: neither the file nor an archive of it exists. Waiting for events to be written there; check -Path '{givenPath}'."
            : $"No audit log at '{log.Path}': neither the file nor an archive of it exists, so there is nothing to read. Check -Path '{givenPath}'."));
    }

    /// <summary>
    /// One step of a read (a whole aggregate, or the next event of a stream): a stopped pipeline
    /// ends it quietly, an unreadable log is a terminating error after what was met so far.
    /// </summary>
    public T Reading<TState, T>(QueryDiagnostics diagnostics, TState state, Func<TState, T> step)
    {
        try
        {
            return step(state);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (AuditLogException error)
        {
            reports.WriteQueryDiagnostics(diagnostics);
            throw ErrorRecords.Terminate(command, error, ErrorIds.AuditLogReadFailed, ErrorCategory.ReadError, error.Path);
        }
    }

    /// <summary>
    /// A reader of the log or archive of <paramref name="target"/>. With <paramref name="once"/>, a
    /// file this command read already is left out (said in a verbose message); a follower, which
    /// reads the same files again and again, reads without it.
    /// </summary>
    public AuditLog OpenForReading(ReadTarget target, QueryDiagnostics diagnostics, QueryProgress progress, bool once)
    {
        bool Reads(string file)
        {
            if (target.IsArchive && !LogPaths.PathComparer.Equals(file, target.Path)) return false;
            if (!once) return true;
            lock (_filesRead)
            {
                if (_filesRead.Add(file)) return true;
            }
            diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.ArchiveSkipped, file,
                $"Skipped '{file}': this command has read it already, with its log or on its own."));
            return false;
        }
        return new AuditLog(target.LogPath, LogEntry.ReadOptions(diagnostics) with { ReadProgress = progress.Counter, ReadsFile = Reads });
    }

    /// <summary>Like <see cref="WarnWhenNoLog"/>, for a target that may be an archive: one that is not there is warned of by its own name.</summary>
    public void WarnWhenNothingToRead(AuditLog log, ReadTarget target, string? givenPath, bool waiting = false)
    {
        if (!target.IsArchive)
        {
            WarnWhenNoLog(log, givenPath, waiting);
            return;
        }
        if (givenPath is not null && !File.Exists(target.Path))
            command.WriteWarning(InertText.Of($"No archive at '{target.Path}', so there is nothing to read. Check -Path '{givenPath}'."));
    }
}
