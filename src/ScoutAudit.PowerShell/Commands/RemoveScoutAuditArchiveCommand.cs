using System.Management.Automation;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Binding;
using ScoutAudit.PowerShell.Session;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// Retention by hand: removes a log's archives older than -Before and beyond the newest -Keep, or
/// exactly the archives piped from Get-ScoutAuditArchive, recording each removal (archive, digest,
/// time range, when, why) in the archive index's chain before deleting the file, so that
/// Test-ScoutAuditLog tells retention from deletion. Logs and archives are collected while the
/// input lasts and removed at its end: once per log however many objects name it, and never under
/// a reader upstream still reading those archives.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ScoutAuditArchive", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = KeepSet)]
[OutputType(typeof(ArchiveInfo))]
public sealed class RemoveScoutAuditArchiveCommand : LogCommandBase
{
    private const string BeforeSet = "Before";
    private const string KeepSet = "Keep";
    private const string BeforeLiteralSet = "BeforeLiteralPath";
    private const string KeepLiteralSet = "KeepLiteralPath";
    private const string InputObjectSet = "InputObject";

    /// <summary>The archives given one by one, by log, each once, in the order given.</summary>
    private readonly Dictionary<string, Dictionary<string, ArchiveInfo>> _given = new(PathComparison);

    /// <summary>
    /// The logs whose archives go (by -Before and -Keep), wildcards expanded (an archive matched stands
    /// for its log); objects with a Path property naming a log bind to it.
    /// </summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = BeforeSet)]
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = KeepSet)]
    [ValidateNotBlank]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    /// <summary>The logs whose archives go, each exactly as given (for names with [, ], * or ?); bound from a file's PSPath.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = BeforeLiteralSet)]
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = KeepLiteralSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotBlank]
    public string[]? LiteralPath { get; set; }

    /// <summary>Archives whose newest event is before this time go. A date without a zone is local time.</summary>
    [Parameter(Mandatory = true, ParameterSetName = BeforeSet)]
    [Parameter(Mandatory = true, ParameterSetName = BeforeLiteralSet)]
    [Instant]
    public DateTimeOffset? Before { get; set; }

    /// <summary>The newest this many archives stay, whatever their age.</summary>
    [Parameter(ParameterSetName = BeforeSet)]
    [Parameter(ParameterSetName = BeforeLiteralSet)]
    [Parameter(Mandatory = true, ParameterSetName = KeepSet)]
    [Parameter(Mandatory = true, ParameterSetName = KeepLiteralSet)]
    [ValidateRange(0, int.MaxValue)]
    public int? Keep { get; set; }

    /// <summary>The archives to remove, as Get-ScoutAuditArchive lists them: exactly these go.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public ArchiveInfo[]? InputObject { get; set; }

    /// <summary>Why, as recorded in the chain; by default the command line's criteria, user and machine.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Reason { get; set; }

    /// <summary>Returns the archives removed.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName != InputObjectSet)
        {
            Collect(Path, LiteralPath);
            return;
        }
        foreach (var archive in InputObject!)
        {
            if (archive is null) continue;
            var log = LogsOf(null, [archive.LogPath]).Single();
            if (!_given.TryGetValue(log, out var archives)) _given[log] = archives = new Dictionary<string, ArchiveInfo>(PathComparison);
            archives.TryAdd(archive.Path, archive);
        }
    }

    protected override void EndProcessing()
    {
        var reason = Reason ?? DefaultReason();
        if (ParameterSetName == InputObjectSet)
        {
            foreach (var (log, archives) in _given) RemoveGiven(log, archives.Values, reason);
            return;
        }
        foreach (var path in CollectedLogs)
        {
            var entry = LogRegistry.Instance.Get(path); // its signing key signs the removals
            Remove(entry, log => log.RemoveArchives(Before, Keep, reason, Approve, PipelineStopping));
        }
    }

    /// <summary>
    /// Removes the archives given, each as it was listed: one that is no longer there, or whose size or
    /// digest changed since, is an error of its own and stays.
    /// </summary>
    private void RemoveGiven(string path, IEnumerable<ArchiveInfo> given, string reason)
    {
        var entry = LogRegistry.Instance.Get(path);
        var current = entry.Log.Archives().ToDictionary(a => a.Path, PathComparison);
        var chosen = new HashSet<string>(PathComparison);
        foreach (var archive in given)
        {
            if (!current.TryGetValue(archive.Path, out var now))
            {
                WriteError(Failure(new FileNotFoundException($"No archive '{archive.Path}' of the log '{path}': it was removed or renamed since it was listed. Nothing was removed for it.", archive.Path),
                    ErrorIds.ArchiveNotFound, ErrorCategory.ObjectNotFound, archive));
                continue;
            }
            if (now.CompressedBytes != archive.CompressedBytes || (archive.Sha256 is { } listed && now.Sha256 is { } found && listed != found))
            {
                WriteError(Failure(new InvalidDataException($"The archive '{archive.Path}' changed since it was listed ({archive.CompressedBytes} bytes then, {now.CompressedBytes} now); it was not removed. List it again with Get-ScoutAuditArchive and look at it first."),
                    ErrorIds.ArchiveChanged, ErrorCategory.InvalidData, archive));
                continue;
            }
            chosen.Add(archive.Path);
        }
        if (chosen.Count > 0) Remove(entry, log => log.RemoveArchives(chosen, reason, Approve, PipelineStopping));
    }

    private void Remove(LogEntry entry, Func<AuditLog, IReadOnlyList<Core.ArchiveDescription>> remove)
    {
        IReadOnlyList<Core.ArchiveDescription> removed;
        try
        {
            removed = remove(entry.Log);
        }
        catch (OperationCanceledException) when (PipelineStopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (AuditLogException error)
        {
            WriteError(Failure(error, ErrorIds.ArchiveRemoveFailed, ErrorCategory.WriteError, entry.Path));
            return;
        }
        foreach (var archive in removed)
        {
            WriteVerbose(Inert($"Removed {archive.Path} (SHA-256 {archive.Sha256}); its removal is recorded in the chain."));
            if (PassThru) WriteObject(new ArchiveInfo(archive, entry.Path));
        }
    }

    private bool Approve(Core.ArchiveDescription archive) =>
        ShouldProcess(DescribeArchive(archive), "Remove the archive, recording its removal in the archive index's chain");

    private string DefaultReason()
    {
        var criteria = new List<string>();
        if (ParameterSetName == InputObjectSet) criteria.Add("of archives given one by one");
        if (Before is { } before) criteria.Add($"-Before {UtcTimestamp.Format(before)}");
        if (Keep is { } keep) criteria.Add($"-Keep {keep}");
        return $"Remove-ScoutAuditArchive {string.Join(' ', criteria)} by {Environment.UserName} on {Environment.MachineName}";
    }
}
