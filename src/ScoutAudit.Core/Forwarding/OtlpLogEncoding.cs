using System.Text.Json;

namespace ScoutAudit.Core;

/// <summary>
/// Maps a batch of events to one OTLP <c>ExportLogsServiceRequest</c> and encodes it in the protocol's
/// encoding: protobuf (<see cref="OtlpProtobufBody"/>, <c>application/x-protobuf</c>) or OTLP/JSON
/// (<see cref="OtlpJsonBody"/>, <c>application/json</c>). Both write the one mapping below, so a record
/// carries the same fields, with the same types, whichever encoding carries it.
/// <para>
/// Written on Google.Protobuf's <c>CodedOutputStream</c> and on <see cref="Utf8JsonWriter"/> rather than through
/// the OpenTelemetry .NET SDK, because the SDK's log pipeline exports through a batch processor that drops
/// records when its queue is full and reports only success or failure: it cannot acknowledge a batch, surface
/// a partial success or a Retry-After, which the at-least-once checkpoint needs; and its Microsoft.Extensions.*
/// dependencies, loaded into a pwsh host, risk version conflicts. So only the protocol's encoding is written here.
/// </para>
/// <para>The mapping, one log record per event:</para>
/// <list type="bullet">
/// <item><c>resourceLogs[0].resource</c>: <c>service.name</c> (default <c>scout-audit</c>), <c>host.name</c>
/// (<see cref="Environment.MachineName"/>), then the caller's resource attributes (strings);</item>
/// <item><c>scopeLogs[0].scope.name</c>: <c>ScoutAudit</c>, with the assembly's version;</item>
/// <item><c>timeUnixNano</c>: <see cref="LogEvent.Timestamp"/> (left out for a time before 1970, which the
/// field cannot hold); <c>observedTimeUnixNano</c>: when the batch was encoded; <c>severityNumber</c> 9
/// (<c>INFO</c>) and <c>severityText</c> <c>INFO</c>; <c>eventName</c> (OTLP 1.5), the attribute <c>event.name</c> and the string body: the event type;</item>
/// <item><c>session.id</c>; <c>gen_ai.request.model</c> (Model); <c>gen_ai.usage.input_tokens</c> and
/// <c>gen_ai.usage.output_tokens</c> (intValue);</item>
/// <item><c>scout.log</c> (the log's full path) and <c>scout.id</c> (intValue, <see cref="LogEvent.Id"/>): together
/// the event's identity, on which a receiver deduplicates what at-least-once delivery repeats;</item>
/// <item><c>scout.cost</c>, <c>scout.confidence</c>, <c>scout.duration_ms</c> (doubleValue); <c>scout.files</c>
/// (arrayValue of stringValue); <c>scout.reason</c>; <c>scout.config</c> (the object's JSON text);</item>
/// <item>each extra field as <c>scout.extra.&lt;name&gt;</c>: a string as stringValue, a whole number within 64
/// bits as intValue, another number as doubleValue (a whole number beyond 64 bits as its digits, stringValue,
/// so that none is lost), true and false as boolValue, null as an empty value, an object or array as its JSON text;</item>
/// <item>each of <see cref="LogEvent.InvalidFields"/> as <c>scout.invalid.&lt;name&gt;</c>: its JSON text as on
/// disk (<c>"0.5"</c> with its quotes, <c>NaN</c>), so nothing the line holds is dropped;</item>
/// <item><c>scout.extra_fields_omitted</c> (intValue): for a line with more extra fields than an event may have
/// (<see cref="EventFieldRules.MaxExtraFields"/>), how many it has; none of them is sent (<see cref="LogEvent.OmittedExtraFields"/>),
/// so a record costs the collector and the forwarder no more than any other.</item>
/// </list>
/// Absent fields are not sent.
/// </summary>
internal sealed class OtlpLogEncoding
{
    public const string DefaultServiceName = "scout-audit";
    public const string ScopeName = "ScoutAudit";
    public const int SeverityInfo = 9;
    public const string SeverityInfoText = "INFO";

    public static readonly string ScopeVersion = typeof(OtlpLogEncoding).Assembly.GetName().Version?.ToString(3) ?? "";

    private readonly string _logPath;
    private readonly OtlpAttribute[] _resource;
    private readonly List<OtlpAttribute> _attributes = new(4096);

    /// <param name="logPath">The log's full path, sent as <c>scout.log</c>.</param>
    /// <param name="protocol">The encoding of the request bodies.</param>
    /// <param name="serviceName">The resource's <c>service.name</c>.</param>
    /// <param name="resourceAttributes">More resource attributes, sent as strings after <c>service.name</c> and <c>host.name</c> (which they may replace).</param>
    public OtlpLogEncoding(string logPath, OtlpProtocol protocol, string serviceName = DefaultServiceName, IEnumerable<KeyValuePair<string, string>>? resourceAttributes = null)
    {
        _logPath = logPath;
        Protocol = protocol;
        var resource = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["service.name"] = serviceName,
            ["host.name"] = Environment.MachineName,
        };
        foreach (var (name, value) in resourceAttributes ?? []) resource[name] = value;
        _resource = [.. resource.Select(pair => OtlpAttribute.String(pair.Key, pair.Value))];
    }

    public OtlpProtocol Protocol { get; }

    /// <summary>The request body for <paramref name="batch"/>, observed at <paramref name="observed"/>, in <see cref="Protocol"/>'s encoding. One call at a time.</summary>
    public byte[] Encode(IReadOnlyList<LogEvent> batch, DateTimeOffset observed)
    {
        _attributes.Clear();
        var records = new OtlpRecord[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var e = batch[i];
            var first = _attributes.Count;
            AddAttributes(e, _attributes);
            records[i] = new OtlpRecord(UnixNanos(e.Timestamp), e.Event, first, _attributes.Count - first);
        }
        var mapped = new OtlpBatch(_resource, UnixNanos(observed), records, _attributes);
        return Protocol == OtlpProtocol.HttpJson ? OtlpJsonBody.Encode(mapped) : OtlpProtobufBody.Encode(mapped);
    }

    /// <summary>An event's attributes, in the order they are sent.</summary>
    private void AddAttributes(LogEvent e, List<OtlpAttribute> into)
    {
        AddFields(e, into, convention: true);
        into.Add(OtlpAttribute.String("scout.log", _logPath));
        if (e.Id is { } id) into.Add(OtlpAttribute.Integer("scout.id", id));
        AddFields(e, into, convention: false);
        foreach (var (name, value) in e.Extras) into.Add(FromJson("scout.extra." + name, value));
        foreach (var invalid in e.InvalidFields) into.Add(OtlpAttribute.String("scout.invalid." + invalid.Name, invalid.Json));
        if (e.OmittedExtraFields > 0) into.Add(OtlpAttribute.Integer("scout.extra_fields_omitted", e.OmittedExtraFields));
    }

    /// <summary>The standard fields that have a value and an attribute, OpenTelemetry's own or the module's <c>scout.*</c> ones, in line order.</summary>
    private static void AddFields(LogEvent e, List<OtlpAttribute> into, bool convention)
    {
        ref readonly var values = ref e.Values;
        foreach (var field in StandardFields.Rows)
        {
            if (field.OtlpAttribute is not { } key || field.OtlpConvention != convention) continue;
            var id = field.Id;
            switch (field.Kind)
            {
                case FieldKind.Name:
                    into.Add(OtlpAttribute.String(key, id == FieldId.Event ? e.Event : e.SessionId));
                    break;
                case FieldKind.Money or FieldKind.Measure when values.Number(id) is { } number:
                    into.Add(OtlpAttribute.Number(key, number));
                    break;
                case FieldKind.Count when values.Count(id) is { } count:
                    into.Add(OtlpAttribute.Integer(key, count));
                    break;
                case FieldKind.Label or FieldKind.Text when values.Text(id) is { } text:
                    into.Add(OtlpAttribute.String(key, text));
                    break;
                case FieldKind.FileList when values.List(id) is { } list:
                    into.Add(OtlpAttribute.StringArray(key, list));
                    break;
                case FieldKind.Object when values.Object(id) is { } json:
                    into.Add(OtlpAttribute.String(key, json.GetRawText()));
                    break;
            }
        }
    }

    private static OtlpAttribute FromJson(string key, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return OtlpAttribute.String(key, value.GetString()!);
            case JsonValueKind.True or JsonValueKind.False:
                return OtlpAttribute.Boolean(key, value.GetBoolean());
            case JsonValueKind.Number when value.TryGetInt64(out var whole):
                return OtlpAttribute.Integer(key, whole);
            case JsonValueKind.Number:
                var text = value.GetRawText();
                // A whole number beyond 64 bits would lose digits as a double.
                return text.AsSpan().IndexOfAny('.', 'e', 'E') < 0 ? OtlpAttribute.String(key, text) : OtlpAttribute.Number(key, value.GetDouble());
            case JsonValueKind.Null:
                return OtlpAttribute.Empty(key);
            default:
                return OtlpAttribute.String(key, value.GetRawText());
        }
    }

    /// <summary>Nanoseconds since 1970, as OTLP's fixed64 times hold them; null before 1970 (or after 2554), which they cannot hold.</summary>
    private static ulong? UnixNanos(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return ticks < 0 || (ulong)ticks > ulong.MaxValue / 100 ? null : (ulong)ticks * 100;
    }
}

/// <summary>One event's log record: its time, its event type and its attributes, <see cref="OtlpBatch.Attributes"/>[First..First+Count].</summary>
internal readonly record struct OtlpRecord(ulong? TimeUnixNano, string EventName, int First, int Count);

/// <summary>A batch as the mapping made it, for an encoding to write.</summary>
internal sealed record OtlpBatch(IReadOnlyList<OtlpAttribute> Resource, ulong? ObservedUnixNano, IReadOnlyList<OtlpRecord> Records, List<OtlpAttribute> Attributes);
