using System.Management.Automation;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Session;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// Adds a log's archives that are outside the chain (the original tool's, or older than the chain)
/// to the archive index's chain, oldest first, each read whole first. It vouches for bytes nothing
/// vouched for, so it is ConfirmImpact High and each question names the archive's time range, lines
/// and SHA-256. Returns the archives added. Each log is handled as it comes down the pipeline, once
/// however many objects name it.
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "ScoutAuditArchive", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = PathSet)]
[OutputType(typeof(ArchiveInfo))]
public sealed class RegisterScoutAuditArchiveCommand : LogPathsCommandBase
{
    protected override void ProcessRecord()
    {
        foreach (var path in NewLogs())
        {
            // Entries are signed with the session's key when one is set; a signed chain needs it.
            var entry = LogRegistry.Instance.Get(path);
            if (!entry.Log.HasFiles)
            {
                WriteError(Failure(new FileNotFoundException($"No audit log at '{path}': neither the file nor an archive of it exists.", path),
                    ErrorIds.AuditLogNotFound, ErrorCategory.ObjectNotFound, path));
                continue;
            }
            IReadOnlyList<Core.ArchiveDescription> adopted;
            try
            {
                adopted = entry.Log.Adopt(
                    archive => ShouldProcess(
                        Inert($"{archive.Path} ({archive.Lines} lines, {Describe(archive.FirstTimestamp)} to {Describe(archive.LastTimestamp)}, SHA-256 {archive.Sha256})"),
                        "Add the archive to the archive index's chain, vouching for its bytes as they are now"),
                    (archive, error) => WriteWarning(Inert($"The archive '{archive}' was not added to the chain: {error.Message}")),
                    PipelineStopping);
            }
            catch (OperationCanceledException) when (PipelineStopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (AuditLogException error)
            {
                WriteError(Failure(error, ErrorIds.AuditLogAdoptFailed, ErrorCategory.WriteError, path));
                continue;
            }
            if (adopted.Count == 0) WriteVerbose(Inert($"No archive of '{path}' was added to the chain."));
            foreach (var archive in adopted)
            {
                WriteVerbose(Inert($"Added to the chain: {archive.Path}"));
                WriteObject(new ArchiveInfo(archive, path));
            }
        }
    }

    private static string Describe(DateTimeOffset? time) => time is { } t ? UtcTimestamp.Format(t) : "no event";
}
