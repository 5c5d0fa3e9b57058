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
    public static bool TryParse(ReadOnlySpan<byte> line, out LogEvent? auditEvent, out string? problem) =>
        TryParse(line, null, out auditEvent, out problem);

    /// <summary>As the public overload, taking repeated strings from <paramref name="pool"/>.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> line, StringPool? pool, out LogEvent? auditEvent, out string? problem)
    {
        auditEvent = null;
        var fields = new LineFields();
        if (!TryRead(line, pool, materialize: true, ref fields, out var header, out problem)) return false;
        auditEvent = LogEvent.FromLine(header.Timestamp, header.Event, header.SessionId, fields);
        return true;
    }

    /// <summary>
    /// Reads what aggregates need, checking the line exactly as <see cref="TryParse(ReadOnlySpan{byte}, out LogEvent?, out string?)"/>
    /// does but building nothing else (no event, no reason, files or config).
    /// </summary>
    internal static bool TrySummarize(ReadOnlySpan<byte> line, StringPool pool, out EventSummary summary, out string? problem)
    {
        summary = default;
        var fields = new LineFields();
        if (!TryRead(line, pool, materialize: false, ref fields, out var header, out problem)) return false;
        var values = fields.Values;
        summary = new EventSummary(header.Timestamp, header.Event, header.SessionId, values.Model, values.Cost, values.InputTokens, values.OutputTokens,
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
                var field = LineKeys.Of(ref reader);
                if (field?.Id == FieldId.Timestamp) timestamps++;
                else if (field?.Id == FieldId.Event) events++;
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
            return $"not a JSON object (a JSON {JsonFieldReader.Describe(reader.TokenType)})";

        DateTimeOffset? timestamp = null;
        string? eventType = null, sessionId = null;
        var extraMembers = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var standard = LineKeys.Of(ref reader);
            if (standard is null && ++extraMembers > EventFieldRules.MaxExtraFields)
            {
                // More extra fields than an event may have: none of them is kept, and the rest are
                // only walked over (no name, no value built), so the line costs a scan of its bytes.
                if (extraMembers == EventFieldRules.MaxExtraFields + 1) fields.DropExtras();
                reader.Skip();
                continue;
            }
            // An extra field's name is needed to keep it, or to keep it as invalid (only a masked line can make it so).
            var extraName = standard is null && (materialize || masks is not null) ? JsonText.Read(ref reader) : null;
            reader.Read();
            if (standard is { IsHeader: true })
            {
                if (standard.Kind == FieldKind.Time)
                {
                    if (reader.TokenType != JsonTokenType.String)
                        return JsonFieldReader.WrongType(standard.Name, reader.TokenType, "a string");
                    if (!JsonFieldReader.TryReadTimestamp(ref reader, out var ts))
                        return $"field '{standard.Name}' is not an ISO 8601 time ({reader.GetString()})";
                    timestamp = ts;
                }
                else if (JsonFieldReader.HeaderString(ref reader, pool) is not { } text)
                    return JsonFieldReader.WrongType(standard.Name, reader.TokenType, "a string");
                else if (standard.Id == FieldId.Event) eventType = text;
                else sessionId = text;
                continue;
            }
            var valueStart = reader.TokenStartIndex;
            var invalid = false;
            if (standard is not null) ReadOptional(ref reader, standard, ref fields.Values, ref invalid, materialize, masks, valueStart, pool);
            else if (materialize && masks is null) fields.SetExtra(extraName!, JsonElement.ParseValue(ref reader));
            else if (materialize && MaskedValue(ref reader, masks, valueStart) is { } value) fields.SetExtra(extraName!, value);
            else reader.Skip();
            if (invalid && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
            var valueEnd = reader.BytesConsumed;
            var holdsConstant = masks is not null && PythonConstants.AnyWithin(masks, valueStart, valueEnd);
            if (invalid || holdsConstant)
                fields.KeepInvalid(standard, extraName, line[(int)valueStart..(int)(holdsConstant ? PythonConstants.EndOf(masks!, valueEnd) : valueEnd)]);
            else if (fields.Invalid is not null)
                fields.ForgetInvalid(standard?.Name ?? extraName); // a repeated key: the last value wins
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

    /// <summary>Reads the value of an optional standard field, as its kind holds it, with its number form.</summary>
    private static void ReadOptional(ref Utf8JsonReader reader, StandardField field, ref FieldValues values, ref bool invalid,
        bool materialize, List<Range>? masks, long valueStart, StringPool? pool)
    {
        var id = field.Id;
        var isNull = reader.TokenType == JsonTokenType.Null;
        switch (field.Kind)
        {
            case FieldKind.Money:
                values.SetNumber(id, JsonFieldReader.Double(ref reader, ref invalid, out var moneyIsInteger));
                values.Forms = values.Forms.With(id, moneyIsInteger && !isNull);
                break;
            case FieldKind.Measure:
                values.SetNumber(id, JsonFieldReader.Double(ref reader, ref invalid, out var measureIsInteger));
                values.Forms = values.Forms.With(id, !measureIsInteger && !isNull);
                break;
            case FieldKind.Count:
                values.SetCount(id, JsonFieldReader.Count(ref reader, ref invalid, out var countAsFloat));
                values.Forms = values.Forms.With(id, countAsFloat);
                break;
            case FieldKind.Label:
                values.SetText(id, JsonFieldReader.String(ref reader, ref invalid, pool));
                break;
            case FieldKind.Text:
                if (materialize) values.SetText(id, JsonFieldReader.String(ref reader, ref invalid, pool: null));
                else invalid = reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null);
                break;
            case FieldKind.FileList:
                values.SetList(id, JsonFieldReader.Strings(ref reader, ref invalid, materialize, pool));
                break;
            case FieldKind.Object:
                if (isNull) values.SetObject(id, null);
                else if (reader.TokenType != JsonTokenType.StartObject) invalid = true;
                else if (materialize && masks is null) values.SetObject(id, JsonElement.ParseValue(ref reader));
                else if (materialize) values.SetObject(id, MaskedValue(ref reader, masks, valueStart));
                else reader.Skip();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(field), field.Kind, "Not the kind of an optional field.");
        }
    }

    /// <summary>A value of a masked line as an element, or null (the value skipped) when it holds a masked constant.</summary>
    private static JsonElement? MaskedValue(ref Utf8JsonReader reader, List<Range>? masks, long valueStart)
    {
        var value = JsonElement.ParseValue(ref reader);
        return PythonConstants.AnyWithin(masks!, valueStart, reader.BytesConsumed) ? null : value;
    }
}
