using System.Net.Http.Headers;

namespace ScoutAudit.Core;

/// <summary>
/// One OTLP/HTTP request and the collector's answer: the body posted with the options' headers, the
/// answer read up to <see cref="AnswerLimit"/>, and the answer judged: acknowledged (2xx), worth
/// retrying (429, 502, 503, 504, a network error, a timeout: an <see cref="OtlpFailure"/>), or a refusal
/// (any other status, a redirect included), thrown as a <see cref="ForwardingException"/>. The
/// headers and the handler are checked before the first request; what the collector says is shown
/// without the secrets sent (<see cref="CollectorSecrets"/>).
/// </summary>
internal sealed class OtlpExchange : IDisposable
{
    /// <summary>The most of an answer's body that is read: an OTLP answer (a partial success, a Status) is a few hundred bytes.</summary>
    internal const int AnswerLimit = 64 * 1024;

    private readonly OtlpForwarderOptions _options;
    private readonly OtlpProtocol _protocol;
    private readonly HttpClient _client;
    private readonly SocketsHttpHandler? _handler;
    private readonly CollectorSecrets _secrets;

    /// <exception cref="ArgumentException">A header cannot be sent as given, or the handler follows redirects.</exception>
    public OtlpExchange(OtlpForwarderOptions options, Uri endpoint)
    {
        CheckHeaders(options.Headers);
        CheckHandler(options.Handler);
        _options = options;
        _protocol = options.Protocol;
        Endpoint = endpoint;
        ShownEndpoint = OtlpEndpoint.Redacted(endpoint);
        _secrets = new CollectorSecrets(options.Headers, endpoint);
        // A handler of the forwarder's own follows no redirect (HttpClient's default one follows them).
        var handler = options.Handler ?? (_handler = new SocketsHttpHandler { AllowAutoRedirect = false, Proxy = options.Proxy, UseProxy = true });
        _client = new HttpClient(handler, disposeHandler: false) { Timeout = options.RequestTimeout };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue(OtlpLogEncoding.ScopeName, typeof(OtlpForwarder).Assembly.GetName().Version?.ToString(3)));
    }

    /// <summary>The URL the batches are posted to.</summary>
    public Uri Endpoint { get; }

    /// <summary><see cref="Endpoint"/> as it may be shown: its query's values masked.</summary>
    public string ShownEndpoint { get; }

    /// <summary>What a collector said, without the secrets sent.</summary>
    public string? Scrub(string? said) => _secrets.Scrub(said);

    /// <summary>
    /// One request: null when acknowledged (with the collector's <paramref name="acknowledgement"/>), the failure when
    /// worth retrying; throws when not. <paramref name="range"/> names the events in messages.
    /// </summary>
    public OtlpFailure? TrySend(string range, byte[] body, CancellationToken cancellation, out OtlpExportResponse acknowledgement)
    {
        acknowledgement = default;
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(_protocol.ContentType());
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
            return new OtlpFailure(null, null, null, error.Message, error);
        }
        catch (OperationCanceledException error) when (!cancellation.IsCancellationRequested)
        {
            return new OtlpFailure(null, null, null, $"no answer within {_options.RequestTimeout}", error);
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            var protobuf = OtlpExportResponse.IsProtobuf(response.Content.Headers.ContentType?.MediaType, _protocol);
            if (response.IsSuccessStatusCode)
            {
                acknowledgement = OtlpExportResponse.ParseSuccess(answer, protobuf);
                return null;
            }
            var message = OtlpExportResponse.FailureMessage(answer, protobuf);
            var said = $"{status} {response.ReasonPhrase}{(message is null ? "" : ": " + message)}";
            if (status is >= 300 and < 400) throw Redirected(range, status, response);
            (message, said) = (Scrub(message), Scrub(said)!);
            if (status is 429 or 502 or 503 or 504) return new OtlpFailure(status, RetryAfter(response), message, said, null);
            throw new ForwardingException(OtlpEndpoint.RedactedUri(Endpoint), status, message,
                $"The collector at '{ShownEndpoint}' refused events {range} with {said}. The checkpoint is unchanged; the next run sends them again.");
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _handler?.Dispose();
    }

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

    /// <summary>The wait the collector asked for: Retry-After as seconds or as a date (none when past).</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _options.TimeProvider.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

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
}

/// <summary>A request that failed in a way worth retrying.</summary>
/// <param name="StatusCode">The HTTP status, or null for a network error or a timeout.</param>
/// <param name="RetryAfter">The wait the collector asked for.</param>
/// <param name="CollectorMessage">What the collector said.</param>
/// <param name="Reason">The failure in a few words, with the status and the collector's message.</param>
/// <param name="Error">The exception behind a network error or a timeout.</param>
internal sealed record OtlpFailure(int? StatusCode, TimeSpan? RetryAfter, string? CollectorMessage, string Reason, Exception? Error);
