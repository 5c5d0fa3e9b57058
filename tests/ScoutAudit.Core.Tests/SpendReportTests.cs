namespace ScoutAudit.Core.Tests;

/// <summary>
/// A report's numbers are the engine's answers for the same window: each day's spend is
/// <c>Spend(By Day)</c>'s row, each day's accuracy is <c>Accuracy</c> over that day, the models and
/// sessions are <c>Spend(By Model / SessionId)</c>, the totals <c>Spend</c> and <c>Accuracy</c> of the
/// window; days without events are there with zeros; memory for failure reasons is bounded.
/// </summary>
public sealed class SpendReportTests : IDisposable
{
    private static readonly DateOnly FirstDay = new(2026, 10, 1);
    private readonly TempFolder _folder = new();
    private readonly string _path;

    public SpendReportTests() => _path = _folder.File("audit.jsonl");

    public void Dispose() => _folder.Dispose();

    private static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>A month of events (and some just outside it), every day but the 10th, of four models, one without a model.</summary>
    private void WriteHistory()
    {
        var random = new Random(42);
        string?[] models = ["gpt-4o-mini", "llama-3.1-8b", "claude-3-5-sonnet", null];
        string[] types = ["nav", "nav", "validation_fail", "brief"];
        using var log = new AuditLog(_path, new AuditLogOptions { RotationSize = 64 * 1024 });
        for (var minute = -600; minute < 31 * 24 * 60 + 600; minute += random.Next(10, 50))
        {
            var time = StartOf(FirstDay).AddMinutes(minute);
            if (DateOnly.FromDateTime(time.UtcDateTime).Day == 10 && time.Month == 10) continue;
            var type = types[random.Next(types.Length)];
            log.Append(new LogEvent(type, time, $"s{random.Next(30)}")
            {
                Model = models[random.Next(models.Length)],
                Cost = Math.Round(random.NextDouble() / 100, 6),
                InputTokens = random.Next(10, 4000),
                OutputTokens = random.Next(1, 900),
                Reason = type == "validation_fail" ? $"reason {random.Next(14)}" : "ok",
            });
        }
    }

    private SpendReport Report(DateOnly first, DateOnly last)
    {
        var builder = new SpendReportBuilder(first, last);
        using var log = new AuditLog(_path);
        foreach (var e in log.Query(builder.Window)) builder.Add(e);
        return builder.Build();
    }

    [Fact]
    public void EveryNumberIsTheEnginesAnswerForTheSameWindow()
    {
        WriteHistory();
        var last = FirstDay.AddDays(30);
        var report = Report(FirstDay, last);
        using var log = new AuditLog(_path);
        var window = new EventFilter { Since = StartOf(FirstDay), Until = StartOf(last.AddDays(1)) };

        Assert.Equal(31, report.Days.Count);
        Assert.Equal(window.Since, report.Since);
        Assert.Equal(window.Until, report.Until);
        Assert.Equal(log.Spend(window).Single(), report.Totals);
        Assert.Equal(log.Accuracy(window), report.Accuracy);
        Assert.Equal(log.Spend(window, SpendGrouping.Model), report.Models);
        Assert.Equal(log.Spend(window, SpendGrouping.SessionId).Take(SpendReportBuilder.TopCount), report.Sessions);
        var byDay = log.Spend(window, SpendGrouping.Day).ToDictionary(row => row.Group!);
        foreach (var day in report.Days)
        {
            var filter = new EventFilter { Since = StartOf(day.Date), Until = StartOf(day.Date.AddDays(1)) };
            Assert.Equal(log.Accuracy(filter), day.Accuracy);
            if (day.Date.Day == 10)
            {
                Assert.Equal((0m, 0L), (day.Spend.Cost, day.Spend.Events));
                Assert.False(byDay.ContainsKey("2026-10-10"));
                continue;
            }
            var spend = byDay[day.Date.ToString("yyyy-MM-dd")];
            Assert.Equal((spend.Cost, spend.Events, spend.InputTokens, spend.OutputTokens), (day.Spend.Cost, day.Spend.Events, day.Spend.InputTokens, day.Spend.OutputTokens));
            Assert.Equal(log.Spend(filter, SpendGrouping.Model).Where(m => m.Group is not null).ToDictionary(m => m.Group!, m => m.Cost), day.CostByModel);
            Assert.Equal(day.Spend.Cost, day.CostByModel.Values.Sum() + day.CostWithoutModel);
        }
        Assert.Equal(report.Totals.Events, report.EventsByHourOfDay.Sum());
        Assert.Equal(report.Totals.Events, report.EventsByDayOfWeek.Sum());
        var events = log.Query(window).ToList();
        Assert.Equal(events.Count(e => e.Timestamp.UtcDateTime.Hour == 13), report.EventsByHourOfDay[13]);
        Assert.Equal(events.Count(e => e.Timestamp.UtcDateTime.DayOfWeek == DayOfWeek.Monday), report.EventsByDayOfWeek[0]);
        var reasons = events.Where(e => e.Event == "validation_fail").GroupBy(e => e.Reason).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(reasons.Take(10).Select(g => new KeyValuePair<string?, long>(g.Key, g.Count())), report.FailureReasons);
        Assert.Equal(reasons.Skip(10).Sum(g => g.Count()), report.OtherFailureReasons);
        Assert.True(log.Archives().Count >= 3); // the window spans archives and the active file
    }

    [Fact]
    public void EventsOutsideTheWindowAreLeftOutAndADayWithoutNavIsTheOriginals100()
    {
        var day = new DateOnly(2026, 5, 4);
        using (var log = new AuditLog(_path))
        {
            log.Append(new LogEvent("nav", StartOf(day).AddTicks(-1), "s") { Cost = 5 });
            log.Append(new LogEvent("brief", StartOf(day).AddHours(1), "s") { Cost = 0.25 });
            log.Append(new LogEvent("nav", StartOf(day.AddDays(1)), "s") { Cost = 7 });
        }
        var builder = new SpendReportBuilder(day, day);
        using (var log = new AuditLog(_path)) foreach (var e in log.Query()) builder.Add(e);
        var report = builder.Build();

        Assert.Equal(0.25m, report.Totals.Cost);
        Assert.Equal(1, report.Totals.Events);
        Assert.Equal((0L, 0L, 100.0), (report.Days[0].Accuracy.TotalNav, report.Days[0].Accuracy.ValidationFailCount, report.Days[0].Accuracy.AccuracyPct));
        Assert.Equal(0.25m, report.Days[0].CostWithoutModel);
        Assert.Empty(report.FailureReasons);
    }

    [Fact]
    public void FailureReasonsBeyondTheBoundAreCountedTogetherNotKeptOneByOne()
    {
        var day = new DateOnly(2026, 5, 4);
        var builder = new SpendReportBuilder(day, day);
        for (var i = 0; i < SpendReportBuilder.MaxDistinctReasons + 500; i++)
            builder.Add(new LogEvent("validation_fail", StartOf(day).AddSeconds(i % 80_000), "s") { Reason = i < 20 ? "frequent" : $"unique {i}" });
        builder.Add(new LogEvent("validation_fail", StartOf(day), "s"));
        var report = builder.Build();

        Assert.Equal(new KeyValuePair<string?, long>("frequent", 20), report.FailureReasons[0]);
        Assert.Contains(new KeyValuePair<string?, long>(null, 1), report.FailureReasons);
        Assert.Equal(SpendReportBuilder.TopCount, report.FailureReasons.Count);
        Assert.Equal(SpendReportBuilder.MaxDistinctReasons + 501, report.FailureReasons.Sum(r => r.Value) + report.OtherFailureReasons);
    }

    [Fact]
    public void AReportEndsOnOrAfterItStarts()
    {
        var error = Assert.Throws<ArgumentException>(() => new SpendReportBuilder(new DateOnly(2026, 5, 4), new DateOnly(2026, 5, 3)));
        Assert.Contains("2026-05-03", error.Message);
    }
}
