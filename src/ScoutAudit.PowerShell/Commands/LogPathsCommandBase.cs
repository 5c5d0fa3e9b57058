using System.Management.Automation;
using ScoutAudit.PowerShell.Binding;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// The commands that act on one or more logs given by path, or on the pipeline's
/// <c>Get-ScoutAuditLog</c> output: Close-ScoutAuditLog, Get-ScoutAuditLog, Invoke-ScoutAuditRotate.
/// </summary>
public abstract class LogPathsCommandBase : AuditCommandBase
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LiteralPath")]
    [ValidateNotBlank]
    public string[]? Path { get; set; }

    /// <summary>The full paths of the logs given, or of the default log when none is.</summary>
    private protected IEnumerable<string> GivenLogs() =>
        Path is null ? [ResolveLogPath(null)] : Path.Select(ResolveLogPath);
}
