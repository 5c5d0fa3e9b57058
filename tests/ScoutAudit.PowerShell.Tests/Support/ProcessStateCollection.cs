namespace ScoutAudit.PowerShell.Tests.Support;

/// <summary>
/// Tests that change what the whole process shares (Remove-Module closes every log of the process;
/// $env:SCOUT_AUDIT_PATH is process-wide) run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(nameof(ProcessStateCollection), DisableParallelization = true)]
public sealed class ProcessStateCollection
{
}
