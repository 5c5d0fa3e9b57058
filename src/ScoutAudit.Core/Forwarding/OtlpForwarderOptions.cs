namespace ScoutAudit.Core;

/// <summary>How a request's body is sent: as it is, or gzip-compressed (<c>Content-Encoding: gzip</c>), as OTLP/HTTP allows.</summary>
public enum OtlpCompression
{
    None,
    Gzip,
}

/// <summary>Where and how an <see cref="OtlpForwarder"/> sends events, and how it retries.</summary>
public sealed record OtlpForwarderOptions
{
    private const string LogsPath = "v1/logs";

    /// <summary>
    /// The collector's OTLP/HTTP endpoint. A URL whose path is empty or <c>/</c> is a base URL and gets
    /// <c>/v1/logs</c> appended (<c>http://collector:4318</c>, as OTEL_EXPORTER_OTLP_ENDPOINT); any other path is
    /// used as it is (<c>https://gateway/otlp/v1/logs</c>, as OTEL_EXPORTER_OTLP_LOGS_ENDPOINT).
    /// </summary>
    public required Uri Endpoint { get; init; }

    /// <summary>Request headers, such as <c>Authorization</c> or an API key.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The encoding of request bodies: protobuf (<c>http/protobuf</c>), the OTLP specification's default, which every
    /// OTLP/HTTP receiver accepts, or JSON (<c>http/json</c>), which some do.
    /// </summary>
    public OtlpProtocol Protocol { get; init; } = OtlpProtocol.HttpProtobuf;

    /// <summary>
    /// Whether request bodies are gzip-compressed: the repetitive bodies (JSON or protobuf) shrink to a small part of their size, which a collector
    /// across a slow or metered link wants; on loopback or a fast network it only costs CPU.
    /// </summary>
    public OtlpCompression Compression { get; init; } = OtlpCompression.None;

    /// <summary>The resource's <c>service.name</c>.</summary>
    public string ServiceName { get; init; } = OtlpLogEncoding.DefaultServiceName;

    /// <summary>More resource attributes (<c>deployment.environment</c>...), sent as strings.</summary>
    public IReadOnlyDictionary<string, string> ResourceAttributes { get; init; } = new Dictionary<string, string>();

    /// <summary>The checkpoint file; null: <see cref="ForwardingCheckpoint.DefaultLocation"/>, beside the log in a directory the caller owns, else in the caller's cache.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>The first wait before a retry; each further wait doubles, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between retries, unless the collector asks for a longer one (Retry-After).</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one batch is retried before delivery fails; null: until it is delivered or cancelled.</summary>
    public TimeSpan? GiveUpAfter { get; init; }

    /// <summary>How long one request may take before it counts as failed and is retried.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Told of retries and of batches the collector accepted only in part; it runs on the thread that
    /// called <see cref="OtlpForwarder.Deliver"/> or <see cref="OtlpForwarder.ForwardAll"/>.
    /// </summary>
    public Action<ForwardingNotice>? Notify { get; init; }

    /// <summary>
    /// The HTTP handler to send with (client certificates, tests); null: a new one that follows no
    /// redirect and uses <see cref="Proxy"/>. It is not disposed. A handler of .NET's own that would
    /// follow redirects is refused: a redirect is answered as a refusal, never followed.
    /// </summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>The proxy to send through (with its credentials); null: the system's (<c>HTTPS_PROXY</c>...). Not used with <see cref="Handler"/>.</summary>
    public System.Net.IWebProxy? Proxy { get; init; }

    /// <summary>The clock for the waits between retries, Retry-After dates, <see cref="GiveUpAfter"/> and observed times.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The URL requests are posted to: <see cref="Endpoint"/> with <c>/v1/logs</c> appended when its path is empty.</summary>
    public Uri ResolveEndpoint()
    {
        if (Endpoint is not { IsAbsoluteUri: true } || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"The endpoint must be an absolute http or https URL; got '{(Endpoint is null ? "" : OtlpEndpoint.Redacted(Endpoint))}'.", nameof(Endpoint));
        // A user name and password in the URL would be shown and stored wherever the endpoint is, and HttpClient does not send them.
        if (Endpoint.UserInfo.Length > 0)
            throw new ArgumentException($"The endpoint '{OtlpEndpoint.Redacted(Endpoint)}' has a user name or password in it (shown left out); give credentials as a request header instead (Send-ScoutAuditEvent -Header, -Token or -Credential).", nameof(Endpoint));
        return Endpoint.AbsolutePath is "" or "/" ? new UriBuilder(Endpoint) { Path = LogsPath }.Uri : Endpoint;
    }

    internal void Validate()
    {
        if (InitialBackoff <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(InitialBackoff), InitialBackoff, "The initial backoff must be positive.");
        if (MaxBackoff < InitialBackoff) throw new ArgumentOutOfRangeException(nameof(MaxBackoff), MaxBackoff, "The maximum backoff must be at least the initial backoff.");
        if (GiveUpAfter <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(GiveUpAfter), GiveUpAfter, "The time to give up after must be positive, or null to retry until cancelled.");
        if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RequestTimeout), RequestTimeout, "The request timeout must be positive.");
        ArgumentException.ThrowIfNullOrEmpty(ServiceName, nameof(ServiceName));
    }
}
