using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

public class SyncPolicyTests
{
    private static AuditLog Open(TempFolder folder, SyncPolicy policy, TimeProvider time, IAuditDiagnostics? diagnostics = null, string? linkTo = null)
    {
        var path = folder.File("audit.jsonl");
        if (linkTo is not null) File.CreateSymbolicLink(path, linkTo);
        return new(path, new AuditLogOptions { SyncPolicy = policy, Time = time, Diagnostics = diagnostics ?? NullAuditDiagnostics.Instance });
    }

    [Fact]
    public void TheCadenceSyncsEveryTenthLine()
    {
        using var folder = new TempFolder();
        using var log = Open(folder, SyncPolicy.Default, new ManualTimeProvider());
        for (var i = 1; i <= 9; i++) log.Append(Events.At(Events.Start));
        Assert.Equal(9, log.UnsyncedLines);
        log.Append(Events.At(Events.Start));
        Assert.Equal(0, log.UnsyncedLines);
    }

    [Fact]
    public void TheLineCountOfTheCadenceIsConfigurable()
    {
        using var folder = new TempFolder();
        using var log = Open(folder, new SyncPolicy { EveryLines = 3 }, new ManualTimeProvider());
        log.Append(Events.At(Events.Start));
        log.Append(Events.At(Events.Start));
        Assert.Equal(2, log.UnsyncedLines);
        log.Append(Events.At(Events.Start));
        Assert.Equal(0, log.UnsyncedLines);
    }

    [Fact]
    public void AnIdleTailIsSyncedByTheTimerWithinTheInterval()
    {
        using var folder = new TempFolder();
        var clock = new ManualTimeProvider();
        using var log = Open(folder, SyncPolicy.Default, clock);
        log.Append(Events.At(Events.Start));
        log.Append(Events.At(Events.Start));

        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(2, log.UnsyncedLines);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, log.UnsyncedLines);
    }

    [Fact]
    public void TheIntervalOfTheCadenceIsConfigurable()
    {
        using var folder = new TempFolder();
        var clock = new ManualTimeProvider();
        using var log = Open(folder, new SyncPolicy { Interval = TimeSpan.FromMilliseconds(250) }, clock);
        log.Append(Events.At(Events.Start));
        clock.Advance(TimeSpan.FromMilliseconds(249));
        Assert.Equal(1, log.UnsyncedLines);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, log.UnsyncedLines);
    }

    [Fact]
    public void AWriteAfterTheIntervalSyncsAtOnce()
    {
        using var folder = new TempFolder();
        var clock = new ManualTimeProvider();
        using var log = Open(folder, SyncPolicy.Default, clock);
        log.Append(Events.At(Events.Start));
        clock.Advance(TimeSpan.FromSeconds(1)); // timer syncs the first line
        clock.Advance(TimeSpan.FromSeconds(5));
        log.Append(Events.At(Events.Start)); // last sync was 5 s ago: this write syncs itself
        Assert.Equal(0, log.UnsyncedLines);
    }

    [Fact]
    public void EveryEventIsSyncedBeforeAppendReturns()
    {
        using var folder = new TempFolder();
        using var log = Open(folder, new SyncPolicy { Mode = SyncMode.EveryEvent }, new ManualTimeProvider());
        for (var i = 0; i < 3; i++)
        {
            log.Append(Events.At(Events.Start));
            Assert.Equal(0, log.UnsyncedLines);
        }
    }

    [Fact]
    public void ConcurrentWritersEachReturnOnlyOnceTheirEventIsSynced()
    {
        // One sync covers the lines of every writer written before it started (group commit); none
        // of them returns before a sync that covers its own line: afterwards nothing is unsynced.
        using var folder = new TempFolder();
        using (var log = Open(folder, new SyncPolicy { Mode = SyncMode.EveryEvent }, TimeProvider.System))
        {
            var writers = Enumerable.Range(0, 4).Select(t => new Thread(() =>
            {
                for (var i = 0; i < 100; i++) log.Append(new AuditEvent("nav", Events.Start, $"w{t}") { InputTokens = i });
            })).ToList();
            writers.ForEach(w => w.Start());
            writers.ForEach(w => w.Join());
            Assert.Equal(0, log.UnsyncedLines);
        }
        Assert.Equal(400, Events.ReadAll(folder.File("audit.jsonl")).Count);
    }

    [Fact]
    public void WithoutAPolicyLinesWaitForFlush()
    {
        using var folder = new TempFolder();
        var clock = new ManualTimeProvider();
        using var log = Open(folder, new SyncPolicy { Mode = SyncMode.None }, clock);
        for (var i = 0; i < 25; i++) log.Append(Events.At(Events.Start));
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(25, log.UnsyncedLines);
        log.Flush();
        Assert.Equal(0, log.UnsyncedLines);
    }

    [LinuxFact]
    public void AFailedBackgroundSyncIsReportedNotThrown()
    {
        // Linux accepts writes to /dev/null but refuses to fsync it (EINVAL): a real failing sync.
        // The log's file is a link to it, so the log's lock files stay in the test's folder.
        using var folder = new TempFolder();
        var clock = new ManualTimeProvider();
        var diagnostics = new RecordingDiagnostics();
        using var log = Open(folder, SyncPolicy.Default, clock, diagnostics, linkTo: "/dev/null");
        log.Append(Events.At(Events.Start));

        clock.Advance(TimeSpan.FromSeconds(1));

        var report = Assert.Single(diagnostics.Of(AuditDiagnosticKind.SyncFailed));
        Assert.StartsWith($"The background sync of '{folder.File("audit.jsonl")}' failed; the lines are written but may not be on disk yet:", report.Message);
        Assert.Equal(1, log.UnsyncedLines);
    }

    [LinuxFact]
    public void AFailedSyncOfAnEveryEventLogIsAnError()
    {
        using var folder = new TempFolder();
        using var log = Open(folder, new SyncPolicy { Mode = SyncMode.EveryEvent }, new ManualTimeProvider(), linkTo: "/dev/null");
        var error = Assert.Throws<AuditLogException>(() => log.Append(Events.At(Events.Start)));
        Assert.StartsWith($"The event was written to '{folder.File("audit.jsonl")}' but could not be synced: ", error.Message);
        Assert.Contains("fsync failed: Invalid argument", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void ACadenceOfLessThanOneLineIsRefused(int lines)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SyncPolicy { EveryLines = lines });
        Assert.StartsWith($"The sync cadence must be at least 1 line; got {lines}.", error.Message);
    }

    [Fact]
    public void AnIntervalOutside1MsTo1HourIsRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SyncPolicy { Interval = TimeSpan.Zero });
        Assert.StartsWith("The sync interval must be from 1 millisecond to 1 hour; got 00:00:00.", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyncPolicy { Interval = TimeSpan.FromHours(2) });
    }
}
