using ScoutAudit.Core.Tests.Support;

namespace ScoutAudit.Core.Tests;

public class AggregateTests
{
    private static AuditLog LogOf(TempFolder folder, TimeProvider time, params LogEvent[] events)
    {
        var log = new AuditLog(folder.File("audit.jsonl"), new AuditLogOptions { Time = time });
        foreach (var e in events) log.Append(e);
        return log;
    }

    [Fact]
    public void LastHoursStartsAtTheTopOfTheUtcHourHoursBeforeTheCurrentOne()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 2, 13, 14, 35, 10, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 2, 13, 13, 0, 0, TimeSpan.Zero), EventFilter.LastHours(1, clock).Since);
        Assert.Equal(new DateTimeOffset(2026, 2, 12, 14, 0, 0, TimeSpan.Zero), EventFilter.LastHours(24, clock).Since);
        Assert.Null(EventFilter.LastHours(1, clock).Until);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void LastHoursNeedsAtLeastOneHour(int hours)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => EventFilter.LastHours(hours, TimeProvider.System));
        Assert.StartsWith($"Hours must be 1 or more; got {hours}.", error.Message);
    }

    [Fact]
    public void SpendOfTheLastHourSumsFromTheTopOfThePreviousHour()
    {
        using var folder = new TempFolder();
        var clock = new TestClock(new DateTimeOffset(2026, 2, 13, 14, 35, 0, TimeSpan.Zero));
        var top = new DateTimeOffset(2026, 2, 13, 13, 0, 0, TimeSpan.Zero);
        using var log = LogOf(folder, clock,
            Events.At(top.AddMilliseconds(-1), cost: 100),
            Events.At(top, cost: 0.25),
            new LogEvent("nav", top.AddMinutes(90), "s") { Cost = 0.5, InputTokens = 10, OutputTokens = 3 },
            Events.At(top.AddMinutes(91)));

        var spend = Assert.Single(log.Spend(EventFilter.LastHours(1, clock)));
        Assert.Equal((0.75m, 3L, 10L, 3L), (spend.Cost, spend.Events, spend.InputTokens, spend.OutputTokens));
        Assert.Equal(top, spend.Since);
        Assert.Null(spend.Group);
    }

    [Fact]
    public void SpendOfAnEmptyWindowIsZero()
    {
        using var folder = new TempFolder();
        using var log = LogOf(folder, new TestClock());
        Assert.Equal(new SpendTotals(null, 0m, 0, 0, 0, null, null), Assert.Single(log.Spend()));
        Assert.Empty(log.Spend(grouping: SpendGrouping.Model));
    }

    [Fact]
    public void SpendIsGroupedByModelEventSessionHourAndDay()
    {
        using var folder = new TempFolder();
        var start = Events.Start;
        using var log = LogOf(folder, new TestClock(),
            Events.At(start, "nav", "a", 0.01, "llama"),
            Events.At(start.AddMinutes(70), "nav", "b", 0.02, "gpt"),
            Events.At(start.AddHours(11), "brief", "a", 0.04, "llama"),
            Events.At(start.AddHours(12), "nav", "a", 0.08, null));

        Assert.Equal([((string?)null, 0.08m, 1L), ("llama", 0.05m, 2L), ("gpt", 0.02m, 1L)],
            log.Spend(grouping: SpendGrouping.Model).Select(r => (r.Group, r.Cost, r.Events)));
        Assert.Equal([("nav", 0.11m), ("brief", 0.04m)], log.Spend(grouping: SpendGrouping.Event).Select(r => (r.Group!, r.Cost)));
        Assert.Equal([("a", 0.13m), ("b", 0.02m)], log.Spend(grouping: SpendGrouping.SessionId).Select(r => (r.Group!, r.Cost)));
        Assert.Equal([("2026-02-13T14:00Z", 0.01m), ("2026-02-13T15:00Z", 0.02m), ("2026-02-14T01:00Z", 0.04m), ("2026-02-14T02:00Z", 0.08m)],
            log.Spend(grouping: SpendGrouping.Hour).Select(r => (r.Group!, r.Cost)));
        Assert.Equal([("2026-02-13", 0.03m), ("2026-02-14", 0.12m)], log.Spend(grouping: SpendGrouping.Day).Select(r => (r.Group!, r.Cost)));
    }

    [Fact]
    public void AMillionTinyCostsSumToExactlyThree()
    {
        var spend = new SpendCalculator(grouping: null, EventFilter.All);
        var e = new EventSummary(Events.Start, "nav", "s", null, 0.000003, null, null);
        for (var i = 0; i < 1_000_000; i++) spend.Add(e);
        Assert.Equal(3m, Assert.Single(spend.Result()).Cost);
    }

    [Fact]
    public void AccuracyCountsNavAndValidationFailures()
    {
        using var folder = new TempFolder();
        using var log = LogOf(folder, new TestClock(),
            Events.At(Events.Start, "nav"), Events.At(Events.Start, "nav"), Events.At(Events.Start, "nav"),
            Events.At(Events.Start, "validation_fail"), Events.At(Events.Start, "brief"),
            Events.At(Events.Start.AddDays(-1), "validation_fail"));

        var report = log.Accuracy(new EventFilter { Since = Events.Start });
        Assert.Equal((3L, 1L, 66.67), (report.TotalNav, report.ValidationFailCount, report.AccuracyPct));
        Assert.Equal(Events.Start, report.Since);
    }

    [Fact]
    public void AccuracyWithoutNavIsAHundredPercentAndStillCountsFailures()
    {
        using var folder = new TempFolder();
        using var log = LogOf(folder, new TestClock(), Events.At(Events.Start, "validation_fail"));
        var report = log.Accuracy();
        Assert.Equal((0L, 1L, 100.0), (report.TotalNav, report.ValidationFailCount, report.AccuracyPct));
    }
}
