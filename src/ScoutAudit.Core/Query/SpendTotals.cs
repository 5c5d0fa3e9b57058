namespace ScoutAudit.Core;

/// <summary>
/// Spend of one group (or of all events when not grouped). <see cref="Cost"/> is a decimal sum so
/// that it does not drift: a million events of 0.000003 total exactly 3.
/// </summary>
/// <param name="Group">
/// The model, event type or session; for hours <c>yyyy-MM-ddTHH:00Z</c>, for days <c>yyyy-MM-dd</c> (UTC);
/// null when not grouped, or for events without a model when grouped by model.
/// </param>
/// <param name="Cost">Total cost; events without a cost count as 0, as in the original.</param>
/// <param name="Events">Number of events.</param>
/// <param name="InputTokens">Total input tokens.</param>
/// <param name="OutputTokens">Total output tokens.</param>
/// <param name="Since">Start of the window (inclusive), if any.</param>
/// <param name="Until">End of the window (exclusive), if any.</param>
public sealed record SpendTotals(
    string? Group, decimal Cost, long Events, long InputTokens, long OutputTokens, DateTimeOffset? Since, DateTimeOffset? Until);
