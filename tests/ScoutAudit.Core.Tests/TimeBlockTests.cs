using System.Text;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// A time window reads only the blocks of the active file that can hold its events: the answer and
/// every report must be a full scan's, whatever the file holds and whatever became of the summaries.
/// </summary>
public class TimeBlockTests
{
    private const int SmallBlocks = 512;
    private static readonly string[] Types = ["nav", "brief", "validation_fail"];

    /// <summary>An active file of random events, clocks out of order, with oddities a full scan reports.</summary>
    private static void AppendRandom(string path, Random random, int events, int firstSecond)
    {
        var text = new StringBuilder();
        for (var i = 0; i < events; i++)
        {
            var when = Events.Start.AddSeconds(firstSecond + i * 10 + random.Next(-600, 600));
            text.Append(random.Next(40) switch
            {
                0 => "not json\n",
                1 => "\n",
                2 => $"{{\"event\": \"nav\", \"ts\": \"{UtcTimestamp.Format(when)}\", \"session_id\": \"other-tool\"}}\n",
                3 => $"{{\"ts\": \"{UtcTimestamp.Format(when)}\", \"event\": \"nav\", \"session_id\": \"crlf\"}}\r\n",
                4 => $"{{\"ts\": \"{UtcTimestamp.Format(when)}\", \"event\": \"brief\", \"session_id\": \"odd\", \"cost\": \"0.5\"}}\n",
                5 => $"{{\"ts\": \"{UtcTimestamp.Format(when)}\", \"event\": \"nav\", \"session_id\": \"neg\", \"cost\": -1.5}}\n",
                // The original's header, then damage: only a check of the whole line finds it.
                6 => $"{{\"ts\": \"{UtcTimestamp.Format(when)}\", \"event\": \"nav\", \"session_id\": \"torn\", \"cost\": 1.\n",
                7 => $"{{\"ts\": \"{UtcTimestamp.Format(when)}\", \"event\": \"nav\", \"session_id\": \"twice\", \"event\": \"brief\"}}\n",
                _ => $"{{\"ts\": \"{UtcTimestamp.Format(when)}\", \"event\": \"{Types[random.Next(Types.Length)]}\", \"session_id\": \"s{random.Next(3)}\", \"cost\": {i / 1000.0:R}}}\n",
            });
        }
        File.AppendAllText(path, text.ToString());
    }

    private static EventFilter RandomWindow(Random random, int seconds)
    {
        var since = Events.Start.AddSeconds(random.Next(-700, seconds));
        return random.Next(5) switch
        {
            4 => new EventFilter { EventTypes = [Types[random.Next(Types.Length)]] }, // no window: clean blocks still spare the checks
            0 => new EventFilter { Since = since },
            1 => new EventFilter { Until = since },
            2 => new EventFilter { Since = since, Until = since.AddSeconds(random.Next(0, 600)), EventTypes = ["nav"] },
            _ => new EventFilter { Since = since, Until = since.AddSeconds(random.Next(0, 3_000)) },
        };
    }

    private static (List<string> Events, List<string> Reports, int SkippedBlocks) Read(string path, EventFilter filter, int blockBytes)
    {
        var diagnostics = new RecordingDiagnostics();
        using var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics, TimeBlockBytes = blockBytes });
        var events = log.Query(filter).Select(e => $"{UtcTimestamp.Format(e.Timestamp)} {e.Event} {e.SessionId} {e.Cost}").ToList();
        var reports = diagnostics.Reports.Where(r => r.Kind != AuditDiagnosticKind.SegmentRead).Select(r => r.Message).ToList();
        var skipped = diagnostics.Reports.Where(r => r.Message.Contains(" blocks of the active file")).Sum(r => int.Parse(r.Message.Split(' ')[1]));
        return (events, reports, skipped);
    }

    [Theory]
    [MemberData(nameof(OddLines.Kinds), MemberType = typeof(OddLines))]
    public void ABlockIsCleanOnlyWhenAForwardReadReportsNoneOfItsLines(string kind)
    {
        using var folder = new TempFolder();
        var path = OddLines.Write(folder, kind);

        using (var file = File.OpenHandle(path))
        {
            var block = TimeBlocks.Summarise(file, 0, new FileInfo(path).Length, CancellationToken.None);
            Assert.Equal((OddLines.Number, OddLines.Report(kind) is null), (block.Lines, block.Clean));
        }
        var fullScan = Read(path, EventFilter.All, SmallBlocks).Reports;
        var afterEverything = new EventFilter { Since = Events.Start.AddHours(1) };
        Assert.Equal(fullScan, Read(path, afterEverything, SmallBlocks).Reports); // summarises the blocks
        Assert.Equal(fullScan, Read(path, afterEverything, SmallBlocks).Reports); // reads by the summaries
    }

    [Fact]
    public void AWindowGivesAFullScansEventsAndReportsOnRandomFilesAsTheyGrowAndChange()
    {
        var random = new Random(20261201);
        var skippedBlocks = 0;
        for (var round = 0; round < 12; round++)
        {
            using var folder = new TempFolder($"blocks-{round}");
            var path = folder.File("audit.jsonl");
            var seconds = 0;
            for (var step = 0; step < 6; step++)
            {
                var events = random.Next(20, 200);
                AppendRandom(path, random, events, seconds);
                seconds += events * 10;
                if (step == 3 && random.Next(2) == 0)
                {
                    // Another file in the same place (a rotation, a restore): the old summaries must not be used.
                    File.WriteAllText(path, "");
                    AppendRandom(path, random, random.Next(100, 300), 0);
                }
                if (step == 4 && File.Exists(path + ".blocks") && random.Next(2) == 0)
                    File.WriteAllText(path + ".blocks", random.Next(2) == 0 ? "garbage\n" : File.ReadAllText(path + ".blocks").Replace(" 1 ", " 0 "));
                for (var query = 0; query < 4; query++)
                {
                    var filter = RandomWindow(random, seconds);

                    var expected = Read(path, filter, blockBytes: 0);
                    var actual = Read(path, filter, SmallBlocks);

                    Assert.True(expected.Events.SequenceEqual(actual.Events),
                        $"round {round}, step {step}, query {query}: expected {expected.Events.Count} events, got {actual.Events.Count}");
                    Assert.Equal(expected.Reports, actual.Reports);
                    skippedBlocks += actual.SkippedBlocks;
                }
            }
        }
        Assert.True(skippedBlocks > 100, $"only {skippedBlocks} blocks were skipped in all: the test did not try the summaries");
    }

    [Fact]
    public void ASecondQueryReadsOnlyTheBlocksOfItsWindow()
    {
        using var folder = new TempFolder("blocks-read");
        var path = folder.File("audit.jsonl");
        var text = new StringBuilder();
        for (var i = 0; i < 2_000; i++)
            text.Append($"{{\"ts\": \"{UtcTimestamp.Format(Events.Start.AddSeconds(i))}\", \"event\": \"nav\", \"session_id\": \"s\"}}\n");
        File.WriteAllText(path, text.ToString());
        var window = new EventFilter { Since = Events.Start.AddSeconds(1_000), Until = Events.Start.AddSeconds(1_010) };
        Assert.Equal(10, Read(path, window, SmallBlocks).Events.Count);

        var diagnostics = new RecordingDiagnostics();
        using var log = new AuditLog(path, new AuditLogOptions { TimeBlockBytes = SmallBlocks, Diagnostics = diagnostics });
        var found = log.Query(window).Count();

        Assert.Equal(10, found);
        var plan = Assert.Single(diagnostics.Reports, r => r.Message.StartsWith("Skipped ") && r.Message.Contains(" blocks of the active file"));
        var words = plan.Message.Split(' ');
        var (skipped, blocks) = (int.Parse(words[1]), int.Parse(words[3]));
        Assert.True(blocks > 150, plan.Message);
        Assert.True(skipped >= blocks - 2, plan.Message);
        Assert.True(File.Exists(path + ".blocks"));
    }
}
