using System.Management.Automation;
using ScoutAudit.PowerShell.Binding;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>Navigation accuracy in a window (the original's <c>accuracy_metrics</c>), computed while streaming.</summary>
[Cmdlet(VerbsCommon.Get, "ScoutAccuracy")]
[OutputType(typeof(AccuracyReport))]
public sealed class GetScoutAccuracyCommand : AuditCommandBase
{
    [Parameter]
    [Instant]
    public DateTimeOffset? Since { get; set; }

    [Parameter]
    [Instant]
    public DateTimeOffset? Until { get; set; }

    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LiteralPath")]
    [ValidateNotBlank]
    public string[]? Path { get; set; }

    protected override void ProcessRecord()
    {
        var filter = TimeWindow(Since, Until);
        foreach (var given in GivenPaths(Path))
        {
            if (ResolveReadTarget(given) is not { } target) continue;
            WriteObject(new AccuracyReport(Read(target, given, log => log.Accuracy(filter, PipelineStopping)), target.Path));
        }
    }
}
