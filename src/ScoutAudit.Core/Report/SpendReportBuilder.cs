namespace ScoutAudit.Core;

/// <summary>
/// Builds a <see cref="SpendReport"/> from events streamed past it (from one log or several):
/// memory grows with the days, models and sessions of the window and at most
/// <see cref="MaxDistinctReasons"/> failure reasons, never with the number of events. The sums are
/// the engine's (<see cref="SpendCalculator"/>, <see cref="AccuracyMetrics"/>), so the report's
/// numbers are the cmdlets' numbers.
/// </summary>
public sealed class SpendReportBuilder
{
    /// <summary>How many sessions and failure reasons a report lists.</summary>
    public const int TopCount = 10;

    /// <summary>
    /// The distinct failure reasons counted one by one; reasons are free text, so a log could hold a
    /// different one on every line. Beyond this many, new reasons are counted together as others.
    /// </summary>
    public const int MaxDistinctReasons = 10_000;

    private readonly EventFilter _window;
    private readonly SpendCalculator _totals;
    private readonly SpendCalculator _models;
    private readonly SpendCalculator _sessions;
    private readonly SpendCalculator _days;
    private readonly Dictionary<DateOnly, (SpendCalculator ByModel, long Nav, long Fails)> _perDay = [];
    private readonly long[] _byHour = new long[24];
    private readonly long[] _byWeekday = new long[7];
    private readonly Dictionary<string, long> _reasons = new(StringComparer.Ordinal);
    private long _failsWithoutReason;
    private long _otherReasons;
    private long _nav;
    private long _fails;

    /// <summary>A report of the UTC days from <paramref name="firstDay"/> to <paramref name="lastDay"/>, both included.</summary>
    public SpendReportBuilder(DateOnly firstDay, DateOnly lastDay)
    {
        if (lastDay < firstDay)
            throw new ArgumentException($"The report's last day ({lastDay:yyyy-MM-dd}) is before its first ({firstDay:yyyy-MM-dd}).", nameof(lastDay));
        FirstDay = firstDay;
        LastDay = lastDay;
        _window = new EventFilter { Since = StartOf(firstDay), Until = StartOf(lastDay.AddDays(1)) };
        _totals = new SpendCalculator(grouping: null, _window);
        _models = new SpendCalculator(SpendGrouping.Model, _window);
        _sessions = new SpendCalculator(SpendGrouping.SessionId, _window);
        _days = new SpendCalculator(SpendGrouping.Day, _window);
    }

    public DateOnly FirstDay { get; }

    public DateOnly LastDay { get; }

    /// <summary>What to query the logs for: the window's events, nothing else.</summary>
    public EventFilter Window => _window;

    /// <summary>Adds an event; one outside the window is left out.</summary>
    public void Add(LogEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (!_window.Matches(e)) return;
        var summary = new EventSummary(e.Timestamp, e.Event, e.SessionId, e.Model, e.Cost, e.InputTokens, e.OutputTokens, e.InvalidFields);
        _totals.Add(summary);
        _models.Add(summary);
        _sessions.Add(summary);
        _days.Add(summary);
        var utc = e.Timestamp.UtcDateTime;
        var date = DateOnly.FromDateTime(utc);
        if (!_perDay.TryGetValue(date, out var day)) day = (new SpendCalculator(SpendGrouping.Model, _window), 0, 0);
        day.ByModel.Add(summary);
        if (e.Event == KnownEventTypes.Nav)
        {
            day.Nav++;
            _nav++;
        }
        else if (e.Event == KnownEventTypes.ValidationFail)
        {
            day.Fails++;
            _fails++;
            CountReason(e.Reason);
        }
        _perDay[date] = day;
        _byHour[utc.Hour]++;
        _byWeekday[((int)utc.DayOfWeek + 6) % 7]++;
    }

    private void CountReason(string? reason)
    {
        if (reason is null) _failsWithoutReason++;
        else if (_reasons.TryGetValue(reason, out var count)) _reasons[reason] = count + 1;
        else if (_reasons.Count < MaxDistinctReasons) _reasons[reason] = 1;
        else _otherReasons++;
    }

    public SpendReport Build()
    {
        var daySpend = _days.Result().ToDictionary(row => row.Group!, StringComparer.Ordinal);
        var days = new List<SpendReportDay>();
        for (var date = FirstDay; date <= LastDay; date = date.AddDays(1))
        {
            var filter = new EventFilter { Since = StartOf(date), Until = StartOf(date.AddDays(1)) };
            var key = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var spend = daySpend.TryGetValue(key, out var row) ? row with { Since = filter.Since, Until = filter.Until } : new SpendTotals(key, 0, 0, 0, 0, filter.Since, filter.Until);
            var (byModel, nav, fails) = _perDay.TryGetValue(date, out var day) ? day : (null, 0, 0);
            var models = byModel?.Result() ?? [];
            days.Add(new SpendReportDay(date, spend,
                models.Where(m => m.Group is not null).ToDictionary(m => m.Group!, m => m.Cost, StringComparer.Ordinal),
                models.Where(m => m.Group is null).Sum(m => m.Cost),
                AccuracyMetrics.From(nav, fails, filter)));
        }
        var reasons = _reasons.Select(pair => new KeyValuePair<string?, long>(pair.Key, pair.Value));
        if (_failsWithoutReason > 0) reasons = reasons.Append(new KeyValuePair<string?, long>(null, _failsWithoutReason));
        var ranked = reasons.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).ToList();
        var top = ranked.Take(TopCount).ToList();
        return new SpendReport(
            _window.Since!.Value, _window.Until!.Value,
            _totals.Result()[0],
            AccuracyMetrics.From(_nav, _fails, _window),
            days,
            _models.Result(),
            [.. _sessions.Result().Take(TopCount)],
            [.. _byHour],
            [.. _byWeekday],
            top,
            _otherReasons + ranked.Skip(TopCount).Sum(pair => pair.Value));
    }

    private static DateTimeOffset StartOf(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
