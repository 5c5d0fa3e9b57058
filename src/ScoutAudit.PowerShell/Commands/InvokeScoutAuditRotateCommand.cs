using System.Management.Automation;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Session;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// Rotates a log now: seals the active file and compresses it to
/// <c>&lt;stem&gt;_YYYYMMDD_HHMMSS.jsonl.gz</c> beside it, and returns that archive. The logs are
/// collected while the input lasts and rotated once each at its end: a log named by every event
/// piped from Get-ScoutAuditEvent is rotated once, and not under the reader still reading it.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ScoutAuditRotate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ArchiveInfo))]
public sealed class InvokeScoutAuditRotateCommand : LogPathsCommandBase
{
    protected override void ProcessRecord() => Collect(Path);

    protected override void EndProcessing()
    {
        foreach (var path in CollectedLogs)
        {
            if (!ShouldProcess(path, "Seal the active file and archive it (gzip) beside it")) continue;
            var entry = LogRegistry.Instance.Get(path);
            Core.ArchiveInfo? archive;
            try
            {
                archive = entry.Log.Rotate(PipelineStopping);
            }
            catch (OperationCanceledException) when (PipelineStopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                WritePendingDiagnostics(entry);
                WriteError(Failure(error, ErrorIds.AuditLogRotateFailed, ErrorCategory.WriteError, path));
                continue;
            }
            WritePendingDiagnostics(entry);
            if (archive is null) WriteVerbose($"The audit log '{path}' is empty; there was nothing to rotate.");
            else WriteObject(new ArchiveInfo(archive));
        }
    }
}
