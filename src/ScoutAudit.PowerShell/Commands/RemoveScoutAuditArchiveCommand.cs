using System.Globalization;
using System.Management.Automation;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Binding;
using ScoutAudit.PowerShell.Session;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// Retention by hand: removes a log's archives older than -Before and beyond the newest -Keep,
/// recording each removal (archive, digest, time range, when, why) in the archive index's chain
/// before deleting the file, so that Test-ScoutAuditLog tells retention from deletion.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ScoutAuditArchive", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ArchiveInfo))]
public sealed class RemoveScoutAuditArchiveCommand : LogPathsCommandBase
{
    /// <summary>Archives whose newest event is before this time go. A date without a zone is local time.</summary>
    [Parameter]
    [Instant]
    public DateTimeOffset? Before { get; set; }

    /// <summary>The newest this many archives stay, whatever their age.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Keep { get; set; }

    /// <summary>Why, as recorded in the chain; by default the command line's criteria, user and machine.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Reason { get; set; }

    /// <summary>Returns the archives removed.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        if (Before is null && Keep is null)
            ThrowTerminatingError(Failure(new ArgumentException("Give -Before, -Keep or both: they say which archives go. Nothing was removed."),
                ErrorIds.InvalidLogSetting, ErrorCategory.InvalidArgument, null));
    }

    // Collected while the input lasts, removed at its end: once per log however many objects name it,
    // and never under a reader upstream (Get-ScoutAuditEvent) still reading those archives.
    protected override void ProcessRecord() => Collect(Path);

    protected override void EndProcessing()
    {
        var reason = Reason ?? DefaultReason();
        foreach (var path in CollectedLogs)
        {
            var entry = LogRegistry.Instance.Get(path); // its signing key signs the removals
            IReadOnlyList<Core.ArchiveInfo> removed;
            try
            {
                removed = entry.Log.RemoveArchives(Before, Keep, reason, archive => ShouldProcess(Inert(Describe(archive)), "Remove the archive, recording its removal in the archive index's chain"), PipelineStopping);
            }
            catch (OperationCanceledException) when (PipelineStopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (AuditLogException error)
            {
                WriteError(Failure(error, ErrorIds.AuditLogRotateFailed, ErrorCategory.WriteError, path));
                continue;
            }
            foreach (var archive in removed)
            {
                WriteVerbose(Inert($"Removed {archive.Path} (SHA-256 {archive.Sha256}); its removal is recorded in the chain."));
                if (PassThru) WriteObject(new ArchiveInfo(archive));
            }
        }
    }

    private static string Describe(Core.ArchiveInfo archive) =>
        archive.FirstTimestamp is { } first && archive.LastTimestamp is { } last
            ? string.Create(CultureInfo.CurrentCulture, $"{archive.Path} (events {first.LocalDateTime:g} to {last.LocalDateTime:g})")
            : archive.Path;

    private string DefaultReason()
    {
        var criteria = new List<string>();
        if (Before is { } before) criteria.Add($"-Before {UtcTimestamp.Format(before)}");
        if (Keep is { } keep) criteria.Add($"-Keep {keep}");
        return $"Remove-ScoutAuditArchive {string.Join(' ', criteria)} by {Environment.UserName} on {Environment.MachineName}";
    }
}
