using System.Text;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

public class QueryTests
{
    private static string WriteLog(TempFolder folder, IEnumerable<LogEvent> events)
    {
        var path = folder.File("audit.jsonl");
        using var log = new AuditLog(path);
        foreach (var e in events) log.Append(e);
        return path;
    }

    private static readonly LogEvent[] Day =
    [
        Events.At(Events.Start.AddMinutes(0), "nav", "a", 0.01, "llama"),
        Events.At(Events.Start.AddMinutes(10), "brief", "a", 0.02, "gpt"),
        Events.At(Events.Start.AddMinutes(20), "validation_fail", "b", null, "llama"),
        Events.At(Events.Start.AddMinutes(30), "nav", "b", 0.04, null),
        Events.At(Events.Start.AddMinutes(40), "nav", "c", 0.05, "gpt"),
    ];

    [Fact]
    public void SinceIsInclusiveAndUntilExclusive()
    {
        using var folder = new TempFolder();
        using var log = new AuditLog(WriteLog(folder, Day));
        var found = log.Query(new EventFilter { Since = Events.Start.AddMinutes(10), Until = Events.Start.AddMinutes(30) });
        Assert.Equal(["brief", "validation_fail"], found.Select(e => e.Event));
    }

    [Fact]
    public void TimesAreComparedAsInstantsWhateverTheirOffset()
    {
        using var folder = new TempFolder();
        using var log = new AuditLog(WriteLog(folder, Day));
        // 14:30 UTC written as 23:30 in Tokyo: a string comparison would keep everything.
        var since = new DateTimeOffset(2026, 2, 13, 23, 30, 0, TimeSpan.FromHours(9));
        Assert.Equal(["nav", "nav"], log.Query(new EventFilter { Since = since }).Select(e => e.Event));
    }

    [Fact]
    public void EventTypesSessionsAndModelsFilter()
    {
        using var folder = new TempFolder();
        using var log = new AuditLog(WriteLog(folder, Day));
        Assert.Equal(3, log.Query(new EventFilter { EventTypes = ["nav"] }).Count());
        Assert.Equal(4, log.Query(new EventFilter { EventTypes = ["nav", "validation_fail"] }).Count());
        Assert.Equal(["validation_fail", "nav"], log.Query(new EventFilter { SessionIds = ["b"] }).Select(e => e.Event));
        Assert.Equal([0.02, 0.05], log.Query(new EventFilter { Models = ["gpt"] }).Select(e => e.Cost!.Value));
        Assert.Single(log.Query(new EventFilter { Models = ["gpt"], EventTypes = ["nav"] }));
    }

    [Fact]
    public void LastKeepsTheFinalMatchesInFileOrder()
    {
        using var folder = new TempFolder();
        using var log = new AuditLog(WriteLog(folder, Day));
        Assert.Equal(["a", "b", "c"], log.Last(5, new EventFilter { EventTypes = ["nav"] }).Select(e => e.SessionId));
        Assert.Equal(["b", "c"], log.Last(2, new EventFilter { EventTypes = ["nav"] }).Select(e => e.SessionId));
        Assert.Equal(["nav"], log.Last(1).Select(e => e.Event));
    }

    [Fact]
    public void LastNeedsAPositiveCount()
    {
        using var log = new AuditLog(Path.Combine(Path.GetTempPath(), "never-created.jsonl"));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => log.Last(0));
        Assert.StartsWith("The number of last events must be 1 or more; got 0.", error.Message);
    }

    [Fact]
    public void SinceAfterUntilIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new EventFilter { Since = Events.Start.AddHours(1), Until = Events.Start });
        Assert.StartsWith("Since (2026-02-13T15:00:00.000Z) is after Until (2026-02-13T14:00:00.000Z); Since must be at or before Until.", error.Message);
    }

    [Fact]
    public void AMissingLogHasNoEvents()
    {
        using var folder = new TempFolder();
        using var log = new AuditLog(folder.File("none.jsonl"));
        Assert.Empty(log.Query());
        Assert.False(File.Exists(folder.File("none.jsonl")));
    }

    [Fact]
    public void BadLinesAreSkippedAndReportedWithFileAndLineAndReadingGoesOn()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        var good = Encoding.UTF8.GetString(AuditLineFormatter.Format(Events.At(Events.Start)));
        File.WriteAllBytes(path, [
            .. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(good.TrimEnd('\n') + "\r\n"),
            .. "garbage\n"u8, .. "[1,2]\n"u8, .. "\n"u8, .. (byte[])[0xFF, 0xFE, (byte)'\n'],
            .. Encoding.UTF8.GetBytes(good), .. "{\"ts\": \"2026-02"u8]);

        var diagnostics = new RecordingDiagnostics();
        using var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics });
        Assert.Equal(2, log.Query().Count());

        var skipped = diagnostics.Of(AuditDiagnosticKind.LineSkipped);
        Assert.Equal([2L, 3L, 5L, 7L], skipped.Select(d => d.LineNumber!.Value));
        Assert.All(skipped, d => Assert.Equal(path, d.Path));
        Assert.StartsWith($"Skipped line 2 of '{path}': not valid JSON", skipped[0].Message);
        Assert.Equal($"Skipped line 3 of '{path}': not a JSON object (a JSON array).", skipped[1].Message);
        Assert.Equal($"Skipped line 5 of '{path}': the line is not valid UTF-8.", skipped[2].Message);
        Assert.StartsWith($"Skipped line 7 of '{path}': the last line is torn (no final newline) and incomplete:", skipped[3].Message);
    }

    [Fact]
    public void ACompleteLastLineWithoutNewlineIsStillRead()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        File.WriteAllBytes(path, AuditLineFormatter.Format(Events.At(Events.Start)).AsSpan()[..^1].ToArray());
        Assert.Single(Events.ReadAll(path));
    }

    [Fact]
    public void AnAbsurdlyLongLineIsSkippedWithoutBeingRead()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        using (var file = File.Create(path))
        {
            file.Write(Enumerable.Repeat((byte)'x', LineReader.DefaultMaxLineBytes + 10).ToArray());
            file.Write("\n"u8);
            file.Write(AuditLineFormatter.Format(Events.At(Events.Start)));
        }
        var diagnostics = new RecordingDiagnostics();
        Assert.Single(Events.ReadAll(path, diagnostics));
        Assert.Equal($"Skipped line 1 of '{path}': the line is {LineReader.DefaultMaxLineBytes + 10} bytes long; lines over {LineReader.DefaultMaxLineBytes} bytes are not read.",
            Assert.Single(diagnostics.Problems).Message);
    }

    [Fact]
    public void AQueryStopsWhenCancelled()
    {
        using var folder = new TempFolder();
        var path = WriteLog(folder, Enumerable.Range(0, 5000).Select(i => Events.At(Events.Start.AddSeconds(i))));
        using var log = new AuditLog(path);
        using var cancellation = new CancellationTokenSource();
        var read = 0;
        Assert.Throws<OperationCanceledException>(() =>
        {
            foreach (var _ in log.Query(cancellation: cancellation.Token))
            {
                if (++read == 10) cancellation.Cancel();
            }
        });
        Assert.InRange(read, 10, 1024);
    }

    [Fact]
    public void AQueryReadsOnlyAsFarAsItIsEnumerated()
    {
        using var folder = new TempFolder();
        var path = WriteLog(folder, Enumerable.Range(0, 100).Select(i => Events.At(Events.Start.AddSeconds(i))));
        File.AppendAllText(path, "garbage at the end\n");
        var diagnostics = new RecordingDiagnostics();
        using var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics });
        Assert.Equal(3, log.Query().Take(3).Count());
        Assert.Empty(diagnostics.Problems); // the bad line at the end was never reached
    }

    [Fact]
    public void ALineRuledOutByItsTypeIsStillCheckedForDamage()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        File.WriteAllText(path,
            "{\"ts\": \"2026-02-13T14:00:00.000Z\", \"event\": \"brief\", \"session_id\": \"s\", \"cost\": }\n" +
            "{\"ts\": \"2026-02-13T14:00:01.000Z\", \"event\": \"nav\", \"session_id\": \"s\"}\n");
        var diagnostics = new RecordingDiagnostics();
        using var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics });
        Assert.Single(log.Query(new EventFilter { EventTypes = ["nav"] }));
        Assert.Equal(1, Assert.Single(diagnostics.Problems).LineNumber);
    }

    [Fact]
    public void ARepeatedEventKeyIsJudgedByItsLastValueEvenWhenTheLineStartsLikeAnother()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        File.WriteAllText(path, "{\"ts\": \"2026-02-13T14:00:00.000Z\", \"event\": \"brief\", \"session_id\": \"s\", \"event\": \"nav\"}\n");
        using var log = new AuditLog(path);
        Assert.Equal("nav", Assert.Single(log.Query(new EventFilter { EventTypes = ["nav"] })).Event);
        Assert.Empty(log.Query(new EventFilter { EventTypes = ["brief"] }));
    }

    [Fact]
    public void AggregatesCountExactlyTheEventsAQueryReturns()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        File.WriteAllText(path,
            "{\"ts\": \"2026-02-13T14:00:00.000Z\", \"event\": \"nav\", \"session_id\": \"s\", \"cost\": 1.0, \"files\": 7}\n" +
            "{\"ts\": \"2026-02-13T14:00:01.000Z\", \"event\": \"nav\", \"session_id\": \"s\", \"cost\": 2.0, \"reason\": [1]}\n" +
            "{\"ts\": \"2026-02-13T14:00:02.000Z\", \"event\": \"nav\", \"session_id\": \"s\", \"cost\": 4.0, \"config\": {\"deep\": [1, {}]}, \"x\": {}}\n");
        var diagnostics = new RecordingDiagnostics();
        using var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics });
        // Fields of the wrong type cost no line its event (as in the original): all three are read by each.
        Assert.Equal([1.0, 2.0, 4.0], log.Query().Select(e => e.Cost!.Value));
        Assert.Equal(7m, Assert.Single(log.Spend()).Cost);
        Assert.Equal(3, log.Accuracy().TotalNav);
        Assert.Equal(6, diagnostics.Of(AuditDiagnosticKind.FieldsInvalid).Count); // two lines with such fields, reported by each of the three reads
        Assert.Equal(6, diagnostics.Problems.Count);
    }
}
