using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ScoutAudit.Core;

/// <summary>
/// A mapped batch (<see cref="OtlpLogEncoding"/>) in the OTLP/JSON encoding (<c>http/json</c>): lowerCamelCase
/// names, enums as integers, 64-bit integers and nanosecond times as decimal strings.
/// </summary>
internal static class OtlpJsonBody
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Encode(OtlpBatch batch)
    {
        var buffer = new ArrayBufferWriter<byte>(1024 + batch.Records.Count * 768);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteStartArray("resourceLogs");
            json.WriteStartObject();

            json.WriteStartObject("resource");
            json.WriteStartArray("attributes");
            foreach (var attribute in batch.Resource) Attribute(json, attribute);
            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteStartArray("scopeLogs");
            json.WriteStartObject();
            json.WriteStartObject("scope");
            json.WriteString("name", OtlpLogEncoding.ScopeName);
            json.WriteString("version", OtlpLogEncoding.ScopeVersion);
            json.WriteEndObject();
            json.WriteStartArray("logRecords");
            var observed = Nanos(batch.ObservedUnixNano);
            foreach (var record in batch.Records) WriteRecord(json, batch, record, observed);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();

            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteRecord(Utf8JsonWriter json, OtlpBatch batch, OtlpRecord record, string? observed)
    {
        json.WriteStartObject();
        if (Nanos(record.TimeUnixNano) is { } time) json.WriteString("timeUnixNano", time);
        if (observed is not null) json.WriteString("observedTimeUnixNano", observed);
        json.WriteNumber("severityNumber", OtlpLogEncoding.SeverityInfo);
        json.WriteString("severityText", OtlpLogEncoding.SeverityInfoText);
        json.WriteString("eventName", record.EventName);
        json.WriteStartObject("body");
        json.WriteString("stringValue", record.EventName);
        json.WriteEndObject();

        json.WriteStartArray("attributes");
        for (var i = record.First; i < record.First + record.Count; i++) Attribute(json, batch.Attributes[i]);
        json.WriteEndArray();

        json.WriteEndObject();
    }

    /// <summary>A fixed64 as OTLP/JSON gives it: a decimal string.</summary>
    private static string? Nanos(ulong? nanos) => nanos?.ToString(CultureInfo.InvariantCulture);

    /// <summary>A KeyValue with its AnyValue.</summary>
    private static void Attribute(Utf8JsonWriter json, in OtlpAttribute attribute)
    {
        json.WriteStartObject();
        json.WriteString("key", attribute.Key);
        json.WriteStartObject("value");
        switch (attribute.Kind)
        {
            case OtlpValueKind.String:
                json.WriteString("stringValue", attribute.Text);
                break;
            case OtlpValueKind.Bool:
                json.WriteBoolean("boolValue", attribute.Bool);
                break;
            case OtlpValueKind.Int:
                json.WriteString("intValue", attribute.Int.ToString(CultureInfo.InvariantCulture));
                break;
            case OtlpValueKind.Double:
                json.WriteNumber("doubleValue", attribute.Double);
                break;
            case OtlpValueKind.StringArray:
                json.WriteStartObject("arrayValue");
                json.WriteStartArray("values");
                foreach (var value in attribute.Strings!)
                {
                    json.WriteStartObject();
                    json.WriteString("stringValue", value);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
                break;
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
