using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ScoutAudit.PowerShell.Tests.Browser;

/// <summary>
/// The Chrome DevTools Protocol over one WebSocket: JSON-RPC commands answered by id, and events
/// handed to <see cref="EventReceived"/> on the receiving thread, in the order they arrive.
/// </summary>
public sealed class DevToolsConnection : IDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _receiving;
    private int _lastId;

    private DevToolsConnection(ClientWebSocket socket)
    {
        _socket = socket;
        _receiving = Task.Run(ReceiveLoop);
    }

    /// <summary>Raised for every event (method and params), on the receiving thread; a handler must not block.</summary>
    public event Action<string, JsonElement>? EventReceived;

    /// <summary>Connects to a target's <c>webSocketDebuggerUrl</c>.</summary>
    public static DevToolsConnection Connect(Uri webSocketUrl, TimeSpan timeout)
    {
        var socket = new ClientWebSocket();
        // Screenshots come back as one message of several megabytes; the default keep-alive is not needed on loopback.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            socket.ConnectAsync(webSocketUrl, deadline.Token).GetAwaiter().GetResult();
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException)
        {
            socket.Dispose();
            throw new InvalidOperationException($"Could not connect to the DevTools WebSocket {webSocketUrl} within {timeout.TotalSeconds:0} s: {error.Message}", error);
        }
        return new DevToolsConnection(socket);
    }

    /// <summary>
    /// Sends a command and returns its <c>result</c> (a clone, valid after the connection is gone).
    /// </summary>
    /// <exception cref="InvalidOperationException">The browser answered with an error, or the connection closed.</exception>
    /// <exception cref="TimeoutException">No answer within <paramref name="timeout"/>.</exception>
    public JsonElement Send(string method, object? parameters, TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref _lastId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        try
        {
            var message = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } });
            using var deadline = new CancellationTokenSource(timeout);
            SendAsync(message, deadline.Token).GetAwaiter().GetResult();
            if (!answer.Task.Wait(timeout)) throw new TimeoutException($"The browser did not answer {method} within {timeout.TotalSeconds:0} s.");
            return answer.Task.Result;
        }
        catch (AggregateException error) when (error.InnerException is not null)
        {
            throw new InvalidOperationException($"{method} failed: {error.InnerException.Message}", error.InnerException);
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException)
        {
            throw new InvalidOperationException($"{method} could not be sent: {error.Message}", error);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task SendAsync(byte[] message, CancellationToken cancellation)
    {
        // ClientWebSocket allows one send at a time.
        await _sending.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellation).ConfigureAwait(false);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                var received = await _socket.ReceiveAsync(buffer, _closing.Token).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage) continue;
                Dispatch(message.GetBuffer().AsMemory(0, (int)message.Length));
                message.SetLength(0);
            }
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException or ObjectDisposedException or JsonException)
        {
            // Closed, aborted or garbled: every command still waiting fails below.
        }
        finally
        {
            foreach (var waiting in _pending.Values) waiting.TrySetException(new InvalidOperationException("the DevTools connection closed"));
        }
    }

    private void Dispatch(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("id", out var id))
        {
            if (!_pending.TryGetValue(id.GetInt32(), out var answer)) return;
            if (root.TryGetProperty("error", out var error))
                answer.TrySetException(new InvalidOperationException(error.GetProperty("message").GetString() + DataOf(error)));
            else
                answer.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
        }
        else if (root.TryGetProperty("method", out var method))
        {
            var parameters = root.TryGetProperty("params", out var p) ? p.Clone() : default;
            EventReceived?.Invoke(method.GetString()!, parameters);
        }
    }

    private static string DataOf(JsonElement error) =>
        error.TryGetProperty("data", out var data) ? $" ({data})" : "";

    public void Dispose()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token).GetAwaiter().GetResult();
            }
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException)
        {
            // The browser may already be gone; nothing is left to close then.
        }
        _closing.Cancel();
        _receiving.Wait(TimeSpan.FromSeconds(2));
        _socket.Dispose();
        _closing.Dispose();
        _sending.Dispose();
    }
}
