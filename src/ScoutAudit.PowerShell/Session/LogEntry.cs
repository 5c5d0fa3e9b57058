using ScoutAudit.Core;

namespace ScoutAudit.PowerShell.Session;

/// <summary>
/// One log the session knows: its settings and, once something was written, the open
/// <see cref="AuditLog"/> that keeps the file and its sync cadence alive between commands.
/// </summary>
internal sealed class LogEntry
{
    private readonly object _lock = new();
    private AuditLogOptions _settings = AuditLogOptions.Default;
    private AuditLog? _log;

    public LogEntry(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public PendingDiagnostics Diagnostics { get; } = new();

    /// <summary>What Set-ScoutAuditLog set for this log for the rest of the session (the diagnostics are the entry's own).</summary>
    public AuditLogOptions Settings
    {
        get
        {
            lock (_lock) return _settings;
        }
    }

    /// <summary>True while the module holds the file open for writing.</summary>
    public bool IsOpen
    {
        get
        {
            lock (_lock) return _log is not null;
        }
    }

    /// <summary>Lines written before a sync that failed (<see cref="AuditLog.AtRiskLines"/>).</summary>
    public long AtRiskLines
    {
        get
        {
            lock (_lock) return _log?.AtRiskLines ?? 0;
        }
    }

    /// <summary>Lines written through this session that are not yet known to be on stable storage.</summary>
    public long UnsyncedLines
    {
        get
        {
            lock (_lock) return _log?.UnsyncedLines ?? 0;
        }
    }

    /// <summary>The log, opened with the entry's settings on first use.</summary>
    public AuditLog Log
    {
        get
        {
            lock (_lock) return _log ??= new AuditLog(Path, _settings with { Diagnostics = Diagnostics });
        }
    }

    /// <summary>
    /// Appends the event, its secrets redacted unless <paramref name="redactSecrets"/> is false, and
    /// returns it as written. A concurrent Close (another runspace, Remove-Module) can dispose the log
    /// between fetching and appending; Core refuses before writing anything then, so the append is
    /// retried once on a freshly opened log.
    /// </summary>
    public Core.LogEvent Append(Core.LogEvent auditEvent, bool redactSecrets)
    {
        try
        {
            return Log.Append(auditEvent, redactSecrets);
        }
        catch (ObjectDisposedException)
        {
            return Log.Append(auditEvent, redactSecrets);
        }
    }

    /// <summary>Applies new settings: the open log is synced and closed, and reopened with them on next use.</summary>
    /// <exception cref="AuditLogException">The final sync of the old log failed; the settings are applied all the same.</exception>
    public void Reconfigure(AuditLogOptions settings)
    {
        AuditLog? old;
        lock (_lock)
        {
            _settings = settings;
            old = _log;
            _log = null;
        }
        old?.Close();
    }

    /// <summary>Syncs and releases the file; the settings stay for the session.</summary>
    /// <exception cref="AuditLogException">The final sync failed (the file is released all the same).</exception>
    public void Close()
    {
        AuditLog? old;
        lock (_lock)
        {
            old = _log;
            _log = null;
        }
        old?.Close();
    }

    /// <summary>Options for reading the log: only the diagnostics differ from a writer's.</summary>
    public static AuditLogOptions ReadOptions(IAuditDiagnostics diagnostics) =>
        new() { Diagnostics = diagnostics };
}
