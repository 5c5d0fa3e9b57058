using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace ScoutAudit.Core;

/// <summary>
/// Writes JSON as Python's <c>json.dumps</c> does with its defaults: <c>", "</c> and <c>": "</c>
/// separators, every character outside printable ASCII escaped as <c>\uXXXX</c> (lowercase hex,
/// surrogate pairs for characters beyond U+FFFF), <c>repr</c> for floats, ints as digits.
/// System.Text.Json's writer cannot produce these separators or escapes, hence this small writer.
/// </summary>
internal static class PythonJsonWriter
{
    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    /// <summary>
    /// A JSON string. Surrogate pairs and unpaired surrogates alike are written as <c>\uXXXX</c>
    /// escapes, as Python writes them.
    /// </summary>
    public static void WriteString(IBufferWriter<byte> output, string value)
    {
        // Worst case: every char becomes a 6-byte \uXXXX escape, plus the quotes.
        var span = output.GetSpan(value.Length * 6 + 2);
        var at = 0;
        span[at++] = (byte)'"';
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c >= ' ' && c <= '~')
            {
                if (c is '"' or '\\') span[at++] = (byte)'\\';
                span[at++] = (byte)c;
                continue;
            }
            span[at++] = (byte)'\\';
            switch (c)
            {
                case '\n': span[at++] = (byte)'n'; break;
                case '\r': span[at++] = (byte)'r'; break;
                case '\t': span[at++] = (byte)'t'; break;
                case '\b': span[at++] = (byte)'b'; break;
                case '\f': span[at++] = (byte)'f'; break;
                default:
                    span[at++] = (byte)'u';
                    span[at++] = Hex[c >> 12];
                    span[at++] = Hex[(c >> 8) & 0xF];
                    span[at++] = Hex[(c >> 4) & 0xF];
                    span[at++] = Hex[c & 0xF];
                    break;
            }
        }
        span[at++] = (byte)'"';
        output.Advance(at);
    }

    public static void WriteFloat(IBufferWriter<byte> output, double value, string field)
    {
        if (!double.IsFinite(value))
            throw new ArgumentException($"The field '{field}' holds {value.ToString(CultureInfo.InvariantCulture)}, which JSON cannot represent.", field);
        var span = output.GetSpan(PythonFloat.MaxLength);
        output.Advance(PythonFloat.Write(value, span));
    }

    public static void WriteInteger(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    /// <summary>An integral double written as a Python int (a line that had <c>"cost": 0</c>).</summary>
    public static void WriteIntegralDouble(IBufferWriter<byte> output, double value, string field)
    {
        if (!double.IsFinite(value) || Math.Floor(value) != value)
        {
            WriteFloat(output, value, field);
            return;
        }
        if (Math.Abs(value) < 1e18)
            WriteInteger(output, (long)value);
        else
            WriteAscii(output, new BigInteger(value).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>A JSON value tree, as Python would write what <c>json.loads</c> made of it.</summary>
    public static void WriteElement(IBufferWriter<byte> output, JsonElement element, string field, int depth = 0)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                CheckDepth(field, depth);
                WriteObject(output, element, field, depth);
                break;
            case JsonValueKind.Array:
                CheckDepth(field, depth);
                output.Write("["u8);
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first) output.Write(", "u8);
                    first = false;
                    WriteElement(output, item, field, depth + 1);
                }
                output.Write("]"u8);
                break;
            case JsonValueKind.String:
                WriteString(output, JsonText.Read(element));
                break;
            case JsonValueKind.Number:
                WriteNumber(output, element, field);
                break;
            case JsonValueKind.True:
                output.Write("true"u8);
                break;
            case JsonValueKind.False:
                output.Write("false"u8);
                break;
            case JsonValueKind.Null:
                output.Write("null"u8);
                break;
            default:
                throw new ArgumentException($"The field '{field}' holds an undefined JSON value.", field);
        }
    }

    private static void WriteObject(IBufferWriter<byte> output, JsonElement element, string field, int depth)
    {
        // Python's json.loads keeps a repeated key at its first position with its last value.
        // Names are looked up in a dictionary once an object has more than a few: linear in its size.
        var unique = new FieldList<JsonElement>();
        foreach (var property in element.EnumerateObject()) unique.Set(property.Name, property.Value);
        var properties = unique.ToList((name, value) => (Name: name, Value: value));
        output.Write("{"u8);
        for (var i = 0; i < properties.Count; i++)
        {
            if (i > 0) output.Write(", "u8);
            WriteString(output, properties[i].Name);
            output.Write(": "u8);
            WriteElement(output, properties[i].Value, field, depth + 1);
        }
        output.Write("}"u8);
    }

    private static void WriteNumber(IBufferWriter<byte> output, JsonElement element, string field)
    {
        var raw = element.GetRawText();
        if (!IsIntegerForm(raw))
            WriteFloat(output, double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture), field);
        else if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
            WriteInteger(output, whole);
        else // Python ints have no size limit.
            WriteAscii(output, BigInteger.Parse(raw, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
    }

    internal static bool IsIntegerForm(ReadOnlySpan<char> raw) => raw.IndexOfAny('.', 'e', 'E') < 0;

    internal static bool IsIntegerForm(ReadOnlySpan<byte> raw) => raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0;

    private static void CheckDepth(string field, int depth)
    {
        if (depth >= EventFieldRules.MaxDepth)
            throw new ArgumentException(
                $"The field '{field}' is nested more than {EventFieldRules.MaxDepth} levels deep; at most {EventFieldRules.MaxDepth} are allowed.", field);
    }

    private static void WriteAscii(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++) span[i] = (byte)text[i];
        output.Advance(text.Length);
    }
}
