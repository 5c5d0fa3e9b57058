using System.Globalization;
using System.Text.RegularExpressions;

namespace ScoutAudit.Core;

/// <summary>
/// The name of a rotated segment: <c>&lt;stem&gt;_YYYYMMDD_HHMMSS</c> (UTC time of rotation, the
/// original's naming) for the original's, and <c>_0001</c>, <c>_0002</c>... after it for
/// ScoutAudit's, which sort after it and which the original, naming by the second alone, never
/// writes over. <c>.jsonl</c> while sealed, <c>.jsonl.gz</c> once archived.
/// </summary>
internal readonly partial record struct ArchiveName(DateTime Stamp, int Sequence) : IComparable<ArchiveName>
{
    public const string SealedSuffix = ".jsonl";
    public const string ArchiveSuffix = ".jsonl.gz";
    public const string TemporarySuffix = ".jsonl.gz.tmp";

    public int CompareTo(ArchiveName other)
    {
        var byStamp = Stamp.CompareTo(other.Stamp);
        return byStamp != 0 ? byStamp : Sequence.CompareTo(other.Sequence);
    }

    /// <summary>The base name, without suffix.</summary>
    public string BaseName(string stem) =>
        Sequence == 0
            ? $"{stem}_{Stamp.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture)}"
            : $"{stem}_{Stamp.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture)}_{Sequence:D4}";

    /// <summary>The next name after every existing one: now, or one past the latest when that is not earlier than now.</summary>
    public static ArchiveName Next(DateTimeOffset now, IEnumerable<ArchiveName> existing)
    {
        // Never the bare name: the original names its archive by the second alone and writes over
        // whatever has that name, so an archive of ours made in the same second as its rotation
        // would be lost. Ours always carry _0001 and up, which sort after the original's.
        var candidate = new ArchiveName(TruncateToSecond(now.UtcDateTime), 1);
        var latest = existing.DefaultIfEmpty().Max();
        return latest.CompareTo(candidate) >= 0 ? latest with { Sequence = latest.Sequence + 1 } : candidate;
    }

    /// <summary>Recognises a rotated file of <paramref name="stem"/>; returns its kind by suffix.</summary>
    public static bool TryParse(string fileName, string stem, out ArchiveName name, out string suffix)
    {
        name = default;
        suffix = "";
        if (!fileName.StartsWith(stem + "_", StringComparison.Ordinal)) return false;
        var match = Pattern().Match(fileName, stem.Length);
        if (!match.Success || match.Index != stem.Length) return false;
        if (!DateTime.TryParseExact(match.Groups["stamp"].Value, "yyyyMMdd_HHmmss", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var stamp))
            return false;
        var sequence = match.Groups["seq"].Success ? int.Parse(match.Groups["seq"].Value, CultureInfo.InvariantCulture) : 0;
        name = new ArchiveName(stamp, sequence);
        suffix = match.Groups["suffix"].Value;
        return true;
    }

    private static DateTime TruncateToSecond(DateTime utc) => new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    [GeneratedRegex(@"\G_(?<stamp>\d{8}_\d{6})(?:_(?<seq>\d{4,}))?(?<suffix>\.jsonl(?:\.gz(?:\.tmp)?)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
