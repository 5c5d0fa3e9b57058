using System.IO.Compression;
using System.Text;
using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>Segments large enough to be parsed on several threads read exactly as small ones do.</summary>
public class LargeSegmentTests
{
    private const int Lines = 40_000; // about 7 MiB: over the size where parsing goes parallel

    /// <summary>Every 997th line is damaged; the rest are numbered events, every third one a brief.</summary>
    private static string WriteLargeLog(TempFolder folder, out List<long> badLines)
    {
        var path = folder.File("audit.jsonl");
        badLines = [];
        using var file = new FileStream(path, FileMode.Create);
        for (var i = 1; i <= Lines; i++)
        {
            if (i % 997 == 0)
            {
                file.Write("{\"ts\": \"2026-02-13T14:00:00.000Z\", \"event\": \"nav\", broken\n"u8);
                badLines.Add(i);
                continue;
            }
            var e = new LogEvent(i % 3 == 0 ? "brief" : "nav", Events.Start.AddSeconds(i), "s")
            {
                InputTokens = i,
                Reason = new string('r', 100),
                Files = ["src/a.py"],
            };
            file.Write(AuditLineFormatter.Format(e));
        }
        return path;
    }

    [Fact]
    public void ALargeLogGivesEveryEventInOrderAndReportsEveryBadLine()
    {
        using var folder = new TempFolder();
        var path = WriteLargeLog(folder, out var badLines);
        Assert.True(new FileInfo(path).Length > 4 * 1024 * 1024);

        var diagnostics = new RecordingDiagnostics();
        using var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics });
        var expected = Enumerable.Range(1, Lines).Where(i => i % 997 != 0).Select(i => (long)i).ToList();

        Assert.Equal(expected, log.Query().Select(e => e.InputTokens!.Value));
        Assert.Equal(badLines, diagnostics.Problems.Select(p => p.LineNumber!.Value));

        Assert.Equal(expected.Where(i => i % 3 != 0), log.Query(new EventFilter { EventTypes = ["nav"] }).Select(e => e.InputTokens!.Value));
        Assert.Equal(expected.Count(i => i % 3 != 0), log.Accuracy().TotalNav);
        Assert.Equal(expected.Sum(), Assert.Single(log.Spend()).InputTokens);
    }

    [Fact]
    public void AnEarlyStopOnALargeLogEndsTheRead()
    {
        using var folder = new TempFolder();
        var path = WriteLargeLog(folder, out _);
        var diagnostics = new RecordingDiagnostics();
        using var log = new AuditLog(path, new AuditLogOptions { Diagnostics = diagnostics });
        Assert.Equal([1L, 2L, 4L], log.Query(new EventFilter { EventTypes = ["nav"] }).Take(3).Select(e => e.InputTokens!.Value));
        Assert.Empty(diagnostics.Problems); // the first bad line (997) was never handed over
    }

    [Fact]
    public void ALargeDamagedArchiveYieldsItsReadablePart()
    {
        using var folder = new TempFolder();
        var random = new Random(7); // incompressible reasons keep the archive large
        var events = Enumerable.Range(0, 20_000).Select(i => new LogEvent("nav", Events.Start.AddSeconds(i), "s")
        {
            InputTokens = i,
            Reason = Convert.ToBase64String(Enumerable.Range(0, 60).Select(_ => (byte)random.Next(256)).ToArray()),
        }).ToList();
        var archive = folder.File("audit_20260213_140000.jsonl.gz");
        using (var gzip = new GZipStream(File.Create(archive), CompressionLevel.Fastest))
            foreach (var e in events) gzip.Write(AuditLineFormatter.Format(e));
        var bytes = File.ReadAllBytes(archive);
        Assert.True(bytes.Length > 512 * 1024);
        File.WriteAllBytes(archive, bytes[..(bytes.Length * 3 / 4)]);
        File.WriteAllBytes(folder.File("audit.jsonl"), AuditLineFormatter.Format(new LogEvent("nav", Events.Start, "s") { InputTokens = 999_999 }));

        var diagnostics = new RecordingDiagnostics();
        using var log = new AuditLog(folder.File("audit.jsonl"), new AuditLogOptions { Diagnostics = diagnostics });
        var read = log.Query().Select(e => e.InputTokens!.Value).ToList();

        Assert.Single(diagnostics.Of(AuditDiagnosticKind.ArchiveDamaged));
        Assert.Equal(999_999L, read[^1]);
        var recovered = read[..^1];
        Assert.InRange(recovered.Count, 10_000, 19_999);
        Assert.Equal(Enumerable.Range(0, recovered.Count).Select(i => (long)i), recovered);
    }
}
