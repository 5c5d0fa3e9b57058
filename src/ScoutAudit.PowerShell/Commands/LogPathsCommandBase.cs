using System.Management.Automation;
using ScoutAudit.PowerShell.Binding;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// The commands that act on one or more logs given by path, or on the pipeline's objects that name
/// a log in their Path property (Get-ScoutAuditLog's, Get-ScoutAuditEvent's): Close-ScoutAuditLog,
/// Get-ScoutAuditLog, Get-ScoutAuditArchive, Invoke-ScoutAuditRotate, Test-ScoutAuditLog.
/// </summary>
public abstract class LogPathsCommandBase : LogCommandBase
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LiteralPath")]
    [ValidateNotBlank]
    public string[]? Path { get; set; }

    /// <summary>The full paths of the logs given, or of the default log when none is, each once per command.</summary>
    private protected IEnumerable<string> NewLogs() => NewLogsOf(Path);
}
