using System.Management.Automation;
using ScoutAudit.PowerShell.Binding;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>Navigation accuracy in a window (the original's <c>accuracy_metrics</c>), computed while streaming.</summary>
[Alias("Get-ScoutAccuracy")]
[Cmdlet(VerbsCommon.Get, "ScoutAuditAccuracy", DefaultParameterSetName = PathSet)]
[OutputType(typeof(AccuracyReport))]
public sealed class GetScoutAuditAccuracyCommand : AuditCommandBase
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    [Parameter]
    [Instant]
    public DateTimeOffset? Since { get; set; }

    [Parameter]
    [Instant]
    public DateTimeOffset? Until { get; set; }

    /// <summary>The logs (or archives) to read; wildcards are expanded, several logs are read one after the other.</summary>
    [Parameter(ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotBlank]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    /// <summary>The logs (or archives) to read, each exactly as given: for a name with <c>[</c>, <c>]</c>, <c>*</c> or <c>?</c>. Bound from a file's PSPath (Get-ChildItem).</summary>
    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotBlank]
    public string[]? LiteralPath { get; set; }

    protected override void ProcessRecord()
    {
        var filter = TimeWindow(Since, Until);
        foreach (var target in ReadTargets(Path, LiteralPath))
        {
            WriteObject(new AccuracyReport(Read(target, target.Given, log => log.Accuracy(filter, PipelineStopping)), target.Path));
        }
    }
}
