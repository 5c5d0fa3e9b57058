using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ScoutAudit.Core;

/// <summary>
/// Encodes a batch of events as one OTLP <c>ExportLogsServiceRequest</c> in the OTLP/JSON encoding
/// (posted to <c>/v1/logs</c> with <c>Content-Type: application/json</c>): lowerCamelCase names, enums
/// as integers, 64-bit integers and nanosecond times as decimal strings.
/// <para>
/// Hand-written on <see cref="Utf8JsonWriter"/> because the OpenTelemetry .NET SDK's log pipeline
/// exports through a batch processor that drops records when its queue is full and reports only
/// success or failure: it cannot acknowledge a batch, surface a partial success or a Retry-After,
/// which the at-least-once checkpoint needs; and its Microsoft.Extensions.* dependencies, loaded into
/// a pwsh host, risk version conflicts. So only the protocol's encoding is written here.
/// </para>
/// <para>The mapping, one log record per event:</para>
/// <list type="bullet">
/// <item><c>resourceLogs[0].resource</c>: <c>service.name</c> (default <c>scout-audit</c>), <c>host.name</c>
/// (<see cref="Environment.MachineName"/>), then the caller's resource attributes (strings);</item>
/// <item><c>scopeLogs[0].scope.name</c>: <c>ScoutAudit</c>, with the assembly's version;</item>
/// <item><c>timeUnixNano</c>: <see cref="AuditEvent.Timestamp"/> (left out for a time before 1970, which the
/// field cannot hold); <c>observedTimeUnixNano</c>: when the batch was encoded; <c>severityNumber</c> 9
/// (<c>INFO</c>); <c>eventName</c> (OTLP 1.5), the attribute <c>event.name</c> and the string body: the event type;</item>
/// <item><c>session.id</c>; <c>gen_ai.request.model</c> (Model); <c>gen_ai.usage.input_tokens</c> and
/// <c>gen_ai.usage.output_tokens</c> (intValue);</item>
/// <item><c>scout.log</c> (the log's full path) and <c>scout.id</c> (intValue, <see cref="AuditEvent.Id"/>): together
/// the event's identity, on which a receiver deduplicates what at-least-once delivery repeats;</item>
/// <item><c>scout.cost</c>, <c>scout.confidence</c>, <c>scout.duration_ms</c> (doubleValue); <c>scout.files</c>
/// (arrayValue of stringValue); <c>scout.reason</c>; <c>scout.config</c> (the object's JSON text);</item>
/// <item>each extra field as <c>scout.extra.&lt;name&gt;</c>: a string as stringValue, a whole number within 64
/// bits as intValue, another number as doubleValue (a whole number beyond 64 bits as its digits, stringValue,
/// so that none is lost), true and false as boolValue, null as an empty value, an object or array as its JSON text;</item>
/// <item>each of <see cref="AuditEvent.InvalidFields"/> as <c>scout.invalid.&lt;name&gt;</c>: its JSON text as on
/// disk (<c>"0.5"</c> with its quotes, <c>NaN</c>), so nothing the line holds is dropped;</item>
/// <item><c>scout.extra_fields_omitted</c> (intValue): for a line with more extra fields than an event may have
/// (<see cref="EventFieldRules.MaxExtraFields"/>), how many it has; none of them is sent (<see cref="AuditEvent.OmittedExtraFields"/>),
/// so a record costs the collector and the forwarder no more than any other.</item>
/// </list>
/// Absent fields are not sent.
/// </summary>
internal sealed class OtlpLogEncoding
{
    public const string DefaultServiceName = "scout-audit";
    public const string ScopeName = "ScoutAudit";
    private const int SeverityInfo = 9;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string ScopeVersion = typeof(OtlpLogEncoding).Assembly.GetName().Version?.ToString(3) ?? "";

    private readonly string _logPath;
    private readonly KeyValuePair<string, string>[] _resource;

    /// <param name="logPath">The log's full path, sent as <c>scout.log</c>.</param>
    /// <param name="serviceName">The resource's <c>service.name</c>.</param>
    /// <param name="resourceAttributes">More resource attributes, sent as strings after <c>service.name</c> and <c>host.name</c> (which they may replace).</param>
    public OtlpLogEncoding(string logPath, string serviceName = DefaultServiceName, IEnumerable<KeyValuePair<string, string>>? resourceAttributes = null)
    {
        _logPath = logPath;
        var resource = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["service.name"] = serviceName,
            ["host.name"] = Environment.MachineName,
        };
        foreach (var (name, value) in resourceAttributes ?? []) resource[name] = value;
        _resource = [.. resource];
    }

    /// <summary>The request body for <paramref name="batch"/>, observed at <paramref name="observed"/>.</summary>
    public byte[] Encode(IReadOnlyList<AuditEvent> batch, DateTimeOffset observed)
    {
        var buffer = new ArrayBufferWriter<byte>(1024 + batch.Count * 768);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteStartArray("resourceLogs");
            json.WriteStartObject();

            json.WriteStartObject("resource");
            json.WriteStartArray("attributes");
            foreach (var (name, value) in _resource) StringAttribute(json, name, value);
            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteStartArray("scopeLogs");
            json.WriteStartObject();
            json.WriteStartObject("scope");
            json.WriteString("name", ScopeName);
            json.WriteString("version", ScopeVersion);
            json.WriteEndObject();
            json.WriteStartArray("logRecords");
            var observedNanos = UnixNanos(observed);
            foreach (var auditEvent in batch) WriteRecord(json, auditEvent, observedNanos);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();

            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private void WriteRecord(Utf8JsonWriter json, AuditEvent e, string? observedNanos)
    {
        json.WriteStartObject();
        if (UnixNanos(e.Timestamp) is { } time) json.WriteString("timeUnixNano", time);
        if (observedNanos is not null) json.WriteString("observedTimeUnixNano", observedNanos);
        json.WriteNumber("severityNumber", SeverityInfo);
        json.WriteString("severityText", "INFO");
        json.WriteString("eventName", e.Event);
        json.WriteStartObject("body");
        json.WriteString("stringValue", e.Event);
        json.WriteEndObject();

        json.WriteStartArray("attributes");
        StringAttribute(json, "event.name", e.Event);
        StringAttribute(json, "session.id", e.SessionId);
        if (e.Model is not null) StringAttribute(json, "gen_ai.request.model", e.Model);
        if (e.InputTokens is { } input) IntAttribute(json, "gen_ai.usage.input_tokens", input);
        if (e.OutputTokens is { } output) IntAttribute(json, "gen_ai.usage.output_tokens", output);
        StringAttribute(json, "scout.log", _logPath);
        if (e.Id is { } id) IntAttribute(json, "scout.id", id);
        if (e.Cost is { } cost) DoubleAttribute(json, "scout.cost", cost);
        if (e.Files is { } files)
        {
            Key(json, "scout.files");
            json.WriteStartObject("arrayValue");
            json.WriteStartArray("values");
            foreach (var file in files)
            {
                json.WriteStartObject();
                json.WriteString("stringValue", file);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            EndAttribute(json);
        }
        if (e.Reason is not null) StringAttribute(json, "scout.reason", e.Reason);
        if (e.Confidence is { } confidence) DoubleAttribute(json, "scout.confidence", confidence);
        if (e.DurationMs is { } duration) DoubleAttribute(json, "scout.duration_ms", duration);
        if (e.Config is { } config) StringAttribute(json, "scout.config", config.GetRawText());
        foreach (var (name, value) in e.Extras) JsonAttribute(json, "scout.extra." + name, value);
        foreach (var invalid in e.InvalidFields) StringAttribute(json, "scout.invalid." + invalid.Name, invalid.Json);
        if (e.OmittedExtraFields > 0) IntAttribute(json, "scout.extra_fields_omitted", e.OmittedExtraFields);
        json.WriteEndArray();

        json.WriteEndObject();
    }

    /// <summary>Nanoseconds since 1970 as the decimal string OTLP/JSON gives a fixed64; null before 1970.</summary>
    private static string? UnixNanos(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return ticks < 0 ? null : (ticks * 100).ToString(CultureInfo.InvariantCulture);
    }

    private static void JsonAttribute(Utf8JsonWriter json, string key, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                StringAttribute(json, key, value.GetString()!);
                break;
            case JsonValueKind.True or JsonValueKind.False:
                Key(json, key);
                json.WriteBoolean("boolValue", value.GetBoolean());
                EndAttribute(json);
                break;
            case JsonValueKind.Number when value.TryGetInt64(out var whole):
                IntAttribute(json, key, whole);
                break;
            case JsonValueKind.Number:
                var text = value.GetRawText();
                // A whole number beyond 64 bits would lose digits as a double.
                if (text.AsSpan().IndexOfAny('.', 'e', 'E') < 0) StringAttribute(json, key, text);
                else DoubleAttribute(json, key, value.GetDouble());
                break;
            case JsonValueKind.Null:
                Key(json, key);
                EndAttribute(json);
                break;
            default:
                StringAttribute(json, key, value.GetRawText());
                break;
        }
    }

    private static void StringAttribute(Utf8JsonWriter json, string key, string value)
    {
        Key(json, key);
        json.WriteString("stringValue", value);
        EndAttribute(json);
    }

    private static void IntAttribute(Utf8JsonWriter json, string key, long value)
    {
        Key(json, key);
        json.WriteString("intValue", value.ToString(CultureInfo.InvariantCulture));
        EndAttribute(json);
    }

    private static void DoubleAttribute(Utf8JsonWriter json, string key, double value)
    {
        Key(json, key);
        json.WriteNumber("doubleValue", value);
        EndAttribute(json);
    }

    /// <summary>Opens a KeyValue and its AnyValue; <see cref="EndAttribute"/> closes both.</summary>
    private static void Key(Utf8JsonWriter json, string key)
    {
        json.WriteStartObject();
        json.WriteString("key", key);
        json.WriteStartObject("value");
    }

    private static void EndAttribute(Utf8JsonWriter json)
    {
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
