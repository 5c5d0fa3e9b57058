using System.Text;
using Microsoft.Win32.SafeHandles;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// Last N reads the newest files backwards: it must give exactly what a full forward read's last N
/// give, whatever the files hold (archives, damaged, blank, CRLF lines, a BOM, events out of time order).
/// </summary>
public class LastEventsTests
{
    private static readonly string[] Types = ["nav", "brief", "validation_fail", "deep"];
    private static readonly string?[] Models = ["gpt", "llama", null];

    /// <summary>A log of random events over a few rotations, with hand-made oddities appended to its files.</summary>
    private static string RandomLog(TempFolder folder, Random random)
    {
        var path = folder.File("audit.jsonl");
        using (var log = new AuditLog(path, new AuditLogOptions { RotationSize = random.Next(2_000, 20_000) }))
        {
            var events = random.Next(0, 400);
            for (var i = 0; i < events; i++)
            {
                // Writers' clocks differ: times are not in file order.
                var when = Events.Start.AddSeconds(i * 10 + random.Next(-300, 300));
                log.Append(Events.At(when, Types[random.Next(Types.Length)], $"s{random.Next(3)}", random.Next(2) == 0 ? null : i / 1000.0, Models[random.Next(Models.Length)]));
                if (random.Next(50) == 0) log.Rotate();
            }
        }
        if (random.Next(3) == 0) Prepend(path, "\uFEFF");
        var odd = new StringBuilder();
        for (var i = random.Next(0, 6); i > 0; i--)
        {
            odd.Append(random.Next(4) switch
            {
                0 => "not json\n",
                1 => "\n",
                2 => $"{{\"ts\": \"2026-02-13T15:00:00.000Z\", \"event\": \"nav\", \"session_id\": \"crlf\", \"model\": \"gpt\"}}\r\n",
                _ => $"{{\"ts\": \"2026-02-13T15:00:0{random.Next(10)}.000Z\", \"event\": \"brief\", \"session_id\": \"odd\", \"cost\": \"0.5\"}}\n",
            });
        }
        File.AppendAllText(path, odd.ToString());
        return path;
    }

    private static void Prepend(string path, string text)
    {
        if (!File.Exists(path)) return;
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes(text), .. File.ReadAllBytes(path)]);
    }

    private static EventFilter RandomFilter(Random random) => random.Next(4) switch
    {
        0 => EventFilter.All,
        1 => new EventFilter { EventTypes = [Types[random.Next(Types.Length)]] },
        2 => new EventFilter { Since = Events.Start.AddSeconds(random.Next(0, 4_000)), ModelTest = m => m == "gpt" },
        _ => new EventFilter { Since = Events.Start.AddSeconds(random.Next(0, 2_000)), Until = Events.Start.AddSeconds(random.Next(2_000, 5_000)) },
    };

    [Fact]
    public void LastNEqualsTheLastNOfAFullForwardReadOnRandomLogs()
    {
        var random = new Random(20261201);
        for (var round = 0; round < 40; round++)
        {
            using var folder = new TempFolder($"last-{round}");
            var path = RandomLog(folder, random);
            using var log = new AuditLog(path);
            for (var query = 0; query < 5; query++)
            {
                var filter = RandomFilter(random);
                var count = random.Next(1, 60);
                var expected = log.Query(filter).TakeLast(count).Select(e => (e.Timestamp, e.Event, e.SessionId, e.Model, e.Cost)).ToList();

                var actual = log.Last(count, filter).Select(e => (e.Timestamp, e.Event, e.SessionId, e.Model, e.Cost)).ToList();

                Assert.True(expected.SequenceEqual(actual), $"round {round}, query {query}, last {count}: expected {expected.Count} events, got {actual.Count}");
            }
        }
    }

    [Fact]
    public void SkippedLinesAreReportedWithTheirLineNumbersAsAForwardReadReportsThem()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        using (var log = new AuditLog(path)) log.Append(Events.At(Events.Start));
        File.AppendAllText(path, "damaged\n");
        using (var log = new AuditLog(path)) log.Append(Events.At(Events.Start.AddMinutes(1)));
        File.AppendAllText(path, "\n{\"also\": \"damaged\"}\n");
        var diagnostics = new RecordingDiagnostics();

        using (var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics })) Assert.Equal(2, log.Last(2).Count);

        Assert.Equal([5L, 2L], diagnostics.Of(AuditDiagnosticKind.LineSkipped).Select(d => d.LineNumber!.Value));
        Assert.StartsWith($"Skipped line 5 of '{path}'", diagnostics.Of(AuditDiagnosticKind.LineSkipped)[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(OddLines.Kinds), MemberType = typeof(OddLines))]
    public void LastJudgesAnOddLineAsAForwardReadDoes(string kind)
    {
        using var folder = new TempFolder();
        var path = OddLines.Write(folder, kind);
        var diagnostics = new RecordingDiagnostics();

        using (var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics })) Assert.Equal(OddLines.EventsRead(kind), log.Last(10).Count);

        OddLines.AssertReported(path, kind, diagnostics);
    }

    [Theory]
    [InlineData("{\"ts\": \"2026-02")]
    [InlineData("{\"ts\": \"2026-02\r")]
    [InlineData("{\"ts\": \"2026-02\r\r")]
    public void ATornLastLineIsReportedAsTornAsAForwardReadReportsIt(string torn)
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        using (var log = new AuditLog(path)) log.Append(Events.At(Events.Start));
        File.AppendAllText(path, torn);
        var forward = new RecordingDiagnostics();
        var backward = new RecordingDiagnostics();

        using (var log = new AuditLog(path, new AuditLogOptions { Diagnostics = forward })) Assert.Single(log.Query());
        using (var log = new AuditLog(path, new AuditLogOptions { Diagnostics = backward })) Assert.Single(log.Last(5));

        var expected = Assert.Single(forward.Of(AuditDiagnosticKind.LineSkipped)).Message;
        Assert.StartsWith($"Skipped line 2 of '{path}': the last line is torn (no final newline) and incomplete: ", expected, StringComparison.Ordinal);
        Assert.Equal(expected, Assert.Single(backward.Of(AuditDiagnosticKind.LineSkipped)).Message);
    }

    [Fact]
    public void TheLastEventsOfABigFileAreFoundReadingOnlyItsEnd()
    {
        using var folder = new TempFolder();
        var path = folder.File("audit.jsonl");
        using (var log = new AuditLog(path, new AuditLogOptions { RotationSize = null, SyncPolicy = new SyncPolicy { Mode = SyncMode.None } }))
        {
            for (var i = 0; i < 50_000; i++) log.Append(Events.At(Events.Start.AddSeconds(i), i % 2 == 0 ? "nav" : "brief"));
        }
        var progress = new ReadProgress();

        using (var log = new AuditLog(path, new AuditLogOptions { ReadProgress = progress }))
        {
            var last = log.Last(5, new EventFilter { EventTypes = ["nav"] });
            Assert.Equal(Enumerable.Range(0, 5).Select(i => Events.Start.AddSeconds(49_990 + 2 * i)), last.Select(e => e.Timestamp));
        }

        Assert.Equal(5, progress.EventsFound);
        Assert.Equal(new FileInfo(path).Length, progress.TotalBytes);
    }

    [Fact]
    public void TheBackwardReaderGivesEveryLineInReverseAcrossBlocksAndDropsOverLongOnes()
    {
        var random = new Random(7);
        var lines = Enumerable.Range(0, 3_000).Select(i => new string((char)('a' + i % 26), random.Next(0, i % 97 == 0 ? 300_000 : 200))).ToList();
        using var folder = new TempFolder();
        var path = folder.File("lines.txt");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        const int limit = 100_000;

        using SafeFileHandle file = File.OpenHandle(path);
        var reader = new BackwardLineReader(file, new FileInfo(path).Length, limit);
        var read = new List<string>();
        while (reader.Previous(out var line, out _, out var status)) read.Add(status == LineStatus.TooLong ? "<too long>" : Encoding.ASCII.GetString(line));

        read.Reverse();
        Assert.Equal(lines.Select(l => l.Length > limit ? "<too long>" : l), read);
    }
}
