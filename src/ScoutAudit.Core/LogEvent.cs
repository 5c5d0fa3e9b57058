using System.Text.Json;

namespace ScoutAudit.Core;

/// <summary>
/// One audit event: an immutable record of something that happened, when, in which session
/// and at what cost. Every field set through this API is validated as it is set
/// (<see cref="EventFieldRules"/>); events read from disk carry what the line holds.
/// </summary>
public sealed class LogEvent
{
    private static readonly KeyValuePair<string, JsonElement>[] NoExtras = [];
    private static readonly InvalidField[] NoInvalidFields = [];

    private FieldValues _values;
    private IReadOnlyList<KeyValuePair<string, JsonElement>> _extras = NoExtras;

    /// <summary>An event of type <paramref name="eventType"/> stamped now, in this process's session.</summary>
    public LogEvent(string eventType)
        : this(eventType, DateTimeOffset.UtcNow, ProcessSession.Id)
    {
    }

    /// <summary>
    /// An event with an explicit time and session. The time is kept to the millisecond,
    /// as the line stores it.
    /// </summary>
    public LogEvent(string eventType, DateTimeOffset timestamp, string sessionId)
    {
        Event = EventFieldRules.EventType(eventType);
        SessionId = EventFieldRules.SessionId(sessionId);
        Timestamp = UtcTimestamp.TruncateToMilliseconds(timestamp);
    }

    private LogEvent(DateTimeOffset timestamp, string eventType, string sessionId)
    {
        Timestamp = timestamp;
        Event = eventType;
        SessionId = sessionId;
    }

    /// <summary>
    /// The event's place in its log: the position of its line's first byte in the log's whole
    /// history (every earlier segment's uncompressed bytes, then the line's offset in its own). The
    /// same in every process and before and after its segment is sealed and archived; ids increase
    /// in log order. Null for an event not read from a log.
    /// </summary>
    public long? Id { get; internal set; }

    /// <summary>When the event happened, in UTC.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The event type (<c>nav</c>, <c>validation_fail</c>...).</summary>
    public string Event { get; }

    /// <summary>The session that wrote the event.</summary>
    public string SessionId { get; }

    /// <summary>Cost in dollars, finite and not negative.</summary>
    public double? Cost { get => _values.Cost; init => _values.Cost = EventFieldRules.Cost(value); }

    /// <summary>The model that did the work.</summary>
    public string? Model { get => _values.Model; init => _values.Model = value; }

    /// <summary>Input tokens, not negative.</summary>
    public long? InputTokens { get => _values.InputTokens; init => _values.InputTokens = EventFieldRules.Tokens(value, StandardFields.InputTokens); }

    /// <summary>Output tokens, not negative.</summary>
    public long? OutputTokens { get => _values.OutputTokens; init => _values.OutputTokens = EventFieldRules.Tokens(value, StandardFields.OutputTokens); }

    /// <summary>The files the event concerns.</summary>
    public IReadOnlyList<string>? Files { get => _values.Files; init => _values.Files = EventFieldRules.Files(value); }

    /// <summary>Why the event happened, free text.</summary>
    public string? Reason { get => _values.Reason; init => _values.Reason = value; }

    /// <summary>Confidence from 0 to 100.</summary>
    public double? Confidence { get => _values.Confidence; init => _values.Confidence = EventFieldRules.Confidence(value); }

    /// <summary>Duration in milliseconds, finite and not negative.</summary>
    public double? DurationMs { get => _values.DurationMs; init => _values.DurationMs = EventFieldRules.DurationMs(value); }

    /// <summary>A configuration snapshot: a JSON object (build one with <see cref="JsonValues"/>).</summary>
    public JsonElement? Config { get => _values.Config; init => _values.Config = EventFieldRules.Config(value); }

    /// <summary>
    /// Fields beyond the standard ones, in the order they are written. Names must be unique and
    /// must not be standard names; a null value is not written (as the original).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, JsonElement>> Extras
    {
        get => _extras;
        init => _extras = ValidateExtras(value);
    }

    /// <summary>
    /// The fields of the line whose values the fields cannot hold (a standard field of the wrong JSON
    /// type such as <c>"cost": "0.5"</c>, a number out of range, Python's <c>NaN</c>), in line order,
    /// each with the line's JSON text. Such a standard field's property is null and an extra field is
    /// not among <see cref="Extras"/>. Empty for every event built through this API.
    /// </summary>
    public IReadOnlyList<InvalidField> InvalidFields { get; private init; } = NoInvalidFields;

    /// <summary>
    /// For an event read from a line with more extra fields than an event may have
    /// (<see cref="EventFieldRules.MaxExtraFields"/>): how many extra-field members the line has, none of
    /// which was read (<see cref="Extras"/> is empty; the standard fields are read as usual, and the line
    /// on disk is unchanged). Such an event cannot be written again (it would lose them). 0 otherwise.
    /// </summary>
    public int OmittedExtraFields { get; private init; }

    /// <summary>The optional standard fields' values and number forms, for the code that walks <see cref="StandardFields.All"/>.</summary>
    internal ref readonly FieldValues Values => ref _values;

    /// <summary>The value of an extra field, or null when the event has none of that name.</summary>
    public JsonElement? GetExtra(string name)
    {
        foreach (var (key, value) in _extras)
        {
            if (key == name) return value;
        }
        return null;
    }

    /// <summary>
    /// An event exactly as a line holds it: types are checked by the parser (a field of the wrong
    /// type is kept in <see cref="InvalidFields"/>), ranges are not, since a log must show what was
    /// written even when it breaks today's rules.
    /// </summary>
    internal static LogEvent FromLine(DateTimeOffset timestamp, string eventType, string sessionId, in LineFields fields) =>
        new(timestamp, eventType, sessionId)
        {
            _values = fields.Values,
            _extras = fields.Extras?.ToList((name, value) => new KeyValuePair<string, JsonElement>(name, value)) ?? (IReadOnlyList<KeyValuePair<string, JsonElement>>)NoExtras,
            InvalidFields = fields.Invalid?.ToList((_, field) => field) ?? (IReadOnlyList<InvalidField>)NoInvalidFields,
            OmittedExtraFields = fields.OmittedExtraFields,
        };

    /// <summary>The same event with other JSON trees in config and extra fields (as redaction makes it); nothing is validated again.</summary>
    internal LogEvent WithTrees(JsonElement? config, IReadOnlyList<KeyValuePair<string, JsonElement>>? extras)
    {
        var values = _values;
        values.Config = config;
        return new(Timestamp, Event, SessionId)
        {
            _values = values,
            _extras = extras ?? NoExtras,
            InvalidFields = InvalidFields,
            OmittedExtraFields = OmittedExtraFields,
        };
    }

    private static IReadOnlyList<KeyValuePair<string, JsonElement>> ValidateExtras(IEnumerable<KeyValuePair<string, JsonElement>>? extras)
    {
        if (extras is null) return NoExtras;
        var list = extras.ToArray();
        EventFieldRules.ExtraFieldCount(list.Length);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in list)
        {
            EventFieldRules.ExtraFieldName(name);
            if (!seen.Add(name))
                throw new ArgumentException($"The extra field '{name}' is given twice; each name may appear once.", name);
            if (value.ValueKind == JsonValueKind.Undefined)
                throw new ArgumentException($"The extra field '{name}' has no value (an undefined JSON element).", name);
        }
        return list;
    }
}
