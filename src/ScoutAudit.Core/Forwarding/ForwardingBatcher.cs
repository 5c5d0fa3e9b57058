namespace ScoutAudit.Core;

/// <summary>
/// The one batching loop of forwarding: events gathered in their order into batches of at most a
/// size, each full batch delivered before the next event is taken, the last, smaller one on
/// <see cref="Flush"/>. A log's history (<see cref="OtlpForwarder.ForwardAll"/>)
/// and events chosen from it (<see cref="ChosenEventsForwarder"/>) both go through it; which events
/// go in, and how a batch is delivered, is theirs to say.
/// </summary>
internal sealed class ForwardingBatcher
{
    private readonly int _batchSize;
    private readonly List<LogEvent> _batch;
    private readonly Func<IReadOnlyList<LogEvent>, ForwardingSummary?> _deliver;
    private readonly Action<IReadOnlyList<LogEvent>, ForwardingSummary>? _delivered;

    /// <param name="batchSize">The most events in one batch (one request).</param>
    /// <param name="deliver">Sends a batch until it is acknowledged and says what was delivered; null when the batch was declined (neither sent nor counted).</param>
    /// <param name="delivered">Told of each batch delivered, with what it delivered, after <see cref="Total"/> counts it.</param>
    /// <param name="lastId">The checkpoint before the first batch: <see cref="Total"/>'s LastId until a batch is delivered.</param>
    public ForwardingBatcher(int batchSize, Func<IReadOnlyList<LogEvent>, ForwardingSummary?> deliver, Action<IReadOnlyList<LogEvent>, ForwardingSummary>? delivered = null, long? lastId = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentNullException.ThrowIfNull(deliver);
        _batchSize = batchSize;
        _batch = new List<LogEvent>(Math.Min(batchSize, 4096));
        _deliver = deliver;
        _delivered = delivered;
        Total = new ForwardingSummary(0, 0, 0, lastId);
    }

    /// <summary>What the batches delivered so far, together.</summary>
    public ForwardingSummary Total { get; private set; }

    /// <summary>Adds an event to the open batch, and delivers the batch when it is full.</summary>
    public void Add(LogEvent auditEvent)
    {
        _batch.Add(auditEvent);
        if (_batch.Count >= _batchSize) Flush();
    }

    /// <summary>Delivers the open batch, if it has any event.</summary>
    public void Flush()
    {
        if (_batch.Count == 0) return;
        if (_deliver(_batch) is { } delivered)
        {
            Total = new ForwardingSummary(Total.Sent + delivered.Sent, Total.Rejected + delivered.Rejected, Total.Batches + delivered.Batches, delivered.LastId);
            _delivered?.Invoke(_batch, delivered);
        }
        _batch.Clear();
    }
}
