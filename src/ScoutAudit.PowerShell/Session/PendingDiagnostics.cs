using System.Collections.Concurrent;
using ScoutAudit.Core;

namespace ScoutAudit.PowerShell.Session;

/// <summary>
/// Holds what a log's writer reports (a repaired torn tail, a failed background sync) until a
/// cmdlet drains it on the pipeline thread: Core may report from a timer thread, where writing to
/// a PowerShell stream is not allowed. Bounded, so a log nobody touches again cannot grow it.
/// </summary>
internal sealed class PendingDiagnostics : IAuditDiagnostics
{
    private const int Capacity = 100;

    private readonly ConcurrentQueue<AuditDiagnostic> _queue = new();
    private int _dropped;

    public void Report(AuditDiagnostic diagnostic)
    {
        if (_queue.Count >= Capacity) Interlocked.Increment(ref _dropped);
        else _queue.Enqueue(diagnostic);
    }

    /// <summary>Everything reported since the last drain, and how many reports did not fit.</summary>
    public (IReadOnlyList<AuditDiagnostic> Reports, int Dropped) Drain()
    {
        var reports = new List<AuditDiagnostic>();
        while (_queue.TryDequeue(out var diagnostic)) reports.Add(diagnostic);
        return (reports, Interlocked.Exchange(ref _dropped, 0));
    }
}
