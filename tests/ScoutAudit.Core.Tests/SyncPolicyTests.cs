using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

public class SyncPolicyTests
{
    /// <summary>
    /// A log in <paramref name="folder"/>; <paramref name="failingSync"/> makes every fsync of its active
    /// file fail with EINVAL, as Linux fails an fsync of /dev/null (which a log may no longer link to).
    /// </summary>
    private static AuditLog Open(TempFolder folder, SyncPolicy policy, TimeProvider time, IAuditDiagnostics? diagnostics = null, bool failingSync = false,
        Action? syncStarting = null)
    {
        var path = folder.File("audit.jsonl");
        if (failingSync) syncStarting = () => throw new IOException("fsync failed: Invalid argument (errno 22, injected)");
        return new(path, new AuditLogOptions { SyncPolicy = policy, Time = time, Diagnostics = diagnostics ?? NullAuditDiagnostics.Instance, SyncStarting = syncStarting });
    }

    /// <summary>The cadence's sync runs on the thread pool: waits up to 10 s for <paramref name="condition"/>; returns whether it came.</summary>
    private static bool Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline) Thread.Sleep(5);
        return condition();
    }

    private static long UnsyncedAfterTheSyncInFlight(AuditLog log)
    {
        Eventually(() => log.UnsyncedLines == 0);
        return log.UnsyncedLines;
    }

    [Fact]
    public void TheCadenceSyncsEveryTenthLine()
    {
        using var folder = new TempFolder();
        using var log = Open(folder, SyncPolicy.Default, new TestClock());
        for (var i = 1; i <= 9; i++) log.Append(Events.At(Events.Start));
        Thread.Sleep(50); // no sync may be on its way either
        Assert.Equal(9, log.UnsyncedLines);
        log.Append(Events.At(Events.Start));
        Assert.Equal(0, UnsyncedAfterTheSyncInFlight(log));
    }

    [Fact]
    public async Task TheTenthLineReturnsWhileItsSyncIsInFlightAndTheTwentiethWaitsForIt()
    {
        using var folder = new TempFolder();
        using var syncing = new ManualResetEventSlim(false);
        using var release = new ManualResetEventSlim(false);
        using var log = Open(folder, SyncPolicy.Default, new TestClock(), syncStarting: () =>
        {
            syncing.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        });
        var enough = TimeSpan.FromSeconds(10);

        // Each wait fails (TimeoutException) if the appends waited for the sync held in flight.
        await Task.Run(() => { for (var i = 1; i <= 10; i++) log.Append(Events.At(Events.Start)); }).WaitAsync(enough);
        Assert.True(syncing.Wait(enough), "no sync started after the 10th line");
        Assert.Equal(10, log.UnsyncedLines);
        await Task.Run(() => { for (var i = 11; i <= 19; i++) log.Append(Events.At(Events.Start)); }).WaitAsync(enough);

        var twentieth = Task.Run(() => log.Append(Events.At(Events.Start)));
        Assert.NotSame(twentieth, await Task.WhenAny(twentieth, Task.Delay(300)));
        Assert.Equal(20, log.UnsyncedLines);
        release.Set();

        await twentieth.WaitAsync(enough);
        Assert.Equal(0, log.UnsyncedLines); // the 20th synced what the sync in flight had not covered before it returned
    }

    [Fact]
    public void TheLineCountOfTheCadenceIsConfigurable()
    {
        using var folder = new TempFolder();
        using var log = Open(folder, new SyncPolicy { EveryLines = 3 }, new TestClock());
        log.Append(Events.At(Events.Start));
        log.Append(Events.At(Events.Start));
        Assert.Equal(2, log.UnsyncedLines);
        log.Append(Events.At(Events.Start));
        Assert.Equal(0, UnsyncedAfterTheSyncInFlight(log));
    }

    [Fact]
    public void AnIdleTailIsSyncedByTheTimerWithinTheInterval()
    {
        using var folder = new TempFolder();
        var clock = new TestClock();
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
        var clock = new TestClock();
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
        var clock = new TestClock();
        using var log = Open(folder, SyncPolicy.Default, clock);
        log.Append(Events.At(Events.Start));
        clock.Advance(TimeSpan.FromSeconds(1)); // timer syncs the first line
        clock.Advance(TimeSpan.FromSeconds(5));
        log.Append(Events.At(Events.Start)); // last sync was 5 s ago: this write starts a sync at once
        Assert.Equal(0, UnsyncedAfterTheSyncInFlight(log));
    }

    [Fact]
    public void EveryEventIsSyncedBeforeAppendReturns()
    {
        using var folder = new TempFolder();
        using var log = Open(folder, new SyncPolicy { Mode = SyncMode.EveryEvent }, new TestClock());
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
                for (var i = 0; i < 100; i++) log.Append(new LogEvent("nav", Events.Start, $"w{t}") { InputTokens = i });
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
        var clock = new TestClock();
        using var log = Open(folder, new SyncPolicy { Mode = SyncMode.None }, clock);
        for (var i = 0; i < 25; i++) log.Append(Events.At(Events.Start));
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(25, log.UnsyncedLines);
        log.Flush();
        Assert.Equal(0, log.UnsyncedLines);
    }

    [Fact]
    public void AFailedBackgroundSyncIsReportedNotThrown()
    {
        using var folder = new TempFolder();
        var clock = new TestClock();
        var diagnostics = new RecordingDiagnostics();
        using var log = Open(folder, SyncPolicy.Default, clock, diagnostics, failingSync: true);
        log.Append(Events.At(Events.Start));

        clock.Advance(TimeSpan.FromSeconds(1));

        var report = Assert.Single(diagnostics.Of(AuditDiagnosticKind.SyncFailed));
        Assert.StartsWith($"The background sync of '{folder.File("audit.jsonl")}' failed; the lines are written but may not be on disk yet:", report.Message);
        Assert.Equal(1, log.UnsyncedLines);
    }

    [Fact]
    public void AFailedSyncAtTheTenthLineIsReportedNotThrown()
    {
        using var folder = new TempFolder();
        var diagnostics = new RecordingDiagnostics();
        using var log = Open(folder, SyncPolicy.Default, new TestClock(), diagnostics, failingSync: true);

        for (var i = 1; i <= 10; i++) log.Append(Events.At(Events.Start));

        Eventually(() => diagnostics.Of(AuditDiagnosticKind.SyncFailed).Count > 0);
        var report = Assert.Single(diagnostics.Of(AuditDiagnosticKind.SyncFailed));
        Assert.StartsWith($"The background sync of '{folder.File("audit.jsonl")}' failed; the lines are written but may not be on disk yet:", report.Message);
        Assert.Equal(10, log.UnsyncedLines);
    }

    /// <summary>
    /// After a failed sync Linux may drop the written pages and report the next sync as a success:
    /// the lines the failed sync was for stay at risk, whatever later syncs say, and closing says so.
    /// </summary>
    [Fact]
    public void LinesOfAFailedSyncStayAtRiskAfterALaterSyncSucceedsAndClosingFailsNamingThem()
    {
        using var folder = new TempFolder();
        var failNext = 1;
        var diagnostics = new RecordingDiagnostics();
        var log = new AuditLog(folder.File("audit.jsonl"), new AuditLogOptions
        {
            Time = new TestClock(),
            Diagnostics = diagnostics,
            SyncStarting = () =>
            {
                if (Interlocked.Exchange(ref failNext, 0) == 1) throw new IOException("Input/output error (injected)");
            },
        });

        for (var i = 1; i <= 10; i++) log.Append(Events.At(Events.Start)); // the 10th line's background sync fails
        Assert.True(Eventually(() => diagnostics.Of(AuditDiagnosticKind.SyncFailed).Count == 1), "the failing sync did not come within 10 s");
        for (var i = 11; i <= 20; i++) log.Append(Events.At(Events.Start)); // the 20th line's sync succeeds
        Assert.Equal(0, UnsyncedAfterTheSyncInFlight(log));

        Assert.Equal(10, log.AtRiskLines);
        var error = Assert.Throws<AuditLogException>(log.Close);
        Assert.StartsWith($"10 lines written to '{folder.File("audit.jsonl")}' before a sync that failed may not be on disk", error.Message);
        Assert.Equal(20, File.ReadAllLines(folder.File("audit.jsonl")).Length); // written, and the file closed
    }

    [Fact]
    public void LinesSealedByARotationAreNoLongerCountedUnsynced()
    {
        using var folder = new TempFolder();
        // The system clock, so the writer's lease ends and the seal can go on; no timed sync within the test.
        using var log = Open(folder, SyncPolicy.Default with { Interval = TimeSpan.FromHours(1) }, TimeProvider.System);
        for (var i = 0; i < 3; i++) log.Append(Events.At(Events.Start));
        Assert.Equal(3, log.UnsyncedLines); // under the cadence of 10 lines

        Assert.NotNull(log.Rotate()); // the seal syncs the file before renaming it

        Assert.Equal(0, log.UnsyncedLines);
    }

    [Fact]
    public void AFailedSyncOfAnEveryEventLogIsAnError()
    {
        using var folder = new TempFolder();
        using var log = Open(folder, new SyncPolicy { Mode = SyncMode.EveryEvent }, new TestClock(), failingSync: true);
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
