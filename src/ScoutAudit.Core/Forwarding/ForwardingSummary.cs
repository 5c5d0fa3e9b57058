namespace ScoutAudit.Core;

/// <summary>What a forwarder delivered.</summary>
/// <param name="Sent">Events the collector acknowledged, the rejected ones included.</param>
/// <param name="Rejected">Records the collector reported as rejected (partial success): acknowledged, never sent again.</param>
/// <param name="Batches">Requests acknowledged.</param>
/// <param name="LastId">The checkpoint after delivery: the last acknowledged event's id, or null when nothing was ever acknowledged.</param>
public sealed record ForwardingSummary(long Sent, long Rejected, int Batches, long? LastId);
