namespace ScoutAudit.Core;

/// <summary>
/// What a spend and accuracy report shows of a window of whole UTC days, summed while the events
/// stream past (<see cref="SpendReportBuilder"/>) with the engine's own aggregates, so that each
/// number equals what Get-ScoutAuditSpend and Get-ScoutAuditAccuracy answer for the same window.
/// </summary>
/// <param name="Since">The first day's start (UTC midnight), inclusive.</param>
/// <param name="Until">The day after the last one (UTC midnight), exclusive.</param>
/// <param name="Totals">The whole window: <c>Get-ScoutAuditSpend -Since -Until</c>.</param>
/// <param name="Accuracy">The whole window: <c>Get-ScoutAuditAccuracy -Since -Until</c>.</param>
/// <param name="Days">Every day of the window, oldest first, also those without events.</param>
/// <param name="Models">Spend by model, largest first (<c>-By Model</c>); the row of events without a model has a null Group.</param>
/// <param name="Sessions">The sessions that cost most, largest first (<c>-By SessionId</c>), at most <see cref="SpendReportBuilder.TopCount"/>.</param>
/// <param name="EventsByHourOfDay">Events per UTC hour of the day, 0 to 23.</param>
/// <param name="EventsByDayOfWeek">Events per UTC day of the week, Monday first.</param>
/// <param name="FailureReasons">The most frequent reasons of validation failures, most frequent first (a null reason is an event without one).</param>
/// <param name="OtherFailureReasons">Validation failures whose reason is not among <paramref name="FailureReasons"/>.</param>
public sealed record SpendReport(
    DateTimeOffset Since,
    DateTimeOffset Until,
    SpendTotals Totals,
    AccuracyMetrics Accuracy,
    IReadOnlyList<SpendReportDay> Days,
    IReadOnlyList<SpendTotals> Models,
    IReadOnlyList<SpendTotals> Sessions,
    IReadOnlyList<long> EventsByHourOfDay,
    IReadOnlyList<long> EventsByDayOfWeek,
    IReadOnlyList<KeyValuePair<string?, long>> FailureReasons,
    long OtherFailureReasons)
{
    /// <summary>The models in the order the report stacks and colours them: by spend, largest first; null for events without a model.</summary>
    public IReadOnlyList<string?> ModelOrder => [.. Models.Select(m => m.Group)];
}

/// <summary>
/// One UTC day of a report: its spend (<c>Get-ScoutAuditSpend -By Day</c>), its spend by model, and its
/// accuracy (<c>Get-ScoutAuditAccuracy</c> over the day).
/// </summary>
public sealed record SpendReportDay(DateOnly Date, SpendTotals Spend, IReadOnlyDictionary<string, decimal> CostByModel, decimal CostWithoutModel, AccuracyMetrics Accuracy);
