namespace ScoutAudit.Core;

/// <summary>
/// What a line of a log file is, decided here for every reader: forward reads, <c>-Last</c>, the
/// verifier, the time summaries and the archive index. Each reader only asks; none decides alone.
/// </summary>
/// <remarks>
/// The rules are the original's. It reads in text mode and skips a line only when nothing is left
/// once its ending is removed (<c>raw.rstrip("\n\r")</c>, then <c>if raw:</c>); every other line
/// goes to <c>json.loads</c>, which refuses a line of spaces or tabs ("Expecting value") and logs
/// a warning. So:
/// <list type="bullet">
/// <item>A line ends at LF, and every CR just before the LF (or before the end of the file) is part
/// of the ending (<see cref="WithoutEnding"/>): for the original, <c>x\r\r\n</c> is <c>x</c> and an
/// empty line. A CR inside a line is not an ending here: lines are counted by LF, as editors and
/// <c>wc -l</c> count them, and JSON reads that CR as whitespace.</item>
/// <item>Blank (<see cref="IsBlank"/>): nothing left. Skipped in silence, and no damage.</item>
/// <item>Whitespace only: not blank, but not an event either; reported (<see cref="OnlyWhitespace"/>).</item>
/// <item>Over-long (<see cref="MaxLineBytes"/>): not read, reported (<see cref="TooLong"/>).</item>
/// <item>Torn: the file's last line, without its LF (a write cut by a crash), when it is not an
/// event (<see cref="NotAnEvent"/>).</item>
/// <item>In the original's form (<see cref="IsInOriginalForm"/>): its header read without parsing, and
/// the whole line one JSON object, header not repeated; then a scan needs no full parse.</item>
/// </list>
/// </remarks>
internal static class LineJudge
{
    /// <summary>Longest line read, in bytes, its CRs counted. The writer refuses events over 1 MiB; other writers may have written more.</summary>
    public const int MaxLineBytes = 8 * 1024 * 1024;

    /// <summary>What <see cref="NotAnEvent"/> says of a line of spaces, tabs or CRs.</summary>
    public const string OnlyWhitespace = "the line holds only whitespace";

    /// <summary>The line without the CRs that end it; <paramref name="line"/> is what comes before its LF.</summary>
    public static ReadOnlySpan<byte> WithoutEnding(ReadOnlySpan<byte> line) => line.TrimEnd((byte)'\r');

    /// <summary>Whether the line (without its ending) is blank: no event, no damage, nothing to report.</summary>
    public static bool IsBlank(ReadOnlySpan<byte> line) => line.IsEmpty;

    /// <summary>Whether the line holds only JSON's whitespace: not blank, and never an event.</summary>
    public static bool IsOnlyWhitespace(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;

    /// <summary>Why an over-long line of <paramref name="length"/> bytes was not read.</summary>
    public static string TooLong(long length) => $"the line is {length} bytes long; lines over {MaxLineBytes} bytes are not read";

    /// <summary>Why a line that is not an event was skipped: the parser's <paramref name="problem"/>, said of a torn last line as such.</summary>
    public static string NotAnEvent(LineStatus status, string problem) =>
        status == LineStatus.Unterminated ? $"the last line is torn (no final newline) and incomplete: {problem}" : problem;

    /// <summary>
    /// Whether the line is an event as the original writes it, checked without building one: the
    /// header (<see cref="LineHeader"/>) gives its time and type, and the rest is well-formed.
    /// </summary>
    public static bool IsInOriginalForm(ReadOnlySpan<byte> line, out DateTimeOffset timestamp) =>
        LineHeader.TryRead(line, out timestamp, out _) && IsWellFormedAfterHeader(line);

    /// <summary>For a line whose header was read: whether the whole line is one JSON object and its header is not repeated.</summary>
    public static bool IsWellFormedAfterHeader(ReadOnlySpan<byte> line) =>
        AuditLineParser.IsWellFormed(line, out _, out var headerRepeated) && !headerRepeated;
}
