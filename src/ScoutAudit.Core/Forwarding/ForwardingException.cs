namespace ScoutAudit.Core;

/// <summary>
/// A batch could not be delivered: the collector refused it (400 and other 4xx but 429) or redirected it (3xx, not followed), or retries
/// went on longer than <see cref="OtlpForwarderOptions.GiveUpAfter"/>. The checkpoint is where it was,
/// so the next run sends the batch again.
/// </summary>
public sealed class ForwardingException : Exception
{
    public ForwardingException(Uri endpoint, int? statusCode, string? collectorMessage, string message, Exception? inner = null)
        : base(message, inner)
    {
        Endpoint = endpoint;
        StatusCode = statusCode;
        CollectorMessage = collectorMessage;
    }

    /// <summary>The endpoint as it may be shown: its query's values masked (<see cref="OtlpEndpoint.Redacted"/>).</summary>
    public Uri Endpoint { get; }

    /// <summary>The HTTP status of the last answer; null when the last attempt got none (network error, timeout).</summary>
    public int? StatusCode { get; }

    /// <summary>What the collector said (its answer's body, shortened), when it said anything.</summary>
    public string? CollectorMessage { get; }
}
