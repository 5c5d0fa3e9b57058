namespace ScoutAudit.Core;

/// <summary>
/// One archive of a log. The time range, line count, uncompressed size and digest come from the
/// archive index; they are null for an archive the index does not describe (one made by the
/// original tool, or whose entry is missing or stale).
/// </summary>
/// <param name="Path">The <c>.jsonl.gz</c> file.</param>
/// <param name="CompressedBytes">Size of the archive file.</param>
/// <param name="FirstTimestamp">Earliest event time in the archive.</param>
/// <param name="LastTimestamp">Latest event time in the archive.</param>
/// <param name="Lines">Number of lines (events and any damaged lines).</param>
/// <param name="UncompressedBytes">Size of the sealed segment the archive was made from.</param>
/// <param name="Sha256">SHA-256 of the archive file, lowercase hex.</param>
public sealed record ArchiveDescription(
    string Path,
    long CompressedBytes,
    DateTimeOffset? FirstTimestamp = null,
    DateTimeOffset? LastTimestamp = null,
    long? Lines = null,
    long? UncompressedBytes = null,
    string? Sha256 = null)
{
    /// <summary>True when the index says no event of the archive falls in [since, until).</summary>
    internal bool IsOutside(DateTimeOffset? since, DateTimeOffset? until)
    {
        if (FirstTimestamp is not { } first || LastTimestamp is not { } last) return false;
        return (since is { } s && last < s) || (until is { } u && first >= u);
    }
}
