namespace ScoutAudit.Core;

/// <summary>
/// The original's <c>accuracy_metrics</c>: nav events, validation failures, and
/// <c>round(100 * (nav - fails) / nav, 2)</c>, or 100.0 when there is no nav event.
/// </summary>
public sealed record AccuracyMetrics(long TotalNav, long ValidationFailCount, double AccuracyPct, DateTimeOffset? Since, DateTimeOffset? Until)
{
    /// <summary>The report of the events summarized, all of which passed <paramref name="filter"/>.</summary>
    internal static AccuracyMetrics Of(IEnumerable<EventSummary> summaries, EventFilter filter)
    {
        long nav = 0, fails = 0;
        foreach (var e in summaries)
        {
            if (e.Event == KnownEventTypes.Nav) nav++;
            else if (e.Event == KnownEventTypes.ValidationFail) fails++;
        }
        return From(nav, fails, filter);
    }

    internal static AccuracyMetrics From(long nav, long fails, EventFilter filter) =>
        new(nav, fails, nav == 0 ? 100.0 : PythonRound.ToDigits(100.0 * (nav - fails) / nav, 2), filter.Since, filter.Until);
}
