using System.Text;
using System.Text.Json;
using ScoutAudit.Core.Tests.Support;
using ScoutAudit.Testing;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// An event costs work linear in its size, and no line costs more than the cap allows: at most
/// <see cref="EventFieldRules.MaxExtraFields"/> extra fields are written per event; a line with more is
/// read with its standard fields only, its extra fields walked over and reported, never built. Bounds
/// are asserted by what can be counted (fields built, bytes allocated), not by time.
/// </summary>
public class ManyFieldsTests
{
    private const string Head = "{\"ts\": \"2026-02-13T14:30:22.123Z\", \"event\": \"nav\", \"session_id\": \"s\", \"cost\": 0.5";

    private static readonly DateTimeOffset At = new(2026, 2, 13, 14, 30, 22, 123, TimeSpan.Zero);

    /// <summary>A line of <paramref name="fields"/> extra fields <c>"f0": 0</c>, <c>"f1": 0</c>..., then a model after them.</summary>
    private static byte[] LineWithFields(int fields)
    {
        var text = new StringBuilder(Head, fields * 16 + 128);
        for (var i = 0; i < fields; i++) text.Append(", \"f").Append(i).Append("\": 0");
        return Encoding.UTF8.GetBytes(text.Append(", \"model\": \"m\"}").ToString());
    }

    private static List<KeyValuePair<string, JsonElement>> Extras(int count) =>
        Enumerable.Range(0, count).Select(i => new KeyValuePair<string, JsonElement>($"f{i}", JsonValues.From((long)i, $"f{i}"))).ToList();

    [Fact]
    public void AnEventWithSixtyThousandExtraFieldsIsRefusedSayingHowManyAndHowManyAreAllowed()
    {
        var error = Assert.Throws<TooManyExtraFieldsException>(() => new LogEvent("nav", At, "s") { Extras = Extras(60_000) });

        Assert.Equal(60_000, error.Count);
        Assert.Equal(1024, error.Limit);
        Assert.Contains("60000 extra fields", error.Message);
        Assert.Contains("at most 1024 are allowed per event", error.Message);
        Assert.IsAssignableFrom<ArgumentException>(error); // what a cmdlet reports as that record's error
    }

    [Fact]
    public void ARefusedEventLeavesTheLogAsItWasAndTheNextEventIsWritten()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        using var log = new AuditLog(path);
        log.Append(new LogEvent("nav", At, "s") { Cost = 0.5 });
        log.Flush();
        var before = File.ReadAllBytes(path);

        Assert.Throws<TooManyExtraFieldsException>(() => log.Append(new LogEvent("nav", At, "s") { Extras = Extras(60_000) }));
        log.Flush();
        Assert.Equal(before, File.ReadAllBytes(path));

        log.Append(new LogEvent("brief", At, "s"));
        log.Flush();
        Assert.Equal(["nav", "brief"], log.Query().Select(e => e.Event));
    }

    [Fact]
    public void AnEventWithExactlyTheCapIsWrittenAndReadBackByteForByte()
    {
        var e = new LogEvent("nav", At, "s") { Extras = Extras(EventFieldRules.MaxExtraFields) };
        var line = AuditLineFormatter.Format(e);

        Assert.True(AuditLineParser.TryParse(line.AsSpan(0, line.Length - 1), out var read, out var problem), problem);
        Assert.Equal(EventFieldRules.MaxExtraFields, read!.Extras.Count);
        Assert.Equal(0, read.OmittedExtraFields);
        Assert.Equal(line, AuditLineFormatter.Format(read));
        Assert.Throws<TooManyExtraFieldsException>(() => new LogEvent("nav", At, "s") { Extras = Extras(EventFieldRules.MaxExtraFields + 1) });
    }

    [Fact]
    public void ALineOverTheCapIsReadWithItsStandardFieldsOnlyAndCannotBeWrittenAgain()
    {
        var line = LineWithFields(2_000);

        Assert.True(AuditLineParser.TryParse(line, out var e, out var problem), problem);

        Assert.Empty(e!.Extras);
        Assert.Equal(2_000, e.OmittedExtraFields);
        Assert.Equal((0.5, "m"), (e.Cost, e.Model)); // a standard field after the extra ones is read too
        var error = Assert.Throws<TooManyExtraFieldsException>(() => AuditLineFormatter.Format(e));
        Assert.Contains("2000 extra fields", error.Message);
    }

    [Fact]
    public void InvalidExtraFieldsCountTowardTheCapAndAreDroppedWithTheOthers()
    {
        var text = new StringBuilder(Head + ", \"cost\": \"x\"");
        for (var i = 0; i < 1_100; i++) text.Append(", \"n").Append(i).Append("\": NaN");
        Assert.True(AuditLineParser.TryParse(Encoding.UTF8.GetBytes(text.Append('}').ToString()), out var e, out var problem), problem);

        Assert.Equal(1_100, e!.OmittedExtraFields);
        Assert.Empty(e.Extras);
        Assert.Equal([new InvalidField("cost", "\"x\"")], e.InvalidFields); // a standard field's invalid value stays
    }

    [Fact]
    public void ALineOfHalfAMillionFieldsIsReadInWorkBoundedByItsBytesAndReportedByLine()
    {
        // A smaller line first: on a reader that builds every field, it fails here at once instead of running for minutes below.
        Assert.True(AuditLineParser.TryParse(LineWithFields(5_000), out var small, out _));
        Assert.Equal(5_000, small!.OmittedExtraFields);

        var line = LineWithFields(500_000);
        Assert.InRange(line.Length, 6_000_000, LineReader.DefaultMaxLineBytes); // as long as the reader reads

        AuditLineParser.TryParse(line, out _, out _); // warm: the first call's JIT allocations are not the line's
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(AuditLineParser.TryParse(line, out var e, out var problem), problem);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.Empty(e!.Extras);
        Assert.Equal(500_000, e.OmittedExtraFields);
        // At most the cap's fields are ever built, then dropped: a small share of the line's bytes, where
        // building every field takes hundreds of bytes per field (a multiple of the line).
        Assert.True(allocated < line.Length / 4, $"parsing a {line.Length}-byte line allocated {allocated} bytes");

        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes(Head + "}\n"), .. line, (byte)'\n', .. Encoding.UTF8.GetBytes(Head + ", \"model\": \"last\"}\n")]);
        var diagnostics = new RecordingDiagnostics();
        using var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics });

        var events = log.Query().ToList();

        Assert.Equal([null, "m", "last"], events.Select(x => x.Model));
        Assert.Equal(1.5, events.Sum(x => x.Cost)); // nothing of the line's standard fields is lost
        var report = Assert.Single(diagnostics.Of(AuditDiagnosticKind.ExtraFieldsOmitted));
        Assert.Equal(2, report.LineNumber);
        Assert.Contains("Line 2 of", report.Message);
        Assert.Contains("500000 extra fields, more than the 1024", report.Message);
        Assert.Contains("standard fields only", report.Message);
        Assert.Empty(diagnostics.Of(AuditDiagnosticKind.LineSkipped));
        Assert.Equal(1.5m, Assert.Single(log.Spend()).Cost); // aggregates read it as any other line

        var last = log.Last(2); // read backwards, as -Last reads: reported there too
        Assert.Equal(["m", "last"], last.Select(x => x.Model)); // oldest first
        Assert.Equal(2, diagnostics.Of(AuditDiagnosticKind.ExtraFieldsOmitted).Count);
    }

    [Fact]
    public void ForwardingALineOverTheCapSendsItsStandardFieldsAndTheCountNotItsFields()
    {
        Assert.True(AuditLineParser.TryParse(LineWithFields(200_000), out var e, out _));

        var body = new OtlpLogEncoding("/logs/audit.jsonl", OtlpProtocol.HttpJson).Encode([e!], At);

        Assert.True(body.Length < 4096, $"the record is {body.Length} bytes");
        var text = Encoding.UTF8.GetString(body);
        Assert.Contains("\"key\":\"scout.extra_fields_omitted\",\"value\":{\"intValue\":\"200000\"}", text);
        Assert.DoesNotContain("scout.extra.f", text);
    }

    [Fact]
    public void ANestedObjectWithManyKeysIsWrittenInLineOrderWithRepeatedKeysAtTheirFirstPlace()
    {
        var inner = new StringBuilder("{");
        for (var i = 0; i < 50_000; i++) inner.Append(i == 0 ? "" : ", ").Append("\"k").Append(i).Append("\": ").Append(i);
        inner.Append(", \"k7\": \"last\"}");
        var line = Encoding.UTF8.GetBytes(Head + ", \"config\": " + inner + "}");

        Assert.True(AuditLineParser.TryParse(line, out var e, out var problem), problem);
        var written = Encoding.UTF8.GetString(AuditLineFormatter.Format(e!));

        Assert.StartsWith(Head + ", \"config\": {\"k0\": 0, \"k1\": 1, ", written);
        Assert.Contains(", \"k6\": 6, \"k7\": \"last\", \"k8\": 8, ", written);
        Assert.EndsWith(", \"k49999\": 49999}}\n", written);
    }

    /// <summary>
    /// Lines with many fields (under and over the cap), repeated names, long names, deep nesting and
    /// long strings: every result is what a plain model of Python's reading says (repeated names keep
    /// their first place and their last value), and writing it gives back a line that reads the same.
    /// </summary>
    [Fact]
    public void EveryLineOfManyLongDeepFieldsReadsAsPythonWouldAndWritesBackTheSame()
    {
        var random = new Random(25);
        for (var round = 0; round < 60; round++)
        {
            var members = new List<(string Name, string Json)>();
            var count = round % 5 == 0 ? random.Next(1_000, 1_200) : random.Next(0, 300);
            for (var i = 0; i < count; i++)
            {
                var name = random.Next(8) switch
                {
                    0 => new string((char)('a' + random.Next(26)), random.Next(1, 2_000)), // long, often repeated
                    1 => members.Count > 0 ? members[random.Next(members.Count)].Name : "x", // a repeat
                    2 => "é\u2028" + random.Next(50), // escaped on write
                    _ => "f" + random.Next(100_000),
                };
                members.Add((name, Value(random, depth: 0)));
            }
            var line = Encoding.UTF8.GetBytes(Head + string.Concat(members.Select(m => ", " + JsonSerializer.Serialize(m.Name) + ": " + m.Json)) + "}");

            Assert.True(AuditLineParser.TryParse(line, out var e, out var problem), $"round {round}: {problem}");

            if (members.Count > EventFieldRules.MaxExtraFields)
            {
                Assert.Equal((members.Count, 0), (e!.OmittedExtraFields, e.Extras.Count));
                continue;
            }
            var expected = PythonDict(members);
            Assert.Equal(expected.Select(m => m.Name), e!.Extras.Select(x => x.Key));
            for (var i = 0; i < expected.Count; i++)
                Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(expected[i].Json).RootElement, e.Extras[i].Value), $"round {round}, field {expected[i].Name}");

            var written = AuditLineFormatter.Format(e);
            Assert.True(AuditLineParser.TryParse(written.AsSpan(0, written.Length - 1), out var again, out problem), problem);
            Assert.Equal(written, AuditLineFormatter.Format(again!));
        }
    }

    /// <summary>The model: a name's first place, its last value.</summary>
    private static List<(string Name, string Json)> PythonDict(List<(string Name, string Json)> members)
    {
        var order = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, json) in members)
        {
            if (!values.ContainsKey(name)) order.Add(name);
            values[name] = json;
        }
        return order.Select(name => (name, values[name])).ToList();
    }

    /// <summary>A JSON value within <paramref name="depth"/> containers, never nested deeper than a line may hold (64 levels).</summary>
    private static string Value(Random random, int depth) => random.Next(depth < 56 ? 7 : 4) switch
    {
        0 => random.Next(-1000, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
        1 => JsonSerializer.Serialize(new string('s', random.Next(0, random.Next(2) == 0 ? 20 : 5_000))),
        2 => "true",
        3 => "0.25",
        4 => "[" + Value(random, depth + 1) + ", " + Value(random, depth + 1) + "]",
        5 => "{\"a\": " + Value(random, depth + 1) + ", \"a\": " + Value(random, depth + 1) + "}",
        _ => Nested(random.Next(1, 60 - depth)),
    };

    private static string Nested(int levels) => new string('[', levels) + "1" + new string(']', levels);
}
