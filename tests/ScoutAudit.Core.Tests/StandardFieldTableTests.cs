using System.Text;

namespace ScoutAudit.Core.Tests;

/// <summary>The standard field table (<see cref="StandardFields.All"/>) and what it drives: each field described once, read, written and sent alike.</summary>
public class StandardFieldTableTests
{
    private const string Header = "{\"ts\": \"2026-02-13T14:30:22.123Z\", \"event\": \"nav\", \"session_id\": \"s\"";

    public static TheoryData<string> OptionalFields() => [.. StandardFields.All.Where(field => !field.IsHeader).Select(field => field.Name)];

    /// <summary>A value of the field's kind, as the original writes it.</summary>
    private static string SampleOf(StandardField field) => field.Kind switch
    {
        FieldKind.Money => "0.5",
        FieldKind.Measure => "85",
        FieldKind.Count => "42",
        FieldKind.Label or FieldKind.Text => "\"text \\u00e9\"",
        FieldKind.FileList => "[\"a.py\", \"b.py\"]",
        FieldKind.Object => "{\"k\": [1, 2.5]}",
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    /// <summary>A value of another JSON type than the field's kind holds.</summary>
    private static string WrongTypeOf(StandardField field) =>
        field.Kind is FieldKind.Label or FieldKind.Text ? "17" : "\"17\"";

    [Fact]
    public void TheTableListsTheFieldsInLineOrderEachAtItsIdsIndex()
    {
        Assert.Equal(
            ["ts", "event", "session_id", "cost", "model", "input_t", "output_t", "files", "reason", "confidence", "duration_ms", "config"],
            StandardFields.All.Select(field => field.Name));
        Assert.Equal(StandardFields.All.Select(field => field.Name), StandardFields.InLineOrder);
        for (var i = 0; i < StandardFields.All.Count; i++) Assert.Equal(i, (int)StandardFields.All[i].Id);
        Assert.Equal(["ts", "event", "session_id"], StandardFields.All.Where(field => field.IsHeader).Select(field => field.Name));
    }

    [Fact]
    public void EveryFieldIsAPropertyOfTheEventNamedAsTheTableSays()
    {
        foreach (var field in StandardFields.All)
            Assert.True(typeof(LogEvent).GetProperty(field.Property) is not null, $"LogEvent has no property {field.Property} for '{field.Name}'.");
    }

    [Theory]
    [MemberData(nameof(OptionalFields))]
    public void EveryOptionalFieldIsReadIntoItsPropertyAndWrittenBackByteForByte(string name)
    {
        var field = StandardFields.Find(name)!;
        var line = $"{Header}, \"{name}\": {SampleOf(field)}}}\n";

        Assert.True(AuditLineParser.TryParse(Encoding.UTF8.GetBytes(line.TrimEnd('\n')), out var e, out var problem), problem);

        Assert.NotNull(typeof(LogEvent).GetProperty(field.Property)!.GetValue(e));
        Assert.Empty(e!.InvalidFields);
        Assert.Equal(line, Encoding.UTF8.GetString(AuditLineFormatter.Format(e)));
    }

    [Theory]
    [MemberData(nameof(OptionalFields))]
    public void EveryOptionalFieldOfTheWrongTypeIsKeptAsInvalidWhereItStood(string name)
    {
        var field = StandardFields.Find(name)!;
        var line = $"{Header}, \"{name}\": {WrongTypeOf(field)}, \"after\": 1}}\n";

        Assert.True(AuditLineParser.TryParse(Encoding.UTF8.GetBytes(line.TrimEnd('\n')), out var e, out var problem), problem);

        Assert.Null(typeof(LogEvent).GetProperty(field.Property)!.GetValue(e));
        var invalid = Assert.Single(e!.InvalidFields);
        Assert.Equal(name, invalid.Name);
        Assert.Equal(field.Expected, invalid.Expected);
        Assert.Equal(line, Encoding.UTF8.GetString(AuditLineFormatter.Format(e)));
    }

    [Fact]
    public void EveryFieldWithAnAttributeIsSentAsThatAttribute()
    {
        var line = Header + string.Concat(StandardFields.All.Where(field => !field.IsHeader).Select(field => $", \"{field.Name}\": {SampleOf(field)}")) + "}";
        Assert.True(AuditLineParser.TryParse(Encoding.UTF8.GetBytes(line), out var e, out var problem), problem);

        var body = Encoding.UTF8.GetString(new OtlpLogEncoding("/logs/audit.jsonl", OtlpProtocol.HttpJson).Encode([e!], DateTimeOffset.UnixEpoch));

        var keys = StandardFields.All.Where(field => field.OtlpAttribute is not null).Select(field => field.OtlpAttribute!).ToList();
        Assert.All(keys, key => Assert.Contains($"\"key\":\"{key}\"", body, StringComparison.Ordinal));
        // OpenTelemetry's own attributes, then the record's identity, then the module's, each in line order.
        var positions = keys.Append("scout.log").Select(key => body.IndexOf($"\"key\":\"{key}\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["event.name", "session.id", "gen_ai.request.model", "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "scout.log",
             "scout.cost", "scout.files", "scout.reason", "scout.confidence", "scout.duration_ms", "scout.config"],
            keys.Append("scout.log").Zip(positions).OrderBy(pair => pair.Second).Select(pair => pair.First));
    }

    [Fact]
    public void AFieldWithoutARuleTakesAnyValue()
    {
        Assert.Equal(["model", "reason"], StandardFields.All.Where(field => !field.HasRule).Select(field => field.Name));
    }
}
