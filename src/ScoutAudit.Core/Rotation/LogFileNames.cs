using System.Text.RegularExpressions;

namespace ScoutAudit.Core;

/// <summary>What a log's file is, by its name.</summary>
public enum LogFileKind
{
    /// <summary>Not named as a file of a log.</summary>
    None,

    /// <summary>A log's active file or a sealed segment of it (<c>.jsonl</c>).</summary>
    Log,

    /// <summary>An archive (<c>.jsonl.gz</c>), or one being written (<c>.jsonl.gz.tmp</c>).</summary>
    Archive,

    /// <summary>The archive index (<c>&lt;stem&gt;.index.jsonl</c>).</summary>
    Index,

    /// <summary>A file kept beside the active file: a lock, the block summaries, the verification state, a forwarding checkpoint, or the temporary one of them is replaced through.</summary>
    Sidecar,
}

/// <summary>
/// Which names are a log's files (<see cref="LogFiles"/> lists them), for a command that must never
/// write over one: whatever the log, a <c>.jsonl</c> file is read as a log, a <c>.jsonl.gz</c> as an
/// archive, and <c>.jsonl.lock</c>, <c>.jsonl.verified</c>... are its sidecars; a log with another
/// name (<c>$env:SCOUT_AUDIT_PATH</c> may name <c>scout.log</c>) has its sidecars beside it under
/// its own name, so the logs known are compared too. Names compare ignoring case: on the file
/// systems of Windows and macOS <c>AUDIT.JSONL</c> is the log.
/// </summary>
public static class LogFileNames
{
    internal const string AppendLockSuffix = ".lock";
    internal const string SealIntentSuffix = ".seal-intent";
    internal const string RotateLockSuffix = ".rotate-lock";
    internal const string ChainLockSuffix = ".chain-lock";
    internal const string TimeBlocksSuffix = ".blocks";
    internal const string VerifiedSuffix = ".verified";
    internal const string IndexSuffix = ".index.jsonl";

    /// <summary>
    /// What <paramref name="path"/> (a full path) is to the logs: a file of one of <paramref name="logs"/>
    /// (full paths of active files), or named as any log's file is; <see cref="LogFileKind.None"/> otherwise.
    /// </summary>
    public static LogFileKind KindOf(string path, IEnumerable<string> logs)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(logs);
        foreach (var log in logs)
        {
            if (string.Equals(path, log, StringComparison.OrdinalIgnoreCase)) return LogFileKind.Log;
            if (path.StartsWith(log, StringComparison.OrdinalIgnoreCase) && SidecarTail.IsMatch(path.AsSpan(log.Length))) return LogFileKind.Sidecar;
        }
        var name = System.IO.Path.GetFileName(path);
        if (name.EndsWith(IndexSuffix, StringComparison.OrdinalIgnoreCase)) return LogFileKind.Index;
        if (name.EndsWith(ArchiveName.SealedSuffix, StringComparison.OrdinalIgnoreCase)) return LogFileKind.Log;
        if (name.EndsWith(ArchiveName.ArchiveSuffix, StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(ArchiveName.TemporarySuffix, StringComparison.OrdinalIgnoreCase)) return LogFileKind.Archive;
        var sealedSuffix = name.LastIndexOf(ArchiveName.SealedSuffix + ".", StringComparison.OrdinalIgnoreCase);
        return sealedSuffix > 0 && SidecarTail.IsMatch(name.AsSpan(sealedSuffix + ArchiveName.SealedSuffix.Length)) ? LogFileKind.Sidecar : LogFileKind.None;
    }

    /// <summary>
    /// What follows the active file's name in a sidecar's: one of the suffixes of <see cref="LogFiles"/>
    /// or a forwarding checkpoint's (<see cref="ForwardingCheckpoint.DefaultPath"/>), then perhaps the
    /// <c>.&lt;pid or guid&gt;.tmp</c> of a replacement in progress.
    /// </summary>
    private static readonly Regex SidecarTail = new(
        "^(?:" + string.Join("|", new[] { AppendLockSuffix, SealIntentSuffix, RotateLockSuffix, ChainLockSuffix, TimeBlocksSuffix, VerifiedSuffix }.Select(Regex.Escape))
        + @"|\.forward-[0-9a-f]+\.json)(?:\.[0-9a-f]+\.tmp)?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
