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
    private readonly ConcurrentDictionary<string, long> _invalidByField = new(StringComparer.Ordinal);
    private long _skippedLines;
    private long _eventsWithInvalidFields;
    private long _negativeCosts;
    private long _eventsWithOmittedFields;

    /// <summary>Lines skipped so far.</summary>
    public long SkippedLines => Interlocked.Read(ref _skippedLines);

    /// <summary>Events read so far with fields kept as invalid (raw JSON text).</summary>
    public long EventsWithInvalidFields => Interlocked.Read(ref _eventsWithInvalidFields);

    /// <summary>How many of those events had each field invalid, most frequent first, then by name.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> InvalidFieldCounts =>
        _invalidByField.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).ToList();

    /// <summary>Events read so far from lines with more extra fields than an event may have (read without them).</summary>
    public long EventsWithOmittedFields => Interlocked.Read(ref _eventsWithOmittedFields);

    /// <summary>Events with a negative cost that an aggregate summed so far.</summary>
    public long NegativeCosts => Interlocked.Read(ref _negativeCosts);

    public void Report(AuditDiagnostic diagnostic)
    {
        switch (diagnostic.Kind)
        {
            case AuditDiagnosticKind.LineSkipped:
                Interlocked.Increment(ref _skippedLines);
                break;
            case AuditDiagnosticKind.FieldsInvalid:
                Interlocked.Increment(ref _eventsWithInvalidFields);
                foreach (var field in diagnostic.Fields ?? []) _invalidByField.AddOrUpdate(field, 1, static (_, count) => count + 1);
                break;
            case AuditDiagnosticKind.NegativeCost:
                Interlocked.Increment(ref _negativeCosts);
                break;
            case AuditDiagnosticKind.ExtraFieldsOmitted:
                Interlocked.Increment(ref _eventsWithOmittedFields);
                break;
        }
        _queue.Enqueue(diagnostic);
    }

    public bool TryTake(out AuditDiagnostic diagnostic) => _queue.TryDequeue(out diagnostic!);
}
