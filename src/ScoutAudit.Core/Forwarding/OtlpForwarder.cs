using System.Globalization;
using System.Net.Http.Headers;

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
    private readonly OtlpLogEncoding _encoding;
    private readonly HttpClient _client;
    private readonly string[] _secrets;
    private readonly bool _locks;
    private readonly SocketsHttpHandler? _handler;
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
        CheckHeaders(options.Headers);
        CheckHandler(options.Handler);
        _secrets = Secrets(options.Headers, Endpoint);
        // A handler of the forwarder's own follows no redirect (HttpClient's default one follows them).
        options = options with { Handler = options.Handler ?? (_handler = new SocketsHttpHandler { AllowAutoRedirect = false, Proxy = options.Proxy, UseProxy = true }) };

        Checkpoint = ForwardingCheckpoint.Load(LogPath, Endpoint, options.CheckpointPath);
        _encoding = new OtlpLogEncoding(LogPath, options.Protocol, options.ServiceName, options.ResourceAttributes);
        _client = options.Handler is null ? new HttpClient() : new HttpClient(options.Handler, disposeHandler: false);
        _client.Timeout = options.RequestTimeout;
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue(OtlpLogEncoding.ScopeName, typeof(OtlpForwarder).Assembly.GetName().Version?.ToString(3)));

        // Chosen events leave the checkpoint alone: it was read (a damaged one is still an error), never moved or written.
        if (!keepsCheckpoint) Checkpoint = ForwardingCheckpoint.InMemory(LogPath, Endpoint);
        _locks = keepsCheckpoint;
        try
        {
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
    public ForwardingSummary ForwardAll(IEnumerable<AuditEvent> events, int batchSize, CancellationToken cancellation = default, Action<IReadOnlyList<AuditEvent>, ForwardingSummary>? delivered = null)
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
    public ForwardingSummary Deliver(IReadOnlyList<AuditEvent> batch, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) return new ForwardingSummary(0, 0, 0, Checkpoint.LastId);
        CheckOrder(batch);
        TakeLock();
        var answer = Post(batch, Range(batch), cancellation);
        Report(batch, Range(batch), answer);
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
    public ForwardingSummary Send(IReadOnlyList<AuditEvent> batch, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) return new ForwardingSummary(0, 0, 0, Checkpoint.LastId);
        var described = batch.Count == 1 ? $"{batch[0].Id?.ToString(CultureInfo.InvariantCulture) ?? "(no id)"}" : $"{batch[0].Id}..{batch[^1].Id} ({batch.Count} chosen)";
        var answer = Post(batch, described, cancellation);
        Report(batch, described, answer);
        return new ForwardingSummary(batch.Count, answer.RejectedLogRecords, 1, Checkpoint.LastId);
    }

    /// <summary>The retry loop: posts the batch until it is acknowledged, and returns the collector's answer.</summary>
    private OtlpExportResponse Post(IReadOnlyList<AuditEvent> batch, string range, CancellationToken cancellation)
    {
        var time = _options.TimeProvider;
        var body = Compressed(_encoding.Encode(batch, time.GetUtcNow()));
        var started = time.GetTimestamp();
        var backoff = _options.InitialBackoff;
        for (var attempt = 1; ; attempt++)
        {
            cancellation.ThrowIfCancellationRequested();
            if (TrySend(range, body, cancellation, out var acknowledgement) is not { } failure) return acknowledgement;
            var delay = failure.RetryAfter ?? Jittered(backoff);
            backoff = backoff * 2 < _options.MaxBackoff ? backoff * 2 : _options.MaxBackoff;
            if (_options.GiveUpAfter is { } limit && time.GetElapsedTime(started) + delay > limit)
            {
                throw new ForwardingException(OtlpEndpoint.RedactedUri(Endpoint), failure.StatusCode, failure.CollectorMessage,
                    $"Events {range} could not be delivered to '{ShownEndpoint}' within {limit} ({attempt} attempts); the last: {failure.Reason}. The checkpoint is unchanged.",
                    failure.Error);
            }
            _options.Notify?.Invoke(new ForwardingNotice(ForwardingNoticeKind.Retry,
                $"Sending events {range} to '{ShownEndpoint}' failed ({failure.Reason}); retrying in {delay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s.",
                attempt, delay, failure.StatusCode));
            Task.Delay(delay, time, cancellation).GetAwaiter().GetResult();
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _handler?.Dispose();
        _lock?.Dispose();
        _lock = null;
    }

    /// <summary>Takes the forwarder's lock if it has none yet and its checkpoint's directory now exists.</summary>
    private void TakeLock()
    {
        if (_locks && _lock is null) _lock = ForwarderLock.TryTake(Checkpoint, ShownEndpoint);
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
    private void Report(IReadOnlyList<AuditEvent> batch, string range, OtlpExportResponse answer)
    {
        if (answer.RejectedLogRecords > 0 || answer.ErrorMessage is not null)
        {
            _options.Notify?.Invoke(new ForwardingNotice(ForwardingNoticeKind.PartialSuccess,
                $"The collector at '{ShownEndpoint}' accepted events {range} but rejected {answer.RejectedLogRecords} of their {batch.Count} records: {Scrub(answer.ErrorMessage) ?? "it gave no reason"}. They are not sent again.",
                0, RejectedRecords: answer.RejectedLogRecords));
        }
    }

    /// <summary>One request: null when acknowledged (with the collector's <paramref name="acknowledgement"/>), the failure when worth retrying; throws when not.</summary>
    private Failure? TrySend(string range, byte[] body, CancellationToken cancellation, out OtlpExportResponse acknowledgement)
    {
        acknowledgement = default;
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(_encoding.Protocol.ContentType());
        if (_options.Compression == OtlpCompression.Gzip) request.Content.Headers.ContentEncoding.Add("gzip");
        foreach (var (name, value) in _options.Headers) request.Headers.TryAddWithoutValidation(name, value);
        HttpResponseMessage response;
        byte[] answer;
        // The timeout covers the answer's body too, which is read here rather than buffered by the client.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            response = _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).GetAwaiter().GetResult();
            answer = ReadAnswer(response.Content, timeout.Token);
        }
        catch (Exception error) when (error is HttpRequestException or IOException)
        {
            // IOException: the connection ended in the answer's body (HttpIOException), as read here.
            return new Failure(null, null, null, error.Message, error);
        }
        catch (OperationCanceledException error) when (!cancellation.IsCancellationRequested)
        {
            return new Failure(null, null, null, $"no answer within {_options.RequestTimeout}", error);
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            var protobuf = OtlpExportResponse.IsProtobuf(response.Content.Headers.ContentType?.MediaType, _encoding.Protocol);
            if (response.IsSuccessStatusCode)
            {
                acknowledgement = OtlpExportResponse.ParseSuccess(answer, protobuf);
                return null;
            }
            var message = OtlpExportResponse.FailureMessage(answer, protobuf);
            var said = $"{status} {response.ReasonPhrase}{(message is null ? "" : ": " + message)}";
            if (status is >= 300 and < 400) throw Redirected(range, status, response);
            (message, said) = (Scrub(message), Scrub(said)!);
            if (status is 429 or 502 or 503 or 504) return new Failure(status, RetryAfter(response), message, said, null);
            throw new ForwardingException(OtlpEndpoint.RedactedUri(Endpoint), status, message,
                $"The collector at '{ShownEndpoint}' refused events {range} with {said}. The checkpoint is unchanged; the next run sends them again.");
        }
    }

    /// <summary>The most of an answer's body that is read: an OTLP answer (a partial success, a Status) is a few hundred bytes.</summary>
    internal const int AnswerLimit = 64 * 1024;

    /// <summary>
    /// The start of a collector's answer, at most <see cref="AnswerLimit"/> bytes. HttpClient would buffer
    /// up to 2 GiB, so a hostile or broken collector could make the forwarder hold gigabytes, or never
    /// finish a body it trickles; what is past the limit is left unread (the connection is dropped).
    /// </summary>
    private static byte[] ReadAnswer(HttpContent content, CancellationToken cancellation)
    {
        using var stream = content.ReadAsStream(cancellation);
        var buffer = new byte[AnswerLimit];
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = stream.ReadAsync(buffer.AsMemory(filled), cancellation).AsTask().GetAwaiter().GetResult()) > 0) filled += read;
        return buffer[..filled];
    }

    /// <summary>
    /// A redirect, which is not followed: a 307 or 308 would send the events and the headers (credentials)
    /// to another origin, and a 301 or 302 would turn the POST into a GET without a body whose 200 would
    /// count as delivered, so the events would be acknowledged and never arrive. Where it pointed is named,
    /// without its secrets.
    /// </summary>
    private ForwardingException Redirected(string range, int status, HttpResponseMessage response)
    {
        var location = response.Headers.Location is { } given
            ? $"to '{OtlpEndpoint.Redacted(given.IsAbsoluteUri ? given : new Uri(Endpoint, given))}'"
            : "without a Location";
        return new ForwardingException(OtlpEndpoint.RedactedUri(Endpoint), status, null,
            $"The collector at '{ShownEndpoint}' answered events {range} with {status} {response.ReasonPhrase}, a redirect {location}, which is not followed " +
            "(it would send the events and headers elsewhere, or turn the request into one without its events). Nothing was delivered and the checkpoint is unchanged; " +
            "give the collector's own URL as the endpoint.");
    }

    /// <summary>
    /// What a collector said, without the values of the headers sent or of the endpoint's query: a
    /// collector that echoes the request (401 "invalid token Bearer ...") must not put them in a message.
    /// </summary>
    private string? Scrub(string? said)
    {
        if (said is null) return null;
        foreach (var secret in _secrets) said = said.Replace(secret, OtlpEndpoint.Mask, StringComparison.Ordinal);
        return said;
    }

    /// <summary>The secrets a message must not repeat, longest first; a value shorter than 4 characters is no secret worth masking words for.</summary>
    private static string[] Secrets(IReadOnlyDictionary<string, string> headers, Uri endpoint)
    {
        var secrets = new List<string>();
        foreach (var value in headers.Values)
        {
            secrets.Add(value.Trim());
            // "Bearer <token>", "Basic <credentials>": the token alone as well.
            if (value.Trim().LastIndexOf(' ') is var space and > 0) secrets.Add(value.Trim()[(space + 1)..]);
        }
        secrets.AddRange(OtlpEndpoint.QueryValues(endpoint));
        return [.. secrets.Where(secret => secret.Length >= 4).Distinct(StringComparer.Ordinal).OrderByDescending(secret => secret.Length)];
    }

    /// <summary>The wait the collector asked for: Retry-After as seconds or as a date (none when past).</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _options.TimeProvider.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>
    /// A random wait between half and all of <paramref name="backoff"/>: retries from many forwarders spread
    /// out, and each wait is at least the one before. Whole milliseconds, as timers count.
    /// </summary>
    private static TimeSpan Jittered(TimeSpan backoff) => TimeSpan.FromMilliseconds(Math.Round(backoff.TotalMilliseconds * (0.5 + Random.Shared.NextDouble() / 2)));

    private static long IdOf(AuditEvent auditEvent) =>
        auditEvent.Id ?? throw new ArgumentException($"The event '{auditEvent.Event}' at {UtcTimestamp.Format(auditEvent.Timestamp)} has no id (it was not read from a log), so no checkpoint could record it.", nameof(auditEvent));

    private void CheckOrder(IReadOnlyList<AuditEvent> batch)
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

    private static void CheckHeaders(IReadOnlyDictionary<string, string> headers)
    {
        using var probe = new HttpRequestMessage();
        foreach (var (name, value) in headers)
        {
            OtlpHeaders.Check(name, value);
            if (!probe.Headers.TryAddWithoutValidation(name, value))
                throw new ArgumentException($"'{name}' cannot be sent as a request header (the forwarder sets the content headers itself).", nameof(OtlpForwarderOptions.Headers));
        }
    }

    /// <summary>A handler of .NET's own that follows redirects is refused: the forwarder answers a redirect as a refusal.</summary>
    private static void CheckHandler(HttpMessageHandler? handler)
    {
        if (handler is SocketsHttpHandler { AllowAutoRedirect: true } or HttpClientHandler { AllowAutoRedirect: true })
            throw new ArgumentException("The handler follows redirects: set its AllowAutoRedirect to false. A redirect would send the events and headers to another origin, or turn the request into a GET that delivers nothing.", nameof(OtlpForwarderOptions.Handler));
    }

    private static string Range(IReadOnlyList<AuditEvent> batch) =>
        batch.Count == 1 ? $"{batch[0].Id}" : $"{batch[0].Id}..{batch[^1].Id}";

    /// <param name="StatusCode">The HTTP status, or null for a network error or a timeout.</param>
    /// <param name="RetryAfter">The wait the collector asked for.</param>
    /// <param name="CollectorMessage">What the collector said.</param>
    /// <param name="Reason">The failure in a few words, with the status and the collector's message.</param>
    /// <param name="Error">The exception behind a network error or a timeout.</param>
    private sealed record Failure(int? StatusCode, TimeSpan? RetryAfter, string? CollectorMessage, string Reason, Exception? Error);
}
