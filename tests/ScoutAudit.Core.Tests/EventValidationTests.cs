using System.Text.Json;

namespace ScoutAudit.Core.Tests;

public class EventValidationTests
{
    private static readonly DateTimeOffset When = new(2026, 2, 13, 14, 30, 22, 123, TimeSpan.Zero);

    private static LogEvent Nav() => new("nav", When, "s-1");

    [Fact]
    public void AnEmptyEventTypeIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new LogEvent("", When, "s-1"));
        Assert.StartsWith("The event type must not be empty.", error.Message);
        Assert.Equal("event", error.ParamName);
    }

    [Fact]
    public void AnEventTypeOver64CharactersIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new LogEvent(new string('x', 65), When, "s-1"));
        Assert.StartsWith("The event type is 65 characters long; at most 64 are allowed.", error.Message);
        Assert.Equal("nav", Nav().Event);
        Assert.Equal(64, new LogEvent(new string('x', 64), When, "s-1").Event.Length);
    }

    [Theory]
    [InlineData("na\nv", "U+000A", 2)]
    [InlineData("\tnav", "U+0009", 0)]
    [InlineData("nav\u007f", "U+007F", 3)]
    public void AnEventTypeWithAControlCharacterIsRefused(string eventType, string character, int position)
    {
        var error = Assert.Throws<ArgumentException>(() => new LogEvent(eventType, When, "s-1"));
        Assert.StartsWith($"The event type contains the control character {character} at position {position}; control characters are not allowed.", error.Message);
    }

    [Fact]
    public void AnEmptySessionIdIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new LogEvent("nav", When, ""));
        Assert.StartsWith("The session id must not be empty.", error.Message);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(-0.01, "-0.01")]
    public void ACostThatIsNotFiniteOrIsNegativeIsRefused(double cost, string shown)
    {
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => new LogEvent("nav", When, "s-1") { Cost = cost });
        Assert.StartsWith($"Cost must be a finite number of 0 or more; got {shown}.", refused.Message);
        Assert.Equal("cost", refused.ParamName);
    }

    [Fact]
    public void ZeroCostIsAllowed() => Assert.Equal(0.0, new LogEvent("nav", When, "s-1") { Cost = 0 }.Cost);

    [Fact]
    public void NegativeTokenCountsAreRefused()
    {
        var input = Assert.Throws<ArgumentOutOfRangeException>(() => new LogEvent("nav", When, "s-1") { InputTokens = -1 });
        Assert.StartsWith("input_t (token count) must be 0 or more; got -1.", input.Message);
        var output = Assert.Throws<ArgumentOutOfRangeException>(() => new LogEvent("nav", When, "s-1") { OutputTokens = -5 });
        Assert.StartsWith("output_t (token count) must be 0 or more; got -5.", output.Message);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void ANegativeOrNonFiniteDurationIsRefused(double duration)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LogEvent("nav", When, "s-1") { DurationMs = duration });
        Assert.StartsWith("DurationMs must be a finite number of 0 or more; got", error.Message);
    }

    [Theory]
    [InlineData(101.0)]
    [InlineData(-1.0)]
    [InlineData(100.5)]
    [InlineData(double.NaN)]
    public void ConfidenceOutside0To100IsRefused(double confidence)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LogEvent("nav", When, "s-1") { Confidence = confidence });
        Assert.StartsWith("Confidence must be a number from 0 to 100; got", error.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(100.0)]
    [InlineData(85.5)]
    public void ConfidenceFrom0To100IsAllowed(double confidence) =>
        Assert.Equal(confidence, new LogEvent("nav", When, "s-1") { Confidence = confidence }.Confidence);

    [Theory]
    [InlineData("cost")]
    [InlineData("ts")]
    [InlineData("session_id")]
    [InlineData("config")]
    public void ExtraFieldsMayNotReuseStandardNames(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => new LogEvent("nav", When, "s-1")
        {
            Extras = [new(name, JsonValues.From(1, name))],
        });
        Assert.StartsWith($"The extra field name '{name}' is reserved; extra fields may not reuse the standard names (ts, event, session_id, cost,", error.Message);
    }

    [Fact]
    public void AnExtraFieldNamedTwiceIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new LogEvent("nav", When, "s-1")
        {
            Extras = [new("team", JsonValues.From("a", "team")), new("team", JsonValues.From("b", "team"))],
        });
        Assert.StartsWith("The extra field 'team' is given twice; each name may appear once.", error.Message);
    }

    [Fact]
    public void AConfigThatIsNotAnObjectIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new LogEvent("nav", When, "s-1") { Config = JsonValues.From(new[] { 1, 2 }, "config") });
        Assert.StartsWith("Config must be a JSON object; got a JSON array.", error.Message);
    }

    [Fact]
    public void AFilesListWithANullEntryIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new LogEvent("nav", When, "s-1") { Files = ["a.py", null!] });
        Assert.StartsWith("Files must be a list of strings; entry 1 is null.", error.Message);
    }

    [Fact]
    public void AnEventOver1MiBIsRefusedWhenWritten()
    {
        var big = new LogEvent("nav", When, "s-1") { Reason = new string('x', 1024 * 1024) };
        var error = Assert.Throws<ArgumentException>(() => AuditLineFormatter.Format(big));
        Assert.Matches(@"^The event is \d+ bytes long when written; at most 1048576 bytes \(1 MiB\) are allowed per event\.", error.Message);
    }

    [Fact]
    public void AnEventJustUnder1MiBIsWritten()
    {
        var header = AuditLineFormatter.Format(new LogEvent("nav", When, "s-1") { Reason = "" }).Length;
        var fits = new LogEvent("nav", When, "s-1") { Reason = new string('x', EventFieldRules.MaxLineBytes - header) };
        Assert.Equal(EventFieldRules.MaxLineBytes, AuditLineFormatter.Format(fits).Length);
    }

    [Fact]
    public void AnUnpairedSurrogateIsWrittenAsAnEscapeAsPythonWritesIt()
    {
        // Python keeps undecodable bytes of file names as lone surrogates and writes "\udc80".
        var e = new LogEvent("nav", When, "s-1") { Files = ["bad\udc80name"] };
        var line = System.Text.Encoding.UTF8.GetString(AuditLineFormatter.Format(e));
        Assert.EndsWith("\"files\": [\"bad\\udc80name\"]}\n", line);
        Assert.True(AuditLineParser.TryParse(System.Text.Encoding.UTF8.GetBytes(line.TrimEnd('\n')), out var read, out _));
        Assert.Equal("bad\udc80name", read!.Files![0]);
    }

    [Fact]
    public void NonJsonValuesAreRefusedNamingTheFieldAndPlace()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            JsonValues.From(new Dictionary<string, object?> { ["when"] = DateTime.UnixEpoch }, "config"));
        Assert.StartsWith("The field 'config' holds a System.DateTime at config.when, which has no JSON form; allowed are strings, booleans, numbers, null, lists and dictionaries with string keys.", error.Message);
        Assert.Equal("config", error.ParamName);
    }

    [Fact]
    public void NaNInsideATreeIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => JsonValues.From(new object[] { 1, double.NaN }, "ratio"));
        Assert.StartsWith("The field 'ratio' holds NaN at ratio[1], which JSON cannot represent; numbers must be finite.", error.Message);
    }

    [Fact]
    public void ACyclicTreeIsRefused()
    {
        var loop = new Dictionary<string, object?>();
        loop["self"] = loop;
        var error = Assert.Throws<ArgumentException>(() => JsonValues.From(loop, "config"));
        Assert.StartsWith("The field 'config' contains itself (a cycle at config.self); JSON cannot represent cycles.", error.Message);
    }

    [Fact]
    public void ATreeDeeperThan64LevelsIsRefused()
    {
        object nested = "leaf";
        for (var i = 0; i < 65; i++) nested = new object[] { nested };
        var error = Assert.Throws<ArgumentException>(() => JsonValues.From(nested, "config"));
        Assert.Contains("is nested more than 64 levels deep", error.Message);

        object fits = "leaf";
        for (var i = 0; i < 64; i++) fits = new object[] { fits };
        Assert.Equal(JsonValueKind.Array, JsonValues.From(fits, "config").ValueKind);
    }

    [Fact]
    public void NonStringDictionaryKeysAreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => JsonValues.From(new Dictionary<int, string> { [1] = "a" }, "config"));
        Assert.StartsWith("The field 'config' has a key of type System.Int32 (1) at config; keys must be strings.", error.Message);
    }

    [Fact]
    public void TheTimestampIsKeptToTheMillisecondInUtc()
    {
        var local = new DateTimeOffset(2026, 2, 13, 15, 30, 22, 123, TimeSpan.FromHours(1)).AddTicks(4567);
        var e = new LogEvent("nav", local, "s-1");
        Assert.Equal(new DateTimeOffset(2026, 2, 13, 14, 30, 22, 123, TimeSpan.Zero), e.Timestamp);
        Assert.Equal(TimeSpan.Zero, e.Timestamp.Offset);
    }

    [Fact]
    public void EventsWithoutASessionUseOneUuid4PerProcess()
    {
        var first = new LogEvent("nav");
        var second = new LogEvent("brief");
        Assert.Equal(first.SessionId, second.SessionId);
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", first.SessionId);
    }
}
