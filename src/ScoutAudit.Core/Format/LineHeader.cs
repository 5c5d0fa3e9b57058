namespace ScoutAudit.Core;

/// <summary>
/// The time and event type at the start of a line as the original writes it
/// (<c>{"ts": "2026-02-13T14:30:22.123Z", "event": "nav", ...</c>), read without parsing the line,
/// so that a query can rule a line out before paying for a full parse.
/// </summary>
internal static class LineHeader
{
    private static ReadOnlySpan<byte> Start => "{\"ts\": \""u8;
    private static ReadOnlySpan<byte> BetweenTimeAndEvent => "\", \"event\": \""u8;

    public static bool TryRead(ReadOnlySpan<byte> line, out DateTimeOffset timestamp, out ReadOnlySpan<byte> eventType)
    {
        timestamp = default;
        eventType = default;
        const int eventStart = 8 + UtcTimestamp.Length + 13;
        if (line.Length < eventStart + 2 || !line.StartsWith(Start) || !line[(8 + UtcTimestamp.Length)..].StartsWith(BetweenTimeAndEvent))
            return false;
        if (!UtcTimestamp.TryParse(line.Slice(8, UtcTimestamp.Length), out timestamp)) return false;
        var rest = line[eventStart..];
        var end = rest.IndexOfAny((byte)'"', (byte)'\\');
        if (end < 0 || rest[end] != (byte)'"') return false; // escapes: leave it to the parser
        eventType = rest[..end];
        return true;
    }
}
