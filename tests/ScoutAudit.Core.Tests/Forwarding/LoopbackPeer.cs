using System.Net;

namespace ScoutAudit.Core.Tests.Forwarding;

/// <summary>One request as a <see cref="LoopbackPeer"/> saw it.</summary>
public sealed record PeerRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, long BodyBytes);

/// <summary>
/// A plain HTTP server on a loopback port that decodes nothing: it keeps each request's method, path,
/// headers and body length, and answers every one with <see cref="Status"/> (and a Location, when
/// given). The collector that redirects, and the other origin that must see nothing.
/// </summary>
public sealed class LoopbackPeer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<PeerRequest> _requests = [];
    private readonly Task _serving;

    public LoopbackPeer(int status = 200, string? location = null, bool endlessAnswer = false)
    {
        Status = status;
        Location = location;
        EndlessAnswer = endlessAnswer;
        Port = OtlpReceiver.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(Serve);
    }

    public int Port { get; }

    public int Status { get; }

    public string? Location { get; }

    /// <summary>Whether the answer's body never ends (chunks of spaces until the forwarder hangs up): a hostile collector's.</summary>
    public bool EndlessAnswer { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    public IReadOnlyList<PeerRequest> Requests
    {
        get
        {
            lock (_requests) return [.. _requests];
        }
    }

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under it.
        }
    }

    private async Task Serve()
    {
        while (true)
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
            try
            {
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
                lock (_requests) _requests.Add(new PeerRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, headers, body.Length));
                context.Response.StatusCode = Status;
                if (Location is not null) context.Response.Headers["Location"] = Location;
                context.Response.ContentType = "application/json";
                if (EndlessAnswer)
                {
                    context.Response.SendChunked = true;
                    var spaces = new byte[64 * 1024];
                    spaces.AsSpan().Fill((byte)' ');
                    while (true) await context.Response.OutputStream.WriteAsync(spaces);
                }
                var bytes = "{}"u8.ToArray();
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
            catch (Exception error) when (error is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The forwarder went away mid-answer.
            }
        }
    }
}
