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
    public static byte[] Format(AuditEvent auditEvent)
    {
        var output = new ArrayBufferWriter<byte>(512);
        Write(auditEvent, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Appends the event's line, newline included, to <paramref name="output"/>.</summary>
    internal static void Write(AuditEvent e, ArrayBufferWriter<byte> output)
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

        var forms = e.Forms;
        var invalid = e.InvalidFields.Count > 0 ? e.InvalidFields : null; // a line read with fields of the wrong type
        if (e.Cost is { } cost)
        {
            output.Write(", \"cost\": "u8);
            if ((forms & NumberForms.CostAsInteger) != 0) PythonJsonWriter.WriteIntegralDouble(output, cost, StandardFields.Cost);
            else PythonJsonWriter.WriteFloat(output, cost, StandardFields.Cost);
        }
        else if (invalid is not null) WriteInvalid(output, invalid, StandardFields.Cost);
        if (e.Model is { } model)
        {
            output.Write(", \"model\": "u8);
            PythonJsonWriter.WriteString(output, model);
        }
        else if (invalid is not null) WriteInvalid(output, invalid, StandardFields.Model);
        if (e.InputTokens is { } input)
        {
            output.Write(", \"input_t\": "u8);
            WriteCount(output, input, (forms & NumberForms.InputTokensAsFloat) != 0);
        }
        else if (invalid is not null) WriteInvalid(output, invalid, StandardFields.InputTokens);
        if (e.OutputTokens is { } outputTokens)
        {
            output.Write(", \"output_t\": "u8);
            WriteCount(output, outputTokens, (forms & NumberForms.OutputTokensAsFloat) != 0);
        }
        else if (invalid is not null) WriteInvalid(output, invalid, StandardFields.OutputTokens);
        if (e.Files is { } files)
        {
            output.Write(", \"files\": ["u8);
            for (var i = 0; i < files.Count; i++)
            {
                if (i > 0) output.Write(", "u8);
                PythonJsonWriter.WriteString(output, files[i]);
            }
            output.Write("]"u8);
        }
        else if (invalid is not null) WriteInvalid(output, invalid, StandardFields.Files);
        if (e.Reason is { } reason)
        {
            output.Write(", \"reason\": "u8);
            PythonJsonWriter.WriteString(output, reason);
        }
        else if (invalid is not null) WriteInvalid(output, invalid, StandardFields.Reason);
        if (e.Confidence is { } confidence)
        {
            output.Write(", \"confidence\": "u8);
            WriteMeasure(output, confidence, (forms & NumberForms.ConfidenceAsFloat) != 0, StandardFields.Confidence);
        }
        else if (invalid is not null) WriteInvalid(output, invalid, StandardFields.Confidence);
        if (e.DurationMs is { } duration)
        {
            output.Write(", \"duration_ms\": "u8);
            WriteMeasure(output, duration, (forms & NumberForms.DurationAsFloat) != 0, StandardFields.DurationMs);
        }
        else if (invalid is not null) WriteInvalid(output, invalid, StandardFields.DurationMs);
        if (e.Config is { } config)
        {
            output.Write(", \"config\": "u8);
            PythonJsonWriter.WriteElement(output, config, StandardFields.Config);
        }
        else if (invalid is not null) WriteInvalid(output, invalid, StandardFields.Config);
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
    private static void CheckExtraFieldCount(AuditEvent e)
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

    private static void WriteCount(ArrayBufferWriter<byte> output, long value, bool asFloat)
    {
        if (asFloat) PythonJsonWriter.WriteFloat(output, value, StandardFields.InputTokens);
        else PythonJsonWriter.WriteInteger(output, value);
    }

    /// <summary>Confidence and duration: an int when integral (as the original's callers pass them), else a float.</summary>
    private static void WriteMeasure(ArrayBufferWriter<byte> output, double value, bool asFloat, string field)
    {
        if (asFloat || Math.Floor(value) != value) PythonJsonWriter.WriteFloat(output, value, field);
        else PythonJsonWriter.WriteIntegralDouble(output, value, field);
    }
}
