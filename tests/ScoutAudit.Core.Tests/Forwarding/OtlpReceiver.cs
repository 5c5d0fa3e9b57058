using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using ScoutAudit.Core.Tests.Otlp;

namespace ScoutAudit.Core.Tests.Forwarding;

/// <summary>How the receiver answers one request.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Body">The answer as the proto3 JSON of <paramref name="Message"/>, sent in the request's encoding (protobuf or JSON); null: the empty message; other text is sent as it is.</param>
/// <param name="RetryAfter">A Retry-After header (seconds or an HTTP date), when given.</param>
/// <param name="Delay">How long the receiver waits before it answers.</param>
/// <param name="Drop">Closes the connection in the middle of the answer.</param>
/// <param name="Message">The message type of the body: an <c>ExportLogsServiceResponse</c> unless said otherwise.</param>
public sealed record ReceiverAnswer(int Status = 200, string? Body = null, string? RetryAfter = null, TimeSpan Delay = default, bool Drop = false, MessageDescriptor? Message = null)
{
    public static readonly ReceiverAnswer Ok = new();

    public static readonly ReceiverAnswer Dropped = new(Drop: true);

    public bool Accepts => Status is >= 200 and < 300 && !Drop;

    public static ReceiverAnswer Unavailable(string? retryAfter = null) => new(503, RetryAfter: retryAfter);

    public static ReceiverAnswer TooManyRequests(string? retryAfter = null) => new(429, RetryAfter: retryAfter);

    /// <summary>A 400 with a <c>google.rpc.Status</c>, as OTLP/HTTP refuses a request.</summary>
    public static ReceiverAnswer BadRequest(string message) => new(400, JsonSerializer.Serialize(new { code = 3, message }), Message: Otlp.Status.Descriptor);

    public static ReceiverAnswer PartialSuccess(long rejected, string message) =>
        new(200, JsonSerializer.Serialize(new { partialSuccess = new { rejectedLogRecords = rejected.ToString(CultureInfo.InvariantCulture), errorMessage = message } }));

    public static ReceiverAnswer Delayed(TimeSpan delay) => new(Delay: delay);
}

/// <summary>One log record as the receiver decoded it.</summary>
/// <param name="Id">The <c>scout.id</c> attribute.</param>
/// <param name="EventName">The record's <c>eventName</c>.</param>
/// <param name="Record">The whole record, as the proto3 JSON of the decoded message.</param>
/// <param name="Attributes">The record's attributes: name to AnyValue object (<c>{"intValue":"42"}</c>).</param>
public sealed record ReceivedRecord(long Id, string EventName, JsonElement Record, IReadOnlyDictionary<string, JsonElement> Attributes);

/// <summary>One request as it arrived, with the answer it was given.</summary>
/// <param name="Body">The request as the independent decoder read it (<see cref="Message"/>), in proto3 JSON, whatever its encoding on the wire.</param>
public sealed record ReceivedRequest(int Index, string Method, string Path, string? ContentType, IReadOnlyDictionary<string, string> Headers,
    JsonElement Body, IReadOnlyDictionary<string, JsonElement> Resource, IReadOnlyList<ReceivedRecord> Records, ReceiverAnswer Answer)
{
    /// <summary>The body's length as it came over the wire (compressed or not).</summary>
    public long WireBytes { get; init; }

    /// <summary>The body's length after any decompression.</summary>
    public long BodyBytes { get; init; }

    /// <summary>The body after any decompression, as sent.</summary>
    public byte[] RawBody { get; init; } = [];

    /// <summary>The request as the generated decoder read it; null when it could not (<see cref="DecodeError"/>).</summary>
    public ExportLogsServiceRequest? Message { get; init; }

    /// <summary>Why the body could not be decoded (it was answered 400); null when it was.</summary>
    public string? DecodeError { get; init; }
}

/// <summary>
/// An OTLP/HTTP logs receiver on a loopback port (<see cref="HttpListener"/>): it decodes every request's
/// body, protobuf or JSON as its Content-Type says, with <see cref="OtlpDecoder"/> (code protoc generated from
/// the OTLP schema, never the forwarder's); a body it cannot decode is answered 400 with the reason. It keeps every request, and answers each by the script given to it
/// (<see cref="Script"/>; 200 <c>{}</c> once the script is used up). Requests are served concurrently, so a
/// delayed answer holds only its own.
/// </summary>
public sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Queue<ReceiverAnswer> _script = new();
    private readonly List<ReceivedRequest> _requests = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    /// <param name="port">The port to listen on; null: a free one.</param>
    public OtlpReceiver(int? port = null)
    {
        Port = port ?? FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _accepting = Task.Run(Accept);
    }

    public int Port { get; }

    /// <summary>The base URL (the forwarder appends /v1/logs).</summary>
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>The answers of the next requests, in order.</summary>
    public void Script(params ReceiverAnswer[] answers)
    {
        lock (_script)
        {
            foreach (var answer in answers) _script.Enqueue(answer);
        }
    }

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_requests) return [.. _requests];
        }
    }

    /// <summary>The records of the requests answered with success, in arrival order: what the collector took in.</summary>
    public IReadOnlyList<ReceivedRecord> Accepted => [.. Requests.Where(r => r.Answer.Accepts).SelectMany(r => r.Records)];

    /// <summary>Waits until <paramref name="count"/> requests have arrived (not necessarily been answered).</summary>
    public IReadOnlyList<ReceivedRequest> WaitForRequests(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_requests)
        {
            while (_requests.Count < count)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) throw new TimeoutException($"{_requests.Count} of {count} requests arrived within {timeout}.");
                Monitor.Wait(_requests, left);
            }
            return [.. _requests];
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        try
        {
            _accepting.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under it.
        }
        _stop.Dispose();
    }

    private async Task Accept()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception error) when (error is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => Serve(context));
        }
    }

    private async Task Serve(HttpListenerContext context)
    {
        var request = context.Request;
        using var content = new MemoryStream();
        await request.InputStream.CopyToAsync(content);
        var wireBytes = content.Length;
        var raw = content.ToArray();
        if (string.Equals(request.Headers["Content-Encoding"], "gzip", StringComparison.OrdinalIgnoreCase))
        {
            using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(raw), System.IO.Compression.CompressionMode.Decompress);
            using var plain = new MemoryStream();
            await gzip.CopyToAsync(plain);
            raw = plain.ToArray();
        }
        var protobuf = OtlpDecoder.IsProtobuf(request.ContentType);
        ReceiverAnswer answer;
        lock (_script) answer = _script.TryDequeue(out var next) ? next : ReceiverAnswer.Ok;
        ExportLogsServiceRequest? message = null;
        string? problem = null;
        JsonElement body = default;
        Dictionary<string, JsonElement> resource = [];
        List<ReceivedRecord> records = [];
        try
        {
            message = OtlpDecoder.Decode(raw, protobuf);
            body = JsonDocument.Parse(OtlpDecoder.ToJson(message)).RootElement.Clone();
            resource = Attributes(body.GetProperty("resourceLogs")[0].GetProperty("resource"));
            records = Records(body);
        }
        catch (Exception error) when (error is InvalidProtocolBufferException or InvalidJsonException or FormatException or InvalidOperationException or KeyNotFoundException or JsonException)
        {
            problem = error.Message;
            answer = ReceiverAnswer.BadRequest("the receiver could not decode the request: " + problem);
        }
        lock (_requests)
        {
            var headers = request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            _requests.Add(new ReceivedRequest(_requests.Count, request.HttpMethod, request.Url!.AbsolutePath, request.ContentType, headers, body, resource, records, answer)
            {
                WireBytes = wireBytes,
                BodyBytes = raw.Length,
                RawBody = raw,
                Message = message,
                DecodeError = problem,
            });
            Monitor.PulseAll(_requests);
        }
        try
        {
            if (answer.Delay > TimeSpan.Zero) await Task.Delay(answer.Delay, _stop.Token);
            if (answer.Drop)
            {
                // HttpListener's Abort alone still answers 200 on Linux when nothing was sent: cut an answer short instead.
                context.Response.ContentLength64 = 1000;
                await context.Response.OutputStream.WriteAsync(new byte[10]);
                await context.Response.OutputStream.FlushAsync();
                context.Response.Abort();
                return;
            }
            context.Response.StatusCode = answer.Status;
            // OTLP/HTTP: the answer in the request's encoding.
            var (bytes, contentType) = OtlpDecoder.Answer(answer.Body ?? "{}", protobuf, answer.Message);
            context.Response.ContentType = contentType;
            if (answer.RetryAfter is not null) context.Response.Headers["Retry-After"] = answer.RetryAfter;
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception error) when (error is OperationCanceledException or HttpListenerException or IOException or ObjectDisposedException)
        {
            // The receiver is closing, or the forwarder is gone (killed while its answer was delayed).
        }
    }

    private static List<ReceivedRecord> Records(JsonElement body)
    {
        var records = new List<ReceivedRecord>();
        foreach (var resourceLogs in body.GetProperty("resourceLogs").EnumerateArray())
        foreach (var scopeLogs in resourceLogs.GetProperty("scopeLogs").EnumerateArray())
        foreach (var record in scopeLogs.GetProperty("logRecords").EnumerateArray())
        {
            var attributes = Attributes(record);
            var id = long.Parse(attributes["scout.id"].GetProperty("intValue").GetString()!, CultureInfo.InvariantCulture);
            records.Add(new ReceivedRecord(id, record.GetProperty("eventName").GetString()!, record, attributes));
        }
        return records;
    }

    private static Dictionary<string, JsonElement> Attributes(JsonElement owner)
    {
        var attributes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var pair in owner.GetProperty("attributes").EnumerateArray())
            Assert.True(attributes.TryAdd(pair.GetProperty("key").GetString()!, pair.GetProperty("value")), $"attribute {pair.GetProperty("key")} is sent twice");
        return attributes;
    }
}
