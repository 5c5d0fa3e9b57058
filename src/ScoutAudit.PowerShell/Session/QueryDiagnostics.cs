using System.Collections.Concurrent;
using ScoutAudit.Core;

namespace ScoutAudit.PowerShell.Session;

/// <summary>
/// Collects what one query meets (skipped lines above all) so the cmdlet can report them as one
/// warning with a count at the end, and each one as a verbose message while it reads.
/// </summary>
internal sealed class QueryDiagnostics : IAuditDiagnostics
{
    private readonly ConcurrentQueue<AuditDiagnostic> _queue = new();
    private long _skippedLines;

    /// <summary>Lines skipped so far.</summary>
    public long SkippedLines => Interlocked.Read(ref _skippedLines);

    public void Report(AuditDiagnostic diagnostic)
    {
        if (diagnostic.Kind == AuditDiagnosticKind.LineSkipped) Interlocked.Increment(ref _skippedLines);
        _queue.Enqueue(diagnostic);
    }

    public bool TryTake(out AuditDiagnostic diagnostic) => _queue.TryDequeue(out diagnostic!);
}
