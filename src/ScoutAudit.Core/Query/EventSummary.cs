namespace ScoutAudit.Core;

/// <summary>
/// What aggregates need of an event, read without building the event: its time, type, session,
/// model, cost and tokens, and the fields kept as invalid (null when none). A line becomes a summary
/// exactly when it would become an event, with the same fields invalid.
/// </summary>
internal readonly record struct EventSummary(
    DateTimeOffset Timestamp, string Event, string SessionId, string? Model, double? Cost, long? InputTokens, long? OutputTokens,
    IReadOnlyList<InvalidField>? InvalidFields = null);
