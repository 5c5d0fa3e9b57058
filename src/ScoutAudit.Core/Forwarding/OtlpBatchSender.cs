using System.Globalization;

namespace ScoutAudit.Core;

/// <summary>
/// Sends one batch until the collector acknowledges it: the body encoded (<see cref="OtlpLogEncoding"/>)
/// and compressed once, then posted (<see cref="OtlpExchange"/>) again after each failure worth
/// retrying, after exactly the Retry-After the collector gives or else an exponential backoff with
/// jitter (from <see cref="OtlpForwarderOptions.InitialBackoff"/>, doubling up to
/// <see cref="OtlpForwarderOptions.MaxBackoff"/>), until <see cref="OtlpForwarderOptions.GiveUpAfter"/>.
/// Each retry, and each record a collector rejects in a partial success, is told to
/// <see cref="OtlpForwarderOptions.Notify"/>.
/// </summary>
internal sealed class OtlpBatchSender : IDisposable
{
    private readonly OtlpForwarderOptions _options;
    private readonly OtlpLogEncoding _encoding;
    private readonly OtlpExchange _exchange;

    /// <exception cref="ArgumentException">A header cannot be sent as given, or the handler follows redirects.</exception>
    public OtlpBatchSender(string logPath, OtlpForwarderOptions options, Uri endpoint)
    {
        _exchange = new OtlpExchange(options, endpoint);
        _options = options;
        _encoding = new OtlpLogEncoding(logPath, options.Protocol, options.ServiceName, options.ResourceAttributes);
    }

    /// <summary>Posts the batch until it is acknowledged, tells of the records the collector rejected, and returns its answer; <paramref name="range"/> names the events in messages.</summary>
    /// <exception cref="ForwardingException">The collector refused the batch, or retries went on past <see cref="OtlpForwarderOptions.GiveUpAfter"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled; the batch may or may not have arrived.</exception>
    public OtlpExportResponse Send(IReadOnlyList<LogEvent> batch, string range, CancellationToken cancellation)
    {
        var answer = Post(batch, range, cancellation);
        Report(batch, range, answer);
        return answer;
    }

    public void Dispose() => _exchange.Dispose();

    /// <summary>The retry loop: posts the batch until it is acknowledged, and returns the collector's answer.</summary>
    private OtlpExportResponse Post(IReadOnlyList<LogEvent> batch, string range, CancellationToken cancellation)
    {
        var time = _options.TimeProvider;
        var body = Compressed(_encoding.Encode(batch, time.GetUtcNow()));
        var started = time.GetTimestamp();
        var backoff = _options.InitialBackoff;
        for (var attempt = 1; ; attempt++)
        {
            cancellation.ThrowIfCancellationRequested();
            if (_exchange.TrySend(range, body, cancellation, out var acknowledgement) is not { } failure) return acknowledgement;
            var delay = failure.RetryAfter ?? Jittered(backoff);
            backoff = backoff * 2 < _options.MaxBackoff ? backoff * 2 : _options.MaxBackoff;
            if (_options.GiveUpAfter is { } limit && time.GetElapsedTime(started) + delay > limit)
            {
                throw new ForwardingException(OtlpEndpoint.RedactedUri(_exchange.Endpoint), failure.StatusCode, failure.CollectorMessage,
                    $"Events {range} could not be delivered to '{_exchange.ShownEndpoint}' within {limit} ({attempt} attempts); the last: {failure.Reason}. The checkpoint is unchanged.",
                    failure.Error);
            }
            _options.Notify?.Invoke(new ForwardingNotice(ForwardingNoticeKind.Retry,
                $"Sending events {range} to '{_exchange.ShownEndpoint}' failed ({failure.Reason}); retrying in {delay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s.",
                attempt, delay, failure.StatusCode));
            Task.Delay(delay, time, cancellation).GetAwaiter().GetResult();
        }
    }

    /// <summary>The body as it goes on the wire: compressed once per batch, not once per attempt.</summary>
    private byte[] Compressed(byte[] body)
    {
        if (_options.Compression == OtlpCompression.None) return body;
        using var compressed = new MemoryStream(body.Length / 8 + 64);
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(body);
        return compressed.ToArray();
    }

    /// <summary>Tells of the records a collector rejected in an acknowledged batch.</summary>
    private void Report(IReadOnlyList<LogEvent> batch, string range, OtlpExportResponse answer)
    {
        if (answer.RejectedLogRecords > 0 || answer.ErrorMessage is not null)
        {
            _options.Notify?.Invoke(new ForwardingNotice(ForwardingNoticeKind.PartialSuccess,
                $"The collector at '{_exchange.ShownEndpoint}' accepted events {range} but rejected {answer.RejectedLogRecords} of their {batch.Count} records: {_exchange.Scrub(answer.ErrorMessage) ?? "it gave no reason"}. They are not sent again.",
                0, RejectedRecords: answer.RejectedLogRecords));
        }
    }

    /// <summary>
    /// A random wait between half and all of <paramref name="backoff"/>: retries from many forwarders spread
    /// out, and each wait is at least the one before. Whole milliseconds, as timers count.
    /// </summary>
    private static TimeSpan Jittered(TimeSpan backoff) => TimeSpan.FromMilliseconds(Math.Round(backoff.TotalMilliseconds * (0.5 + Random.Shared.NextDouble() / 2)));
}
