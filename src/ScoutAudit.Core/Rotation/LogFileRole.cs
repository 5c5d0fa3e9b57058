namespace ScoutAudit.Core;

/// <summary>What a path given as a log turns out to name.</summary>
public enum LogFileRoleKind
{
    /// <summary>A log: its active file (whether it exists or not).</summary>
    Log,

    /// <summary>An archive of a log, named as ScoutAudit and the original name them: readable alone.</summary>
    Archive,

    /// <summary>Another file of a log, which holds no events: its index, a lock, a sidecar, an archive being written.</summary>
    OtherFile,

    /// <summary>A compressed file not named as an archive of a log: never a log, and never read as text.</summary>
    Compressed,
}

/// <summary>
/// What a path given as a log names, by the names <see cref="LogFiles"/> and <see cref="ArchiveName"/>
/// give a log's files (for an index name, also by what lies beside it): so that a command reads an
/// archive as the archive it is, skips or refuses a lock or an index by name, and never reads gzip
/// bytes as lines. A sealed segment (<c>&lt;stem&gt;_YYYYMMDD_HHMMSS.jsonl</c>) is named like a log of
/// its own (a runbook may well name its logs so) and is taken as one.
/// </summary>
/// <param name="Kind">What the path names.</param>
/// <param name="LogPath">The log the file belongs to (the path itself for a log or a compressed file).</param>
/// <param name="What">For another file of a log, what it is, as a phrase to say "of the log": "the append lock", "the archive index".</param>
public sealed record LogFileRole(LogFileRoleKind Kind, string LogPath, string? What = null)
{
    /// <summary>
    /// The other files beside an active file, named as the active file's name and a suffix, and what
    /// each is; the suffixes as LogFiles makes them, so that the two never disagree.
    /// </summary>
    private static readonly (string Suffix, string What)[] Sidecars = SidecarsOf(new LogFiles("x" + ArchiveName.SealedSuffix),
    [
        (files => files.AppendLock, "the append lock"),
        (files => files.SealIntent, "the seal-intent lock"),
        (files => files.RotateLock, "the rotation lock"),
        (files => files.ChainLock, "the chain lock"),
        (files => files.TimeBlocks, "the time summaries of the blocks"),
        (files => files.Verified, "the verification state"),
    ]);

    private static (string, string)[] SidecarsOf(LogFiles probe, (Func<LogFiles, string> File, string What)[] sidecars) =>
        [.. sidecars.Select(sidecar => (sidecar.File(probe)[probe.Active.Length..], sidecar.What))];

    private const string ForwardCheckpointPart = ".forward-";
    private const string IndexSuffix = LogFileNames.IndexSuffix;

    /// <summary>What the file at <paramref name="fullPath"/> is, by its name; it need not exist.</summary>
    public static LogFileRole Of(string fullPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(fullPath);
        var name = System.IO.Path.GetFileName(fullPath);
        var directory = System.IO.Path.GetDirectoryName(fullPath) ?? "";

        foreach (var (suffix, what) in Sidecars)
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal))
                return new(LogFileRoleKind.OtherFile, fullPath[..^suffix.Length], what);
        }
        var forward = name.LastIndexOf(ForwardCheckpointPart, StringComparison.Ordinal);
        if (forward > 0 && name.EndsWith(".json", StringComparison.Ordinal) && IsHex(name.AsSpan(forward + ForwardCheckpointPart.Length, name.Length - forward - ForwardCheckpointPart.Length - ".json".Length)))
            return new(LogFileRoleKind.OtherFile, System.IO.Path.Combine(directory, name[..forward]), "a forwarding checkpoint");

        for (var underscore = name.IndexOf('_'); underscore > 0; underscore = name.IndexOf('_', underscore + 1))
        {
            var stem = name[..underscore];
            if (!ArchiveName.TryParse(name, stem, out _, out var suffix)) continue;
            var log = System.IO.Path.Combine(directory, stem + ArchiveName.SealedSuffix);
            if (suffix == ArchiveName.ArchiveSuffix) return new(LogFileRoleKind.Archive, log);
            if (suffix == ArchiveName.TemporarySuffix) return new(LogFileRoleKind.OtherFile, log, "an archive being written");
            break; // a sealed segment: named like a log of its own
        }
        if (name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return new(LogFileRoleKind.Compressed, fullPath);

        // <stem>.index.jsonl is also a valid name for a log: it is the index when the log it would be
        // the index of is there (its active file or an archive).
        if (name.Length > IndexSuffix.Length && name.EndsWith(IndexSuffix, StringComparison.Ordinal))
        {
            var files = new LogFiles(System.IO.Path.Combine(directory, name[..^IndexSuffix.Length] + ArchiveName.SealedSuffix));
            if (files.Index == fullPath && (File.Exists(files.Active) || RotatedSegments.List(files).Any(s => s.HasArchive)))
                return new(LogFileRoleKind.OtherFile, files.Active, "the archive index");
        }
        return new(LogFileRoleKind.Log, fullPath);
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return false;
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigitLower(c)) return false;
        }
        return true;
    }
}
