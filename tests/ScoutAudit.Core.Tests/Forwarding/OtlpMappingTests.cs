using System.Globalization;
using System.Text.Json;

namespace ScoutAudit.Core.Tests.Forwarding;

/// <summary>
/// Each event becomes one OTLP log record whose every field lands under its documented attribute with
/// the documented OTLP type, in both encodings, as a decoder generated from the OTLP schema reads it
/// (<see cref="OtlpReceiver"/>); nothing on disk is dropped.
/// </summary>
public sealed class OtlpMappingTests : IDisposable
{
    private static readonly DateTimeOffset When = new(2026, 2, 13, 14, 30, 22, 123, TimeSpan.Zero);
    private readonly ForwardingTestLog _log = new(new TempFolder());

    public void Dispose() => _log.Dispose();

    private static string Text(JsonElement value) => value.GetProperty("stringValue").GetString()!;

    private static string Int(JsonElement value) => value.GetProperty("intValue").GetString()!;

    private static double Double(JsonElement value) => value.GetProperty("doubleValue").GetDouble();

    private static string Nanos(DateTimeOffset time) => ((time - DateTimeOffset.UnixEpoch).Ticks * 100).ToString(CultureInfo.InvariantCulture);

    private ReceivedRequest ForwardOnly()
    {
        var summary = _log.ForwardAll(10, o => o with
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer t0ken" },
            ResourceAttributes = new Dictionary<string, string> { ["deployment.environment"] = "test" },
        });
        Assert.Equal(1, summary.Batches);
        return Assert.Single(_log.Receiver.Requests);
    }

    [Theory]
    [MemberData(nameof(ForwardingTestLog.Protocols), MemberType = typeof(ForwardingTestLog))]
    public void EveryFieldOfAFullEventLandsUnderItsAttributeWithItsType(OtlpProtocol protocol)
    {
        _log.Protocol = protocol;
        using (var log = new AuditLog(_log.Path))
        {
            log.Append(new LogEvent("validation_fail", When, "sess-7")
            {
                Cost = 0.25,
                Model = "claude-sonnet",
                InputTokens = 1200,
                OutputTokens = 340,
                Files = ["a.py", "dir/b.py"],
                Reason = "schema mismatch",
                Confidence = 87.5,
                DurationMs = 1534,
                Config = ForwardingTestLog.Json("""{"temperature": 0.2, "tools": ["grep"]}"""),
                Extras =
                [
                    new("text", ForwardingTestLog.Json("\"hello\"")),
                    new("count", ForwardingTestLog.Json("42")),
                    new("ratio", ForwardingTestLog.Json("1.5")),
                    new("flag", ForwardingTestLog.Json("true")),
                    new("nested", ForwardingTestLog.Json("""{"k": [1, 2]}""")),
                    new("list", ForwardingTestLog.Json("""[1, "x"]""")),
                    new("huge", ForwardingTestLog.Json("123456789012345678901234567890")),
                    new("negative", ForwardingTestLog.Json("-7")),
                ],
            });
        }
        var id = _log.Events().Single().Id!.Value;

        var request = ForwardOnly();

        var contentType = protocol == OtlpProtocol.HttpJson ? "application/json" : "application/x-protobuf";
        Assert.Equal(("POST", "/v1/logs", contentType, "Bearer t0ken"), (request.Method, request.Path, request.ContentType, request.Headers["Authorization"]));
        Assert.Equal("scout-audit", Text(request.Resource["service.name"]));
        Assert.Equal(Environment.MachineName, Text(request.Resource["host.name"]));
        Assert.Equal("test", Text(request.Resource["deployment.environment"]));
        var scope = request.Body.GetProperty("resourceLogs")[0].GetProperty("scopeLogs")[0].GetProperty("scope");
        Assert.Equal("ScoutAudit", scope.GetProperty("name").GetString());
        Assert.Equal(typeof(OtlpForwarder).Assembly.GetName().Version!.ToString(3), scope.GetProperty("version").GetString());

        var record = Assert.Single(request.Records);
        var a = record.Attributes;
        Assert.Equal(Nanos(When), record.Record.GetProperty("timeUnixNano").GetString());
        Assert.Equal(Nanos(_log.Clock.GetUtcNow()), record.Record.GetProperty("observedTimeUnixNano").GetString());
        Assert.Equal(9, record.Record.GetProperty("severityNumber").GetInt32());
        Assert.Equal("INFO", record.Record.GetProperty("severityText").GetString());
        Assert.Equal("validation_fail", record.EventName);
        Assert.Equal("validation_fail", Text(record.Record.GetProperty("body")));
        Assert.Equal("validation_fail", Text(a["event.name"]));
        Assert.Equal("sess-7", Text(a["session.id"]));
        Assert.Equal("claude-sonnet", Text(a["gen_ai.request.model"]));
        Assert.Equal("1200", Int(a["gen_ai.usage.input_tokens"]));
        Assert.Equal("340", Int(a["gen_ai.usage.output_tokens"]));
        Assert.Equal(_log.Path, Text(a["scout.log"]));
        Assert.Equal(id.ToString(CultureInfo.InvariantCulture), Int(a["scout.id"]));
        Assert.Equal(0.25, Double(a["scout.cost"]));
        Assert.Equal(["a.py", "dir/b.py"], a["scout.files"].GetProperty("arrayValue").GetProperty("values").EnumerateArray().Select(Text));
        Assert.Equal("schema mismatch", Text(a["scout.reason"]));
        Assert.Equal(87.5, Double(a["scout.confidence"]));
        Assert.Equal(1534, Double(a["scout.duration_ms"]));
        Assert.Equal(0.2, JsonDocument.Parse(Text(a["scout.config"])).RootElement.GetProperty("temperature").GetDouble());
        Assert.Equal("hello", Text(a["scout.extra.text"]));
        Assert.Equal("42", Int(a["scout.extra.count"]));
        Assert.Equal(1.5, Double(a["scout.extra.ratio"]));
        Assert.True(a["scout.extra.flag"].GetProperty("boolValue").GetBoolean());
        Assert.Equal("""{"k": [1, 2]}""", Text(a["scout.extra.nested"]));
        Assert.Equal("""[1, "x"]""", Text(a["scout.extra.list"]));
        Assert.Equal("123456789012345678901234567890", Text(a["scout.extra.huge"]));
        Assert.Equal("-7", Int(a["scout.extra.negative"]));
        Assert.Equal(21, a.Count);
    }

    [Theory]
    [MemberData(nameof(ForwardingTestLog.Protocols), MemberType = typeof(ForwardingTestLog))]
    public void AbsentFieldsAreNotSent(OtlpProtocol protocol)
    {
        _log.Protocol = protocol;
        using (var log = new AuditLog(_log.Path)) log.Append(new LogEvent("nav", When, "s"));

        var record = Assert.Single(ForwardOnly().Records);

        Assert.Equal(["event.name", "scout.id", "scout.log", "session.id"], record.Attributes.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ForwardingTestLog.Protocols), MemberType = typeof(ForwardingTestLog))]
    public void TheRawTextOfInvalidFieldsIsForwardedBesideTheValidOnes(OtlpProtocol protocol)
    {
        _log.Protocol = protocol;
        File.WriteAllText(_log.Path,
            """{"ts": "2026-02-13T14:30:22.123Z", "event": "nav", "session_id": "s", "cost": "0.5", "model": "m", "input_t": NaN, "files": "a.py", "ratio": [1, NaN ], "ok": 3}""" + "\n");

        var a = Assert.Single(ForwardOnly().Records).Attributes;

        Assert.Equal("\"0.5\"", Text(a["scout.invalid.cost"]));
        Assert.Equal("NaN", Text(a["scout.invalid.input_t"]));
        Assert.Equal("\"a.py\"", Text(a["scout.invalid.files"]));
        Assert.Equal("[1, NaN ]", Text(a["scout.invalid.ratio"]));
        Assert.Equal("m", Text(a["gen_ai.request.model"]));
        Assert.Equal("3", Int(a["scout.extra.ok"]));
        Assert.False(a.ContainsKey("scout.cost") || a.ContainsKey("gen_ai.usage.input_tokens") || a.ContainsKey("scout.files") || a.ContainsKey("scout.extra.ratio"));
    }
}
