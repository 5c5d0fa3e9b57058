using System.Globalization;
using System.Management.Automation;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// The commands that act on whole logs (rotate, close, describe, verify, list or remove archives):
/// each acts once per distinct log, however many piped objects name it. An event from
/// Get-ScoutAuditEvent names its log in its Path property, so <c>Get-ScoutAuditEvent | Close-ScoutAuditLog</c>
/// binds the same log once per event; these commands keep the first and pass over the rest.
/// </summary>
public abstract class LogCommandBase : AuditCommandBase
{
    /// <summary>How the file system compares paths: a log named in two cases on Windows and macOS is one log.</summary>
    private protected static readonly StringComparer PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    /// <summary>The logs this command was given so far (full paths), in the order first given.</summary>
    private readonly List<string> _logs = [];
    private readonly HashSet<string> _seen = new(PathComparison);

    /// <summary>
    /// The full paths of the logs <paramref name="paths"/> (wildcards expanded, <see cref="AuditCommandBase.LogTargets"/>)
    /// and <paramref name="literalPaths"/> name, or of the default log when neither is given.
    /// </summary>
    private protected IEnumerable<string> LogsOf(string[]? paths, string[]? literalPaths = null) =>
        paths is null && literalPaths is null ? [ResolveLogPath(null)] : LogTargets(paths, literalPaths).Select(target => target.Log);

    /// <summary>
    /// Of the logs <paramref name="paths"/> names, those this command has not met before: for a command
    /// that streams, acting on each log as it comes.
    /// </summary>
    private protected IEnumerable<string> NewLogsOf(string[]? paths, string[]? literalPaths = null) => LogsOf(paths, literalPaths).Where(Remember).ToList();

    /// <summary>
    /// Notes the logs <paramref name="paths"/> names, resolved now (so that a bad path stops the command
    /// at once), for <see cref="CollectedLogs"/>: for a command that acts once its input has ended.
    /// </summary>
    private protected void Collect(string[]? paths, string[]? literalPaths = null)
    {
        foreach (var log in LogsOf(paths, literalPaths)) Remember(log);
    }

    /// <summary>Every distinct log collected or met, in the order first given.</summary>
    private protected IReadOnlyList<string> CollectedLogs => _logs;

    /// <summary>An archive as a question or a What if names it: its path and, where the index describes it, its time range.</summary>
    private protected static string DescribeArchive(Core.ArchiveDescription archive) =>
        Inert(archive.FirstTimestamp is { } first && archive.LastTimestamp is { } last
            ? string.Create(CultureInfo.CurrentCulture, $"{archive.Path} (events {first.LocalDateTime:g} to {last.LocalDateTime:g})")
            : archive.Path);

    /// <summary>
    /// Whether -WhatIf is in effect (given, or $WhatIfPreference): a step that is not taken because an
    /// earlier one was only described may still be described.
    /// </summary>
    private protected bool WhatIfRequested() =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var given) ? ((SwitchParameter)given).IsPresent
            : SessionState.PSVariable.GetValue("WhatIfPreference") is { } preference && LanguagePrimitives.IsTrue(preference);

    private bool Remember(string log)
    {
        if (!_seen.Add(log)) return false;
        _logs.Add(log);
        return true;
    }
}
