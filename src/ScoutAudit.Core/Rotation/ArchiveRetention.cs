namespace ScoutAudit.Core;

/// <summary>
/// How long a log keeps its archives, applied after each rotation (<see cref="AuditLogOptions.Retention"/>):
/// archives whose newest event is older than <see cref="MaxAge"/>, and archives beyond the newest
/// <see cref="Keep"/>, are removed, each removal recorded in the archive index's chain. With both,
/// an archive goes when it is too old and not among the newest <see cref="Keep"/>.
/// </summary>
public sealed record ArchiveRetention
{
    private readonly int? _keep;
    private readonly TimeSpan? _maxAge;

    public int? Keep
    {
        get => _keep;
        init => _keep = value is < 0 ? throw new ArgumentOutOfRangeException(nameof(Keep), value, $"The number of archives to keep must be 0 or more; got {value}.") : value;
    }

    public TimeSpan? MaxAge
    {
        get => _maxAge;
        init => _maxAge = value is { } age && age <= TimeSpan.Zero
            ? throw new ArgumentOutOfRangeException(nameof(MaxAge), value, $"The age of archives to keep must be more than zero; got {value}.")
            : value;
    }

    public override string ToString() => (Keep, MaxAge) switch
    {
        ({ } keep, { } age) => $"archives older than {age} beyond the newest {keep}",
        ({ } keep, null) => $"archives beyond the newest {keep}",
        (null, { } age) => $"archives older than {age}",
        _ => "none",
    };

    /// <summary>
    /// The archives to remove, oldest first, of <paramref name="archives"/> (oldest first): those whose
    /// newest event is before <paramref name="before"/> (for an archive the index does not describe,
    /// its rotation time from its name, which no event of it is later than) and that are not among the
    /// newest <paramref name="keep"/>. Null for a criterion means it does not restrict.
    /// </summary>
    internal static List<ArchiveDescription> Select(IReadOnlyList<ArchiveDescription> archives, DateTimeOffset? before, int? keep, string stem)
    {
        if (before is null && keep is null) return [];
        var candidates = keep is { } k ? archives.Take(Math.Max(0, archives.Count - k)) : archives;
        return before is not { } cutoff ? [.. candidates] : [.. candidates.Where(a => NewestEvent(a, stem) is { } newest && newest < cutoff)];
    }

    private static DateTimeOffset? NewestEvent(ArchiveDescription archive, string stem) =>
        archive.LastTimestamp ?? (ArchiveName.TryParse(System.IO.Path.GetFileName(archive.Path), stem, out var name, out _)
            ? new DateTimeOffset(name.Stamp, TimeSpan.Zero).AddSeconds(1) // the name is truncated to the second
            : null);
}
