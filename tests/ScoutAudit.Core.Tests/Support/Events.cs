namespace ScoutAudit.Core.Tests.Support;

/// <summary>Event builders for tests.</summary>
public static class Events
{
    public static readonly DateTimeOffset Start = new(2026, 2, 13, 14, 0, 0, TimeSpan.Zero);

    public static LogEvent At(DateTimeOffset when, string eventType = "nav", string session = "s-1", double? cost = null, string? model = null) =>
        new(eventType, when, session) { Cost = cost, Model = model };

    /// <summary>Reads the file's events with the engine, reporting into <paramref name="diagnostics"/>.</summary>
    public static List<LogEvent> ReadAll(string path, IAuditDiagnostics? diagnostics = null)
    {
        using var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics ?? NullAuditDiagnostics.Instance });
        return log.Query().ToList();
    }
}
