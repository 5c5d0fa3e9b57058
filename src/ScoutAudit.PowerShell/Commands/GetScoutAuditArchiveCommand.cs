using System.Management.Automation;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Session;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// Lists a log's archives, oldest first, described by the archive index where its entry is
/// current (time range, lines, SHA-256). Opens nothing and writes nothing. Each log is listed as it
/// comes down the pipeline, once however many objects name it.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ScoutAuditArchive", DefaultParameterSetName = PathSet)]
[OutputType(typeof(ArchiveInfo))]
public sealed class GetScoutAuditArchiveCommand : LogPathsCommandBase
{
    protected override void ProcessRecord()
    {
        foreach (var path in NewLogs())
        {
            var entry = LogRegistry.Instance.Find(path);
            var log = entry?.Log ?? new AuditLog(path, LogEntry.ReadOptions(NullAuditDiagnostics.Instance));
            // A log named that is not there answers with an error, not with an empty list; the default
            // log that was never written simply has no archives.
            if (LogsGiven && !log.HasFiles)
            {
                WriteError(Failure(new FileNotFoundException($"No audit log at '{path}': neither the file nor an archive of it exists.", path),
                    ErrorIds.AuditLogNotFound, ErrorCategory.ObjectNotFound, path));
                continue;
            }
            IReadOnlyList<Core.ArchiveDescription> archives;
            try
            {
                archives = log.Archives();
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                WriteError(Failure(error, ErrorIds.AuditLogReadFailed, ErrorCategory.ReadError, path));
                continue;
            }
            if (entry is not null) WritePendingDiagnostics(entry);
            if (archives.Count == 0) WriteVerbose(Inert($"The audit log '{path}' has no archives."));
            foreach (var archive in archives) WriteObject(new ArchiveInfo(archive, path));
        }
    }
}
