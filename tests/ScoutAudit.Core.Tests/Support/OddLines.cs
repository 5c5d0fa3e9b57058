using System.Text;

namespace ScoutAudit.Core.Tests.Support;

/// <summary>
/// Lines on which the readers once disagreed (issue 27): forward reads, -Last, the verifier and the
/// time summaries must each judge them as the original does, and so alike. A file holds two events,
/// then the odd line as line 3.
/// </summary>
public static class OddLines
{
    public const string TabOnly = "a tab-only line";
    public const string SpacesOnly = "a line of spaces";
    public const string Crlf = "an event ended by CRLF";
    public const string LoneCarriageReturn = "a line of a lone CR before CRLF";
    public const string EventWithExtraCarriageReturn = "an event ended by CR CR LF";
    public const string OverLong = "an over-long line";

    public static TheoryData<string> Kinds => [TabOnly, SpacesOnly, Crlf, LoneCarriageReturn, EventWithExtraCarriageReturn, OverLong];

    /// <summary>The odd line's number in the file.</summary>
    public const long Number = 3;

    private static string Event(int minute) => $"{{\"ts\": \"{UtcTimestamp.Format(Events.Start.AddMinutes(minute))}\", \"event\": \"nav\", \"session_id\": \"odd\"}}";

    /// <summary>Writes the file; the odd line is written with its ending.</summary>
    public static string Write(TempFolder folder, string kind)
    {
        var path = folder.File("audit.jsonl");
        byte[] odd = kind switch
        {
            TabOnly => "\t\n"u8.ToArray(),
            SpacesOnly => "   \n"u8.ToArray(),
            Crlf => Encoding.UTF8.GetBytes(Event(2) + "\r\n"),
            LoneCarriageReturn => "\r\r\n"u8.ToArray(),
            EventWithExtraCarriageReturn => Encoding.UTF8.GetBytes(Event(2) + "\r\r\n"),
            OverLong => [.. Enumerable.Repeat((byte)'x', LineReader.DefaultMaxLineBytes + 10), (byte)'\n'],
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes(Event(0) + "\n" + Event(1) + "\n"), .. odd]);
        return path;
    }

    /// <summary>The events a read gives.</summary>
    public static int EventsRead(string kind) => kind is Crlf or EventWithExtraCarriageReturn ? 3 : 2;

    /// <summary>What a read reports of the odd line (after "Skipped line 3 of '…': "); null when nothing.</summary>
    public static string? Report(string kind) => kind switch
    {
        // The original's json.loads refuses a line of whitespace ("Expecting value") and warns of it.
        TabOnly or SpacesOnly => "the line holds only whitespace.",
        OverLong => $"the line is {LineReader.DefaultMaxLineBytes + 10} bytes long; lines over {LineReader.DefaultMaxLineBytes} bytes are not read.",
        _ => null,
    };

    /// <summary>That a read reported the odd line as <see cref="Report"/> says, and no other line.</summary>
    public static void AssertReported(string path, string kind, RecordingDiagnostics diagnostics)
    {
        var skipped = diagnostics.Of(AuditDiagnosticKind.LineSkipped).Select(d => d.Message).ToList();
        if (Report(kind) is { } report) Assert.Equal([$"Skipped line {Number} of '{path}': {report}"], skipped);
        else Assert.Empty(skipped);
    }
}
