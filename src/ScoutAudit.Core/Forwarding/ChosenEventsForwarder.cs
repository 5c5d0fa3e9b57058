namespace ScoutAudit.Core;

/// <summary>
/// Sends events chosen from one log (piped from a query: a filter, a sort, a time window) as they
/// are: exactly those and in their order, in batches (<see cref="ForwardingBatcher"/>, the loop a log's
/// history goes through), each retried until acknowledged (<see cref="OtlpForwarder.Send"/>).
/// <para>
/// Unlike <see cref="OtlpForwarder.ForwardAll"/>, it
/// skips no event at or before the checkpoint, and never moves or writes the checkpoint. That is
/// deliberate, and Send-ScoutAuditEvent's help promises it: a selection is not the log's history up to
/// a point. Skipping what the checkpoint covers would make "send these again" (to a collector that
/// lost them) send nothing, and moving the checkpoint past a selection would skip the events left
/// out. A receiver that deduplicates by <c>scout.log</c> and <c>scout.id</c> drops what it has.
/// </para>
/// <para>
/// The forwarder is made at the first batch approved (so a run that declines every batch, under
/// -WhatIf, reads nothing): it reads the checkpoint then, and a damaged one is an
/// <see cref="AuditLogException"/>. One call at a time; the callbacks run on the calling thread.
/// </para>
/// </summary>
public sealed class ChosenEventsForwarder : IDisposable
{
    private readonly OtlpForwarderOptions _options;
    private readonly CancellationToken _cancellation;
    private readonly ForwardingBatcher _batches;
    private OtlpForwarder? _forwarder;

    /// <param name="logPath">The log the events were read from, sent with each as <c>scout.log</c>.</param>
    /// <param name="options">Where and how to send.</param>
    /// <param name="batchSize">The most events in one request.</param>
    /// <param name="cancellation">Stops a delivery at once; the batch may or may not have arrived.</param>
    public ChosenEventsForwarder(string logPath, OtlpForwarderOptions options, int batchSize, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(logPath);
        ArgumentNullException.ThrowIfNull(options);
        LogPath = logPath;
        _options = options;
        _cancellation = cancellation;
        _batches = new ForwardingBatcher(batchSize, Send, (batch, delivered) => Delivered?.Invoke(batch, delivered));
    }

    /// <summary>The log, as given.</summary>
    public string LogPath { get; }

    /// <summary>Asked before each batch is sent; a batch it declines is dropped, neither sent nor counted.</summary>
    public Func<IReadOnlyList<LogEvent>, bool>? Approve { get; init; }

    /// <summary>Told of each batch the collector acknowledged, with what it delivered.</summary>
    public Action<IReadOnlyList<LogEvent>, ForwardingSummary>? Delivered { get; init; }

    /// <summary>Whether a batch was approved: only then was anything sent, or a result is due.</summary>
    public bool Approved { get; private set; }

    /// <summary>The URL the batches are posted to, once a batch was approved.</summary>
    public Uri? Endpoint => _forwarder?.Endpoint;

    /// <summary><see cref="Endpoint"/> as it may be shown, once a batch was approved.</summary>
    public string? ShownEndpoint => _forwarder?.ShownEndpoint;

    /// <summary>What was delivered so far; its LastId is always null (no checkpoint moves).</summary>
    public ForwardingSummary Total => _batches.Total;

    /// <summary>Adds an event to the open batch, and sends the batch when it is full.</summary>
    /// <exception cref="ArgumentException">An option is not valid (the forwarder is made at the first batch).</exception>
    /// <exception cref="AuditLogException">The log's checkpoint is damaged or cannot be read.</exception>
    /// <exception cref="ForwardingException">The collector refused a batch, or retries went on past <see cref="OtlpForwarderOptions.GiveUpAfter"/>.</exception>
    public void Add(LogEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        _batches.Add(auditEvent);
    }

    /// <summary>Sends the open batch, if it has any event; as <see cref="Add"/>.</summary>
    public void Flush() => _batches.Flush();

    public void Dispose() => _forwarder?.Dispose();

    private ForwardingSummary? Send(IReadOnlyList<LogEvent> batch)
    {
        if (Approve is { } approve && !approve(batch)) return null;
        Approved = true;
        _forwarder ??= OtlpForwarder.WithoutCheckpoint(LogPath, _options);
        return _forwarder.Send(batch, _cancellation);
    }
}
