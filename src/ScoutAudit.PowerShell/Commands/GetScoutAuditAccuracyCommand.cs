using System.Management.Automation;
using ScoutAudit.PowerShell.Binding;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>Navigation accuracy in a window (the original's <c>accuracy_metrics</c>), computed while streaming.</summary>
[Alias("Get-ScoutAccuracy")]
[Cmdlet(VerbsCommon.Get, "ScoutAuditAccuracy", DefaultParameterSetName = PathSet)]
[OutputType(typeof(AccuracyReport))]
public sealed class GetScoutAuditAccuracyCommand : ReadPathsCommandBase
{
    [Parameter]
    [Instant]
    public DateTimeOffset? Since { get; set; }

    [Parameter]
    [Instant]
    public DateTimeOffset? Until { get; set; }

    protected override void ProcessRecord()
    {
        var filter = TimeWindow(Since, Until);
        foreach (var target in ReadTargets(Path, LiteralPath))
        {
            WriteObject(new AccuracyReport(Read(target, target.Given, log => log.Accuracy(filter, PipelineStopping)), target.Path));
        }
    }
}
