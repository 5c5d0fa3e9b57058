using System.Text;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// A line the original reads is an event even when a standard field has the wrong JSON type: the
/// field is kept as raw JSON text in <see cref="LogEvent.InvalidFields"/>, its property is null,
/// and sums leave it out. Python's NaN and Infinity are read as the original reads them.
/// </summary>
public class InvalidFieldTests
{
    private const string Head = "{\"ts\": \"2026-02-13T14:30:22.123Z\", \"event\": \"nav\", \"session_id\": \"s\"";

    private static LogEvent Parse(string rest)
    {
        Assert.True(AuditLineParser.TryParse(Encoding.UTF8.GetBytes(Head + rest + "}"), out var e, out var problem), problem);
        return e!;
    }

    private static EventSummary Summarize(string rest)
    {
        Assert.True(AuditLineParser.TrySummarize(Encoding.UTF8.GetBytes(Head + rest + "}"), new StringPool(), out var summary, out var problem), problem);
        return summary;
    }

    [Theory]
    [InlineData(", \"cost\": \"0.5\"", "cost", "\"0.5\"")]
    [InlineData(", \"cost\": NaN", "cost", "NaN")]
    [InlineData(", \"cost\": Infinity", "cost", "Infinity")]
    [InlineData(", \"cost\": -Infinity", "cost", "-Infinity")]
    [InlineData(", \"cost\": 1e400", "cost", "1e400")]
    [InlineData(", \"cost\": true", "cost", "true")]
    [InlineData(", \"files\": \"a.py\"", "files", "\"a.py\"")]
    [InlineData(", \"files\": [\"a\", 1, [2, {\"b\": 3}], \"c\"]", "files", "[\"a\", 1, [2, {\"b\": 3}], \"c\"]")]
    [InlineData(", \"files\": {\"a\": 1}", "files", "{\"a\": 1}")]
    [InlineData(", \"output_t\": 3.7", "output_t", "3.7")]
    [InlineData(", \"input_t\": 99999999999999999999", "input_t", "99999999999999999999")]
    [InlineData(", \"input_t\": \"12\"", "input_t", "\"12\"")]
    [InlineData(", \"model\": 123", "model", "123")]
    [InlineData(", \"reason\": [\"x\"]", "reason", "[\"x\"]")]
    [InlineData(", \"confidence\": \"high\"", "confidence", "\"high\"")]
    [InlineData(", \"duration_ms\": {}", "duration_ms", "{}")]
    [InlineData(", \"config\": [1, 2]", "config", "[1, 2]")]
    [InlineData(", \"config\": {\"t\": NaN}", "config", "{\"t\": NaN}")]
    [InlineData(", \"ratio\": [1, NaN ]", "ratio", "[1, NaN ]")]
    public void AFieldOfTheWrongTypeIsKeptAsItsJsonTextAndTheEventIsRead(string rest, string name, string json)
    {
        var e = Parse(rest);

        Assert.Equal([new InvalidField(name, json)], e.InvalidFields);
        Assert.Equal((null, null, null, null, null, null, null, null, null), (e.Cost, e.Model, e.InputTokens, e.OutputTokens, e.Files, e.Reason, e.Confidence, e.DurationMs, e.Config));
        Assert.Empty(e.Extras);
        Assert.Equal([new InvalidField(name, json)], Summarize(rest).InvalidFields);
    }

    [Fact]
    public void WellTypedFieldsBesideAWrongOneAreReadAsUsual()
    {
        var e = Parse(", \"cost\": \"0.5\", \"model\": \"m\", \"input_t\": 4, \"output_t\": 3.7, \"files\": [\"a\"], \"x\": NaN, \"y\": 1");

        Assert.Equal(["cost", "output_t", "x"], e.InvalidFields.Select(f => f.Name));
        Assert.Equal(("m", 4L), (e.Model, e.InputTokens!.Value));
        Assert.Equal(["a"], e.Files!);
        Assert.Equal("y", Assert.Single(e.Extras).Key);
    }

    [Fact]
    public void OfRepeatedKeysTheLastWinsWhetherItIsWellTypedOrNot()
    {
        var e = Parse(", \"cost\": \"x\", \"cost\": 0.25, \"model\": \"m\", \"model\": 5, \"z\": NaN, \"z\": 2");

        Assert.Equal(0.25, e.Cost);
        Assert.Null(e.Model);
        Assert.Equal([new InvalidField("model", "5")], e.InvalidFields);
        Assert.Equal(2, e.GetExtra("z")!.Value.GetInt32());
    }

    [Theory]
    [InlineData(", \"cost\": NaNx")]
    [InlineData(", \"cost\": -NaN")]
    [InlineData(", \"cost\": 1NaN")]
    [InlineData(", \"cost\": nan")]
    [InlineData(", NaN: 1")]
    [InlineData(", \"reason\": \"NaN\" NaN")]
    public void WhatPythonDoesNotReadAsAConstantStaysInvalidJson(string rest) =>
        Assert.False(AuditLineParser.TryParse(Encoding.UTF8.GetBytes(Head + rest + "}"), out _, out _));

    [Fact]
    public void NaNInsideAStringIsText() => Assert.Equal("NaN, Infinity", Parse(", \"reason\": \"NaN, Infinity\"").Reason);

    [Theory]
    [InlineData("{\"ts\": \"2026-02-13T14:30:22.123Z\", \"event\": \"nav\", \"session_id\": \"s\", \"cost\": \"0.5\", \"files\": \"a.py\", \"Cost\": 2}")]
    [InlineData("{\"ts\": \"2026-02-13T14:30:22.123Z\", \"event\": \"nav\", \"session_id\": \"s\", \"cost\": NaN, \"output_t\": 3.7, \"config\": {\"a\": [Infinity]}}")]
    [InlineData("{\"ts\": \"2026-02-13T14:30:22.123Z\", \"event\": \"nav\", \"session_id\": \"s\", \"model\": 123, \"input_t\": 99999999999999999999, \"w\": -Infinity}")]
    public void ALineWithFieldsOfTheWrongTypeIsWrittenBackByteForByte(string line)
    {
        Assert.True(AuditLineParser.TryParse(Encoding.UTF8.GetBytes(line), out var e, out var problem), problem);
        Assert.Equal(line + "\n", Encoding.UTF8.GetString(AuditLineFormatter.Format(e!)));
    }

    [Fact]
    public void SumsLeaveOutWrongTypedFieldsButCountTheirEventsAndSumNegativeCosts()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        File.WriteAllText(path,
            Head + ", \"cost\": 0.25, \"input_t\": 10}\n" +
            Head + ", \"cost\": \"0.5\", \"output_t\": 3.7}\n" +
            Head + ", \"cost\": NaN, \"input_t\": 99999999999999999999}\n" +
            Head.Replace("\"nav\"", "\"validation_fail\"") + ", \"cost\": -0.125, \"output_t\": 2}\n");
        var diagnostics = new RecordingDiagnostics();
        using var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics });

        var spend = Assert.Single(log.Spend());
        var accuracy = log.Accuracy();

        Assert.Equal((0.125m, 4L, 10L, 2L), (spend.Cost, spend.Events, spend.InputTokens, spend.OutputTokens));
        Assert.Equal((3L, 1L, 66.67), (accuracy.TotalNav, accuracy.ValidationFailCount, accuracy.AccuracyPct));
        Assert.Equal(4, log.Query().Count());
        Assert.Empty(diagnostics.Of(AuditDiagnosticKind.LineSkipped));
        // Spend, accuracy and the query each report the two events with invalid fields; only spend the negative cost.
        Assert.Equal(6, diagnostics.Of(AuditDiagnosticKind.FieldsInvalid).Count);
        Assert.Equal([2L, 3L], diagnostics.Of(AuditDiagnosticKind.FieldsInvalid).Take(2).Select(d => d.LineNumber!.Value));
        Assert.Equal(["cost", "output_t"], diagnostics.Of(AuditDiagnosticKind.FieldsInvalid)[0].Fields);
        Assert.Equal(4L, Assert.Single(diagnostics.Of(AuditDiagnosticKind.NegativeCost)).LineNumber);
    }
}
