using System.Text;

namespace ScoutAudit.Core.Tests;

public class LineParserTests
{
    private static LogEvent Parse(string line)
    {
        Assert.True(AuditLineParser.TryParse(Encoding.UTF8.GetBytes(line), out var e, out var problem), problem);
        return e!;
    }

    private static string Refuse(byte[] line)
    {
        Assert.False(AuditLineParser.TryParse(line, out var e, out var problem));
        Assert.Null(e);
        return problem!;
    }

    private static string Refuse(string line) => Refuse(Encoding.UTF8.GetBytes(line));

    [Fact]
    public void KeysInAnyOrderAreRead()
    {
        var e = Parse("{\"cost\": 0.5, \"session_id\": \"s\", \"model\": \"m\", \"event\": \"nav\", \"ts\": \"2026-02-13T14:30:22.123Z\"}");
        Assert.Equal(("nav", "s", 0.5, "m"), (e.Event, e.SessionId, e.Cost, e.Model));
        Assert.Equal(new DateTimeOffset(2026, 2, 13, 14, 30, 22, 123, TimeSpan.Zero), e.Timestamp);
    }

    [Fact]
    public void CompactJsonIsRead()
    {
        var e = Parse("{\"ts\":\"2026-02-13T14:30:22.123Z\",\"event\":\"nav\",\"session_id\":\"s\",\"input_t\":42,\"files\":[\"a\",\"b\"]}");
        Assert.Equal(42, e.InputTokens);
        Assert.Equal(["a", "b"], e.Files!);
    }

    [Fact]
    public void ALeadingByteOrderMarkIsIgnored()
    {
        var line = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("{\"ts\":\"2026-02-13T14:30:22.123Z\",\"event\":\"nav\",\"session_id\":\"s\"}")).ToArray();
        Assert.True(AuditLineParser.TryParse(line, out var e, out _));
        Assert.Equal("nav", e!.Event);
    }

    [Fact]
    public void ARepeatedKeyTakesItsLastValueAsInPython()
    {
        var e = Parse("{\"ts\":\"2026-02-13T14:30:22.123Z\",\"event\":\"nav\",\"event\":\"brief\",\"session_id\":\"s\",\"cost\":1.5,\"cost\":null,\"x\":1,\"y\":2,\"x\":3}");
        Assert.Equal("brief", e.Event);
        Assert.Null(e.Cost);
        Assert.Equal(["x", "y"], e.Extras.Select(p => p.Key));
        Assert.Equal(3, e.GetExtra("x")!.Value.GetInt32());
    }

    [Theory]
    [InlineData("3e-06", 0.000003)]
    [InlineData("3E-6", 0.000003)]
    [InlineData("0.0000030", 0.000003)]
    [InlineData("-0", 0.0)]
    [InlineData("1", 1.0)]
    [InlineData("1.5e+2", 150.0)]
    [InlineData("9007199254740992", 9007199254740992.0)] // 2^53: read as a long, converted exactly
    [InlineData("9007199254740993", 9007199254740992.0)] // beyond it: the double nearest, as Python's float()
    [InlineData("-9223372036854775808", -9223372036854775808.0)] // the smallest long has no positive counterpart
    [InlineData("9223372036854775807", 9223372036854775807.0)]
    public void NumbersInAnyJsonFormAreRead(string number, double expected) =>
        Assert.Equal(expected, Parse($"{{\"ts\":\"2026-02-13T14:30:22.123Z\",\"event\":\"nav\",\"session_id\":\"s\",\"cost\":{number}}}").Cost);

    [Fact]
    public void TokenCountsWrittenAsWholeFloatsAreRead()
    {
        var e = Parse("{\"ts\":\"2026-02-13T14:30:22.123Z\",\"event\":\"nav\",\"session_id\":\"s\",\"input_t\":42.0,\"output_t\":1e3}");
        Assert.Equal((42L, 1000L), (e.InputTokens!.Value, e.OutputTokens!.Value));
    }

    [Fact]
    public void KeysWrittenWithEscapesAreRecognised()
    {
        var e = Parse("{\"\\u0074s\":\"2026-02-13T14:30:22.123Z\",\"ev\\u0065nt\":\"nav\",\"session_id\":\"s\",\"\\u0063ost\":2.0}");
        Assert.Equal(("nav", 2.0), (e.Event, e.Cost!.Value));
        Assert.Empty(e.Extras);
    }

    [Theory]
    [InlineData("2026-02-13T14:30:22.123456+00:00", 22, 123)]
    [InlineData("2026-02-13T15:30:22.123+01:00", 22, 123)]
    [InlineData("2026-02-13T14:30:22Z", 22, 0)]
    [InlineData("2026-02-13T14:30:22.123", 22, 123)]
    public void TimestampsInOtherIsoFormsAreReadAsInstants(string ts, int second, int millisecond)
    {
        var e = Parse($"{{\"ts\":\"{ts}\",\"event\":\"nav\",\"session_id\":\"s\"}}");
        Assert.Equal(new DateTimeOffset(2026, 2, 13, 14, 30, second, TimeSpan.Zero), UtcTimestamp.TruncateToMilliseconds(e.Timestamp).AddMilliseconds(-millisecond));
    }

    [Fact]
    public void ValuesOutsideTodaysRulesAreStillShownAsWritten()
    {
        var e = Parse("{\"ts\":\"2026-02-13T14:30:22.123Z\",\"event\":\"nav\",\"session_id\":\"s\",\"cost\":-1.5,\"confidence\":140}");
        Assert.Equal((-1.5, 140.0), (e.Cost!.Value, e.Confidence!.Value));
    }

    [Fact]
    public void TrailingWhitespaceIsAllowed() => Assert.Equal("nav", Parse("{\"ts\":\"2026-02-13T14:30:22.123Z\",\"event\":\"nav\",\"session_id\":\"s\"}  \t").Event);

    [Theory]
    [InlineData("not json at all", "not valid JSON")]
    [InlineData("[1, 2]", "not a JSON object (a JSON array)")]
    [InlineData("\"text\"", "not a JSON object (a JSON string)")]
    [InlineData("{\"ts\":\"2026-02-13T14:30:22.123Z\",\"event\":\"nav\"", "not valid JSON")]
    [InlineData("{\"ts\":\"2026-02-13T14:30:22.123Z\",\"event\":\"nav\",\"session_id\":\"s\"} {}", "not valid JSON")]
    [InlineData("{\"event\":\"nav\",\"session_id\":\"s\"}", "field 'ts' is missing")]
    [InlineData("{\"ts\":\"2026-02-13T14:30:22.123Z\",\"session_id\":\"s\"}", "field 'event' is missing")]
    [InlineData("{\"ts\":\"2026-02-13T14:30:22.123Z\",\"event\":\"nav\"}", "field 'session_id' is missing")]
    [InlineData("{\"ts\":\"yesterday\",\"event\":\"nav\",\"session_id\":\"s\"}", "field 'ts' is not an ISO 8601 time (yesterday)")]
    [InlineData("{\"ts\":\"2026-02-13T14:30:22.123Z\",\"event\":7,\"session_id\":\"s\"}", "field 'event' is a JSON number; expected a string")]
    [InlineData("{\"ts\":\"\\ud800\",\"event\":\"nav\",\"session_id\":\"s\"}", "a value cannot be read")]
    [InlineData("", "the line is empty")]
    [InlineData(" \t ", "the line holds only whitespace")]
    public void WhatIsNotAValidEventIsRefusedWithAReason(string line, string reason) =>
        Assert.StartsWith(reason, Refuse(line));

    [Fact]
    public void InvalidUtf8IsRefused()
    {
        var line = Encoding.UTF8.GetBytes("{\"ts\":\"2026-02-13T14:30:22.123Z\",\"event\":\"nav\",\"session_id\":\"s\",\"reason\":\"xx\"}");
        line[^3] = 0xC3; // a lead byte with no continuation
        Assert.Equal("the line is not valid UTF-8", Refuse(line));
    }

    [Fact]
    public void ADepthBombIsRefusedNotThrown()
    {
        var bomb = "{\"ts\":\"2026-02-13T14:30:22.123Z\",\"event\":\"nav\",\"session_id\":\"s\",\"deep\":" + new string('[', 100_000);
        Assert.StartsWith("not valid JSON", Refuse(bomb));
    }

    [Fact]
    public void EveryPrefixOfAValidLineIsRefusedCleanly()
    {
        var line = AuditLineFormatter.Format(new LogEvent("nav", DateTimeOffset.UnixEpoch, "s") { Cost = 1.5, Files = ["a"], Extras = [new("x", JsonValues.From(new[] { 1, 2 }, "x"))] });
        for (var length = 0; length < line.Length - 1; length++)
        {
            Assert.False(AuditLineParser.TryParse(line.AsSpan(0, length), out _, out var problem));
            Assert.NotNull(problem);
        }
    }
}
