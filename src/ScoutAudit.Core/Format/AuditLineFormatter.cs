using System.Buffers;

namespace ScoutAudit.Core;

/// <summary>
/// Turns an event into its line: the exact bytes the original writes for the same event
/// (<c>json.dumps(record) + "\n"</c>), fields in the original's order, absent fields omitted.
/// </summary>
public static class AuditLineFormatter
{
    /// <summary>The event's line, newline included, as UTF-8 bytes.</summary>
    /// <exception cref="ArgumentException">A value cannot be represented, or the line would exceed <see cref="EventFieldRules.MaxLineBytes"/>.</exception>
    public static byte[] Format(LogEvent auditEvent)
    {
        var output = new ArrayBufferWriter<byte>(512);
        Write(auditEvent, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Appends the event's line, newline included, to <paramref name="output"/>.</summary>
    internal static void Write(LogEvent e, ArrayBufferWriter<byte> output)
    {
        CheckExtraFieldCount(e);
        var start = output.WrittenCount;
        output.Write("{\"ts\": \""u8);
        UtcTimestamp.Write(e.Timestamp, output.GetSpan(UtcTimestamp.Length));
        output.Advance(UtcTimestamp.Length);
        output.Write("\", \"event\": "u8);
        PythonJsonWriter.WriteString(output, e.Event);
        output.Write(", \"session_id\": "u8);
        PythonJsonWriter.WriteString(output, e.SessionId);

        ref readonly var values = ref e.Values;
        var invalid = e.InvalidFields.Count > 0 ? e.InvalidFields : null; // a line read with fields of the wrong type
        foreach (var field in StandardFields.Optional)
        {
            if (values.Has(field)) WriteField(output, field, in values);
            else if (invalid is not null) WriteInvalid(output, invalid, field.Name);
        }
        foreach (var (name, value) in e.Extras)
        {
            if (value.ValueKind == System.Text.Json.JsonValueKind.Null) continue; // the original drops None extras
            output.Write(", "u8);
            PythonJsonWriter.WriteString(output, name);
            output.Write(": "u8);
            PythonJsonWriter.WriteElement(output, value, name);
        }
        if (invalid is not null)
        {
            foreach (var field in invalid)
            {
                if (!StandardFields.IsStandard(field.Name)) WriteInvalid(output, field); // names are unique: the parser keeps the last
            }
        }
        output.Write("}\n"u8);

        var length = output.WrittenCount - start;
        if (length > EventFieldRules.MaxLineBytes)
            throw new ArgumentException(
                $"The event is {length} bytes long when written; at most {EventFieldRules.MaxLineBytes} bytes (1 MiB) are allowed per event.",
                "event");
    }

    /// <summary>
    /// An event read from a line over the cap has lost its extra fields, and an event read with invalid
    /// extra fields writes them too: either way, a line with more than the cap is not written.
    /// </summary>
    private static void CheckExtraFieldCount(LogEvent e)
    {
        EventFieldRules.ExtraFieldsRead(e);
        var count = e.Extras.Count;
        foreach (var invalid in e.InvalidFields)
        {
            if (!StandardFields.IsStandard(invalid.Name)) count++;
        }
        EventFieldRules.ExtraFieldCount(count);
    }

    /// <summary>
    /// A field kept as invalid, as the original writes its value back: re-serialized as Python would,
    /// or, when it holds Python's NaN or Infinity (no JSON value does), as the line had it.
    /// </summary>
    private static void WriteInvalid(ArrayBufferWriter<byte> output, IReadOnlyList<InvalidField> invalid, string name)
    {
        InvalidField? field = null;
        foreach (var candidate in invalid)
        {
            if (candidate.Name == name) field = candidate;
        }
        if (field is not null) WriteInvalid(output, field);
    }

    private static void WriteInvalid(ArrayBufferWriter<byte> output, InvalidField field)
    {
        var name = field.Name;
        output.Write(", "u8);
        PythonJsonWriter.WriteString(output, name);
        output.Write(": "u8);
        try
        {
            using var value = System.Text.Json.JsonDocument.Parse(field.Json);
            PythonJsonWriter.WriteElement(output, value.RootElement, name);
        }
        catch (System.Text.Json.JsonException)
        {
            output.Write(System.Text.Encoding.UTF8.GetBytes(field.Json));
        }
    }

    /// <summary>A field that has a value, in the form its kind and the event's number forms say.</summary>
    private static void WriteField(ArrayBufferWriter<byte> output, StandardField field, in FieldValues values)
    {
        var id = field.Id;
        var otherForm = values.Forms.IsOther(id);
        output.Write(field.Member);
        switch (field.Kind)
        {
            case FieldKind.Money:
                // A float, as the original's callers pass it, unless the line had an int.
                if (otherForm) PythonJsonWriter.WriteIntegralDouble(output, values.Number(id)!.Value, field.Name);
                else PythonJsonWriter.WriteFloat(output, values.Number(id)!.Value, field.Name);
                break;
            case FieldKind.Measure:
                // An int when integral, as the original's callers pass it, unless the line had a float.
                var measure = values.Number(id)!.Value;
                if (otherForm || Math.Floor(measure) != measure) PythonJsonWriter.WriteFloat(output, measure, field.Name);
                else PythonJsonWriter.WriteIntegralDouble(output, measure, field.Name);
                break;
            case FieldKind.Count:
                if (otherForm) PythonJsonWriter.WriteFloat(output, values.Count(id)!.Value, field.Name);
                else PythonJsonWriter.WriteInteger(output, values.Count(id)!.Value);
                break;
            case FieldKind.Label or FieldKind.Text:
                PythonJsonWriter.WriteString(output, values.Text(id)!);
                break;
            case FieldKind.FileList:
                var files = values.List(id)!;
                output.Write("["u8);
                for (var i = 0; i < files.Count; i++)
                {
                    if (i > 0) output.Write(", "u8);
                    PythonJsonWriter.WriteString(output, files[i]);
                }
                output.Write("]"u8);
                break;
            case FieldKind.Object:
                PythonJsonWriter.WriteElement(output, values.Object(id)!.Value, field.Name);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(field), field.Kind, "Not the kind of an optional field.");
        }
    }
}
