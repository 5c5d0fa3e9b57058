using System.Management.Automation;
using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

public sealed class GetScoutAuditEventTests : ModuleLogTest
{
    [Fact]
    public void TheTestProcessRunsFarFromUtc()
    {
        Assert.Equal(FarFromUtc.Offset, TimeZoneInfo.Local.GetUtcOffset(DateTime.UtcNow));
    }

    [Fact]
    public void SinceAnHourAgoInLocalTimeReturnsExactlyTheRecentNavEvents()
    {
        var now = DateTimeOffset.UtcNow;
        LogLines.Append(Log,
            LogLines.Line("nav", now.AddHours(-3), model: "old"),
            LogLines.Line("nav", now.AddMinutes(-61), model: "just-too-old"),
            LogLines.Line("nav", now.AddMinutes(-30), model: "recent-1"),
            LogLines.Line("brief", now.AddMinutes(-20), model: "recent-brief"),
            LogLines.Line("nav", now.AddMinutes(-1), model: "recent-2"),
            LogLines.Line("nav", now.AddHours(13), model: "future"));

        var found = Session.Invoke("Get-ScoutAuditEvent -Path $p -Since ([datetime]::Now.AddHours(-1)) | Where Event -eq nav", new { p = Log });

        Assert.Equal(["recent-1", "recent-2", "future"], found.Select(e => (string)e.Properties["Model"].Value));
    }

    [Fact]
    public void TimestampComparesRightWithGetDateBothWaysAndWithDatetimeOffsets()
    {
        var now = DateTimeOffset.UtcNow;
        LogLines.Append(Log, LogLines.Line("nav", now.AddHours(-2), model: "old"), LogLines.Line("nav", now.AddMinutes(-10), model: "new"));

        var result = Session.Invoke("""
            $events = Get-ScoutAuditEvent -Path $p
            $hourAgo = [datetime]::Now.AddHours(-1)
            @($events | Where-Object { $_.Timestamp -gt $hourAgo }).Model
            @($events | Where-Object { $hourAgo -lt $_.Timestamp }).Model
            @($events | Where-Object { [datetimeoffset]::Now.AddHours(-1) -lt $_.Timestamp }).Model
            @($events | Where-Object { [datetimeoffset]::UtcNow.AddHours(-1) -lt $_.Timestamp }).Model
            @($events | Where-Object Timestamp -gt $hourAgo).Model
            """, new { p = Log });

        Assert.Equal(["new", "new", "new", "new", "new"], result.Select(o => o.ToString()));
    }

    [Fact]
    public void TimestampIsTheLinesInstantInLocalTimeAndTsIsTheLinesText()
    {
        var at = new DateTimeOffset(2026, 2, 13, 14, 30, 22, 123, TimeSpan.Zero);
        LogLines.Append(Log, LogLines.Line("nav", at));

        var e = Assert.Single(Session.Invoke("Get-ScoutAuditEvent -Path $p", new { p = Log }));

        var timestamp = (DateTime)e.Properties["Timestamp"].Value;
        Assert.Equal(DateTimeKind.Local, timestamp.Kind);
        Assert.Equal(at.UtcDateTime, timestamp.ToUniversalTime());
        Assert.Equal("2026-02-13T14:30:22.123Z", e.Properties["ts"].Value);
        Assert.Equal("2026-02-13T14:30:22.123Z nav", e.BaseObject.ToString());
    }

    [Fact]
    public void FiltersCombineEventSessionModelAndUntil()
    {
        var now = DateTimeOffset.UtcNow;
        LogLines.Append(Log,
            LogLines.Line("nav", now.AddMinutes(-50), model: "a", session: "s1"),
            LogLines.Line("nav", now.AddMinutes(-40), model: "b", session: "s1"),
            LogLines.Line("deep", now.AddMinutes(-30), model: "a", session: "s1"),
            LogLines.Line("nav", now.AddMinutes(-20), model: "a", session: "s2"),
            LogLines.Line("nav", now.AddMinutes(-10), model: "a", session: "s1"));

        var found = Session.Invoke(
            "Get-ScoutAuditEvent nav, deep -SessionId s1 -Model a -Until ([datetime]::Now.AddMinutes(-15)) -Path $p | ForEach-Object { $_.Event + '@' + $_.Model }",
            new { p = Log });

        Assert.Equal(["nav@a", "deep@a"], found.Select(o => o.ToString()));
    }

    [Fact]
    public void LastReturnsTheLastMatchingEventsOldestFirst()
    {
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 6; i++) LogLines.Append(Log, LogLines.Line(i % 2 == 0 ? "nav" : "skip", now.AddMinutes(i - 10), model: $"m{i}"));

        var found = Session.Invoke("(Get-ScoutAuditEvent nav -Last 2 -Path $p).Model", new { p = Log });

        Assert.Equal(["m2", "m4"], found.Select(o => o.ToString()));
    }

    [Fact]
    public void ExtraFieldsAndConfigComeBackAsPowerShellValues()
    {
        File.WriteAllText(Log, "{\"ts\": \"2026-02-13T14:30:22.123Z\", \"event\": \"nav\", \"session_id\": \"s\", \"input_t\": 3, \"duration_ms\": 4.5, \"config\": {\"t\": 0.2, \"tags\": [\"x\"]}, \"ticket\": \"T-1\", \"n\": 5}\n");

        var e = Assert.Single(Session.Invoke("Get-ScoutAuditEvent -Path $p", new { p = Log }));

        Assert.Equal("T-1", e.Properties["ticket"].Value);
        Assert.Equal(5L, e.Properties["n"].Value);
        Assert.Equal(3L, e.Properties["input_t"].Value);
        Assert.Equal(4.5, e.Properties["duration_ms"].Value);
        Assert.Equal("s", e.Properties["session_id"].Value);
        var config = Assert.IsType<PSObject>(e.Properties["Config"].Value);
        Assert.Equal(0.2, config.Properties["t"].Value);
        Assert.Equal(["x"], (object[])config.Properties["tags"].Value);
    }

    [Fact]
    public void EventsReadBackBindToWriteScoutAudit()
    {
        File.WriteAllText(Log, "{\"ts\": \"2026-02-13T14:30:22.123Z\", \"event\": \"nav\", \"session_id\": \"s\", \"cost\": 0.5, \"input_t\": 3, \"config\": {\"t\": 0.2}}\n");
        var copy = Temp.File("copy.jsonl");

        Session.Invoke("Get-ScoutAuditEvent -Path $p | Write-ScoutAuditEvent -Path $copy; Close-ScoutAuditLog -Path $copy", new { p = Log, copy });

        Assert.EndsWith("\"event\": \"nav\", \"session_id\": \"s\", \"cost\": 0.5, \"input_t\": 3, \"config\": {\"t\": 0.2}}", File.ReadAllText(copy).TrimEnd('\n'));
    }

    [Fact]
    public void SkippedLinesAreOneWarningWithACountAndEachOneAVerboseMessage()
    {
        var now = DateTimeOffset.UtcNow;
        LogLines.Append(Log, LogLines.Line("nav", now), "not json\n", "[1, 2]\n", "{\"event\": \"nav\"}\n", LogLines.Line("nav", now));

        var result = Session.Run("Get-ScoutAuditEvent -Path $p -Verbose", new { p = Log });

        Assert.Equal(2, result.Output.Count);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("Skipped 3 lines", warning);
        Assert.Contains(Log, warning);
        Assert.Equal(3, result.Verbose.Count(v => v.StartsWith("Skipped line", StringComparison.Ordinal)));
        Assert.Contains(result.Verbose, v => v.Contains("line 2 ", StringComparison.Ordinal));
    }

    [Fact]
    public void AMissingLogHasNoEventsAndIsANonTerminatingObjectNotFoundError()
    {
        var result = Session.Run("Get-ScoutAuditEvent -Path $p", new { p = Temp.File("missing.jsonl") });

        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("AuditLogNotFound,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Null(result.Terminating);
    }

    [Fact]
    public void SinceAfterUntilIsInvalidTimeWindow()
    {
        var error = Session.Run("Get-ScoutAuditEvent -Since ([datetime]::Now) -Until ([datetime]::Now.AddHours(-1)) -Path $p", new { p = Log }).SingleError();

        Assert.StartsWith("InvalidTimeWindow,", error?.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error!.CategoryInfo.Category);
        Assert.IsType<DateTimeOffset>(error.TargetObject);
    }

    [Fact]
    public void LogPathsBindFromThePipeline()
    {
        LogLines.Append(Log, LogLines.Line("nav", DateTimeOffset.UtcNow));

        Assert.Single(Session.Invoke("$p | Get-ScoutAuditEvent", new { p = Log }));
        Assert.Single(Session.Invoke("[pscustomobject]@{ Path = $p } | Get-ScoutAuditEvent", new { p = Log }));
        Assert.Single(Session.Invoke("[pscustomobject]@{ PSPath = 'Microsoft.PowerShell.Core\\FileSystem::' + $p } | Get-ScoutAuditEvent", new { p = Log }));
    }

    [Fact]
    public void StoppingThePipelineStopsALongScanAtOnce()
    {
        // A scan that matches nothing writes nothing, so only the cancellation token can stop it.
        var line = LogLines.Line("nav", DateTimeOffset.UtcNow);
        using (var writer = new StreamWriter(Log))
        {
            for (var i = 0; i < 400_000; i++) writer.Write(line);
        }
        using var shell = System.Management.Automation.PowerShell.Create(Session.Runspace);
        shell.AddScript("Get-ScoutAuditEvent no_such_type -Path $args[0]").AddArgument(Log);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var running = shell.BeginInvoke();
        Thread.Sleep(150);
        shell.Stop();
        var stoppedAfter = clock.Elapsed;
        Assert.Throws<PipelineStoppedException>(() => { shell.EndInvoke(running); });

        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        Assert.True(stoppedAfter < TimeSpan.FromSeconds(2), $"Stopping took until {stoppedAfter}.");
    }
}
