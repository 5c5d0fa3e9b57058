using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace ScoutAudit.Core;

/// <summary>
/// Builds the JSON trees of <see cref="LogEvent.Config"/> and <see cref="LogEvent.Extras"/> from
/// .NET values: strings, booleans, numbers, null, lists, and dictionaries with string keys.
/// Anything else (a date, a script block, a cycle, NaN, nesting deeper than
/// <see cref="EventFieldRules.MaxDepth"/>) is refused with an error that names the field and the path
/// inside it, never turned into something else.
/// </summary>
public static class JsonValues
{
    /// <summary>
    /// Converts <paramref name="value"/> to a JSON element.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <param name="field">The field it is for, named in errors.</param>
    /// <param name="adapt">
    /// Optional: turns a host's wrapper objects into plain values before conversion (the PowerShell
    /// layer unwraps PSObjects with it). Called for every value in the tree.
    /// </param>
    public static JsonElement From(object? value, string field, Func<object, object?>? adapt = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true, MaxDepth = EventFieldRules.MaxDepth + 1 }))
        {
            new Converter(writer, field, adapt).Write(value, field, 0);
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = EventFieldRules.MaxDepth + 1 });
        return document.RootElement.Clone();
    }

    /// <summary>Converts a dictionary to the JSON object a <c>config</c> snapshot needs.</summary>
    public static JsonElement ObjectFrom(object? value, string field, Func<object, object?>? adapt = null)
    {
        var element = From(value, field, adapt);
        return element.ValueKind == JsonValueKind.Object
            ? element
            : throw new ArgumentException($"The field '{field}' must be a dictionary (a JSON object); got a JSON {element.ValueKind.ToString().ToLowerInvariant()}.", field);
    }

    /// <summary>
    /// The JSON text of <paramref name="value"/> as a line holds it (Python's <c>json.dumps</c> form:
    /// <c>{"a": 1, "b": ["x"]}</c>), for showing a field where only text fits, such as a CSV cell.
    /// </summary>
    public static string Format(JsonElement value, string field)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        PythonJsonWriter.WriteElement(buffer, value, field);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private sealed class Converter(Utf8JsonWriter writer, string field, Func<object, object?>? adapt)
    {
        private readonly HashSet<object> _open = new(ReferenceEqualityComparer.Instance);

        public void Write(object? value, string path, int depth)
        {
            if (value is not null && adapt is not null) value = adapt(value);
            switch (value)
            {
                case null: writer.WriteNullValue(); break;
                case string s: writer.WriteStringValue(s); break;
                case char c: writer.WriteStringValue(c.ToString()); break;
                case bool b: writer.WriteBooleanValue(b); break;
                case JsonElement element: WriteElement(element, path); break;
                case byte or sbyte or short or ushort or int or uint or long:
                    writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
                case ulong u: writer.WriteNumberValue(u); break;
                case BigInteger big: writer.WriteRawValue(big.ToString(CultureInfo.InvariantCulture), skipInputValidation: true); break;
                case float f: WriteDouble(double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), path); break;
                case double d: WriteDouble(d, path); break;
                case decimal m: writer.WriteNumberValue(m); break;
                case IDictionary dictionary: WriteObject(dictionary, path, depth); break;
                case IEnumerable list: WriteArray(list, path, depth); break;
                default:
                    throw new ArgumentException(
                        $"The field '{field}' holds a {value.GetType().FullName} at {path}, which has no JSON form; " +
                        "allowed are strings, booleans, numbers, null, lists and dictionaries with string keys.", field);
            }
        }

        private void WriteDouble(double value, string path)
        {
            if (!double.IsFinite(value))
                throw new ArgumentException(
                    $"The field '{field}' holds {value.ToString(CultureInfo.InvariantCulture)} at {path}, which JSON cannot represent; numbers must be finite.", field);
            // Python's repr, not Utf8JsonWriter's number form: that writes 2.0 as "2" and 1e16 as
            // "10000000000000000", which would come back as ints.
            writer.WriteRawValue(PythonFloat.Format(value), skipInputValidation: true);
        }

        private void WriteElement(JsonElement element, string path)
        {
            if (element.ValueKind == JsonValueKind.Undefined)
                throw new ArgumentException($"The field '{field}' holds an undefined JSON element at {path}.", field);
            element.WriteTo(writer);
        }

        private void WriteObject(IDictionary dictionary, string path, int depth)
        {
            Enter(dictionary, path, depth);
            writer.WriteStartObject();
            foreach (DictionaryEntry entry in dictionary)
            {
                if (entry.Key is not string key)
                    throw new ArgumentException(
                        $"The field '{field}' has a key of type {entry.Key.GetType().FullName} ({entry.Key}) at {path}; keys must be strings.", field);
                writer.WritePropertyName(key);
                Write(entry.Value, $"{path}.{key}", depth + 1);
            }
            writer.WriteEndObject();
            _open.Remove(dictionary);
        }

        private void WriteArray(IEnumerable list, string path, int depth)
        {
            Enter(list, path, depth);
            writer.WriteStartArray();
            var index = 0;
            foreach (var item in list)
            {
                Write(item, $"{path}[{index++}]", depth + 1);
            }
            writer.WriteEndArray();
            _open.Remove(list);
        }

        private void Enter(object container, string path, int depth)
        {
            if (depth >= EventFieldRules.MaxDepth)
                throw new ArgumentException(
                    $"The field '{field}' is nested more than {EventFieldRules.MaxDepth} levels deep (at {path}); at most {EventFieldRules.MaxDepth} are allowed.", field);
            if (!_open.Add(container))
                throw new ArgumentException($"The field '{field}' contains itself (a cycle at {path}); JSON cannot represent cycles.", field);
        }
    }
}
