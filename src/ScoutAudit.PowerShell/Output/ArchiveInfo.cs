namespace ScoutAudit;

/// <summary>
/// One archive of a log, as Get-ScoutAuditArchive lists it and Invoke-ScoutAuditRotation returns it.
/// Unlike every other output, its Path is not a log but the archive: <see cref="LogPath"/> names the
/// log, and Remove-ScoutAuditArchive takes the object itself from the pipeline.
/// </summary>
public sealed class ArchiveInfo
{
    internal ArchiveInfo(Core.ArchiveDescription archive, string logPath)
    {
        Path = archive.Path;
        LogPath = logPath;
        CompressedBytes = archive.CompressedBytes;
        FirstTimestamp = archive.FirstTimestamp?.LocalDateTime;
        LastTimestamp = archive.LastTimestamp?.LocalDateTime;
        Lines = archive.Lines;
        UncompressedBytes = archive.UncompressedBytes;
        Sha256 = InertText.Of(archive.Sha256);
    }

    /// <summary>The <c>.jsonl.gz</c> file.</summary>
    public string Path { get; }

    /// <summary>The log the archive belongs to (its active file, <c>&lt;dir&gt;/&lt;stem&gt;.jsonl</c>).</summary>
    public string LogPath { get; }

    /// <summary>Earliest event time in the archive, local time; null when the archive index does not describe it.</summary>
    public DateTime? FirstTimestamp { get; }

    /// <summary>Latest event time in the archive, local time; null when the archive index does not describe it.</summary>
    public DateTime? LastTimestamp { get; }

    /// <summary>Lines in the archive (events and any damaged lines).</summary>
    public long? Lines { get; }

    /// <summary>Size of the archive file.</summary>
    public long CompressedBytes { get; }

    /// <summary>Size of the segment the archive was made from.</summary>
    public long? UncompressedBytes { get; }

    /// <summary>SHA-256 of the archive file, lowercase hex.</summary>
    public string? Sha256 { get; }

    public override string ToString() => Path;
}
