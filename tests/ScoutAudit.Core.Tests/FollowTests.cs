using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// A follower passes on every event of a log once, in log order, as processes append and rotate:
/// the lines written before a seal are read from the sealed segment or its archive before the new
/// active file. It resumes after an id by reading from that line, not the whole file, and names
/// skipped lines as a full read does.
/// </summary>
public sealed class FollowTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();
    private readonly string _path;

    public FollowTests() => _path = _folder.File("audit.jsonl");

    public void Dispose() => _folder.Dispose();

    private static LogEvent Numbered(int n, string eventType = "nav") => new(eventType, Start.AddSeconds(n), "s") { InputTokens = n };

    private void Write(AuditLog log, int from, int count)
    {
        for (var n = from; n < from + count; n++) log.Append(Numbered(n));
    }

    private static List<long> Numbers(IEnumerable<LogEvent> events) => [.. events.Select(e => e.InputTokens!.Value)];

    [Fact]
    public void EachReadPassesOnWhatWasWrittenSinceAcrossASealAndItsArchive()
    {
        using var writer = new AuditLog(_path, new AuditLogOptions { RotationSize = null });
        using var reader = new AuditLog(_path);
        using var follower = new LogFollower(reader);
        Write(writer, 0, 5);
        Assert.Equal([0, 1, 2, 3, 4], Numbers(follower.ReadNew()));

        Write(writer, 5, 3);
        writer.Rotate(); // sealed and archived: the three new lines are only in the archive now
        Write(writer, 8, 2);
        Assert.Empty(Directory.GetFiles(_folder.FullPath, "audit_*.jsonl"));
        Assert.Equal([5, 6, 7, 8, 9], Numbers(follower.ReadNew()));
        Assert.Empty(follower.ReadNew());

        Write(writer, 10, 1);
        var last = follower.ReadNew().Single();
        Assert.Equal(10, last.InputTokens);
        Assert.True(follower.Position >= last.Id);
        Assert.Equal(Numbers(reader.Query()), Enumerable.Range(0, 11).Select(n => (long)n));
    }

    [Fact]
    public void LinesAddedBeforeASealAreReadFromTheSealedSegmentBeforeTheNewActiveFile()
    {
        using var follower = new LogFollower(new AuditLog(_path));
        using (var writer = new AuditLog(_path)) Write(writer, 0, 2);
        Assert.Equal([0, 1], Numbers(follower.ReadNew()));
        using (var writer = new AuditLog(_path)) Write(writer, 2, 2);

        // Sealed and not archived yet, as a rotation between its two steps leaves the log.
        File.Move(_path, Path.Combine(_folder.FullPath, "audit_20260401_090000.jsonl"));
        using (var writer = new AuditLog(_path, new AuditLogOptions { RotationSize = null })) Write(writer, 4, 2);

        Assert.Equal([2, 3, 4, 5], Numbers(follower.ReadNew()));
    }

    [Fact]
    public async Task FollowStartsWithTheLastEventsAskedForThenPassesOnNewOnesAndStopsWhenCancelled()
    {
        using var writer = new AuditLog(_path, new AuditLogOptions { RotationSize = 600 });
        Write(writer, 0, 6);
        using var follower = new LogFollower(new AuditLog(_path), new EventFilter { EventTypes = ["nav"] });
        using var stop = new CancellationTokenSource();
        var seen = new List<long>();
        var following = Task.Run(() =>
        {
            foreach (var e in follower.Follow(last: 2, stop.Token))
            {
                lock (seen) seen.Add(e.InputTokens!.Value);
            }
        });
        Assert.True(SpinWait.SpinUntil(() => { lock (seen) return seen.Count == 2; }, TimeSpan.FromSeconds(10)));
        for (var n = 6; n < 20; n++) writer.Append(Numbered(n, n % 2 == 0 ? "nav" : "validation_fail"));
        Assert.True(SpinWait.SpinUntil(() => { lock (seen) return seen.Count == 9; }, TimeSpan.FromSeconds(10)));

        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => following);
        Assert.Equal([4, 5, 6, 8, 10, 12, 14, 16, 18], seen);
        writer.Close();
        Assert.True(writer.Archives().Count >= 2); // the new events crossed rotations
        Assert.True(follower.IsWatching);
    }

    [Fact]
    public async Task AFollowerSeesEveryEventOfThreeProcessesWritingAndRotatingOnceAndInLogOrder()
    {
        const int perWriter = 1_500;
        using var follower = new LogFollower(new AuditLog(_path));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<LogEvent>();
        var following = Task.Run(() =>
        {
            foreach (var e in follower.Follow(cancellation: stop.Token))
            {
                seen.Add(e);
                if (seen.Count == 3 * perWriter) return;
            }
        });
        var writers = Enumerable.Range(0, 3)
            .Select(i => new LoadWriterProcess(_path, $"w{i}", perWriter, rotationBytes: 64 * 1024, rotateEvery: i == 1 ? 400 : 0))
            .ToList();
        foreach (var writer in writers)
        {
            writer.WaitForExit(TimeSpan.FromSeconds(60));
            Assert.True(writer.ExitCode == 0, writer.Errors);
            writer.Dispose();
        }
        await following;

        var all = Events.ReadAll(_path);
        Assert.Equal(3 * perWriter, all.Count);
        Assert.Equal(all.Select(e => e.Id), seen.Select(e => e.Id)); // each once, in log order
        Assert.True(new AuditLog(_path).Archives().Count >= 3);
    }

    [Fact]
    public void AQueryAfterAnIdInTheActiveFileReadsFromThatLineAndNamesSkippedLinesAsAFullReadDoes()
    {
        using (var writer = new AuditLog(_path)) Write(writer, 0, 50);
        File.AppendAllText(_path, "not an event\n");
        using (var writer = new AuditLog(_path)) Write(writer, 50, 3);
        var full = new RecordingDiagnostics();
        var all = Events.ReadAll(_path, full);

        var resumed = new RecordingDiagnostics();
        using var log = new AuditLog(_path, new AuditLogOptions { Diagnostics = resumed, ReadProgress = new ReadProgress() });
        var after = log.Query(new EventFilter { After = all[40].Id }).ToList();

        Assert.Equal(Enumerable.Range(41, 12).Select(n => (long)n), Numbers(after));
        Assert.Equal(all.Skip(41).Select(e => e.Id), after.Select(e => e.Id));
        Assert.Equal(Assert.Single(full.Of(AuditDiagnosticKind.LineSkipped)).Message, Assert.Single(resumed.Of(AuditDiagnosticKind.LineSkipped)).Message);
        Assert.Contains("line 51", resumed.Of(AuditDiagnosticKind.LineSkipped)[0].Message);
        // An id that is not a line's start (inside line 41) resumes at the next line, as "after" says.
        Assert.Equal(Numbers(after), Numbers(log.Query(new EventFilter { After = all[40].Id + 7 })));
    }

    [Fact]
    public void ATornLastLineIsNotPassedOnAndTheEventsAfterItsRepairAreEachPassedOnOnce()
    {
        using (var writer = new AuditLog(_path)) Write(writer, 0, 3);
        File.AppendAllText(_path, "{\"ts\": \"2026-04-01T09:00:03.000Z\", \"ev"); // a writer died inside a write
        var diagnostics = new RecordingDiagnostics();
        using var follower = new LogFollower(new AuditLog(_path, new AuditLogOptions { Diagnostics = diagnostics }));
        Assert.Equal([0, 1, 2], Numbers(follower.ReadNew()));

        using (var writer = new AuditLog(_path)) Write(writer, 3, 2); // terminates the torn line first
        Assert.Equal([3, 4], Numbers(follower.ReadNew()));
        Assert.Equal([0, 1, 2, 3, 4], Numbers(Events.ReadAll(_path)));
    }
}
