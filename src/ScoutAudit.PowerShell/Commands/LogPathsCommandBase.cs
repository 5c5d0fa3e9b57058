using System.Management.Automation;
using ScoutAudit.PowerShell.Binding;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// The commands that act on one or more logs given by path, or on the pipeline's objects that name
/// a log in their Path property (Get-ScoutAuditLog's, Get-ScoutAuditEvent's): Close-ScoutAuditLog,
/// Get-ScoutAuditLog, Get-ScoutAuditArchive, Invoke-ScoutAuditRotation.
/// </summary>
public abstract class LogPathsCommandBase : LogCommandBase
{
    private protected const string PathSet = "Path";
    private protected const string LiteralPathSet = "LiteralPath";

    /// <summary>The logs, wildcards expanded (an archive matched stands for its log); by default the default log.</summary>
    [Parameter(ParameterSetName = PathSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotBlank]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    /// <summary>The logs, each exactly as given (for names with [, ], * or ?); bound from a file's PSPath.</summary>
    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotBlank]
    public string[]? LiteralPath { get; set; }

    /// <summary>Whether the logs were named (-Path or -LiteralPath), rather than left to the default.</summary>
    private protected bool LogsGiven => Path is not null || LiteralPath is not null;

    /// <summary>The full paths of the logs given, or of the default log when none is, each once per command.</summary>
    private protected IEnumerable<string> NewLogs() => NewLogsOf(Path, LiteralPath);
}
