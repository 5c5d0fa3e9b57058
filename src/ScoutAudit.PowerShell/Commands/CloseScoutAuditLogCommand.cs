using System.Management.Automation;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Session;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// Flushes, syncs and releases the module's handle on a log (the original's <c>flush()</c> and
/// <c>close()</c>). The log's settings stay for the session; the next write reopens it. Each log is
/// closed as it comes down the pipeline, once however many objects name it.
/// </summary>
[Cmdlet(VerbsCommon.Close, "ScoutAuditLog", DefaultParameterSetName = PathSet)]
[OutputType(typeof(void))]
public sealed class CloseScoutAuditLogCommand : LogPathsCommandBase
{
    protected override void ProcessRecord()
    {
        foreach (var path in NewLogs())
        {
            if (LogRegistry.Instance.Find(path) is not { } entry)
            {
                WriteVerbose($"The audit log '{path}' is not open in this session; nothing to close.");
                continue;
            }
            try
            {
                entry.Close();
                WriteVerbose($"Closed the audit log '{path}'; every line written is on stable storage.");
            }
            catch (AuditLogException error)
            {
                WriteError(Failure(error, ErrorIds.AuditLogCloseFailed, ErrorCategory.WriteError, path));
            }
            WritePendingDiagnostics(entry);
        }
    }
}
