using System.Text;
using System.Text.Json;

namespace ScoutAudit.Core.Tests;

public class LineFormatTests
{
    private static readonly DateTimeOffset When = new(2026, 2, 13, 14, 30, 22, 123, TimeSpan.Zero);

    // Printed by CPython 3.11's json.dumps for the same record (the original's writer).
    private const string PythonLine =
        "{\"ts\": \"2026-02-13T14:30:22.123Z\", \"event\": \"nav\", \"session_id\": \"0b9d7f4e-1c2a-4e8b-9f3d-5a6b7c8d9e0f\", " +
        "\"cost\": 3e-06, \"model\": \"llama-3.1-8b\", \"input_t\": 42, \"output_t\": 28, \"files\": [\"src/a.py\", \"docs/\\u00fc.md\"], " +
        "\"reason\": \"line1\\nline2 \\\"quoted\\\" \\\\ tab\\t bell\\u0007 del\\u007f \\u00e9 \\u2603 \\ud83d\\ude00 \\u2028\", " +
        "\"confidence\": 85, \"duration_ms\": 120, \"config\": {\"temperature\": 0.7, \"max_tokens\": 1024, " +
        "\"nested\": {\"list\": [1, 2.5, null, true, false, \"x\"], \"empty\": {}, \"none\": []}}, " +
        "\"team\": \"n\\u00facleo\", \"attempt\": 2, \"ratio\": 1e-07}\n";

    [Fact]
    public void AFullEventIsWrittenByteForByteAsTheOriginalWritesIt()
    {
        var e = new LogEvent("nav", When, "0b9d7f4e-1c2a-4e8b-9f3d-5a6b7c8d9e0f")
        {
            Cost = 0.000003,
            Model = "llama-3.1-8b",
            InputTokens = 42,
            OutputTokens = 28,
            Files = ["src/a.py", "docs/ü.md"],
            Reason = "line1\nline2 \"quoted\" \\ tab\t bell\u0007 del\u007f é ☃ 😀 \u2028",
            Confidence = 85,
            DurationMs = 120,
            Config = JsonValues.ObjectFrom(new Dictionary<string, object?>
            {
                ["temperature"] = 0.7,
                ["max_tokens"] = 1024,
                ["nested"] = new Dictionary<string, object?>
                {
                    ["list"] = new object?[] { 1, 2.5, null, true, false, "x" },
                    ["empty"] = new Dictionary<string, object?>(),
                    ["none"] = Array.Empty<object>(),
                },
            }, "config"),
            Extras =
            [
                new("team", JsonValues.From("núcleo", "team")),
                new("attempt", JsonValues.From(2, "attempt")),
                new("ratio", JsonValues.From(1e-07, "ratio")),
            ],
        };

        Assert.Equal(PythonLine, Encoding.UTF8.GetString(AuditLineFormatter.Format(e)));
    }

    [Fact]
    public void AbsentFieldsAreOmittedNotWrittenAsNull()
    {
        var line = Encoding.UTF8.GetString(AuditLineFormatter.Format(new LogEvent("skip", When, "s")));
        Assert.Equal("{\"ts\": \"2026-02-13T14:30:22.123Z\", \"event\": \"skip\", \"session_id\": \"s\"}\n", line);
    }

    [Fact]
    public void AnExtraFieldWithANullValueIsDroppedAsTheOriginalDoes()
    {
        var e = new LogEvent("nav", When, "s") { Extras = [new("note", JsonValues.From(null, "note")), new("n", JsonValues.From(1, "n"))] };
        Assert.EndsWith("\"session_id\": \"s\", \"n\": 1}\n", Encoding.UTF8.GetString(AuditLineFormatter.Format(e)));
    }

    [Theory]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(1e16, "1e+16")]
    [InlineData(0.0, "0.0")]
    [InlineData(12.5, "12.5")]
    public void CostIsAlwaysAPythonFloat(double cost, string written)
    {
        var line = Encoding.UTF8.GetString(AuditLineFormatter.Format(new LogEvent("nav", When, "s") { Cost = cost }));
        Assert.Contains($"\"cost\": {written}}}", line);
    }

    [Theory]
    [InlineData(85.0, "85")]
    [InlineData(85.5, "85.5")]
    public void ConfidenceAndDurationAreIntsWhenWhole(double value, string written)
    {
        var line = Encoding.UTF8.GetString(AuditLineFormatter.Format(new LogEvent("nav", When, "s") { Confidence = value, DurationMs = value }));
        Assert.Contains($"\"confidence\": {written}, \"duration_ms\": {written}}}", line);
    }

    [Fact]
    public void SingleFloatsAreWrittenWithTheirShortDecimalForm()
    {
        var e = new LogEvent("nav", When, "s") { Extras = [new("f", JsonValues.From(0.1f, "f"))] };
        Assert.Contains("\"f\": 0.1}", Encoding.UTF8.GetString(AuditLineFormatter.Format(e)));
    }

    [Fact]
    public void ATimestampIsUtcWithMillisecondsAndZ()
    {
        Assert.Equal("2026-02-13T14:30:22.123Z", UtcTimestamp.Format(When));
        Assert.Equal("0001-01-01T00:00:00.000Z", UtcTimestamp.Format(DateTimeOffset.MinValue));
        Assert.Equal("2026-02-13T13:30:22.120Z", UtcTimestamp.Format(new DateTimeOffset(2026, 2, 13, 14, 30, 22, 120, TimeSpan.FromHours(1))));
    }

    [Fact]
    public void ConfigKeysRepeatedInAReadLineKeepTheirFirstPlaceWithTheLastValue()
    {
        var line = "{\"ts\": \"2026-02-13T14:30:22.123Z\", \"event\": \"nav\", \"session_id\": \"s\", \"config\": {\"a\": 1, \"b\": 2, \"a\": 3}}"u8;
        Assert.True(AuditLineParser.TryParse(line, out var e, out _));
        Assert.EndsWith("\"config\": {\"a\": 3, \"b\": 2}}\n", Encoding.UTF8.GetString(AuditLineFormatter.Format(e!)));
    }

    [Fact]
    public void BigIntegersInATreeKeepEveryDigit()
    {
        var line = "{\"ts\": \"2026-02-13T14:30:22.123Z\", \"event\": \"nav\", \"session_id\": \"s\", \"big\": 123456789012345678901234567890, \"neg0\": -0}"u8;
        Assert.True(AuditLineParser.TryParse(line, out var e, out _));
        Assert.EndsWith("\"big\": 123456789012345678901234567890, \"neg0\": 0}\n", Encoding.UTF8.GetString(AuditLineFormatter.Format(e!)));
    }

    [Fact]
    public void AFloatTooLargeForADoubleCannotBeWrittenAgain()
    {
        // Python reads 1e400 as inf and would write the non-JSON "Infinity"; ScoutAudit refuses instead.
        var line = "{\"ts\": \"2026-02-13T14:30:22.123Z\", \"event\": \"nav\", \"session_id\": \"s\", \"huge\": 1e400}"u8;
        Assert.True(AuditLineParser.TryParse(line, out var e, out _));
        Assert.Equal(JsonValueKind.Number, e!.GetExtra("huge")!.Value.ValueKind);
        var error = Assert.Throws<ArgumentException>(() => AuditLineFormatter.Format(e));
        Assert.StartsWith("The field 'huge' holds Infinity, which JSON cannot represent.", error.Message);
    }
}
