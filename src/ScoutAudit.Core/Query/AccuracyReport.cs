namespace ScoutAudit.Core;

/// <summary>
/// The original's <c>accuracy_metrics</c>: nav events, validation failures, and
/// <c>round(100 * (nav - fails) / nav, 2)</c>, or 100.0 when there is no nav event.
/// </summary>
public sealed record AccuracyReport(long TotalNav, long ValidationFailCount, double AccuracyPct, DateTimeOffset? Since, DateTimeOffset? Until)
{
    internal static AccuracyReport From(long nav, long fails, EventFilter filter) =>
        new(nav, fails, nav == 0 ? 100.0 : PythonRound.ToDigits(100.0 * (nav - fails) / nav, 2), filter.Since, filter.Until);
}
