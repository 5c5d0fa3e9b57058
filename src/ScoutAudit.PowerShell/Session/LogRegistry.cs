namespace ScoutAudit.PowerShell.Session;

/// <summary>
/// The logs this session knows, one entry per full path. The assembly is loaded once per
/// process, so the session is the process: every runspace shares the entries, which is what lets
/// several runspaces append to one log through one writer and one sync cadence.
/// </summary>
internal sealed class LogRegistry
{
    private static readonly StringComparer PathComparer =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    private readonly object _lock = new();
    private readonly Dictionary<string, LogEntry> _entries = new(PathComparer);

    public static LogRegistry Instance { get; } = new();

    /// <summary>The entry of a log, created with default settings on first mention.</summary>
    public LogEntry Get(string fullPath)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(fullPath, out var entry)) _entries[fullPath] = entry = new LogEntry(fullPath);
            return entry;
        }
    }

    public LogEntry? Find(string fullPath)
    {
        lock (_lock) return _entries.GetValueOrDefault(fullPath);
    }

    /// <summary>The known logs, by path.</summary>
    public IReadOnlyList<LogEntry> All()
    {
        lock (_lock) return _entries.Values.OrderBy(e => e.Path, PathComparer).ToArray();
    }

    /// <summary>
    /// Syncs and closes every log and forgets them and their settings: the module is being removed
    /// or the process is ending. Never throws; there is nobody left to tell, so a failed final
    /// sync is reported to the entry's diagnostics only.
    /// </summary>
    public void CloseAll()
    {
        LogEntry[] entries;
        lock (_lock)
        {
            entries = [.. _entries.Values];
            _entries.Clear();
        }
        foreach (var entry in entries)
        {
            try
            {
                entry.Close();
            }
            catch (Exception error)
            {
                entry.Diagnostics.Report(new Core.AuditDiagnostic(Core.AuditDiagnosticKind.SyncFailed, entry.Path, error.Message, Exception: error));
            }
        }
    }
}
