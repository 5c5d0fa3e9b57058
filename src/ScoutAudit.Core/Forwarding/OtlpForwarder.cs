using System.Globalization;

namespace ScoutAudit.Core;

/// <summary>
/// Sends a log's events to an OpenTelemetry collector over OTLP/HTTP (protobuf or JSON, <see cref="OtlpForwarderOptions.Protocol"/>;
/// <see cref="OtlpLogEncoding"/>), at least once: a batch is sent until the collector acknowledges it
/// (a 2xx answer), and only then does the <see cref="Checkpoint"/> move to its last event and get saved.
/// Stopped at any point, by a crash or a kill, the next forwarder resends at most the batch that was open.
/// <para>
/// 429, 502, 503, 504, network errors and timeouts are retried with exponential backoff (each wait a random
/// time between half and all of a backoff that doubles from <see cref="OtlpForwarderOptions.InitialBackoff"/> up to
/// <see cref="OtlpForwarderOptions.MaxBackoff"/>), or after exactly the Retry-After the collector gives. Any other
/// answer (400, 401, 413...) is a <see cref="ForwardingException"/>, and so is retrying for longer than
/// <see cref="OtlpForwarderOptions.GiveUpAfter"/>; cancellation stops at once. In every such case the checkpoint
/// is unchanged. Records a collector rejects in a partial success are reported (<see cref="ForwardingNoticeKind.PartialSuccess"/>),
/// not sent again: it has said it will not take them.
/// </para>
/// <para>
/// A redirect (3xx) is not followed: it is a refusal naming where it pointed. Headers are checked before the
/// first request (<see cref="OtlpHeaders"/>); the endpoint appears in messages without its secrets
/// (<see cref="ShownEndpoint"/>), and what a collector says is shown without the headers' values. One
/// forwarder per log and endpoint at a time: a second is refused (<see cref="ForwarderRunningException"/>).
/// </para>
/// <para>Typical use: <c>forwarder.ForwardAll(log.Query(new EventFilter { After = forwarder.Checkpoint.LastId }), 512, token)</c>.
/// One call at a time; the callbacks run on the calling thread.</para>
/// </summary>
public sealed class OtlpForwarder : IDisposable
{
    private readonly OtlpForwarderOptions _options;
    private readonly OtlpBatchSender _sender;
    private readonly bool _locks;
    private ForwarderLock? _lock;

    /// <summary>A forwarder of the log at <paramref name="logPath"/>, its checkpoint read now and its lock taken.</summary>
    /// <exception cref="ArgumentException">An option is not valid (the endpoint, a header, a backoff).</exception>
    /// <exception cref="AuditLogException">The checkpoint file is damaged or cannot be read.</exception>
    /// <exception cref="ForwarderRunningException">Another forwarder of the log and endpoint is running.</exception>
    public OtlpForwarder(string logPath, OtlpForwarderOptions options)
        : this(logPath, options, keepsCheckpoint: true)
    {
    }

    private OtlpForwarder(string logPath, OtlpForwarderOptions options, bool keepsCheckpoint)
    {
        ArgumentException.ThrowIfNullOrEmpty(logPath);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        Endpoint = options.ResolveEndpoint();
        ShownEndpoint = OtlpEndpoint.Redacted(Endpoint);
        LogPath = Path.GetFullPath(logPath);
        _sender = new OtlpBatchSender(LogPath, options, Endpoint);
        _locks = keepsCheckpoint;
        try
        {
            Checkpoint = ForwardingCheckpoint.Load(LogPath, Endpoint, options.CheckpointPath);
            // Chosen events leave the checkpoint alone: it was read (a damaged one is still an error), never moved or written.
            if (!keepsCheckpoint) Checkpoint = ForwardingCheckpoint.InMemory(LogPath, Endpoint);
            TakeLock();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// A forwarder that sends events as given (<see cref="Send"/>): it never moves or writes the log's
    /// checkpoint (its <see cref="Checkpoint"/> is kept in memory and starts empty) and takes no lock,
    /// since what it sends is a selection, not the log's history in order.
    /// </summary>
    /// <exception cref="ArgumentException">An option is not valid (the endpoint, a header, a backoff).</exception>
    public static OtlpForwarder WithoutCheckpoint(string logPath, OtlpForwarderOptions options) => new(logPath, options, keepsCheckpoint: false);

    /// <summary>The URL the batches are posted to.</summary>
    public Uri Endpoint { get; }

    /// <summary><see cref="Endpoint"/> as it may be shown: its query's values masked (<see cref="OtlpEndpoint.Redacted"/>).</summary>
    public string ShownEndpoint { get; }

    /// <summary>The log's full path, sent with every event as <c>scout.log</c>.</summary>
    public string LogPath { get; }

    /// <summary>The last event acknowledged; forwarding resumes after <see cref="ForwardingCheckpoint.LastId"/>.</summary>
    public ForwardingCheckpoint Checkpoint { get; private set; }

    /// <summary>
    /// Sends <paramref name="events"/> in batches of <paramref name="batchSize"/>, each delivered
    /// (<see cref="Deliver"/>) before the next is sent, the last one possibly smaller. Events at or
    /// before the checkpoint, or not after the one before them, are skipped: they were sent already.
    /// <paramref name="delivered"/>, when given, is told of each batch acknowledged (with what it delivered) as it goes.
    /// </summary>
    /// <exception cref="ArgumentException">An event has no id (it was not read from a log).</exception>
    public ForwardingSummary ForwardAll(IEnumerable<LogEvent> events, int batchSize, CancellationToken cancellation = default, Action<IReadOnlyList<LogEvent>, ForwardingSummary>? delivered = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var batches = new ForwardingBatcher(batchSize, batch => Deliver(batch, cancellation), delivered, Checkpoint.LastId);
        var last = Checkpoint.LastId;
        foreach (var auditEvent in events)
        {
            var id = IdOf(auditEvent);
            if (id <= last) continue;
            last = id;
            batches.Add(auditEvent);
        }
        batches.Flush();
        return batches.Total;
    }

    /// <summary>
    /// Sends <paramref name="batch"/> as one request until the collector acknowledges it, then moves the
    /// checkpoint to its last event and saves it; returns only then.
    /// </summary>
    /// <exception cref="ArgumentException">An event has no id, the ids do not increase, or the first is not after the checkpoint.</exception>
    /// <exception cref="ForwardingException">The collector refused the batch, or retries went on past <see cref="OtlpForwarderOptions.GiveUpAfter"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled; the batch may or may not have arrived.</exception>
    /// <exception cref="AuditLogException">The batch was delivered but the checkpoint could not be saved: the next run sends it again.</exception>
    public ForwardingSummary Deliver(IReadOnlyList<LogEvent> batch, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) return new ForwardingSummary(0, 0, 0, Checkpoint.LastId);
        CheckOrder(batch);
        TakeLock();
        var answer = _sender.Send(batch, Range(batch), cancellation);
        Checkpoint.Advance(batch[^1].Id!.Value, _options.TimeProvider.GetUtcNow());
        return new ForwardingSummary(batch.Count, answer.RejectedLogRecords, 1, Checkpoint.LastId);
    }

    /// <summary>
    /// Sends <paramref name="batch"/>, as given and in its order, as one request until the collector
    /// acknowledges it, as <see cref="Deliver"/> does, but with no check of its ids and without moving the
    /// checkpoint: for a selection of events (piped from a query), not the log's history.
    /// </summary>
    /// <exception cref="ForwardingException">The collector refused the batch, or retries went on past <see cref="OtlpForwarderOptions.GiveUpAfter"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled; the batch may or may not have arrived.</exception>
    public ForwardingSummary Send(IReadOnlyList<LogEvent> batch, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) return new ForwardingSummary(0, 0, 0, Checkpoint.LastId);
        var described = batch.Count == 1 ? $"{batch[0].Id?.ToString(CultureInfo.InvariantCulture) ?? "(no id)"}" : $"{batch[0].Id}..{batch[^1].Id} ({batch.Count} chosen)";
        var answer = _sender.Send(batch, described, cancellation);
        return new ForwardingSummary(batch.Count, answer.RejectedLogRecords, 1, Checkpoint.LastId);
    }

    public void Dispose()
    {
        _sender.Dispose();
        _lock?.Dispose();
        _lock = null;
    }

    /// <summary>Takes the forwarder's lock if it has none yet and its checkpoint's directory now exists.</summary>
    private void TakeLock()
    {
        if (_locks && _lock is null) _lock = ForwarderLock.TryTake(Checkpoint, ShownEndpoint);
    }

    private static long IdOf(LogEvent auditEvent) =>
        auditEvent.Id ?? throw new ArgumentException($"The event '{auditEvent.Event}' at {UtcTimestamp.Format(auditEvent.Timestamp)} has no id (it was not read from a log), so no checkpoint could record it.", nameof(auditEvent));

    private void CheckOrder(IReadOnlyList<LogEvent> batch)
    {
        var previous = Checkpoint.LastId;
        foreach (var auditEvent in batch)
        {
            var id = IdOf(auditEvent);
            if (id <= previous)
            {
                throw new ArgumentException(previous == Checkpoint.LastId
                    ? $"Event {id} is at or before the checkpoint ({previous}): it was delivered already. Query with After = the checkpoint's LastId."
                    : $"Event {id} comes after event {previous}: a batch's ids must increase, as a log's do.", nameof(batch));
            }
            previous = id;
        }
    }

    private static string Range(IReadOnlyList<LogEvent> batch) =>
        batch.Count == 1 ? $"{batch[0].Id}" : $"{batch[0].Id}..{batch[^1].Id}";
}
