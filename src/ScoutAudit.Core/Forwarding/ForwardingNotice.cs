namespace ScoutAudit.Core;

/// <summary>What a forwarder tells its caller while it works (<see cref="OtlpForwarderOptions.Notify"/>).</summary>
public enum ForwardingNoticeKind
{
    /// <summary>A request failed in a way worth retrying; the forwarder waits <see cref="ForwardingNotice.Delay"/> and sends the batch again.</summary>
    Retry,

    /// <summary>The collector accepted the batch but rejected <see cref="ForwardingNotice.RejectedRecords"/> of its records; they are not sent again.</summary>
    PartialSuccess,
}

/// <param name="Kind">What happened.</param>
/// <param name="Message">What happened, in a sentence with the endpoint and the collector's own words.</param>
/// <param name="Attempt">The batch's failed attempts so far (for a retry), or its attempts in all.</param>
/// <param name="Delay">The wait before the next attempt (a retry).</param>
/// <param name="StatusCode">The HTTP status that caused a retry; null for a network error or a timeout.</param>
/// <param name="RejectedRecords">The records the collector rejected (a partial success).</param>
public sealed record ForwardingNotice(ForwardingNoticeKind Kind, string Message, int Attempt, TimeSpan? Delay = null, int? StatusCode = null, long RejectedRecords = 0);
