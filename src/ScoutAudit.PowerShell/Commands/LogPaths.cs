using System.Management.Automation;
using ScoutAudit.Core;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>What one -Path of a read names: a log (<see cref="Path"/> is <see cref="LogPath"/>), or an archive of a log, read alone.</summary>
internal sealed record ReadTarget(string Path, string LogPath)
{
    public bool IsArchive => Path != LogPath;

    /// <summary>The -Path or -LiteralPath it came from (a wildcard's pattern), or null for the default log.</summary>
    public string? Given { get; init; }
}

/// <summary>
/// The logs a command's -Path and -LiteralPath name, resolved through PowerShell's providers:
/// relative to the current location, <c>~</c> expanded, wildcards expanded as PowerShell expands
/// them; only file-system paths. A -Path that names one of a log's other files rather than the log
/// (<see cref="LogFileRole"/>): an archive is read alone by the commands that read events, a lock,
/// the index or a sidecar is skipped by them in a word, and every command that acts on a whole log
/// refuses both, naming the log.
/// </summary>
internal sealed class LogPaths(PSCmdlet command)
{
    public static readonly StringComparer PathComparer =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    /// <summary>
    /// The full file-system path of a log: relative to the current PowerShell location, <c>~</c>
    /// expanded, provider-qualified paths accepted. Null or empty means the default log
    /// (<c>$env:SCOUT_AUDIT_PATH</c>, else <c>~/.scout/audit.jsonl</c>). Anything else, an archive
    /// or another file of a log included, is a terminating error that names the path.
    /// </summary>
    public string ResolveLogPath(string? path) =>
        OnlyALog(string.IsNullOrEmpty(path) ? DefaultLogs.GetOrAdd(AuditLog.DefaultPath, Resolve) : Resolve(path), path);

    /// <summary>
    /// The default log's full path when it is a file-system path, else null; unlike <see cref="ResolveLogPath"/>,
    /// never an error: for a command that only needs to know which file the default log is, not to use it.
    /// </summary>
    public string? DefaultLogPathIfAny()
    {
        if (DefaultLogs.TryGetValue(AuditLog.DefaultPath, out var known)) return known;
        try
        {
            var resolved = command.SessionState.Path.GetUnresolvedProviderPathFromPSPath(AuditLog.DefaultPath, out var provider, out _);
            return provider.Name == "FileSystem" ? System.IO.Path.GetFullPath(resolved) : null;
        }
        catch (Exception error) when (error is SessionStateException or ProviderInvocationException or ArgumentException or NotSupportedException or IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// The default log as first resolved for each value of <c>$env:SCOUT_AUDIT_PATH</c>: the original
    /// resolves a relative one once, when it starts, so a later Set-Location must not move the log.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> DefaultLogs = new(StringComparer.Ordinal);

    /// <summary>
    /// File-system paths already resolved, by the location they were resolved in and the path given:
    /// resolving through the providers costs about 40 µs, which a runbook's <c>foreach</c> of
    /// Write-ScoutAuditEvent would pay for every event. The location is part of the key, so a relative
    /// path still follows Set-Location; only resolutions to a file-system path are kept, and none of a
    /// drive-qualified path (<c>X:\log.jsonl</c>), whose drive may be removed and made anew elsewhere.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Location, string Given), string> Resolved = new();

    private string Resolve(string given)
    {
        var key = (command.SessionState.Path.CurrentLocation.Path, given);
        if (!Resolved.TryGetValue(key, out var resolved))
        {
            resolved = ResolveThroughProvider(given);
            if (Resolved.Count > 1024) Resolved.Clear(); // a script that makes paths as it goes: keep the cache small
            if (!given.Contains(':')) Resolved[key] = resolved;
        }
        if (Directory.Exists(resolved))
        {
            throw ErrorRecords.Terminate(command,
                new ArgumentException($"The audit log path '{given}' is a directory; give the path of a .jsonl file, such as '{System.IO.Path.Combine(resolved, "audit.jsonl")}'.", "Path"),
                ErrorIds.AuditLogPathIsDirectory, ErrorCategory.InvalidArgument, given);
        }
        return resolved;
    }

    private string ResolveThroughProvider(string given) =>
        System.IO.Path.GetFullPath(InFileSystem(given, path => (command.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _), provider))!);

    /// <summary>
    /// Resolves <paramref name="given"/> through the providers: a resolution that fails, or that
    /// lands outside the file system, is a terminating error that names the path. Null when a
    /// wildcard being <paramref name="expanding"/> matches nothing.
    /// </summary>
    private T? InFileSystem<T>(string given, Func<string, (T Result, ProviderInfo Provider)> resolve, bool expanding = false) where T : class
    {
        (T Result, ProviderInfo Provider) resolved;
        try
        {
            resolved = resolve(given);
        }
        catch (ItemNotFoundException) when (expanding)
        {
            return null;
        }
        catch (Exception error) when (error is SessionStateException or ProviderInvocationException or ArgumentException or NotSupportedException or IOException)
        {
            throw ErrorRecords.Terminate(command, new ArgumentException($"The audit log path '{given}' cannot be resolved: {error.Message}", "Path", error),
                ErrorIds.AuditLogPathInvalid, ErrorCategory.InvalidArgument, given);
        }
        if (resolved.Provider.Name != "FileSystem")
        {
            throw ErrorRecords.Terminate(command, new ArgumentException($"The audit log path '{given}' is in the {resolved.Provider.Name} provider; an audit log is a file, so give a file-system path.", "Path"),
                ErrorIds.AuditLogPathNotFileSystem, ErrorCategory.InvalidArgument, given);
        }
        return resolved.Result;
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
    public IEnumerable<ReadTarget> ReadTargets(string[]? paths, string[]? literalPaths, bool waiting = false)
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
                command.WriteError(ErrorRecords.Failure(new ItemNotFoundException($"No file matches -Path '{given}', so nothing is read for it. Check the pattern, or give a name with [ or ] as -LiteralPath."),
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
    public IEnumerable<(string Given, string Log)> LogTargets(string[]? paths, string[]? literalPaths)
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
                command.WriteVerbose(InertText.Of($"Skipped '{match}', matched by -Path '{given}': it is {what}, not a log."));
            }
            if (logs.Count == 0)
                command.WriteError(ErrorRecords.Failure(new ItemNotFoundException($"No log matches -Path '{given}', so nothing is done for it. Check the pattern, or give a name with [ or ] as -LiteralPath."),
                    ErrorIds.AuditLogNotFound, ErrorCategory.ObjectNotFound, given));
            foreach (var log in logs) yield return (given, log);
        }
    }

    /// <summary>The files a wildcard -Path matches, full paths; directories left out.</summary>
    private List<string> Expand(string pattern) =>
        InFileSystem(pattern, path => (command.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out var provider), provider), expanding: true) is { } found
            ? found.Select(System.IO.Path.GetFullPath).Where(File.Exists).Distinct(PathComparer).ToList()
            : [];

    /// <summary>Whether <paramref name="target"/> is there to read; when not, an ObjectNotFound error unless <paramref name="waiting"/>.</summary>
    public bool Exists(ReadTarget target, bool waiting = false)
    {
        if (waiting) return true;
        var there = target.IsArchive ? File.Exists(target.Path) : new AuditLog(target.LogPath).HasFiles;
        if (!there)
        {
            var message = target.IsArchive
                ? $"No archive at '{target.Path}', so nothing is read for it. Check -Path '{target.Given}'."
                : $"No audit log at '{target.Path}': neither the file nor an archive of it exists, so nothing is read for it. Check -Path '{target.Given}'.";
            command.WriteError(ErrorRecords.Failure(new ItemNotFoundException(message), ErrorIds.AuditLogNotFound, ErrorCategory.ObjectNotFound, target.Given, InertText.Of(message)));
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
    public ReadTarget? ResolveReadTarget(string? given, bool listed = false)
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
                if (listed || command.MyInvocation.ExpectingInput) command.WriteVerbose(InertText.Of(skipped));
                else command.WriteWarning(InertText.Of(role.Kind == LogFileRoleKind.Compressed ? skipped : $"{skipped} Give the log itself: -Path '{role.LogPath}'."));
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
            throw ErrorRecords.Terminate(command, new ArgumentException(message, "Path"), ErrorIds.AuditLogPathNotLog, ErrorCategory.InvalidArgument, given ?? path, InertText.Of(message));
        return path;
    }
}
