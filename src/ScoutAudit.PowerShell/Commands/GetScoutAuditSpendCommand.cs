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
[Alias("Get-ScoutSpend")]
[Cmdlet(VerbsCommon.Get, "ScoutAuditSpend", DefaultParameterSetName = WindowSet)]
[OutputType(typeof(SpendRow))]
public sealed class GetScoutAuditSpendCommand : AuditCommandBase
{
    // A window by hours or by times, each with its logs by -Path (wildcards) or by -LiteralPath.
    public const string WindowSet = "Window";
    public const string HoursSet = "Hours";
    public const string WindowLiteralSet = "WindowLiteralPath";
    public const string HoursLiteralSet = "HoursLiteralPath";

    [Parameter(Mandatory = true, ParameterSetName = HoursSet, Position = 0)]
    [Parameter(Mandatory = true, ParameterSetName = HoursLiteralSet, Position = 0)]
    [ValidateRange(1, int.MaxValue)]
    public int Hours { get; set; }

    [Parameter(ParameterSetName = WindowSet)]
    [Parameter(ParameterSetName = WindowLiteralSet)]
    [Instant]
    public DateTimeOffset? Since { get; set; }

    [Parameter(ParameterSetName = WindowSet)]
    [Parameter(ParameterSetName = WindowLiteralSet)]
    [Instant]
    public DateTimeOffset? Until { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(SpendGroupingCompleter))]
    public SpendGrouping? By { get; set; }

    /// <summary>The logs (or archives) to sum; wildcards are expanded, each log is a row (or rows) of its own.</summary>
    [Parameter(ParameterSetName = WindowSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = HoursSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotBlank]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    /// <summary>The logs (or archives) to sum, each exactly as given: for a name with <c>[</c>, <c>]</c>, <c>*</c> or <c>?</c>. Bound from a file's PSPath (Get-ChildItem).</summary>
    [Parameter(ParameterSetName = WindowLiteralSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = HoursLiteralSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotBlank]
    public string[]? LiteralPath { get; set; }

    protected override void ProcessRecord()
    {
        // The window is checked before any path: a wrong argument is told before a missing log.
        var filter = ParameterSetName is HoursSet or HoursLiteralSet ? EventFilter.LastHours(Hours, TimeProvider.System) : TimeWindow(Since, Until);
        foreach (var target in ReadTargets(Path, LiteralPath)) Spend(target, filter);
    }

    private void Spend(ReadTarget target, EventFilter filter)
    {
        foreach (var row in Read(target, target.Given, log => log.Spend(filter, By, PipelineStopping))) WriteObject(new SpendRow(row, target.Path));
    }
}
