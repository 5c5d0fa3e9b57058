namespace ScoutAudit.Core;

/// <summary>How a log is written and who hears of its problems.</summary>
public sealed record AuditLogOptions
{
    public static AuditLogOptions Default { get; } = new();

    public SyncPolicy SyncPolicy { get; init; } = SyncPolicy.Default;

    /// <summary>Receives skipped lines, repaired tails and failed background syncs.</summary>
    public IAuditDiagnostics Diagnostics { get; init; } = NullAuditDiagnostics.Instance;

    /// <summary>The clock, for windows such as <see cref="EventFilter.LastHours"/> and for the sync cadence.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
