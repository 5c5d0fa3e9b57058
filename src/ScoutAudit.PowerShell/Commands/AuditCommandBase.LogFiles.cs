using System.Management.Automation;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Session;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// A -Path that names one of a log's other files rather than the log (<see cref="LogFileRole"/>):
/// an archive is read alone by the commands that read events, a lock, the index or a sidecar is
/// skipped by them in a word, and every command that acts on a whole log refuses both, naming the
/// log. Within one command each file of a log is read once, so that a log piped in with its
/// archives (<c>Get-ChildItem *.jsonl* | Get-ScoutAuditEvent</c>) yields each event once.
/// </summary>
public abstract partial class AuditCommandBase
{
    private static readonly StringComparer PathComparer =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    /// <summary>The files of logs this command has read so far (full paths).</summary>
    private readonly HashSet<string> _filesRead = new(PathComparer);

    /// <summary>What one -Path of a read names: a log (<see cref="Path"/> is <see cref="LogPath"/>), or an archive of a log, read alone.</summary>
    private protected sealed record ReadTarget(string Path, string LogPath)
    {
        public bool IsArchive => Path != LogPath;

        /// <summary>The -Path or -LiteralPath it came from (a wildcard's pattern), or null for the default log.</summary>
        public string? Given { get; init; }
    }

    /// <summary>
    /// What a read reads: each -Path with its wildcards expanded as PowerShell expands them (in the
    /// provider's order; a file matched twice is read once), each -LiteralPath as it is, or the default
    /// log. A log or archive that is not there (a mistyped path) is a non-terminating ObjectNotFound
    /// error and nothing is answered for it, as Get-Content answers: a zero spend would pass a budget
    /// check; a pattern that matches no file likewise. Only a read that waits for a log to be written
    /// (<paramref name="waiting"/>) takes a missing one, with a warning. The default log that was never
    /// written is empty, not missing.
    /// </summary>
    private protected IEnumerable<ReadTarget> ReadTargets(string[]? paths, string[]? literalPaths, bool waiting = false)
    {
        if (paths is null && literalPaths is null)
        {
            if (ResolveReadTarget(null) is { } defaultLog) yield return defaultLog;
            yield break;
        }
        foreach (var given in literalPaths ?? [])
        {
            if (ResolveReadTarget(given) is { } target && Exists(target, waiting)) yield return target;
        }
        foreach (var given in paths ?? [])
        {
            if (!WildcardPattern.ContainsWildcardCharacters(given))
            {
                if (ResolveReadTarget(given) is { } target && Exists(target, waiting)) yield return target;
                continue;
            }
            var matches = Expand(given);
            if (matches.Count == 0)
            {
                WriteError(Failure(new ItemNotFoundException($"No file matches -Path '{given}', so nothing is read for it. Check the pattern, or give a name with [ or ] as -LiteralPath."),
                    ErrorIds.AuditLogNotFound, ErrorCategory.ObjectNotFound, given));
                continue;
            }
            foreach (var match in matches)
            {
                // A listing holds a log's other files (index, locks, sidecars) as a matter of course: skipped in a verbose message.
                if (ResolveReadTarget(match, listed: true) is { } target) yield return target with { Given = given };
            }
        }
    }

    /// <summary>
    /// The whole logs a command acts on: each -Path with its wildcards expanded, each -LiteralPath as it
    /// is (an archive there is an error that names its log, as for every command on a whole log). A
    /// pattern's matches stand for their logs: an archive for its log (whose active file may not be
    /// there between a rotation and the next write), each log once; the other files of a log, a
    /// compressed file, are left out in a verbose message, as a listing holds them. A pattern that
    /// matches no log is an AuditLogNotFound error. Whether a log named exactly exists is the caller's to judge.
    /// </summary>
    private protected IEnumerable<(string Given, string Log)> LogTargets(string[]? paths, string[]? literalPaths)
    {
        foreach (var given in literalPaths ?? []) yield return (given, ResolveLogPath(given));
        foreach (var given in paths ?? [])
        {
            if (!WildcardPattern.ContainsWildcardCharacters(given))
            {
                yield return (given, ResolveLogPath(given));
                continue;
            }
            var logs = new List<string>();
            foreach (var match in Expand(given))
            {
                var role = LogFileRole.Of(match);
                if (role.Kind is LogFileRoleKind.Log or LogFileRoleKind.Archive)
                {
                    if (!logs.Contains(role.LogPath, PathComparer)) logs.Add(role.LogPath);
                    continue;
                }
                var what = role.Kind == LogFileRoleKind.Compressed ? "a compressed file" : $"{role.What} of the log '{role.LogPath}'";
                WriteVerbose(Inert($"Skipped '{match}', matched by -Path '{given}': it is {what}, not a log."));
            }
            if (logs.Count == 0)
                WriteError(Failure(new ItemNotFoundException($"No log matches -Path '{given}', so nothing is done for it. Check the pattern, or give a name with [ or ] as -LiteralPath."),
                    ErrorIds.AuditLogNotFound, ErrorCategory.ObjectNotFound, given));
            foreach (var log in logs) yield return (given, log);
        }
    }

    /// <summary>The files a wildcard -Path matches, full paths; directories left out.</summary>
    private List<string> Expand(string pattern)
    {
        System.Collections.ObjectModel.Collection<string> found;
        ProviderInfo provider;
        try
        {
            found = SessionState.Path.GetResolvedProviderPathFromPSPath(pattern, out provider);
        }
        catch (ItemNotFoundException)
        {
            return [];
        }
        catch (Exception error) when (error is SessionStateException or ProviderInvocationException or ArgumentException or NotSupportedException or IOException)
        {
            throw Terminate(new ArgumentException($"The audit log path '{pattern}' cannot be resolved: {error.Message}", "Path", error),
                ErrorIds.AuditLogPathInvalid, ErrorCategory.InvalidArgument, pattern);
        }
        if (provider.Name != "FileSystem")
        {
            throw Terminate(new ArgumentException($"The audit log path '{pattern}' is in the {provider.Name} provider; an audit log is a file, so give a file-system path.", "Path"),
                ErrorIds.AuditLogPathNotFileSystem, ErrorCategory.InvalidArgument, pattern);
        }
        return found.Select(System.IO.Path.GetFullPath).Where(File.Exists).Distinct(PathComparer).ToList();
    }

    /// <summary>Whether <paramref name="target"/> is there to read; when not, an ObjectNotFound error unless <paramref name="waiting"/>.</summary>
    private protected bool Exists(ReadTarget target, bool waiting = false)
    {
        if (waiting) return true;
        var there = target.IsArchive ? File.Exists(target.Path) : new AuditLog(target.LogPath).HasFiles;
        if (!there)
        {
            var message = target.IsArchive
                ? $"No archive at '{target.Path}', so nothing is read for it. Check -Path '{target.Given}'."
                : $"No audit log at '{target.Path}': neither the file nor an archive of it exists, so nothing is read for it. Check -Path '{target.Given}'.";
            WriteError(Failure(new ItemNotFoundException(message), ErrorIds.AuditLogNotFound, ErrorCategory.ObjectNotFound, target.Given, Inert(message)));
        }
        return there;
    }

    /// <summary>
    /// What a command that reads events reads for <paramref name="given"/> (null: the default log):
    /// a log, or an archive alone; null for another file of a log, which is skipped with a warning, or
    /// with a verbose message when it came down the pipeline (a directory listing holds a log's other
    /// files as a matter of course). A path that cannot be a log's is a terminating error, as for
    /// every command.
    /// </summary>
    private protected ReadTarget? ResolveReadTarget(string? given, bool listed = false)
    {
        var path = string.IsNullOrEmpty(given) ? DefaultLogs.GetOrAdd(AuditLog.DefaultPath, Resolve) : Resolve(given);
        var role = LogFileRole.Of(path);
        switch (role.Kind)
        {
            case LogFileRoleKind.Log:
                return new ReadTarget(path, path) { Given = given };
            case LogFileRoleKind.Archive:
                return new ReadTarget(path, role.LogPath) { Given = given };
            default:
                var skipped = role.Kind == LogFileRoleKind.Compressed
                    ? $"Skipped '{path}': it is compressed, and not named as an archive of a log (<log>_YYYYMMDD_HHMMSS.jsonl.gz), so it is not read as a log. Decompress it to read it."
                    : $"Skipped '{path}': it is {role.What} of the log '{role.LogPath}', not a log.";
                if (listed || MyInvocation.ExpectingInput) WriteVerbose(Inert(skipped));
                else WriteWarning(Inert(role.Kind == LogFileRoleKind.Compressed ? skipped : $"{skipped} Give the log itself: -Path '{role.LogPath}'."));
                return null;
        }
    }

    /// <summary>
    /// <paramref name="path"/>, resolved from <paramref name="given"/>, when it names a log; for an
    /// archive or another file of a log, a terminating error (AuditLogPathNotLog) that names the log.
    /// </summary>
    private string OnlyALog(string path, string? given)
    {
        var role = LogFileRole.Of(path);
        var message = role.Kind switch
        {
            LogFileRoleKind.Log => null,
            LogFileRoleKind.Archive =>
                $"'{path}' is an archive of the log '{role.LogPath}'; give the log itself: -Path '{role.LogPath}'. Get-ScoutAuditEvent, Get-ScoutAuditSpend and Get-ScoutAuditAccuracy read an archive alone.",
            LogFileRoleKind.Compressed =>
                $"'{path}' is a compressed file, not an audit log: a log is a .jsonl file of lines of text, and its archives are named <log>_YYYYMMDD_HHMMSS.jsonl.gz beside it.",
            _ => $"'{path}' is {role.What} of the log '{role.LogPath}', not a log; give the log itself: -Path '{role.LogPath}'.",
        };
        if (message is not null)
            throw Terminate(new ArgumentException(message, "Path"), ErrorIds.AuditLogPathNotLog, ErrorCategory.InvalidArgument, given ?? path, Inert(message));
        return path;
    }

    /// <summary>
    /// A reader of the log or archive of <paramref name="target"/>. With <paramref name="once"/>, a
    /// file this command read already is left out (said in a verbose message); a follower, which
    /// reads the same files again and again, reads without it.
    /// </summary>
    private protected AuditLog OpenForReading(ReadTarget target, QueryDiagnostics diagnostics, QueryProgress progress, bool once)
    {
        bool Reads(string file)
        {
            if (target.IsArchive && !PathComparer.Equals(file, target.Path)) return false;
            if (!once) return true;
            lock (_filesRead)
            {
                if (_filesRead.Add(file)) return true;
            }
            diagnostics.Report(new AuditDiagnostic(AuditDiagnosticKind.ArchiveSkipped, file,
                $"Skipped '{file}': this command has read it already, with its log or on its own."));
            return false;
        }
        return new AuditLog(target.LogPath, LogEntry.ReadOptions(diagnostics) with { ReadProgress = progress.Counter, ReadsFile = Reads });
    }

    /// <summary>Like <see cref="WarnWhenNoLog"/>, for a target that may be an archive: one that is not there is warned of by its own name.</summary>
    private protected void WarnWhenNothingToRead(AuditLog log, ReadTarget target, string? givenPath, bool waiting = false)
    {
        if (!target.IsArchive)
        {
            WarnWhenNoLog(log, givenPath, waiting);
            return;
        }
        if (givenPath is not null && !File.Exists(target.Path))
            WriteWarning(Inert($"No archive at '{target.Path}', so there is nothing to read. Check -Path '{givenPath}'."));
    }
}
