namespace ScoutAudit.Core;

/// <summary>
/// What a valid event field is. Each guard returns the value it accepts and throws an
/// <see cref="ArgumentException"/> whose message says what was wrong and what is allowed;
/// the exception's ParamName is the field's name on the line (<c>cost</c>, <c>input_t</c>...).
/// </summary>
public static class EventFieldRules
{
    /// <summary>Longest event type accepted, in UTF-16 code units.</summary>
    public const int MaxEventTypeLength = 64;

    /// <summary>Longest session id accepted, in UTF-16 code units.</summary>
    public const int MaxSessionIdLength = 128;

    /// <summary>Largest serialized event accepted, in bytes, newline included.</summary>
    public const int MaxLineBytes = 1024 * 1024;

    /// <summary>
    /// Most extra fields an event may have: far beyond what an event needs (the original's callers pass
    /// a handful), and as many as journald allows in one entry (systemd's ENTRY_FIELD_COUNT_MAX, 1024,
    /// set in 2018 against CVE-2018-16865, where many small fields cost memory and time). It bounds what a
    /// line costs every reader: a line with more is read with its standard fields only and reported.
    /// Many values belong in one field, as a list or an object.
    /// </summary>
    public const int MaxExtraFields = 1024;

    /// <summary>Deepest nesting of objects and arrays accepted in <c>config</c> and extra fields.</summary>
    public const int MaxDepth = 64;

    /// <summary>The earliest time an event may carry: an earlier one is a mistake (a zero or missing date), not LLM work.</summary>
    public static readonly DateTimeOffset EarliestTimestamp = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far ahead of the writer's clock an event may be dated: the clocks of machines sharing a log differ a little.</summary>
    public static readonly TimeSpan FutureSkew = TimeSpan.FromMinutes(5);

    /// <summary>A time given for an event (rather than "now"): from 2000 to a few minutes ahead of <paramref name="now"/>.</summary>
    public static DateTimeOffset Timestamp(DateTimeOffset value, DateTimeOffset now)
    {
        if (value < EarliestTimestamp)
            throw OutOfRange(StandardFields.Timestamp, value, $"The time {UtcTimestamp.Format(value)} is before 2000; events must be dated from 2000-01-01T00:00:00Z on.");
        if (value > now + FutureSkew)
            throw OutOfRange(StandardFields.Timestamp, value, $"The time {UtcTimestamp.Format(value)} is more than {FutureSkew.TotalMinutes:0} minutes ahead of this machine's clock ({UtcTimestamp.Format(now)}); an event cannot be dated in the future.");
        return value;
    }

    public static string EventType(string? value) =>
        ShortName(value, StandardFields.Event, "The event type", MaxEventTypeLength);

    public static string SessionId(string? value) =>
        ShortName(value, StandardFields.SessionId, "The session id", MaxSessionIdLength);

    public static double? Cost(double? value) =>
        value is { } v && !(double.IsFinite(v) && v >= 0)
            ? throw OutOfRange(StandardFields.Cost, v, $"Cost must be a finite number of 0 or more; got {Show(v)}.")
            : value;

    public static long? Tokens(long? value, string field) =>
        value is < 0
            ? throw OutOfRange(field, value, $"{field} (token count) must be 0 or more; got {value}.")
            : value;

    public static double? Confidence(double? value) =>
        value is { } v && !(v >= 0 && v <= 100)
            ? throw OutOfRange(StandardFields.Confidence, v, $"Confidence must be a number from 0 to 100; got {Show(v)}.")
            : value;

    public static double? DurationMs(double? value) =>
        value is { } v && !(double.IsFinite(v) && v >= 0)
            ? throw OutOfRange(StandardFields.DurationMs, v, $"DurationMs must be a finite number of 0 or more; got {Show(v)}.")
            : value;

    public static IReadOnlyList<string>? Files(IEnumerable<string?>? value)
    {
        if (value is null) return null;
        var files = value.ToArray();
        var missing = Array.IndexOf(files, null);
        if (missing >= 0)
            throw new ArgumentException($"Files must be a list of strings; entry {missing} is null.", StandardFields.Files);
        return files!;
    }

    /// <summary>A configuration snapshot: a JSON object, or none.</summary>
    public static System.Text.Json.JsonElement? Config(System.Text.Json.JsonElement? value) =>
        value is { ValueKind: not System.Text.Json.JsonValueKind.Object } v
            ? throw new ArgumentException($"Config must be a JSON object; got a JSON {v.ValueKind.ToString().ToLowerInvariant()}.", StandardFields.Config)
            : value;

    public static string ExtraFieldName(string? name)
    {
        if (string.IsNullOrEmpty(name))
            throw new ArgumentException("An extra field name must not be empty.", "extra");
        if (StandardFields.IsStandard(name))
            throw new ArgumentException(
                $"The extra field name '{name}' is reserved; extra fields may not reuse the standard names " +
                $"({string.Join(", ", StandardFields.InLineOrder)}).", name);
        return name;
    }

    /// <summary>A count of extra fields for one event: at most <see cref="MaxExtraFields"/>.</summary>
    /// <exception cref="TooManyExtraFieldsException">There are more.</exception>
    public static int ExtraFieldCount(int count) =>
        count > MaxExtraFields
            ? throw new TooManyExtraFieldsException(count,
                $"The event has {count} extra fields; at most {MaxExtraFields} are allowed per event. Put many values in one field, as a list or an object.")
            : count;

    /// <summary>
    /// An event to write again: refused when it was read from a line with more extra fields than
    /// allowed, as its extra fields were not read and a copy would lose them.
    /// </summary>
    /// <exception cref="TooManyExtraFieldsException">It was.</exception>
    public static LogEvent ExtraFieldsRead(LogEvent auditEvent) =>
        auditEvent.OmittedExtraFields > 0
            ? throw new TooManyExtraFieldsException(auditEvent.OmittedExtraFields,
                $"The event was read from a line with {auditEvent.OmittedExtraFields} extra fields, more than the {MaxExtraFields} an event may have, " +
                "so its extra fields were not read; it cannot be written again without losing them.")
            : auditEvent;

    private static string ShortName(string? value, string field, string what, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
            throw new ArgumentException($"{what} must not be empty.", field);
        if (value.Length > maxLength)
            throw new ArgumentException($"{what} is {value.Length} characters long; at most {maxLength} are allowed.", field);
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsControl(value[i]))
                throw new ArgumentException(
                    $"{what} contains the control character U+{(int)value[i]:X4} at position {i}; control characters are not allowed.", field);
        }
        return value;
    }

    private static ArgumentOutOfRangeException OutOfRange(string field, object? value, string message) =>
        new(field, value, message);

    private static string Show(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// An event with more extra fields than <see cref="EventFieldRules.MaxExtraFields"/>: refused on write, as
/// a line with more costs every later reader. The message says how many it has and how many are allowed.
/// </summary>
public sealed class TooManyExtraFieldsException(int count, string message) : ArgumentException(message, nameof(LogEvent.Extras))
{
    /// <summary>How many extra fields the event has (for an event read from a line: the line's extra-field members).</summary>
    public int Count { get; } = count;

    /// <summary>How many are allowed: <see cref="EventFieldRules.MaxExtraFields"/>.</summary>
    public int Limit => EventFieldRules.MaxExtraFields;
}
