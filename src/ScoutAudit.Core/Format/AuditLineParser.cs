using System.Text.Json;
using System.Text.Unicode;

namespace ScoutAudit.Core;

/// <summary>
/// Reads one line into an event. Accepts every JSON object the original reads (any key order,
/// compact or spaced, numbers in any JSON form, Python's <c>NaN</c> and <c>Infinity</c>, a leading
/// UTF-8 BOM, duplicate keys with the last one winning as in Python) that has <c>ts</c>,
/// <c>event</c> and <c>session_id</c> strings. A standard field of the wrong JSON type does not cost
/// the line: it is kept as an <see cref="InvalidField"/>. Anything else is refused with a reason, never thrown.
/// </summary>
public static class AuditLineParser
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = EventFieldRules.MaxDepth + 1, // the line's own object is one level
        CommentHandling = JsonCommentHandling.Disallow,
    };

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>Parses <paramref name="line"/> (without its line ending).</summary>
    /// <returns>True with the event, or false with <paramref name="problem"/> saying what is wrong.</returns>
    public static bool TryParse(ReadOnlySpan<byte> line, out AuditEvent? auditEvent, out string? problem) =>
        TryParse(line, null, out auditEvent, out problem);

    /// <summary>As the public overload, taking repeated strings from <paramref name="pool"/>.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> line, StringPool? pool, out AuditEvent? auditEvent, out string? problem)
    {
        auditEvent = null;
        var fields = new LineFields();
        if (!TryRead(line, pool, materialize: true, ref fields, out var header, out problem)) return false;
        auditEvent = AuditEvent.FromLine(header.Timestamp, header.Event, header.SessionId, fields);
        return true;
    }

    /// <summary>
    /// Reads what aggregates need, checking the line exactly as <see cref="TryParse(ReadOnlySpan{byte}, out AuditEvent?, out string?)"/>
    /// does but building nothing else (no event, no reason, files or config).
    /// </summary>
    internal static bool TrySummarize(ReadOnlySpan<byte> line, StringPool pool, out EventSummary summary, out string? problem)
    {
        summary = default;
        var fields = new LineFields();
        if (!TryRead(line, pool, materialize: false, ref fields, out var header, out problem)) return false;
        summary = new EventSummary(header.Timestamp, header.Event, header.SessionId, fields.Model, fields.Cost, fields.InputTokens, fields.OutputTokens,
            fields.Invalid?.ToList((_, field) => field));
        return true;
    }

    private readonly record struct Header(DateTimeOffset Timestamp, string Event, string SessionId);

    private static bool TryRead(ReadOnlySpan<byte> line, StringPool? pool, bool materialize, ref LineFields fields, out Header header, out string? problem)
    {
        header = default;
        if (!TryPrepare(ref line, out problem)) return false;
        try
        {
            problem = Parse(line, line, null, pool, materialize, ref fields, out header);
            return problem is null;
        }
        catch (JsonException error) when (PythonConstants.TryMask(line, out var masked, out var masks))
        {
            // Rare: Python's NaN or Infinity somewhere in the line. Read it again with them masked.
            fields = new LineFields();
            try
            {
                problem = Parse(masked, line, masks, pool, materialize, ref fields, out header);
                return problem is null;
            }
            catch (JsonException)
            {
                problem = $"not valid JSON ({error.Message})";
            }
            catch (InvalidOperationException again)
            {
                problem = $"a value cannot be read ({again.Message})";
            }
        }
        catch (JsonException error)
        {
            problem = $"not valid JSON ({error.Message})";
        }
        catch (InvalidOperationException error)
        {
            // A string escape that is not valid Unicode, such as a lone "\ud800".
            problem = $"a value cannot be read ({error.Message})";
        }
        return false;
    }

    /// <summary>
    /// Checks that the line is one valid JSON object, without building anything, and says whether
    /// it names <c>ts</c> or <c>event</c> more than once (then only a full parse knows which wins).
    /// </summary>
    internal static bool IsWellFormed(ReadOnlySpan<byte> line, out string? problem, out bool headerRepeated)
    {
        headerRepeated = false;
        if (!TryPrepare(ref line, out problem)) return false;
        try
        {
            var reader = new Utf8JsonReader(line, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                problem = "not a JSON object";
                return false;
            }
            int timestamps = 0, events = 0;
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1) continue;
                if (reader.ValueTextEquals("ts"u8)) timestamps++;
                else if (reader.ValueTextEquals("event"u8)) events++;
            }
            headerRepeated = timestamps > 1 || events > 1;
            problem = null;
            return true;
        }
        catch (JsonException error)
        {
            problem = $"not valid JSON ({error.Message})";
            return false;
        }
    }

    /// <summary>What every reading of a line checks first: a leading BOM dropped, not blank, valid UTF-8.</summary>
    private static bool TryPrepare(ref ReadOnlySpan<byte> line, out string? problem)
    {
        if (line.StartsWith(Utf8Bom)) line = line[3..];
        problem = LineJudge.IsBlank(line) ? "the line is empty"
            : LineJudge.IsOnlyWhitespace(line) ? LineJudge.OnlyWhitespace
            : !Utf8.IsValid(line) ? "the line is not valid UTF-8"
            : null;
        return problem is null;
    }

    // input is what is parsed: the line, or its copy with Python's constants masked (then masks says
    // where, else it is null); line is the line itself, where an invalid field's text is taken from.
    private static string? Parse(ReadOnlySpan<byte> input, ReadOnlySpan<byte> line, List<Range>? masks, StringPool? pool, bool materialize, ref LineFields fields, out Header header)
    {
        header = default;
        var reader = new Utf8JsonReader(input, ReaderOptions);
        if (!reader.Read())
            return "the line is empty";
        if (reader.TokenType != JsonTokenType.StartObject)
            return $"not a JSON object (a JSON {Describe(reader.TokenType)})";

        DateTimeOffset? timestamp = null;
        string? eventType = null, sessionId = null;
        var extraMembers = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = FieldOf(ref reader);
            if (field == Field.Extra && ++extraMembers > EventFieldRules.MaxExtraFields)
            {
                // More extra fields than an event may have: none of them is kept, and the rest are
                // only walked over (no name, no value built), so the line costs a scan of its bytes.
                if (extraMembers == EventFieldRules.MaxExtraFields + 1) DropExtras(ref fields);
                reader.Skip();
                continue;
            }
            // An extra field's name is needed to keep it, or to keep it as invalid (only a masked line can make it so).
            var extraName = field == Field.Extra && (materialize || masks is not null) ? JsonText.Read(ref reader) : null;
            reader.Read();
            var valueStart = reader.TokenStartIndex;
            var isNull = reader.TokenType == JsonTokenType.Null;
            var invalid = false;
            string? problem = null;
            switch (field)
            {
                case Field.Timestamp:
                    if (reader.TokenType != JsonTokenType.String)
                        return WrongType(StandardFields.Timestamp, reader.TokenType, "a string");
                    if (!TryReadTimestamp(ref reader, out var ts))
                        return $"field 'ts' is not an ISO 8601 time ({reader.GetString()})";
                    timestamp = ts;
                    break;
                case Field.Event:
                    eventType = ReadHeaderString(ref reader, StandardFields.Event, ref problem, pool);
                    break;
                case Field.SessionId:
                    sessionId = ReadHeaderString(ref reader, StandardFields.SessionId, ref problem, pool);
                    break;
                case Field.Cost:
                    fields.Cost = ReadDouble(ref reader, ref invalid, out var costIsInteger);
                    fields.Forms = Flag(fields.Forms, NumberForms.CostAsInteger, costIsInteger && !isNull);
                    break;
                case Field.Model:
                    fields.Model = ReadString(ref reader, ref invalid, pool);
                    break;
                case Field.InputTokens:
                    fields.InputTokens = ReadCount(ref reader, ref invalid, out var inputAsFloat);
                    fields.Forms = Flag(fields.Forms, NumberForms.InputTokensAsFloat, inputAsFloat);
                    break;
                case Field.OutputTokens:
                    fields.OutputTokens = ReadCount(ref reader, ref invalid, out var outputAsFloat);
                    fields.Forms = Flag(fields.Forms, NumberForms.OutputTokensAsFloat, outputAsFloat);
                    break;
                case Field.Files:
                    fields.Files = ReadStrings(ref reader, ref invalid, materialize, pool);
                    break;
                case Field.Reason:
                    if (materialize) fields.Reason = ReadString(ref reader, ref invalid, pool: null);
                    else invalid = reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null);
                    break;
                case Field.Confidence:
                    fields.Confidence = ReadDouble(ref reader, ref invalid, out var confidenceIsInteger);
                    fields.Forms = Flag(fields.Forms, NumberForms.ConfidenceAsFloat, !confidenceIsInteger && !isNull);
                    break;
                case Field.DurationMs:
                    fields.DurationMs = ReadDouble(ref reader, ref invalid, out var durationIsInteger);
                    fields.Forms = Flag(fields.Forms, NumberForms.DurationAsFloat, !durationIsInteger && !isNull);
                    break;
                case Field.Config:
                    if (isNull) fields.Config = null;
                    else if (reader.TokenType != JsonTokenType.StartObject) invalid = true;
                    else if (materialize && masks is null) fields.Config = JsonElement.ParseValue(ref reader);
                    else if (materialize) fields.Config = MaskedValue(ref reader, masks, valueStart);
                    else reader.Skip();
                    break;
                default:
                    if (materialize && masks is null) SetExtra(ref fields.Extras, extraName!, JsonElement.ParseValue(ref reader));
                    else if (materialize && MaskedValue(ref reader, masks, valueStart) is { } value) SetExtra(ref fields.Extras, extraName!, value);
                    else reader.Skip();
                    break;
            }
            if (problem is not null) return problem;
            if (field is Field.Timestamp or Field.Event or Field.SessionId) continue;
            if (invalid && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
            var valueEnd = reader.BytesConsumed;
            var holdsConstant = masks is not null && PythonConstants.AnyWithin(masks, valueStart, valueEnd);
            if (invalid || holdsConstant)
                KeepInvalid(ref fields, field, extraName, line[(int)valueStart..(int)(holdsConstant ? PythonConstants.EndOf(masks!, valueEnd) : valueEnd)]);
            else if (fields.Invalid is not null)
                ForgetInvalid(ref fields, field == Field.Extra ? extraName : NameOf(field)); // a repeated key: the last value wins
        }
        if (reader.TokenType != JsonTokenType.EndObject)
            return "not valid JSON (the object is not closed)";
        while (reader.Read())
        {
            // Utf8JsonReader throws on a second value; this loop only drains trailing whitespace.
        }

        if (timestamp is null) return "field 'ts' is missing";
        if (eventType is null) return "field 'event' is missing";
        if (sessionId is null) return "field 'session_id' is missing";
        if (extraMembers > EventFieldRules.MaxExtraFields) fields.OmittedExtraFields = extraMembers;
        header = new Header(timestamp.Value, eventType, sessionId);
        return null;
    }

    /// <summary>A value of a masked line as an element, or null (the value skipped) when it holds a masked constant.</summary>
    private static JsonElement? MaskedValue(ref Utf8JsonReader reader, List<Range>? masks, long valueStart)
    {
        var value = JsonElement.ParseValue(ref reader);
        return PythonConstants.AnyWithin(masks!, valueStart, reader.BytesConsumed) ? null : value;
    }

    /// <summary>Keeps a field's text as invalid (the last of repeated keys wins) and clears what the field held.</summary>
    private static void KeepInvalid(ref LineFields fields, Field field, string? extraName, ReadOnlySpan<byte> json)
    {
        var name = field == Field.Extra ? extraName! : NameOf(field);
        switch (field)
        {
            case Field.Cost: fields.Cost = null; fields.Forms &= ~NumberForms.CostAsInteger; break;
            case Field.Model: fields.Model = null; break;
            case Field.InputTokens: fields.InputTokens = null; fields.Forms &= ~NumberForms.InputTokensAsFloat; break;
            case Field.OutputTokens: fields.OutputTokens = null; fields.Forms &= ~NumberForms.OutputTokensAsFloat; break;
            case Field.Files: fields.Files = null; break;
            case Field.Reason: fields.Reason = null; break;
            case Field.Confidence: fields.Confidence = null; fields.Forms &= ~NumberForms.ConfidenceAsFloat; break;
            case Field.DurationMs: fields.DurationMs = null; fields.Forms &= ~NumberForms.DurationAsFloat; break;
            case Field.Config: fields.Config = null; break;
            default: fields.Extras?.Remove(name); break;
        }
        // A line holds no line break; a lone CR inside a value's whitespace is made a space so the text stays one line.
        var text = System.Text.Encoding.UTF8.GetString(json).Replace('\r', ' ');
        (fields.Invalid ??= new()).Set(name, new InvalidField(name, text));
    }

    private static void ForgetInvalid(ref LineFields fields, string? name)
    {
        if (name is not null) fields.Invalid!.Remove(name);
        if (fields.Invalid!.Count == 0) fields.Invalid = null;
    }

    /// <summary>Forgets every extra field read so far, valid or not: the line has more than an event may have.</summary>
    private static void DropExtras(ref LineFields fields)
    {
        fields.Extras = null;
        if (fields.Invalid is null) return;
        fields.Invalid.RemoveWhere(name => !StandardFields.IsStandard(name));
        if (fields.Invalid.Count == 0) fields.Invalid = null;
    }

    private static string NameOf(Field field) => field switch
    {
        Field.Cost => StandardFields.Cost,
        Field.Model => StandardFields.Model,
        Field.InputTokens => StandardFields.InputTokens,
        Field.OutputTokens => StandardFields.OutputTokens,
        Field.Files => StandardFields.Files,
        Field.Reason => StandardFields.Reason,
        Field.Confidence => StandardFields.Confidence,
        Field.DurationMs => StandardFields.DurationMs,
        Field.Config => StandardFields.Config,
        Field.Timestamp => StandardFields.Timestamp,
        Field.Event => StandardFields.Event,
        Field.SessionId => StandardFields.SessionId,
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    private enum Field
    {
        Extra, Timestamp, Event, SessionId, Cost, Model, InputTokens, OutputTokens, Files, Reason, Confidence, DurationMs, Config,
    }

    private static Field FieldOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            // Rare: a key written with escapes ("\u0074s"); compare its unescaped text.
            foreach (var (name, field) in EscapedLookup)
            {
                if (reader.ValueTextEquals(name)) return field;
            }
            return Field.Extra;
        }
        // By length first: one comparison for most keys instead of up to twelve.
        var key = reader.ValueSpan;
        return key.Length switch
        {
            2 when key.SequenceEqual("ts"u8) => Field.Timestamp,
            4 when key.SequenceEqual("cost"u8) => Field.Cost,
            5 when key.SequenceEqual("event"u8) => Field.Event,
            5 when key.SequenceEqual("model"u8) => Field.Model,
            5 when key.SequenceEqual("files"u8) => Field.Files,
            6 when key.SequenceEqual("reason"u8) => Field.Reason,
            6 when key.SequenceEqual("config"u8) => Field.Config,
            7 when key.SequenceEqual("input_t"u8) => Field.InputTokens,
            8 when key.SequenceEqual("output_t"u8) => Field.OutputTokens,
            10 when key.SequenceEqual("session_id"u8) => Field.SessionId,
            10 when key.SequenceEqual("confidence"u8) => Field.Confidence,
            11 when key.SequenceEqual("duration_ms"u8) => Field.DurationMs,
            _ => Field.Extra,
        };
    }

    private static readonly (string Name, Field Field)[] EscapedLookup =
    [
        (StandardFields.Timestamp, Field.Timestamp), (StandardFields.Event, Field.Event), (StandardFields.SessionId, Field.SessionId),
        (StandardFields.Cost, Field.Cost), (StandardFields.Model, Field.Model), (StandardFields.InputTokens, Field.InputTokens),
        (StandardFields.OutputTokens, Field.OutputTokens), (StandardFields.Files, Field.Files), (StandardFields.Reason, Field.Reason),
        (StandardFields.Confidence, Field.Confidence), (StandardFields.DurationMs, Field.DurationMs), (StandardFields.Config, Field.Config),
    ];

    private static bool TryReadTimestamp(ref Utf8JsonReader reader, out DateTimeOffset value)
    {
        if (!reader.ValueIsEscaped) return UtcTimestamp.TryParse(reader.ValueSpan, out value);
        return UtcTimestamp.TryParse(System.Text.Encoding.UTF8.GetBytes(reader.GetString()!), out value);
    }

    private static string? ReadHeaderString(ref Utf8JsonReader reader, string field, ref string? problem, StringPool? pool)
    {
        if (reader.TokenType == JsonTokenType.String)
            return pool is not null && !reader.ValueIsEscaped ? pool.Get(reader.ValueSpan) : JsonText.Read(ref reader);
        problem = WrongType(field, reader.TokenType, "a string");
        return null;
    }

    private static string? ReadString(ref Utf8JsonReader reader, ref bool invalid, StringPool? pool)
    {
        if (reader.TokenType == JsonTokenType.String)
            return pool is not null && !reader.ValueIsEscaped ? pool.Get(reader.ValueSpan) : JsonText.Read(ref reader);
        invalid = reader.TokenType != JsonTokenType.Null;
        return null;
    }

    private static double? ReadDouble(ref Utf8JsonReader reader, ref bool invalid, out bool integerForm)
    {
        integerForm = false;
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.Number)
        {
            invalid = true;
            return null;
        }
        integerForm = PythonJsonWriter.IsIntegerForm(reader.ValueSpan);
        // Whole numbers (confidence 85, duration_ms 1234) convert exactly from a long, at a fraction
        // of the general parse's cost; zero takes the general path, which keeps "-0" as -0.0.
        if (integerForm && reader.TryGetInt64(out var whole) && whole != 0 && whole is >= -(1L << 53) and <= 1L << 53) return whole;
        if (reader.TryGetDouble(out var value) && double.IsFinite(value)) return value;
        invalid = true; // beyond a double (1e400): Python reads inf, which sums as no number does
        return null;
    }

    private static long? ReadCount(ref Utf8JsonReader reader, ref bool invalid, out bool floatForm)
    {
        floatForm = false;
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.Number)
        {
            invalid = true;
            return null;
        }
        if (reader.TryGetInt64(out var whole)) return whole;
        floatForm = !PythonJsonWriter.IsIntegerForm(reader.ValueSpan);
        if (floatForm && reader.TryGetDouble(out var value) && Math.Floor(value) == value && Math.Abs(value) < 9e18)
            return (long)value;
        floatForm = false;
        invalid = true; // 3.7 tokens, or a count beyond 64 bits
        return null;
    }

    private static IReadOnlyList<string>? ReadStrings(ref Utf8JsonReader reader, ref bool invalid, bool materialize, StringPool? pool)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            invalid = true;
            return null;
        }
        // Most events name one file or none: no list for those, and file names repeat, so they are pooled.
        string? first = null;
        List<string>? more = null;
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                // Not a list of strings: the rest of the list is only walked to its end.
                invalid = true;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
                continue;
            }
            if (materialize && !invalid)
            {
                var file = pool is not null && !reader.ValueIsEscaped ? pool.Get(reader.ValueSpan) : JsonText.Read(ref reader);
                if (count == 0) first = file;
                else (more ??= [first!]).Add(file);
            }
            count++;
        }
        if (!materialize || invalid) return null;
        return more is not null ? more : first is not null ? [first] : [];
    }

    // Python: a repeated name keeps its first position and takes the last value.
    private static void SetExtra(ref FieldList<JsonElement>? extras, string name, JsonElement value) => (extras ??= new()).Set(name, value);

    private static NumberForms Flag(NumberForms forms, NumberForms flag, bool set) => set ? forms | flag : forms & ~flag;

    private static string WrongType(string field, JsonTokenType token, string expected) =>
        $"field '{field}' is a JSON {Describe(token)}; expected {expected}";

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString().ToLowerInvariant(),
    };
}
