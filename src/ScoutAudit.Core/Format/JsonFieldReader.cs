using System.Text.Json;

namespace ScoutAudit.Core;

/// <summary>
/// Reads one value of a line at the reader, as a field of its kind holds it. A value of another JSON
/// type sets <c>invalid</c> and gives null; null gives null.
/// </summary>
internal static class JsonFieldReader
{
    public static bool TryReadTimestamp(ref Utf8JsonReader reader, out DateTimeOffset value)
    {
        if (!reader.ValueIsEscaped) return UtcTimestamp.TryParse(reader.ValueSpan, out value);
        return UtcTimestamp.TryParse(System.Text.Encoding.UTF8.GetBytes(reader.GetString()!), out value);
    }

    /// <summary>A string, pooled when a pool is given; null for any other token.</summary>
    public static string? HeaderString(ref Utf8JsonReader reader, StringPool? pool) =>
        reader.TokenType == JsonTokenType.String
            ? pool is not null && !reader.ValueIsEscaped ? pool.Get(reader.ValueSpan) : JsonText.Read(ref reader)
            : null;

    public static string? String(ref Utf8JsonReader reader, ref bool invalid, StringPool? pool)
    {
        if (reader.TokenType == JsonTokenType.String)
            return pool is not null && !reader.ValueIsEscaped ? pool.Get(reader.ValueSpan) : JsonText.Read(ref reader);
        invalid = reader.TokenType != JsonTokenType.Null;
        return null;
    }

    public static double? Double(ref Utf8JsonReader reader, ref bool invalid, out bool integerForm)
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

    public static long? Count(ref Utf8JsonReader reader, ref bool invalid, out bool floatForm)
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

    public static IReadOnlyList<string>? Strings(ref Utf8JsonReader reader, ref bool invalid, bool materialize, StringPool? pool)
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

    public static string WrongType(string field, JsonTokenType token, string expected) =>
        $"field '{field}' is a JSON {Describe(token)}; expected {expected}";

    public static string Describe(JsonTokenType token) => token switch
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
