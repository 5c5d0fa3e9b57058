using System.Management.Automation;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Session;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// The logs this session knows (the default log and every log a command named), or the given
/// ones: path, size, archives, settings and unsynced lines. Opens nothing. Each log is described as it
/// comes down the pipeline, once however many objects name it.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ScoutAuditLog", DefaultParameterSetName = PathSet)]
[OutputType(typeof(AuditLogInfo))]
public sealed class GetScoutAuditLogCommand : LogPathsCommandBase
{
    protected override void ProcessRecord()
    {
        var paths = !LogsGiven
            ? NewLogsOf(null, LogRegistry.Instance.All().Select(entry => entry.Path).Append(ResolveLogPath(null)).ToArray())
            : NewLogs();
        foreach (var path in paths) WriteObject(Describe(path));
    }

    private AuditLogInfo Describe(string path)
    {
        var entry = LogRegistry.Instance.Find(path);
        var settings = entry?.Settings ?? AuditLogOptions.Default;
        IReadOnlyList<Core.ArchiveDescription> archives;
        long size;
        try
        {
            var log = entry?.Log ?? new AuditLog(path, LogEntry.ReadOptions(NullAuditDiagnostics.Instance));
            archives = log.Archives();
            size = log.ActiveFileSize;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw Terminate(error, ErrorIds.AuditLogReadFailed, ErrorCategory.ReadError, path);
        }
        if (entry is not null) WritePendingDiagnostics(entry);
        return new AuditLogInfo(path, size, archives, settings, entry?.UnsyncedLines ?? 0, entry?.AtRiskLines ?? 0);
    }
}
