using System.Management.Automation;
using ScoutAudit.PowerShell.Binding;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// The commands that read events from logs or archives given as -Path (wildcards) or -LiteralPath,
/// never positionally (their first position is the question): Get-ScoutAuditEvent and
/// Get-ScoutAuditAccuracy. Get-ScoutAuditSpend declares its own, twinned with its Hours and Window sets.
/// </summary>
public abstract class ReadPathsCommandBase : AuditCommandBase
{
    private protected const string PathSet = "Path";
    private protected const string LiteralPathSet = "LiteralPath";

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
}
