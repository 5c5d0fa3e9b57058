using System.Management.Automation;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Session;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// Rotates a log now: seals the active file and compresses it to
/// <c>&lt;stem&gt;_YYYYMMDD_HHMMSS.jsonl.gz</c> beside it, and returns that archive. The logs are
/// collected while the input lasts and rotated once each at its end: a log named by every event
/// piped from Get-ScoutAuditEvent is rotated once, and not under the reader still reading it.
/// When the log has a retention setting (Set-ScoutAuditLog -KeepArchives, -KeepArchivesFor), each
/// archive it then removes is a step of its own: asked with -Confirm, named under -WhatIf (the
/// archives the rotation would make go), told in verbose, and listed in the RemovedByRetention
/// property of the archive returned.
/// </summary>
[Alias("Invoke-ScoutAuditRotate")]
[Cmdlet(VerbsLifecycle.Invoke, "ScoutAuditRotation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PathSet)]
[OutputType(typeof(ArchiveInfo))]
public sealed class InvokeScoutAuditRotationCommand : LogPathsCommandBase
{
    /// <summary>The note property of the archive returned that lists the archives the log's retention removed after the rotation.</summary>
    public const string RemovedByRetention = nameof(RemovedByRetention);

    protected override void ProcessRecord() => Collect(Path, LiteralPath);

    protected override void EndProcessing()
    {
        foreach (var path in CollectedLogs)
        {
            // A retention is a setting of this session's, so only a log the session knows has one.
            var known = LogRegistry.Instance.Find(path);
            var removal = known?.Settings.Retention is { } retention
                ? $"Remove the archive under the log's retention setting (remove {retention}), recording its removal in the archive index's chain"
                : null;
            if (!ShouldProcess(path, "Seal the active file and archive it (gzip) beside it"))
            {
                // The rotation is only described: so are the removals it would bring.
                if (removal is not null && WhatIfRequested())
                    foreach (var archive in known!.Log.ArchivesRetentionWouldRemove()) ShouldProcess(DescribeArchive(archive), removal);
                continue;
            }
            var entry = known ?? LogRegistry.Instance.Get(path);
            RotationResult result;
            try
            {
                result = entry.Log.Rotate(archive => removal is not null && ShouldProcess(DescribeArchive(archive), removal), PipelineStopping);
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
            foreach (var archive in result.Removed)
                WriteVerbose(Inert($"Removed {archive.Path} (SHA-256 {archive.Sha256}) under the log's retention setting ({entry.Settings.Retention}); its removal is recorded in the chain."));
            if (result.Archive is null)
            {
                WriteVerbose($"The audit log '{path}' is empty; there was nothing to rotate.");
                continue;
            }
            var output = PSObject.AsPSObject(new ArchiveInfo(result.Archive, path));
            output.Properties.Add(new PSNoteProperty(RemovedByRetention, result.Removed.Select(archive => new ArchiveInfo(archive, path)).ToArray()));
            WriteObject(output);
        }
    }
}
