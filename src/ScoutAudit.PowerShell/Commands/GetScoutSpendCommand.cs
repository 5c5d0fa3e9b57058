using System.Management.Automation;
using ScoutAudit.PowerShell.Binding;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Completion;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// Spend in a window, computed while streaming: one row, or one per group with -By. -Hours keeps
/// the original's <c>hourly_spend(hours)</c> meaning: from the start of the UTC hour N hours
/// before the current one.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ScoutSpend", DefaultParameterSetName = WindowSet)]
[OutputType(typeof(SpendRow))]
public sealed class GetScoutSpendCommand : AuditCommandBase
{
    public const string WindowSet = "Window";
    public const string HoursSet = "Hours";

    [Parameter(Mandatory = true, ParameterSetName = HoursSet, Position = 0)]
    [ValidateRange(1, int.MaxValue)]
    public int Hours { get; set; }

    [Parameter(ParameterSetName = WindowSet)]
    [Instant]
    public DateTimeOffset? Since { get; set; }

    [Parameter(ParameterSetName = WindowSet)]
    [Instant]
    public DateTimeOffset? Until { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(SpendGroupByCompleter))]
    public SpendGroupBy? By { get; set; }

    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LiteralPath")]
    [ValidateNotBlank]
    public string[]? Path { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var given in GivenPaths(Path)) Spend(given);
    }

    private void Spend(string? given)
    {
        if (ResolveReadTarget(given) is not { } target) return;
        var filter = ParameterSetName == HoursSet ? EventFilter.LastHours(Hours, TimeProvider.System) : TimeWindow(Since, Until);
        var grouping = By switch
        {
            SpendGroupBy.Model => SpendGrouping.Model,
            SpendGroupBy.Event => SpendGrouping.Event,
            SpendGroupBy.SessionId => SpendGrouping.SessionId,
            SpendGroupBy.Hour => SpendGrouping.Hour,
            SpendGroupBy.Day => SpendGrouping.Day,
            _ => SpendGrouping.None,
        };
        foreach (var row in Read(target, given, log => log.Spend(filter, grouping, PipelineStopping))) WriteObject(new SpendRow(row, target.Path));
    }
}
