namespace ScoutAudit.Core;

/// <summary>
/// What one query passes to the read of each of its files: its filter, where problems go, the
/// strings shared between files, its progress and its cancellation.
/// </summary>
internal sealed record ReadContext(
    EventFilter Filter,
    IAuditDiagnostics Diagnostics,
    StringPools Pools,
    ReadProgress? Progress,
    CancellationToken Cancellation);
