using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// A rotation interval bounds how long events wait unsealed, outside the verifiable chain: the
/// first write after a UTC boundary seals first, and an idle writer's timer seals at the boundary.
/// </summary>
public sealed class RotationIntervalTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _path;

    public RotationIntervalTests() => _path = _folder.File("audit.jsonl");

    public void Dispose() => _folder.Dispose();

    private AuditLog Open(TestClock time, RotationInterval interval = RotationInterval.Hour) =>
        new(_path, new AuditLogOptions { RotationSize = null, RotationInterval = interval, Time = time });

    /// <summary>Writes one event stamped with the test clock's time, then lets the writer's lease end.</summary>
    private static void Write(AuditLog log, TestClock time, string marker)
    {
        log.Append(new LogEvent("nav", time.GetUtcNow(), "s") { Reason = marker });
        time.Advance(TimeSpan.FromMilliseconds(5)); // the lease timer ends the writer's lease
    }

    private List<List<string>> ArchivedReasons() =>
        [.. Directory.GetFiles(_folder.FullPath, "*.jsonl.gz").Order(StringComparer.Ordinal).Select(archive =>
        {
            using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(archive), System.IO.Compression.CompressionMode.Decompress);
            using var text = new StreamReader(gzip);
            return Reasons(text.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        })];

    private List<string> ActiveReasons() => File.Exists(_path) ? Reasons(File.ReadAllLines(_path)) : [];

    private static List<string> Reasons(IEnumerable<string> lines) =>
        [.. lines.Select(l => AuditLineParser.TryParse(System.Text.Encoding.UTF8.GetBytes(l), out var e, out _) ? e!.Reason! : $"not an event: {l}")];

    [Fact]
    public void TheFirstWriteAfterAnHourBoundarySealsTheHourBeforeIt()
    {
        var time = new TestClock(new DateTimeOffset(2026, 5, 4, 10, 15, 0, TimeSpan.Zero));
        using (var log = Open(time))
        {
            Write(log, time, "10:15");
            time.Advance(TimeSpan.FromMinutes(30));
            Write(log, time, "10:45");
            time.Advance(TimeSpan.FromMinutes(20)); // 11:05: the timer sealed at 11:00
            Write(log, time, "11:05");
        }

        Assert.Equal([["10:15", "10:45"]], ArchivedReasons());
        Assert.Equal(["11:05"], ActiveReasons());
    }

    [Fact]
    public void AnIdleWritersTimerSealsAtTheBoundaryWithoutAnotherWrite()
    {
        var time = new TestClock(new DateTimeOffset(2026, 5, 4, 23, 50, 0, TimeSpan.Zero));
        using (var log = Open(time, RotationInterval.Day))
        {
            Write(log, time, "23:50");
            time.Advance(TimeSpan.FromMinutes(9));
            Assert.Empty(Directory.GetFiles(_folder.FullPath, "*.gz")); // still the same day
            time.Advance(TimeSpan.FromMinutes(2)); // past midnight: the timer seals, archiving follows in the background
        }

        Assert.Equal([["23:50"]], ArchivedReasons());
        Assert.Empty(ActiveReasons());
    }

    [Fact]
    public void AFileWhoseOldestLineIsFromAnEarlierIntervalIsSealedAtTheFirstWrite()
    {
        // Another process wrote at 09:59 and ended; this one starts writing at 10:01.
        File.WriteAllText(_path, "{\"ts\": \"2026-05-04T09:59:00.000Z\", \"event\": \"nav\", \"session_id\": \"s\", \"reason\": \"09:59\"}\n");
        var time = new TestClock(new DateTimeOffset(2026, 5, 4, 10, 1, 0, TimeSpan.Zero));
        using (var log = Open(time)) Write(log, time, "10:01");

        Assert.Equal([["09:59"]], ArchivedReasons());
        Assert.Equal(["10:01"], ActiveReasons());
    }

    [Fact]
    public void WithoutAnIntervalTheFileGrowsAcrossBoundaries()
    {
        var time = new TestClock(new DateTimeOffset(2026, 5, 4, 10, 15, 0, TimeSpan.Zero));
        using (var log = Open(time, RotationInterval.None))
        {
            Write(log, time, "10:15");
            time.Advance(TimeSpan.FromDays(2));
            Write(log, time, "later");
        }

        Assert.Empty(ArchivedReasons());
        Assert.Equal(["10:15", "later"], ActiveReasons());
    }
}
