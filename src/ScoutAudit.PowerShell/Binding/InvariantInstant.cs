using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace ScoutAudit.PowerShell.Binding;

/// <summary>
/// The one rule for a point in time given to any ScoutAudit cmdlet (-Since, -Until, -Timestamp,
/// -Before and a piped record's ts or Timestamp), so that it means one instant in every culture and
/// time zone, or is refused with a message that says how to write it:
/// <list type="bullet">
/// <item>a [datetime] of kind Local or Unspecified is local time, of kind Utc UTC (as Get-Date and
/// the Timestamp of ScoutAudit's own events mean it); a [datetimeoffset] is taken as it is;</item>
/// <item>text in ISO 8601: <c>2026-12-01</c> (that day's midnight), <c>2026-12-01T14:30</c> or
/// <c>2026-12-01 14:30:00.123</c>, local time unless <c>Z</c> or an offset (<c>+01:00</c>) says
/// otherwise, for a date alone too (<c>2026-12-01Z</c>);</item>
/// <item>other text as PowerShell's cast reads it, in the invariant culture
/// (<c>[datetime]'Dec 1 2026 14:00'</c>, <c>2026/12/01</c>, <c>14:00</c> for today), local time
/// unless the text names a zone;</item>
/// <item>except text that writes the day and the month as numbers in the order of a culture
/// (<c>01/12/2026</c>, <c>1.12.2026</c>, <c>12-25-26</c>): refused, see <see cref="CultureOrder"/>;</item>
/// <item>blank text is "not given"; anything else (a number, a script block) is refused.</item>
/// </list>
/// </summary>
internal static partial class InvariantInstant
{
    /// <summary>The form to point people to, in every message.</summary>
    private const string HowToWrite =
        "write it in ISO 8601, year first: 2026-02-13 (midnight, local time), 2026-02-13T14:30 (local time), 2026-02-13T14:30:00Z (UTC) " +
        "or 2026-02-13T14:30:00+01:00, or give a [datetime] such as (Get-Date).AddDays(-1)";

    /// <summary>The instant <paramref name="input"/> stands for; null when it is null or blank text.</summary>
    /// <exception cref="ArgumentTransformationMetadataException">It is not a time, or text whose meaning depends on the culture.</exception>
    public static DateTimeOffset? ToDateTimeOffset(object? input)
    {
        switch (input is PSObject wrapped ? wrapped.BaseObject : input)
        {
            case null:
                return null;
            case DateTimeOffset value:
                return value;
            case DateTime { Kind: DateTimeKind.Utc } value:
                return new DateTimeOffset(value);
            case DateTime value:
                return new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Local));
            case string text when string.IsNullOrWhiteSpace(text):
                return null;
            case string text:
                return FromText(text.Trim());
            case var other:
                throw Refused($"A time is expected: a [datetime], a [datetimeoffset] or text such as 2026-02-13T14:30:00Z; got a {other.GetType().FullName} '{Convert.ToString(other, CultureInfo.InvariantCulture)}'.");
        }
    }

    private static DateTimeOffset FromText(string text)
    {
        if (CultureOrder().Match(text) is { Success: true } numeric) throw Refused(CultureOrderMessage(text, numeric));
        // What [datetime]'...' and [datetimeoffset]'...' read: DateTime(Offset).Parse with the invariant culture.
        // ISO 8601 with or without a time, with Z, an offset or neither, is among it.
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal | DateTimeStyles.AllowWhiteSpaces, out var parsed))
            return parsed;
        throw Refused($"'{text}' is not a time ScoutAudit can read; {HowToWrite}.");
    }

    /// <summary>
    /// Why <c>01/12/2026</c> is refused though PowerShell's cast reads it: <c>[datetime]'01/12/2026'</c>
    /// is 12 January in every culture (the invariant culture puts the month first), but most of the
    /// world writes the day first and means 1 December, and PowerShell's own binding of a compiled
    /// cmdlet's [datetime] parameter reads such text in the current culture, so the same script
    /// answers for another window on another machine. Whether a user thinks of the invariant culture
    /// cannot be known, so no such form is read, not even one that fits only one way (12/25/2026):
    /// a script must not work on the 25th and fail on the 1st. The message gives each reading in
    /// ISO 8601, which the user picks from.
    /// </summary>
    private static string CultureOrderMessage(string text, Match numeric)
    {
        var first = int.Parse(numeric.Groups["first"].Value, CultureInfo.InvariantCulture);
        var second = int.Parse(numeric.Groups["second"].Value, CultureInfo.InvariantCulture);
        var yearText = numeric.Groups["year"].Value;
        var year = yearText.Length == 0 ? DateTime.Now.Year : yearText.Length == 4 ? int.Parse(yearText, CultureInfo.InvariantCulture) : (int?)null;
        if (year is not { } y)
            return $"'{text}' writes the day, the month and a two-digit year in the order of a culture, which ScoutAudit does not guess; {HowToWrite}.";

        var readings = new List<DateOnly>();
        if (IsDate(y, month: second, day: first)) readings.Add(new DateOnly(y, second, first));
        if (first != second && IsDate(y, month: first, day: second)) readings.Add(new DateOnly(y, first, second));
        var rest = text[(numeric.Index + numeric.Length)..];
        string Iso(DateOnly date) => text[..numeric.Index] + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + rest;
        string Spoken(DateOnly date) => date.ToString("d MMMM", CultureInfo.InvariantCulture);
        return readings.Count switch
        {
            2 => $"'{text}' could be {Spoken(readings[0])} or {Spoken(readings[1])}: write {Iso(readings[0])} or {Iso(readings[1])} (ISO 8601, year first), or give a [datetime].",
            1 => $"'{text}' writes the day and the month in the order of a culture, which ScoutAudit does not guess: write {Iso(readings[0])} (ISO 8601, year first), or give a [datetime].",
            _ => $"'{text}' is not a time ScoutAudit can read; {HowToWrite}.",
        };
    }

    private static bool IsDate(int year, int month, int day) =>
        year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);

    private static ArgumentTransformationMetadataException Refused(string message) => new(message);

    /// <summary>
    /// Day and month as numbers of one or two digits, a separator, and perhaps a year after them:
    /// 01/12/2026, 1.12.2026, 12-25-26, 01/12. Not a part of a year-first date or of a time
    /// (2026-12-01, 14:00:00.12): nothing of a date or time may stand right before it.
    /// </summary>
    [GeneratedRegex(@"(?<![\d/.\-:])(?<first>\d{1,2})(?<sep>[/.\-])(?<second>\d{1,2})(?:\k<sep>(?<year>\d{4}|\d{2}))?(?![\d/.\-])", RegexOptions.CultureInvariant)]
    private static partial Regex CultureOrder();
}
