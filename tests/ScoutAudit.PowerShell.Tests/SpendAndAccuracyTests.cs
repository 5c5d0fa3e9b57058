using ScoutAudit.PowerShell.Tests.Support;

namespace ScoutAudit.PowerShell.Tests;

public sealed class SpendAndAccuracyTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ModuleSession _session = new();

    public void Dispose()
    {
        _session.Dispose();
        _temp.Dispose();
    }

    private string Log => _temp.File("audit.jsonl");

    [Fact]
    public void SpendTotalsCostEventsAndTokensExactly()
    {
        _session.Invoke("1..1000 | ForEach-Object { Write-ScoutAuditEvent nav -Cost 0.000003 -InputTokens 2 -OutputTokens 3 -Path $p }; Close-ScoutAuditLog -Path $p", new { p = Log });

        var row = Assert.Single(_session.Invoke("Get-ScoutAuditSpend -Path $p", new { p = Log }));

        Assert.Equal("ScoutAudit.SpendRow", row.BaseObject.GetType().FullName);
        Assert.Equal(0.003m, row.Properties["Cost"].Value);
        Assert.Equal(1000L, row.Properties["Events"].Value);
        Assert.Equal(2000L, row.Properties["InputTokens"].Value);
        Assert.Equal(3000L, row.Properties["OutputTokens"].Value);
        Assert.Null(row.Properties["Group"].Value);
        Assert.Null(row.Properties["Since"].Value);
    }

    [Fact]
    public void HoursCountsFromTheStartOfTheUtcHourNHoursBack()
    {
        var now = DateTimeOffset.UtcNow;
        var hourStart = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        LogLines.Append(Log,
            LogLines.Line("nav", hourStart.AddHours(-1).AddMilliseconds(-1), cost: 1),
            LogLines.Line("nav", hourStart.AddHours(-1), cost: 0.25),
            LogLines.Line("nav", now, cost: 0.5));

        var row = Assert.Single(_session.Invoke("Get-ScoutAuditSpend -Hours 1 -Path $p", new { p = Log }));

        Assert.Equal(0.75m, row.Properties["Cost"].Value);
        Assert.Equal(hourStart.AddHours(-1).LocalDateTime, row.Properties["Since"].Value);
        Assert.Equal(true, _session.Invoke("(Get-ScoutAuditSpend -Hours 1 -Path $p).Cost -gt 0.5", new { p = Log })[0].BaseObject);
    }

    [Fact]
    public void ByModelGivesOneRowPerModelMostExpensiveFirst()
    {
        var now = DateTimeOffset.UtcNow;
        LogLines.Append(Log,
            LogLines.Line("nav", now, model: "cheap", cost: 0.1),
            LogLines.Line("nav", now, model: "dear", cost: 2),
            LogLines.Line("nav", now, model: "cheap", cost: 0.1),
            LogLines.Line("skip", now));

        var rows = _session.Invoke("Get-ScoutAuditSpend -By Model -Since ([datetime]::Now.AddHours(-1)) -Path $p", new { p = Log });

        Assert.Equal(["dear", "cheap", null], rows.Select(r => (string?)r.Properties["Group"].Value));
        Assert.Equal(0.2m, rows[1].Properties["Cost"].Value);
        Assert.Equal(2L, rows[1].Properties["Events"].Value);
    }

    [Theory]
    [InlineData("Event", "nav")]
    [InlineData("SessionId", "11111111-2222-4333-8444-555555555555")]
    [InlineData("Day", "2026-02-13")]
    [InlineData("Hour", "2026-02-13T14:00Z")]
    public void ByGroupsByEventSessionDayAndHour(string by, string group)
    {
        LogLines.Append(Log, LogLines.Line("nav", new DateTimeOffset(2026, 2, 13, 14, 30, 0, TimeSpan.Zero), cost: 1));

        var row = Assert.Single(_session.Invoke($"Get-ScoutAuditSpend -By {by} -Path $p", new { p = Log }));

        Assert.Equal(group, row.Properties["Group"].Value);
    }

    [Fact]
    public void AccuracyIsTheOriginalsRoundedPercentage()
    {
        var now = DateTimeOffset.UtcNow;
        LogLines.Append(Log,
            LogLines.Line("nav", now), LogLines.Line("nav", now), LogLines.Line("nav", now),
            LogLines.Line("validation_fail", now), LogLines.Line("nav", now.AddDays(-2)));

        var report = Assert.Single(_session.Invoke("Get-ScoutAuditAccuracy -Since ([datetime]::Now.AddDays(-1)) -Path $p", new { p = Log }));

        Assert.Equal("ScoutAudit.AccuracyReport", report.BaseObject.GetType().FullName);
        Assert.Equal(3L, report.Properties["TotalNav"].Value);
        Assert.Equal(1L, report.Properties["ValidationFailCount"].Value);
        Assert.Equal(66.67, report.Properties["AccuracyPct"].Value);
        Assert.IsType<DateTime>(report.Properties["Since"].Value);
        Assert.Null(report.Properties["Until"].Value);
    }

    [Fact]
    public void AccuracyWithoutNavEventsIs100()
    {
        _session.Invoke("Write-ScoutAuditEvent deep -Path $p; Close-ScoutAuditLog -Path $p", new { p = Log });
        var report = Assert.Single(_session.Invoke("Get-ScoutAuditAccuracy -Path $p", new { p = Log }));

        Assert.Equal(100.0, report.Properties["AccuracyPct"].Value);
        Assert.Equal(0L, report.Properties["TotalNav"].Value);
    }

    [Fact]
    public void AWindowEndingBeforeItStartsIsInvalidTimeWindowForSpendAndAccuracy()
    {
        foreach (var command in new[] { "Get-ScoutAuditSpend", "Get-ScoutAuditAccuracy" })
        {
            var error = _session.Run($"{command} -Since ([datetime]::Now) -Until ([datetime]::Now.AddDays(-1)) -Path $p", new { p = Log }).SingleError();
            Assert.StartsWith("InvalidTimeWindow,", error?.FullyQualifiedErrorId);
        }
    }
}
