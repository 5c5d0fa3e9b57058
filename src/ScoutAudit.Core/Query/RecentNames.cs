namespace ScoutAudit.Core;

/// <summary>
/// The event types and models a log has used lately, read from the end of its active file only,
/// so that tab completion can offer them at once whatever the size of the history.
/// </summary>
public sealed record RecentNames(IReadOnlyList<string> EventTypes, IReadOnlyList<string> Models)
{
    /// <summary>How much of the active file's end is read: a few thousand events.</summary>
    public const int DefaultTailBytes = 1024 * 1024;

    public static RecentNames None { get; } = new([], []);

    /// <summary>
    /// The names in the last <paramref name="tailBytes"/> of <paramref name="activePath"/>, each once, sorted
    /// ordinally. A missing or unreadable file has none; a line cut by the start of the tail or not an event is passed over.
    /// </summary>
    public static RecentNames Read(string activePath, int tailBytes = DefaultTailBytes)
    {
        try
        {
            using var file = FileSafety.OpenRegularForReading(activePath, 4096);
            if (file is null) return None;
            var start = Math.Max(0, file.Length - tailBytes);
            file.Position = start;
            var reader = new LineReader(file, maxLineBytes: tailBytes);
            var types = new SortedSet<string>(StringComparer.Ordinal);
            var models = new SortedSet<string>(StringComparer.Ordinal);
            var first = start > 0; // the tail's first line is most likely a fragment
            while (reader.Next(out var line) is LineStatus.Line or LineStatus.Unterminated or LineStatus.TooLong)
            {
                if (first)
                {
                    first = false;
                    continue;
                }
                if (!AuditLineParser.TryParse(line, out var auditEvent, out _)) continue;
                types.Add(auditEvent!.Event);
                if (auditEvent.Model is { } model) models.Add(model);
            }
            return new RecentNames([.. types], [.. models]);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return None;
        }
    }
}
