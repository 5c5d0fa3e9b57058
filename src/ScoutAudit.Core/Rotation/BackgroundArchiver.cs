namespace ScoutAudit.Core;

/// <summary>
/// What follows a seal: the sealed segments the chain explains are archived, those it does not are
/// reported (and left for queries to read), and the log's retention is applied, each removal
/// recorded in the chain. After a writer's own seal this runs in the background, one pass after
/// another, so that no writer waits for it; an explicit rotation runs it at once on its own thread.
/// </summary>
internal sealed class BackgroundArchiver(string path, LogRotation rotation, ArchiveUpkeep upkeep, AuditLogOptions options)
{
    private readonly object _passLock = new();
    private Task _pass = Task.CompletedTask; // guarded by _passLock: the last pass queued

    /// <summary>Queues one pass after any running one.</summary>
    public void Schedule()
    {
        lock (_passLock)
        {
            _pass = _pass.ContinueWith(_ => Pass(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    /// <summary>Waits for the passes queued so far (a closing log finishes its archiving first).</summary>
    public void Wait()
    {
        Task pass;
        lock (_passLock) pass = _pass;
        pass.Wait();
    }

    /// <summary>
    /// Archives and applies the retention now, removing the archives <paramref name="shouldRemove"/>
    /// agrees to; returns those removed. Failures are thrown to the caller.
    /// </summary>
    public IReadOnlyList<ArchiveDescription> RunNow(Func<ArchiveDescription, bool> shouldRemove, CancellationToken cancellation)
    {
        rotation.ArchiveSealed(ReportUnexplainedSegment, cancellation);
        return options.Retention is { } retention
            ? upkeep.Remove(options.Time.GetUtcNow() - retention.MaxAge, retention.Keep, $"the log's retention setting: remove {retention}", shouldRemove, cancellation)
            : [];
    }

    private void Pass()
    {
        try
        {
            RunNow(_ => true, CancellationToken.None);
        }
        catch (Exception error)
        {
            options.Diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.RotationFailed, path,
                $"Archiving the sealed segments of '{path}' failed; they stay readable and are archived by the next rotation or open: {error.Message}", Exception: error));
        }
    }

    private void ReportUnexplainedSegment(string segment, string why) =>
        options.Diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.RotationFailed, segment,
            $"The sealed segment '{segment}' is not archived: {why}. It stays as it is and queries read it; Test-ScoutAuditLog reports it."));
}
