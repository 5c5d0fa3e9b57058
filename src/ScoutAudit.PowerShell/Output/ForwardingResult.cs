namespace ScoutAudit;

/// <summary>What one Send-ScoutAuditEvent run delivered to a collector, per log.</summary>
public sealed class ForwardingResult
{
    internal ForwardingResult(string path, Uri endpoint, long sent, long rejected, int batches, long? lastId, string? checkpointPath)
    {
        Path = path;
        Endpoint = endpoint;
        Sent = sent;
        Rejected = rejected;
        Batches = batches;
        LastId = lastId;
        CheckpointPath = checkpointPath;
    }

    /// <summary>The log forwarded.</summary>
    public string Path { get; }

    /// <summary>The URL the events were posted to, its query's values shown as <c>***</c> (a query may hold a key).</summary>
    public Uri Endpoint { get; }

    /// <summary>Events the collector acknowledged in this run, the rejected ones included.</summary>
    public long Sent { get; }

    /// <summary>Records the collector reported as rejected (partial success); they are not sent again.</summary>
    public long Rejected { get; }

    /// <summary>Requests acknowledged in this run.</summary>
    public int Batches { get; }

    /// <summary>The checkpoint: the Id of the last event acknowledged (in this run or before), or null when none ever was; null for piped events, which leave the checkpoint alone.</summary>
    public long? LastId { get; }

    /// <summary>The file that keeps the checkpoint; null when it was kept in memory only (the log's directory is another user's, and your cache may not be used), and for piped events.</summary>
    public string? CheckpointPath { get; }
}
